// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Checks "aperture" (PCI BAR 2 and the GGTT against gvt.conf: which types
 * fit, the firmware setting to raise) and "available" (the kernel's
 * available_instances against the GVT-g model, and the budget bars).
 * Every number comes from the GVT-g model of gvt.h; nothing here redoes
 * its arithmetic.
 *
 * Where the kernel and the model disagree, the model gives way only where
 * it rests on an assumption: the GGTT size (ggtt_mib) and the aperture the
 * host uses beyond its fixed 128 MiB (a desktop on the iGPU).  The slot
 * and fence limits are the kernel's constants and do not give way.
 */
#include "doctor-internal.h"
#include "gvt-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/sysfs.h"

#include <stdlib.h>
#include <string.h>

static bool gvt_capable(const struct mdk_doctor_ctx *ctx)
{
	return ctx->igpu && (!ctx->gen || ctx->gen->support <= MDK_DOCTOR_GVT_NO_WINDOWS);
}

/* The power of two a firmware offers that is at least mib. */
static unsigned long long bar_size(unsigned long long mib)
{
	unsigned long long s = 128;

	while (s < mib)
		s *= 2;
	return s;
}

static void say_types(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r, const char *ggtt_src)
{
	const struct mdk_gvt_host *h = &ctx->host;
	struct mdk_gvt_set none;
	struct mdk_buf shown = MDK_BUF_INIT, hidden = MDK_BUF_INIT;
	size_t n_hidden = 0;

	memset(&none, 0, sizeof(none));
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		char *name = mdk_gvt_type_name(h->version, i);
		if (mdk_gvt_visible(h, i)) {
			mdk_buf_printf(&shown, "%s%s x%lld", shown.len ? ", " : "", name,
				       mdk_gvt_available(h, &none, i));
		} else {
			mdk_buf_printf(&hidden, "%s%s (it needs %llu MiB)", hidden.len ? ", " : "",
				       name, mdk_gvt_type_min_aperture(i));
			n_hidden++;
		}
		free(name);
	}
	struct mdk_doctor_finding *f =
		mdk_doctor_add(r, MDK_DOCTOR_PASS, "aperture",
			       "aperture %llu MiB (PCI BAR 2), GGTT %llu MiB (%s): on an idle GPU %s",
			       h->aperture_mib, h->ggtt_mib, ggtt_src, shown.data);
	mdk_doctor_value_int(f, "aperture_mib", (long long)h->aperture_mib);
	mdk_doctor_value_int(f, "ggtt_mib", (long long)h->ggtt_mib);
	mdk_doctor_value_int(f, "ggtt_configured", ctx->ggtt_configured);
	if (n_hidden) {
		unsigned long long all = bar_size(mdk_gvt_type_min_aperture(MDK_GVT_NTYPES - 1));
		f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, "aperture",
				   "the aperture is too small to show %s; "
				   "raise %s to %llu MiB to show all four",
				   hidden.data, MDK_GVT_FIRMWARE_SETTING, all);
		mdk_doctor_value_int(f, "show_all_aperture_mib", (long long)all);
	}
	mdk_buf_free(&shown);
	mdk_buf_free(&hidden);
}

