// SPDX-License-Identifier: LGPL-2.1-or-later
/* `mdevkit check` and the udev helper's summary: do the auto definitions
 * of a parent fit?  GVT-g parents are judged by gvt.h; the generic part
 * for other parents lives here. */
#include "gvt-internal.h"
#include "mdevkit/check.h"
#include "mdevkit/config.h"
#include "mdevkit/names.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

static void parent_free(struct mdk_check_parent *p)
{
	for (size_t i = 0; i < p->n_defs; i++) {
		free(p->defs[i].type);
		free(p->defs[i].problem);
	}
	free(p->defs);
	free(p->parent);
	free(p->reason);
	free(p->warning);
}

void mdk_check_report_free(struct mdk_check_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		parent_free(&r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

bool mdk_check_all_fit(const struct mdk_check_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].status == MDK_CHECK_NO_FIT || r->v[i].status == MDK_CHECK_ERROR)
			return false;
	return true;
}

/* ---- parents that are not GVT-g ------------------------------------------------ */

/* running devices of parent with this type */
static unsigned running_of(const struct mdk_mdevs *active, const char *parent, const char *type)
{
	unsigned n = 0;

	for (size_t i = 0; i < active->n; i++)
		n += !strcmp(active->v[i].parent, parent) && !strcmp(active->v[i].type, type);
	return n;
}

static void check_generic(struct mdk_check_parent *cp)
{
	struct mdk_mdevs active = MDK_MDEVS_INIT;
	struct mdk_error e = MDK_ERROR_INIT;
	size_t bad = 0;

	if (mdk_sysfs_active(&active, &e) < 0) {
		cp->status = MDK_CHECK_ERROR;
		char *why = mdk_error_oneline(&e);
		cp->reason = mdk_asprintf("%s; check that sysfs is mounted and readable", why);
		free(why);
		mdk_error_clear(&e);
		return;
	}
	for (size_t i = 0; i < cp->n_defs; i++) {
		struct mdk_check_def *d = &cp->defs[i];
		long long avail;
		int exists = 0;
		if (mdk_name_check(MDK_NAME_TYPE, d->type, &e) < 0) {
			d->problem = mdk_asprintf("%s", mdk_error_msg(&e));
			mdk_error_clear(&e);
		} else if ((exists = mdk_sysfs_type_exists(cp->parent, d->type, &e)) == 0) {
			d->problem = mdk_asprintf("%s has no type %s; pick a type that `mdevkit types "
						  "-p %s` lists", cp->parent, d->type, cp->parent);
		} else if (exists < 0 || mdk_sysfs_available(cp->parent, d->type, &avail, &e) < 0) {
			char *why = mdk_error_oneline(&e);
			d->problem = mdk_asprintf("%s; check the type's sysfs files", why);
			free(why);
			mdk_error_clear(&e);
		} else {
			/* definitions of this type up to this one, against what an
			 * idle parent would offer as far as sysfs tells */
			unsigned want = 0;
			for (size_t k = 0; k <= i; k++)
				want += !strcmp(cp->defs[k].type, d->type);
			long long offer = avail + running_of(&active, cp->parent, d->type);
			if ((long long)want > offer)
				d->problem = mdk_asprintf("it is auto definition %u of %s and %s offers %lld "
							  "when idle; make it manual or pick another type",
							  want, d->type, cp->parent, offer);
		}
		bad += d->problem != NULL;
	}
	mdk_mdevs_free(&active);
	if (bad) {
		cp->status = MDK_CHECK_NO_FIT;
		cp->reason = mdk_asprintf("%zu of %zu auto definitions cannot start on this parent; fix "
					  "or undefine the definitions listed below", bad, cp->n_defs);
	}
}

/* ---- one parent ------------------------------------------------------------------ */

