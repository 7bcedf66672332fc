// SPDX-License-Identifier: LGPL-2.1-or-later
/* Checks "parent" (registered with the mdev core, its types) and
 * "definitions" (`mdevkit check`'s verdict on the auto definitions). */
#include "doctor-internal.h"
#include "mdevkit/check.h"
#include "mdevkit/env.h"
#include "mdevkit/sysfs.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say_no_parent(struct mdk_doctor_report *r)
{
	struct mdk_error e = MDK_ERROR_INIT;
	char **names = NULL;
	size_t n = 0;

	if (mdk_sysfs_parents(&names, &n, &e) < 0) {
		mdk_doctor_error(r, "parent", "cannot tell the registered mdev parents", &e);
		return;
	}
	struct mdk_buf b = MDK_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		mdk_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	struct mdk_doctor_finding *f =
		n ? mdk_doctor_add(r, MDK_DOCTOR_NOTE, "parent",
				   "no Intel GPU to check; registered mdev parents: %s (check one with "
				   "-p PARENT)", b.data)
		  : mdk_doctor_add(r, MDK_DOCTOR_NOTE, "parent",
				   "no Intel GPU to check and no registered mdev parent");
	mdk_doctor_value_int(f, "parents", (long long)n);
	mdk_buf_free(&b);
	mdk_strv_free(names);
}

static bool gvt_capable(const struct mdk_doctor_ctx *ctx)
{
	return ctx->igpu && !strcmp(ctx->parent, ctx->igpu) &&
	       (!ctx->gen || ctx->gen->support <= MDK_DOCTOR_GVT_NO_WINDOWS);
}

static bool in_mdev_bus(const char *parent)
{
	char *path = mdk_path_parent(parent);
	bool there = access(path, F_OK) == 0;

	free(path);
	return there;
}

static void say_unregistered(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	char *types = mdk_path_parent_types(ctx->parent);
	char *pci = mdk_path_pci_attr(ctx->parent, "");
	struct mdk_doctor_finding *f;

	if (gvt_capable(ctx)) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, "parent",
				   "%s is not registered with the mdev core (no %s): GVT-g is not "
				   "running", ctx->parent, types);
		mdk_doctor_fix(f, "GVT-g registers the iGPU when i915 runs with enable_gvt=1 and "
			       "kvmgt is loaded: follow the enable-gvt, guc and kvmgt findings");
	} else if (ctx->igpu && !strcmp(ctx->parent, ctx->igpu)) {
		f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, "parent",
				   "%s is not registered with the mdev core (this GPU has no GVT-g)",
				   ctx->parent);
	} else if (ctx->parent_arg && access(pci, F_OK) != 0 && !in_mdev_bus(ctx->parent)) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, "parent", "there is no device %s",
				   ctx->parent);
		mdk_doctor_fix(f, "name a parent listed in /sys/class/mdev_bus (mdevkit types "
			       "lists them), e.g. 0000:00:02.0");
	} else {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, "parent",
				   "%s is not registered with the mdev core (no %s)", ctx->parent,
				   types);
		mdk_doctor_fix(f, "load the driver that makes %s an mdev parent, or name a parent "
			       "listed in /sys/class/mdev_bus", ctx->parent);
	}
	mdk_doctor_value_str(f, "parent", ctx->parent);
	free(pci);
	free(types);
}

