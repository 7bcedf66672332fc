// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"
#include "mdevkit/util.h"

enum { O_UUID, O_FORCE, O_NOT_RUNNING_OK };

static const struct cli_opt opts[] = {
	[O_UUID] = { "uuid", 'u', "UUID", "UUID of the device", CLI_REQUIRED | CLI_UUID },
	[O_FORCE] = { "force", 'f', NULL, "Go on even if a callout refuses" },
	[O_NOT_RUNNING_OK] = { "not-running-ok", 0, NULL, "Succeed if the device is not running (any more)" },
};

static const struct cli_spec spec = {
	"stop", "[OPTIONS] --uuid <UUID>",
	"Remove a running mediated device.  Its definition, if any, stays.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_stop(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	if (mdk_stop(a.uuid, cli_has(&a, O_FORCE), cli_has(&a, O_NOT_RUNNING_OK), &e) < 0)
		return cli_fail(&e);
	return 0;
}
