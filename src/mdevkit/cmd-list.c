// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"
#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>

enum { O_DEFINED, O_DUMPJSON, O_VERBOSE, O_UUID, O_PARENT };

static const struct cli_opt opts[] = {
	[O_DEFINED] = { "defined", 'd', NULL, "List definitions instead of running devices" },
	[O_DUMPJSON] = { "dumpjson", 0, NULL, "Print JSON (one device with --uuid: its definition)" },
	[O_VERBOSE] = { "verbose", 'v', NULL, "Also print attributes" },
	[O_UUID] = { "uuid", 'u', "UUID", "Only this device", CLI_UUID },
	[O_PARENT] = { "parent", 'p', "PARENT", "Only devices of this parent" },
};

static const struct cli_spec spec = {
	"list", "[OPTIONS]",
	"List running mediated devices, or with --defined the stored definitions,\n"
	"sorted by parent and UUID.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_list(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_listing l = { NULL, 0 };
	const char *u = a.uuid;
	bool defined = cli_has(&a, O_DEFINED);
	int r = defined ? mdk_list_defined(a.val[O_PARENT], u, &l, &e)
			: mdk_list_active(a.val[O_PARENT], u, &l, &e);
	if (r < 0)
		return cli_fail(&e);
	if (cli_has(&a, O_DUMPJSON))
		mdk_output_list_json(&l, u != NULL, stdout);
	else
		mdk_output_list_text(&l, defined, cli_has(&a, O_VERBOSE), stdout);
	mdk_listing_free(&l);
	return 0;
}
