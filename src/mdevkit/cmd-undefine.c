// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"
#include "mdevkit/util.h"

enum { O_UUID, O_PARENT, O_FORCE };

static const struct cli_opt opts[] = {
	[O_UUID] = { "uuid", 'u', "UUID", "UUID of the device", CLI_REQUIRED | CLI_UUID },
	[O_PARENT] = { "parent", 'p', "PARENT", "Only the definition under this parent" },
	[O_FORCE] = { "force", 'f', NULL, "Go on even if a callout refuses" },
};

static const struct cli_spec spec = {
	"undefine", "[OPTIONS] --uuid <UUID>",
	"Remove the definitions of a device, under every parent unless --parent\n"
	"is given.  Running devices are not changed.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_undefine(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	if (mdk_undefine(a.uuid, a.val[O_PARENT], cli_has(&a, O_FORCE), &e) < 0)
		return cli_fail(&e);
	return 0;
}