static void check_gvt(struct mdk_check_parent *cp, const struct mdk_gvt_probe *p,
		      const struct mdk_def *const *autos)
{
	struct mdk_gvt_def *defs = mdk_calloc(cp->n_defs + 1, sizeof(*defs));
	struct mdk_gvt_defs_report v;

	cp->gvt = true;
	cp->aperture_mib = p->host.aperture_mib;
	cp->ggtt_mib = p->host.ggtt_mib;
	cp->ggtt_configured = p->ggtt_configured;
	for (size_t i = 0; i < cp->n_defs; i++)
		defs[i] = (struct mdk_gvt_def){ autos[i]->uuid, &autos[i]->config, NULL };
	mdk_gvt_check_defs(p, cp->parent, defs, cp->n_defs, &v);
	for (size_t i = 0; i < cp->n_defs; i++)
		cp->defs[i].problem = defs[i].problem;
	cp->status = v.fits ? MDK_CHECK_FITS : MDK_CHECK_NO_FIT;
	cp->reason = v.reason;
	cp->warning = v.warning;
	cp->min_aperture_mib = v.min_aperture_mib;
	free(defs);
}

/* autos: the parent's auto definitions, sorted by uuid */
static void check_parent(const char *parent, const struct mdk_def *const *autos, size_t n,
			 struct mdk_check_parent *cp)
{
	struct mdk_gvt_probe p;
	struct mdk_error e = MDK_ERROR_INIT;

	memset(cp, 0, sizeof(*cp));
	cp->parent = mdk_strdup(parent);
	cp->defs = mdk_calloc(n + 1, sizeof(*cp->defs));
	cp->n_defs = n;
	for (size_t i = 0; i < n; i++) {
		memcpy(cp->defs[i].uuid, autos[i]->uuid, sizeof(cp->defs[i].uuid));
		cp->defs[i].type = mdk_strdup(autos[i]->config.type ? autos[i]->config.type : "");
	}
	if (mdk_gvt_probe(parent, &p, &e) < 0) {
		cp->status = MDK_CHECK_ERROR;
		cp->gvt = p.kind == MDK_GVT_PARENT;
		cp->reason = mdk_gvt_msg_facts(&e);
		mdk_error_clear(&e);
		return;
	}
	if (p.kind == MDK_GVT_UNREGISTERED)
		cp->status = MDK_CHECK_UNREGISTERED;
	else if (p.kind == MDK_GVT_PARENT)
		check_gvt(cp, &p, autos);
	else
		check_generic(cp);
	mdk_gvt_probe_free(&p);
}

static int def_cmp(const void *a, const void *b)
{
	const struct mdk_def *x = *(const struct mdk_def *const *)a;
	const struct mdk_def *y = *(const struct mdk_def *const *)b;
	int c = strcmp(x->parent, y->parent);

	return c ? c : strcmp(x->uuid, y->uuid);
}

int mdk_check(const char *parent, struct mdk_check_report *out, struct mdk_error *e)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	struct mdk_check_report r = { NULL, 0 };
	/* the scan checks the parent's name */
	int rc = mdk_store_scan(parent, NULL, &defs, e);

	if (rc < 0)
		return rc;
	/* every definition in order; the auto ones grouped by parent */
	const struct mdk_def **all = mdk_calloc(defs.n + 1, sizeof(*all));
	for (size_t i = 0; i < defs.n; i++)
		all[i] = &defs.v[i];
	qsort(all, defs.n, sizeof(*all), def_cmp);
	const struct mdk_def **autos = mdk_calloc(defs.n + 1, sizeof(*autos));
	for (size_t i = 0; i < defs.n || (parent && r.n == 0);) {
		const char *name = i < defs.n ? all[i]->parent : parent;
		size_t n = 0;
		for (; i < defs.n && !strcmp(all[i]->parent, name); i++)
			if (all[i]->config.autostart)
				autos[n++] = all[i];
		r.v = mdk_reallocarray(r.v, r.n + 1, sizeof(*r.v));
		check_parent(name, autos, n, &r.v[r.n++]);
	}
	free(autos);
	free(all);
	mdk_defs_free(&defs);
	*out = r;
	return 0;
}

int mdk_check_summary(const char *parent, struct mdk_check_summary *s, struct mdk_error *e)
{
	struct mdk_check_report r;

	memset(s, 0, sizeof(*s));
	int rc = mdk_check(parent, &r, e);
	if (rc < 0)
		return rc;
	const struct mdk_check_parent *p = &r.v[0];
	s->registered = p->status != MDK_CHECK_UNREGISTERED;
	s->gvt = p->gvt;
	s->aperture_mib = p->gvt ? p->aperture_mib : 0;
	s->n_auto = p->n_defs;
	s->fits = p->status == MDK_CHECK_FITS;
	mdk_check_report_free(&r);
	return 0;
}