int mdk_doctor_check_aperture(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	struct mdk_error e = MDK_ERROR_INIT;
	char *text = NULL;

	if (!gvt_capable(ctx))
		return 0;
	if (mdk_sysfs_read_pci_attr(ctx->igpu, "resource", &text, &e) < 0) {
		mdk_doctor_error(r, "aperture", "cannot read the aperture (PCI BAR 2)", &e);
		return 0;
	}
	int rc = mdk_gvt_parse_resource(text, &ctx->host.aperture_mib, &e);
	free(text);
	if (rc < 0) {
		mdk_doctor_error(r, "aperture", "cannot read the aperture (PCI BAR 2)", &e);
		return 0;
	}
	if (mdk_gvt_conf_ggtt(&ctx->host.ggtt_mib, &ctx->ggtt_configured, &e) < 0) {
		mdk_doctor_error(r, "aperture", "cannot read the GGTT size", &e);
		return 0;
	}
	ctx->host.version = mdk_gvt_version_of_gen(ctx->gen ? ctx->gen->gen : 9);
	ctx->host_known = true;

	char *conf = mdk_path_gvt_conf();
	char *ggtt_src = ctx->ggtt_configured ? mdk_asprintf("ggtt_mib in %s", conf)
					      : mdk_asprintf("the default; %s can set it", conf);
	enum mdk_gvt_host_problem problem = mdk_gvt_host_check(&ctx->host);
	if (problem != MDK_GVT_HOST_OK) {
		char *msg = mdk_gvt_msg_host(&ctx->host, problem);
		char *prefix = mdk_asprintf("aperture %llu MiB (PCI BAR 2), GGTT %llu MiB (%s)",
					    ctx->host.aperture_mib, ctx->host.ggtt_mib, ggtt_src);
		struct mdk_doctor_finding *f =
			mdk_doctor_add_reason_fix(r, MDK_DOCTOR_FAIL, "aperture", prefix, msg);
		mdk_doctor_value_int(f, "aperture_mib", (long long)ctx->host.aperture_mib);
		mdk_doctor_value_int(f, "ggtt_mib", (long long)ctx->host.ggtt_mib);
		free(prefix);
		free(msg);
	} else {
		say_types(ctx, r, ggtt_src);
	}
	free(ggtt_src);
	free(conf);
	return 0;
}

/* ---- available_instances against the model ---------------------------------------- */

struct counts {
	long long live[MDK_GVT_NTYPES];         /* the kernel's, -1: no such type */
	long long model[MDK_GVT_NTYPES];        /* the model's, -1: hidden */
	struct mdk_gvt_budget budget[MDK_GVT_NTYPES];
};

/* The model's count of entry i when the host holds `extra` MiB of
 * aperture beyond its fixed share: the free aperture is smaller, nothing
 * else changes. */
static long long with_extra(const struct counts *c, size_t i, unsigned long long extra)
{
	const struct mdk_gvt_budget *b = &c->budget[i];
	const struct mdk_gvt_amount *f = &b->free;
	unsigned long long ap = f->v[MDK_GVT_RES_APERTURE];
	unsigned long long v = (ap > extra ? ap - extra : 0) / b->share.v[MDK_GVT_RES_APERTURE];
	unsigned long long h = f->v[MDK_GVT_RES_HIDDEN] / b->share.v[MDK_GVT_RES_HIDDEN];
	unsigned long long fe = f->v[MDK_GVT_RES_FENCES] / b->share.v[MDK_GVT_RES_FENCES];

	v = v < h ? v : h;
	return (long long)(v < fe ? v : fe);
}

/* The least aperture the host must hold beyond its 128 MiB for every
 * count the kernel shows; 0 when no amount explains them. */
static unsigned long long host_holds(const struct counts *c)
{
	unsigned long long free_ap = c->budget[0].free.v[MDK_GVT_RES_APERTURE];

	for (unsigned long long x = 1; x <= free_ap; x++) {
		bool all = true;
		for (size_t i = 0; i < MDK_GVT_NTYPES && all; i++)
			if (c->live[i] >= 0 && c->model[i] >= 0)
				all = with_extra(c, i, x) == c->live[i];
		if (all)
			return x;
	}
	return 0;
}

static void fill_budget(struct mdk_doctor_report *r, const char *parent,
			const struct mdk_gvt_probe *p, unsigned long long extra)
{
	struct mdk_doctor_budget *g = &r->budget;
	struct mdk_gvt_amount pool, used;

	mdk_gvt_pools(&p->host, &pool);
	mdk_gvt_need(&p->running, &used);
	free(g->parent);
	memset(g, 0, sizeof(*g));
	g->present = true;
	g->parent = mdk_strdup(parent);
	g->host[MDK_GVT_RES_APERTURE] = MDK_GVT_HOST_APERTURE_MIB + extra;
	g->host[MDK_GVT_RES_HIDDEN] = MDK_GVT_HOST_HIDDEN_MIB;
	g->host[MDK_GVT_RES_FENCES] = MDK_GVT_HOST_FENCES;
	for (int k = 0; k < MDK_GVT_NRES; k++) {
		g->used[k] = used.v[k];
		unsigned long long taken = used.v[k] + (k == MDK_GVT_RES_APERTURE ? extra : 0);
		g->free[k] = pool.v[k] > taken ? pool.v[k] - taken : 0;
	}
}

