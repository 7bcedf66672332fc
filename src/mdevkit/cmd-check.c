// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit check [-p PARENT] [--dumpjson]: do the auto definitions fit the
 * hardware?  One line per parent, then indented details; exit 0 when
 * every parent that could be checked fits. */
#include "cli.h"

#include "mdevkit/check.h"
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
	opts, sizeof(opts) / sizeof(opts[0]), NULL,
};

static void print_parent(const struct mdk_check_parent *p)
{
	switch (p->status) {
	case MDK_CHECK_FITS:
		if (p->n_defs)
			printf("%s: fits (%zu auto definition%s)\n", p->parent, p->n_defs,
			       p->n_defs == 1 ? "" : "s");
		else
			printf("%s: fits (no auto definitions)\n", p->parent);
		break;
	case MDK_CHECK_NO_FIT:
		printf("%s: does not fit: %s\n", p->parent, p->reason);
		break;
	case MDK_CHECK_UNREGISTERED:
		printf("%s: not registered for mdev, %zu auto definition%s not checked\n", p->parent,
		       p->n_defs, p->n_defs == 1 ? "" : "s");
		break;
	case MDK_CHECK_ERROR:
		printf("%s: cannot tell: %s\n", p->parent, p->reason);
		break;
	}
	if (p->gvt && p->status != MDK_CHECK_ERROR) {
		printf("  GVT-g: aperture %llu MiB, GGTT %llu MiB%s", p->aperture_mib, p->ggtt_mib,
		       p->ggtt_configured ? " (from gvt.conf)" : "");
		if (p->min_aperture_mib)
			printf(", smallest aperture that fits them: %llu MiB\n", p->min_aperture_mib);
		else if (p->n_defs)
			printf(", no aperture fits them\n");
		else
			printf("\n");
	}
	for (size_t i = 0; i < p->n_defs; i++) {
		const struct mdk_check_def *d = &p->defs[i];
		if (d->problem)
			printf("  %s %s: %s\n", d->uuid, d->type, d->problem);
		else
			printf("  %s %s\n", d->uuid, d->type);
	}
	if (p->warning)
		printf("  warning: %s\n", p->warning);
}

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
	if (cli_has(&a, O_DUMPJSON)) {
		char *text = mdk_check_json(&r);
		printf("%s\n", text);
		free(text);
	} else {
		for (size_t i = 0; i < r.n; i++)
			print_parent(&r.v[i]);
	}
	rc = mdk_check_all_fit(&r) ? 0 : 1;
	mdk_check_report_free(&r);
	return rc;
}
