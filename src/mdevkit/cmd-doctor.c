// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit doctor [-p PARENT] [--dumpjson] [-q]: why GVT-g does not come
 * up on this host, and what to change.  Exit 1 when a check FAILs. */
#include "cli.h"

#include "mdevkit/doctor.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>

enum { O_PARENT, O_DUMPJSON, O_QUIET };

static const struct cli_opt opts[] = {
	[O_PARENT] = { "parent", 'p', "PARENT", "Check this parent instead of the Intel iGPU" },
	[O_DUMPJSON] = { "dumpjson", 0, NULL, "Print the findings as JSON" },
	[O_QUIET] = { "quiet", 'q', NULL, "Print only WARN and FAIL findings" },
};

static const struct cli_spec spec = {
	"doctor", "[OPTIONS]",
	"Check the host for what Intel GVT-g vGPUs need and say what to change:\n"
	"the iGPU and its generation, i915's enable_gvt, GuC submission, kvmgt and\n"
	"the vfio modules, stale module lines, the aperture and GGTT, the mdev\n"
	"parent and its types, the auto definitions, the IOMMU, /dev/vfio and the\n"
	"render node, the kernel log, QEMU, libvirt and mdevctl versions, mdevctl's\n"
	"udev rule, and other creators of vGPUs.  One line per finding: PASS,\n"
	"NOTE, WARN or FAIL, the check, what was found, and under WARN and FAIL\n"
	"the fix; then the GVT-g budget as bars.  Exit status 1 when a check FAILs.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_doctor(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;
	if (cli_has(&a, O_DUMPJSON) && cli_has(&a, O_QUIET))
		return cli_usage_error(&spec, "--quiet and --dumpjson cannot be used together");

	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_doctor_report r;
	if (mdk_doctor_run(a.val[O_PARENT], &r, &e) < 0) {
		mdk_error_print(&e);
		mdk_error_clear(&e);
		return EXIT_USAGE;
	}
	char *text = cli_has(&a, O_DUMPJSON) ? mdk_output_doctor_json(&r)
					     : mdk_doctor_text(&r, cli_has(&a, O_QUIET));
	fputs(text, stdout);
	free(text);
	rc = mdk_doctor_failed(&r) ? 1 : 0;
	mdk_doctor_report_free(&r);
	return rc;
}