int mdk_doctor_check_parent(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	struct mdk_error e = MDK_ERROR_INIT;

	if (!ctx->parent) {
		say_no_parent(r);
		return 0;
	}
	int reg = mdk_sysfs_parent_registered(ctx->parent, &e);
	if (reg < 0) {
		mdk_doctor_error(r, "parent", "cannot tell whether the parent is registered", &e);
		return 0;
	}
	if (!reg) {
		say_unregistered(ctx, r);
		return 0;
	}
	ctx->registered = true;

	struct mdk_type_info *types = NULL;
	size_t n = 0;
	if (mdk_sysfs_types(ctx->parent, &types, &n, &e) < 0) {
		mdk_doctor_error(r, "parent", "cannot read the parent's types", &e);
		return 0;
	}
	struct mdk_buf b = MDK_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		mdk_buf_printf(&b, "%s%s", i ? ", " : "", types[i].type);
	struct mdk_doctor_finding *f;
	if (n) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, "parent",
				   "%s is registered with the mdev core: %zu type%s (%s)", ctx->parent,
				   n, n == 1 ? "" : "s", b.data);
	} else {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, "parent",
				   "%s is registered with the mdev core but offers no types",
				   ctx->parent);
		mdk_doctor_fix(f, gvt_capable(ctx)
			       ? "GVT-g shows no type when the aperture leaves nothing for vGPUs: "
				 "follow the aperture finding"
			       : "check the parent driver's kernel log lines");
	}
	mdk_doctor_value_str(f, "parent", ctx->parent);
	mdk_doctor_value_int(f, "types", (long long)n);
	mdk_buf_free(&b);
	mdk_type_infos_free(types, n);
	return 0;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void say_parent_verdict(struct mdk_doctor_report *r, const struct mdk_check_parent *p)
{
	struct mdk_doctor_finding *f = NULL;
	char *prefix;

	switch (p->status) {
	case MDK_CHECK_FITS:
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, "definitions",
				   "%s: %zu auto definition%s fit%s together", p->parent, p->n_defs,
				   plural(p->n_defs), p->n_defs == 1 ? "s" : "");
		break;
	case MDK_CHECK_NO_FIT:
		prefix = mdk_asprintf("%s: the auto definitions do not fit", p->parent);
		f = mdk_doctor_add_reason_fix(r, MDK_DOCTOR_FAIL, "definitions", prefix, p->reason);
		free(prefix);
		break;
	case MDK_CHECK_UNREGISTERED:
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, "definitions",
				   "%s: not registered, so %zu auto definition%s cannot start",
				   p->parent, p->n_defs, plural(p->n_defs));
		mdk_doctor_fix(f, "they start when the parent registers: follow the parent "
			       "finding, or undefine them");
		break;
	case MDK_CHECK_ERROR:
		prefix = mdk_asprintf("%s: cannot check the auto definitions", p->parent);
		f = mdk_doctor_add_reason_fix(r, MDK_DOCTOR_WARN, "definitions", prefix, p->reason);
		free(prefix);
		break;
	}
	mdk_doctor_value_str(f, "parent", p->parent);
	mdk_doctor_value_int(f, "auto_definitions", (long long)p->n_defs);
	if (p->gvt && p->min_aperture_mib)
		mdk_doctor_value_int(f, "min_aperture_mib", (long long)p->min_aperture_mib);
	for (size_t i = 0; i < p->n_defs; i++) {
		const struct mdk_check_def *d = &p->defs[i];
		if (!d->problem)
			continue;
		char *pre = mdk_asprintf("%s %s on %s", d->uuid, d->type, p->parent);
		struct mdk_doctor_finding *g =
			mdk_doctor_add_reason_fix(r, MDK_DOCTOR_FAIL, "definitions", pre, d->problem);
		mdk_doctor_value_str(g, "uuid", d->uuid);
		free(pre);
	}
}

int mdk_doctor_check_definitions(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_check_report rep;

	if (mdk_check(ctx->parent_arg, &rep, &e) < 0) {
		mdk_doctor_error(r, "definitions", "cannot check the auto definitions", &e);
		return 0;
	}
	size_t shown = 0;
	for (size_t i = 0; i < rep.n; i++) {
		if (!rep.v[i].n_defs)
			continue;
		say_parent_verdict(r, &rep.v[i]);
		shown++;
	}
	if (!shown) {
		char *store = mdk_path_store();
		mdk_doctor_add(r, MDK_DOCTOR_NOTE, "definitions",
			       "no auto-start definitions%s%s in %s: nothing starts at boot",
			       ctx->parent_arg ? " of " : "", ctx->parent_arg ? ctx->parent_arg : "",
			       store);
		free(store);
	}
	mdk_check_report_free(&rep);
	return 0;
}