static void budget_values(struct mdk_doctor_finding *f, const struct mdk_doctor_budget *g)
{
	mdk_doctor_value_int(f, "aperture_free_mib", (long long)g->free[MDK_GVT_RES_APERTURE]);
	mdk_doctor_value_int(f, "hidden_free_mib", (long long)g->free[MDK_GVT_RES_HIDDEN]);
	mdk_doctor_value_int(f, "fences_free", (long long)g->free[MDK_GVT_RES_FENCES]);
	mdk_doctor_value_int(f, "slots_free", (long long)g->free[MDK_GVT_RES_VGPUS]);
	mdk_doctor_value_int(f, "host_aperture_mib", (long long)g->host[MDK_GVT_RES_APERTURE]);
}

/* "i915-GVTg_V5_8 7, i915-GVTg_V5_4 5": the counts of the types shown */
static char *count_list(const struct mdk_gvt_host *h, const long long *v)
{
	struct mdk_buf b = MDK_BUF_INIT;

	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		if (v[i] < 0)
			continue;
		char *name = mdk_gvt_type_name(h->version, i);
		mdk_buf_printf(&b, "%s%s %lld", b.len ? ", " : "", name, v[i]);
		free(name);
	}
	return mdk_buf_steal(&b);
}

/* The kernel offers more than the free slots hold: the model keeps its
 * number, the slot limit does not depend on the GGTT. */
static bool say_slots(struct mdk_doctor_report *r, const struct mdk_gvt_probe *p,
		      const struct counts *c)
{
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		unsigned long long slots = c->budget[i].free.v[MDK_GVT_RES_VGPUS];
		if (c->live[i] < 0 || c->model[i] < 0 || c->live[i] <= (long long)slots)
			continue;
		char *name = mdk_gvt_type_name(p->host.version, i);
		struct mdk_doctor_finding *f =
			mdk_doctor_add(r, MDK_DOCTOR_WARN, "available",
				       "the kernel shows %lld available instances of %s but only %llu "
				       "of GVT-g's %llu vGPU slots are free; the model keeps %lld (the "
				       "slot limit does not depend on the GGTT size)",
				       c->live[i], name, slots, MDK_GVT_MAX_VGPUS, c->model[i]);
		mdk_doctor_fix(f, "expect at most %llu more vGPUs on this GPU; a create beyond "
			       "that fails, whatever available_instances says", slots);
		mdk_doctor_value_int(f, "live", c->live[i]);
		mdk_doctor_value_int(f, "model", c->model[i]);
		free(name);
		return true;
	}
	return false;
}

/* The counts differ: name what explains it, or the assumption that may be wrong. */
static void say_disagreement(struct mdk_doctor_report *r, const char *parent,
			     const struct mdk_gvt_probe *p, const struct counts *c)
{
	char *live = count_list(&p->host, c->live), *model = count_list(&p->host, c->model);
	struct mdk_doctor_finding *f;

	if (say_slots(r, p, c))
		goto out;

	bool fewer = true;
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		if (c->live[i] > c->model[i])
			fewer = false;
	unsigned long long extra = fewer ? host_holds(c) : 0;
	if (extra) {
		fill_budget(r, parent, p, extra);
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, "available",
				   "the kernel offers %s and the model %s: the host holds at least "
				   "%llu MiB of aperture beyond its %llu MiB (a desktop session on the "
				   "iGPU)", live, model, extra, MDK_GVT_HOST_APERTURE_MIB);
		mdk_doctor_fix(f, "start the vGPUs before the display manager (mdevkit's boot unit "
			       "runs before it), or run the host headless");
		mdk_doctor_value_int(f, "host_extra_aperture_mib", (long long)extra);
		budget_values(f, &r->budget);
		goto out;
	}
	struct mdk_gvt_crosscheck cc;
	memset(&cc, 0, sizeof(cc));
	if (!p->n_vgpus && mdk_gvt_compare_counts(&p->host, c->live, &cc)) {
		char *msg = mdk_gvt_msg_crosscheck(&p->host, &cc);
		f = mdk_doctor_add_reason_fix(r, MDK_DOCTOR_WARN, "available", NULL, msg);
		mdk_doctor_value_int(f, "suggested_ggtt_mib", (long long)cc.suggested_ggtt);
		free(msg);
		mdk_gvt_crosscheck_free(&cc);
	} else {
		char *conf = mdk_path_gvt_conf();
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, "available",
				   "the kernel offers %s and the model %s with %zu vGPU%s running",
				   live, model, p->n_vgpus, p->n_vgpus == 1 ? "" : "s");
		mdk_doctor_fix(f, "the model assumes the aperture of PCI BAR 2 (%llu MiB) and a "
			       "GGTT of %llu MiB (ggtt_mib in %s); set ggtt_mib to this GPU's GGTT "
			       "size if it differs", p->host.aperture_mib, p->host.ggtt_mib, conf);
		free(conf);
	}
	budget_values(f, &r->budget);
