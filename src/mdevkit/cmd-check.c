// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit check [-p PARENT] [--dumpjson]: do the auto definitions fit the
 * hardware?  One line per parent, then indented details; exit 0 when
 * every parent that could be checked fits. */
#include "cli.h"

#include "mdevkit/check.h"
#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>

enum { O_PARENT, O_DUMPJSON };

static const struct cli_opt opts[] = {
	[O_PARENT] = { "parent", 'p', "PARENT", "Only this parent" },
	[O_DUMPJSON] = { "dumpjson", 0, NULL, "Print the report as JSON" },
};

static const struct cli_spec spec = {
	"check", "[OPTIONS]",
	"Check that the auto-start definitions of each parent fit the hardware\n"
	"together, as at boot, and say why not.  For Intel GVT-g parents this\n"
	"uses the kernel's budget (aperture, hidden GM, fences, 7 vGPUs) and names\n"
	"the smallest GPU aperture that fits them.  Parents that are not\n"
	"registered are skipped.  Exit status 1 when something does not fit.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_check(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_check_report r;
	if (mdk_check(a.val[O_PARENT], &r, &e) < 0)
		return cli_fail(&e);
	char *text = cli_has(&a, O_DUMPJSON) ? mdk_output_check_json(&r) : mdk_output_check_text(&r);
	fputs(text, stdout);
	free(text);
	rc = mdk_check_all_fit(&r) ? 0 : 1;
	mdk_check_report_free(&r);
	return rc;
}
