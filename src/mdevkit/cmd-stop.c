// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"

enum { O_UUID, O_FORCE };

static const struct cli_opt opts[] = {
	[O_UUID] = { "uuid", 'u', "UUID", "UUID of the device" },
	[O_FORCE] = { "force", 'f', NULL, "Go on even if a callout refuses" },
};

static const struct cli_spec spec = {
	"stop", "[OPTIONS] --uuid <UUID>",
	"Remove a running mediated device.  Its definition, if any, stays.",
	opts, sizeof(opts) / sizeof(opts[0]), NULL,
};

int cmd_stop(int argc, char **argv)
{
	struct cli_args a;
	mdk_uuid_str uuid;
	enum cli_status st = cli_parse(&spec, argc, argv, &a);

	if (st != CLI_OK)
		return st == CLI_HELP ? 0 : EXIT_USAGE;
	if (!cli_has(&a, O_UUID))
		return cli_usage_error(&spec, "the following required arguments were not provided:\n  --uuid <UUID>");
	if (cli_uuid(&spec, "uuid", a.val[O_UUID], uuid) != CLI_OK)
		return EXIT_USAGE;

	struct mdk_error e = MDK_ERROR_INIT;
	if (mdk_stop(uuid, cli_has(&a, O_FORCE), &e) < 0)
		return cli_fail(&e);
	return 0;
}