out:
	free(live);
	free(model);
}

static void say_other(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_type_info *types = NULL;
	size_t n = 0;

	if (mdk_sysfs_types(ctx->parent, &types, &n, &e) < 0) {
		mdk_doctor_error(r, "available", "cannot read the types", &e);
		return;
	}
	struct mdk_buf b = MDK_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		mdk_buf_printf(&b, "%s%s %lld", i ? ", " : "", types[i].type, types[i].available);
	if (n)
		mdk_doctor_add(r, MDK_DOCTOR_PASS, "available",
			       "%s is not a GVT-g parent; available_instances: %s", ctx->parent,
			       b.data);
	mdk_buf_free(&b);
	mdk_type_infos_free(types, n);
}

int mdk_doctor_check_available(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_gvt_probe p;

	if (!ctx->registered)
		return 0;
	if (mdk_gvt_probe(ctx->parent, &p, &e) < 0) {
		mdk_doctor_error(r, "available", "cannot model the parent", &e);
		mdk_gvt_probe_free(&p);
		return 0;
	}
	if (p.kind != MDK_GVT_PARENT) {
		say_other(ctx, r);
		mdk_gvt_probe_free(&p);
		return 0;
	}
	if (mdk_gvt_host_check(&p.host) != MDK_GVT_HOST_OK) {
		mdk_gvt_probe_free(&p);         /* the aperture finding says why */
		return 0;
	}

	struct counts c;
	bool differ = false, gap = false;
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		char *type = mdk_gvt_type_name(p.host.version, i);
		long long live = -1;
		int rc = mdk_sysfs_type_exists(ctx->parent, type, &e);
		if (rc > 0)
			rc = mdk_sysfs_available(ctx->parent, type, &live, &e);
		if (rc < 0) {
			char *what = mdk_asprintf("cannot read available_instances of %s", type);
			mdk_doctor_error(r, "available", what, &e);
			free(what);
			free(type);
			mdk_gvt_probe_free(&p);
			return 0;
		}
		free(type);
		c.live[i] = live;
		c.model[i] = mdk_gvt_available(&p.host, &p.running, i);
		mdk_gvt_budget(&p.host, &p.running, i, &c.budget[i]);
		if ((c.live[i] < 0) != (c.model[i] < 0) && !gap) {
			struct mdk_gvt_crosscheck cc = { .gap = MDK_GVT_GAP_VISIBLE, .index = i,
							 .shown = c.live[i] >= 0 };
			char *msg = mdk_gvt_msg_crosscheck(&p.host, &cc);
			mdk_doctor_add_reason_fix(r, MDK_DOCTOR_WARN, "available", NULL, msg);
			free(msg);
			gap = true;
		}
		if (c.live[i] >= 0 && c.model[i] >= 0 && c.live[i] != c.model[i])
			differ = true;
	}
	fill_budget(r, ctx->parent, &p, 0);
	if (differ) {
		say_disagreement(r, ctx->parent, &p, &c);
	} else if (!gap) {
		char *counts = count_list(&p.host, c.live);
		struct mdk_doctor_finding *f =
			mdk_doctor_add(r, MDK_DOCTOR_PASS, "available",
				       "available_instances agree with the model (%zu vGPU%s "
				       "running): %s", p.n_vgpus, p.n_vgpus == 1 ? "" : "s", counts);
		budget_values(f, &r->budget);
		free(counts);
	}
	mdk_gvt_probe_free(&p);
	return 0;
}
