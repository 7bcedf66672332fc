// SPDX-License-Identifier: LGPL-2.1-or-later
/* The doctor's text: one line per finding, the fix under WARN and FAIL,
 * and the GVT-g budget as bars.  Made to paste into a bug report: fixed
 * columns, plain ASCII, no colour. */
#include "mdevkit/doctor.h"
#include "mdevkit/util.h"

#include <stdlib.h>

#define CHECK_COLUMN 16
#define BAR_CELLS 32

static void add_finding(struct mdk_buf *b, const struct mdk_doctor_finding *f)
{
	mdk_buf_printf(b, "%s  %-*s %s\n", mdk_doctor_level_name(f->level), CHECK_COLUMN - 1,
		       f->check, f->found);
	if (f->fix && f->level >= MDK_DOCTOR_WARN)
		mdk_buf_printf(b, "      fix: %s\n", f->fix);
}

/* cells of the bar up to amount x of total, rounded */
static unsigned long long cells(unsigned long long x, unsigned long long total)
{
	return total ? (x * BAR_CELLS + total / 2) / total : 0;
}

static void add_bar(struct mdk_buf *b, const struct mdk_doctor_budget *g, enum mdk_gvt_res res,
		    const char *unit)
{
	unsigned long long host = g->host[res], used = g->used[res], free = g->free[res];
	unsigned long long total = host + used + free;
	unsigned long long h = cells(host, total), u = cells(host + used, total) - h;

	mdk_buf_printf(b, "  %-10s [", mdk_gvt_res_name(res));
	for (unsigned long long i = 0; i < BAR_CELLS; i++)
		mdk_buf_adds(b, i < h ? "=" : i < h + u ? "#" : ".");
	mdk_buf_printf(b, "] host %llu, vGPUs %llu, free %llu of %llu%s\n", host, used, free, total,
		       unit);
}

char *mdk_doctor_bars(const struct mdk_doctor_budget *g)
{
	struct mdk_buf b = MDK_BUF_INIT;

	if (!g->present)
		return mdk_buf_steal(&b);
	mdk_buf_printf(&b, "GVT-g budget of %s (= held by the host, # used by vGPUs, . free):\n",
		       g->parent ? g->parent : "the iGPU");
	add_bar(&b, g, MDK_GVT_RES_APERTURE, " MiB");
	add_bar(&b, g, MDK_GVT_RES_HIDDEN, " MiB");
	add_bar(&b, g, MDK_GVT_RES_FENCES, "");
	add_bar(&b, g, MDK_GVT_RES_VGPUS, "");
	return mdk_buf_steal(&b);
}

char *mdk_doctor_text(const struct mdk_doctor_report *r, bool quiet)
{
	struct mdk_buf b = MDK_BUF_INIT;

	for (size_t i = 0; i < r->n; i++)
		if (!quiet || r->v[i]->level >= MDK_DOCTOR_WARN)
			add_finding(&b, r->v[i]);
	if (!quiet && r->budget.present) {
		char *bars = mdk_doctor_bars(&r->budget);
		mdk_buf_printf(&b, "\n%s", bars);
		free(bars);
	}
	return mdk_buf_steal(&b);
}
