// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"
#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>

enum { O_PARENT, O_DUMPJSON, O_GVT };

static const struct cli_opt opts[] = {
	[O_PARENT] = { "parent", 'p', "PARENT", "Only this parent" },
	[O_DUMPJSON] = { "dumpjson", 0, NULL, "Print JSON" },
	[O_GVT] = { "gvt", 0, NULL, "Also print each Intel GVT-g type's share of the GPU and what is free" },
};

static const struct cli_spec spec = {
	"types", "[OPTIONS]",
	"List the mdev types each registered parent offers, with their available\n"
	"instances, device API, name and description, as mdevctl does.  With --gvt,\n"
	"GVT-g types also show their aperture, hidden GM and fence needs, what is\n"
	"free, and what limits them.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_types(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_type_listing l;
	if (mdk_list_types(a.val[O_PARENT], cli_has(&a, O_GVT), &l, &e) < 0)
		return cli_fail(&e);
	char *text = cli_has(&a, O_DUMPJSON) ? mdk_output_types_json(&l) : mdk_output_types_text(&l);
	fputs(text, stdout);
	free(text);
	mdk_type_listing_free(&l);
	return 0;
}
