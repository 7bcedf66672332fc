// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every text mdevkit-gvt and `mdevkit check` say about GVT-g, in one place.
 *
 * A refusal is one line:  cannot <action> <uuid> (<type>) on <parent>: <reason>; <fix>
 * a warning is one line:  warning: <action> <uuid> (<type>) on <parent>: <reason>; <fix>
 * The functions below build the "<reason>; <fix>" part from the model's
 * verdicts (gvt-internal.h); the numbers come from the model, no budget
 * is computed here.  Amounts are in MiB (aperture, hidden GM) or plain
 * counts (fences, vGPU slots).
 */
#include "gvt-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIRMWARE MDK_GVT_FIRMWARE_SETTING

char *mdk_gvt_msg_line(char *s)
{
	char *line = mdk_str_excerpt(s, SIZE_MAX);

	free(s);
	return line;
}

char *mdk_gvt_msg_refusal(const char *action, const char *uuid, const char *type,
			  const char *parent, const char *reason_fix)
{
	return mdk_gvt_msg_line(mdk_asprintf("cannot %s %s (%s) on %s: %s", action, uuid, type, parent,
				     reason_fix));
}

char *mdk_gvt_msg_warning(const char *action, const char *uuid, const char *type,
			  const char *parent, const char *reason_fix)
{
	return mdk_gvt_msg_line(mdk_asprintf("warning: %s %s (%s) on %s: %s", action, uuid, type, parent,
				     reason_fix));
}

const char *mdk_gvt_res_name(enum mdk_gvt_res r)
{
	static const char *const names[MDK_GVT_NRES] = {
		[MDK_GVT_RES_VGPUS] = "vGPU slots",
		[MDK_GVT_RES_APERTURE] = "aperture",
		[MDK_GVT_RES_HIDDEN] = "hidden GM",
		[MDK_GVT_RES_FENCES] = "fences",
	};
	return (unsigned)r < MDK_GVT_NRES ? names[r] : "?";
}

/* "512 MiB" or "3": an amount of resource r */
static char *amount_text(enum mdk_gvt_res r, unsigned long long v)
{
	if (r == MDK_GVT_RES_APERTURE || r == MDK_GVT_RES_HIDDEN)
		return mdk_asprintf("%llu MiB", v);
	return mdk_asprintf("%llu", v);
}

/* "i915-GVTg_V5_8, i915-GVTg_V5_4" : the types this host shows */
static char *visible_list(const struct mdk_gvt_host *h)
{
	struct mdk_buf b = MDK_BUF_INIT;
	unsigned v = h->version ? h->version : 5;

	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		if (!mdk_gvt_visible(h, i))
			continue;
		char *name = mdk_gvt_type_name(v, i);
		mdk_buf_printf(&b, "%s%s", b.len ? ", " : "", name);
		free(name);
	}
	return mdk_buf_steal(&b);
}

static char *conf_path(void)
{
	return mdk_path_gvt_conf();
}

char *mdk_gvt_msg_unregistered(const char *parent)
{
	return mdk_asprintf("%s is not registered for mdev (it has no mdev_supported_types); boot "
			    "with i915.enable_gvt=1 and load kvmgt, or pick a registered parent", parent);
}

char *mdk_gvt_msg_not_gvt(const char *parent)
{
	return mdk_asprintf("%s is not an i915 GVT-g parent; pick the Intel GPU's parent "
			    "(usually 0000:00:02.0)", parent);
}

static char *msg_unknown_type(const char *type, const struct mdk_gvt_host *h)
{
	char *list = visible_list(h);
	char *s = mdk_asprintf("%s is not a GVT-g type; pick one of %s", type, list);

	free(list);
	return s;
}

static char *msg_wrong_version(const char *type, const struct mdk_gvt_host *h, size_t index)
{
	char *right = mdk_gvt_type_name(h->version, index);
	char *s = h->version == 5 ?
		mdk_asprintf("%s is a type of generation 8 GPUs (Broadwell) and this GPU shows "
			     "i915-GVTg_V5_* types; pick %s", type, right) :
		mdk_asprintf("%s is a type of generation 9 and later GPUs and this GPU (Broadwell) "
			     "shows i915-GVTg_V4_* types; pick %s", type, right);

	free(right);
	return s;
}

static char *msg_hidden_type(const char *type, const struct mdk_gvt_host *h,
			     unsigned long long show_aperture)
{
	char *list = visible_list(h);
	char *s = mdk_asprintf("%s needs a GPU aperture of at least %llu MiB and this GPU has %llu "
			       "MiB; raise " FIRMWARE ", or pick a type that fits: %s", type,
			       show_aperture, h->aperture_mib, list);

	free(list);
	return s;
}

static char *msg_attributes(const struct mdk_config *c)
{
	struct mdk_buf names = MDK_BUF_INIT;

	for (size_t i = 0; i < c->n_attrs; i++)
		mdk_buf_printf(&names, "%s%s", i ? ", " : "", c->attrs[i].name);
	char *list = mdk_buf_steal(&names);
	char *s = mdk_asprintf("GVT-g vGPUs have no attributes and %zu %s given (%s); remove %s "
			       "from the definition", c->n_attrs, c->n_attrs == 1 ? "is" : "are",
			       list, c->n_attrs == 1 ? "it" : "them");
	free(list);
	return s;
}

/* ", or lower|raise "GPU aperture size" in firmware setup to N MiB" */
static char *aperture_advice(const struct mdk_gvt_host *h, unsigned long long min_aperture)
{
	if (!min_aperture || min_aperture == h->aperture_mib)
		return mdk_strdup("");
	return mdk_asprintf(", or %s " FIRMWARE " to %llu MiB",
			    min_aperture < h->aperture_mib ? "lower" : "raise", min_aperture);
}

static char *msg_never_fits(const char *type, const struct mdk_gvt_host *h,
			    const struct mdk_gvt_fit *f, unsigned long long min_aperture)
{
	char *need = amount_text(f->binding, f->need);
	char *pool = amount_text(f->binding, f->pool);
	char *advice = aperture_advice(h, min_aperture);
	char *s = mdk_asprintf("%s needs %s of %s and this GPU has %s for vGPUs even with none "
			       "running; pick a smaller type%s", type, need,
			       mdk_gvt_res_name(f->binding), pool, advice);

	free(need);
	free(pool);
	free(advice);
	return s;
}

char *mdk_gvt_msg_device(const char *type, const struct mdk_gvt_host *h,
			 const struct mdk_config *c, const struct mdk_gvt_device_verdict *v)
{
	switch (v->problem) {
	case MDK_GVT_DEVICE_UNKNOWN_TYPE: return msg_unknown_type(type, h);
	case MDK_GVT_DEVICE_WRONG_VERSION: return msg_wrong_version(type, h, v->index);
	case MDK_GVT_DEVICE_HIDDEN: return msg_hidden_type(type, h, v->show_aperture);
	case MDK_GVT_DEVICE_ATTRIBUTES: return msg_attributes(c);
	case MDK_GVT_DEVICE_NEVER_FITS: return msg_never_fits(type, h, &v->fit, v->min_aperture);
	default: return NULL;
	}
}

/* "not enough X: it needs N, F free of P (held by u1 (t1), u2 (t2))";
 * who: "it" or "they" */
static char *shortage_of(const char *who, const struct mdk_gvt_fit *f,
			 const struct mdk_gvt_vgpu *holders, size_t n)
{
	struct mdk_buf b = MDK_BUF_INIT;
	char *need = amount_text(f->binding, f->need);
	char *free_ = amount_text(f->binding, f->free);
	char *pool = amount_text(f->binding, f->pool);

	mdk_buf_printf(&b, "not enough %s: %s need%s %s, %s free of %s (held by ",
		       mdk_gvt_res_name(f->binding), who, strcmp(who, "it") ? "" : "s", need, free_,
		       pool);
	for (size_t i = 0; i < n; i++)
		mdk_buf_printf(&b, "%s%s (%s)", i ? ", " : "", holders[i].uuid, holders[i].type);
	mdk_buf_adds(&b, n ? ")" : "nothing)");
	free(need);
	free(free_);
	free(pool);
	return mdk_buf_steal(&b);
}

static char *shortage_now(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *holders,
			  size_t n)
{
	return shortage_of("it", f, holders, n);
}

char *mdk_gvt_msg_busy_guest(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *held, size_t n)
{
	char *what = shortage_of("they", f, held, n);
	/* a VM opens one GVT-g vGPU anyway (mdk_gvt_msg_one_per_guest) */
	char *s = mdk_asprintf("%s; a VM can use only one GVT-g vGPU: keep one of them", what);

	free(what);
	return s;
}

char *mdk_gvt_msg_one_per_guest(size_t n)
{
	return mdk_asprintf("a VM can use only one GVT-g vGPU and this one has %zu (the kernel "
			    "refuses to open a second vGPU for the same VM: File exists); keep one of "
			    "them", n);
}

char *mdk_gvt_msg_refusal_set(const char *action, const struct mdk_gvt_member *m, size_t n,
			      const char *parent, const char *reason_fix)
{
	struct mdk_buf b = MDK_BUF_INIT;

	mdk_buf_printf(&b, "cannot %s ", action);
	for (size_t i = 0; i < n; i++)
		mdk_buf_printf(&b, "%s%s (%s)", i == 0 ? "" : i + 1 == n ? " and " : ", ", m[i].uuid,
			       m[i].type);
	mdk_buf_printf(&b, " on %s: %s", parent, reason_fix);
	return mdk_gvt_msg_line(mdk_buf_steal(&b));
}

char *mdk_gvt_msg_busy(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *holders, size_t n)
{
	char *what = shortage_now(f, holders, n);
	const char *fix = f->binding == MDK_GVT_RES_APERTURE ?
		"stop one of them, pick a smaller type, or raise " FIRMWARE :
		f->binding == MDK_GVT_RES_HIDDEN ? "stop one of them or pick a smaller type" :
		"stop one of them";
	char *s = mdk_asprintf("%s; %s", what, fix);

	free(what);
	return s;
}

char *mdk_gvt_msg_busy_warning(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *holders,
			       size_t n)
{
	char *what = shortage_now(f, holders, n);
	char *s = mdk_asprintf("it fits only when other vGPUs are stopped: %s; stop one of them "
			       "before starting it", what);

	free(what);
	return s;
}

char *mdk_gvt_msg_set_shortage(const struct mdk_gvt_fit *f, unsigned long long min_aperture)
{
	char *need = amount_text(f->binding, f->need);
	char *pool = amount_text(f->binding, f->pool);
	char *s = min_aperture ?
		mdk_asprintf("not enough %s: they need %s and the GPU has %s for vGPUs; make some of "
			     "them manual or pick smaller types, or set " FIRMWARE " to %llu MiB",
			     mdk_gvt_res_name(f->binding), need, pool, min_aperture) :
		mdk_asprintf("not enough %s: they need %s and the GPU has %s for vGPUs; make some of "
			     "them manual or pick smaller types", mdk_gvt_res_name(f->binding), need,
			     pool);
	free(need);
	free(pool);
	return s;
}

char *mdk_gvt_msg_boot_set(const char *parent, const struct mdk_gvt_fit *f,
			   const struct mdk_gvt_member *members, size_t n,
			   unsigned long long min_aperture)
{
	struct mdk_buf b = MDK_BUF_INIT;
	char *shortage = mdk_gvt_msg_set_shortage(f, min_aperture);

	mdk_buf_printf(&b, "the auto definitions of %s (", parent);
	for (size_t i = 0; i < n; i++)
		mdk_buf_printf(&b, "%s%s (%s)", i ? ", " : "", members[i].uuid, members[i].type);
	mdk_buf_printf(&b, ") would not fit together at boot: %s", shortage);
	free(shortage);
	return mdk_buf_steal(&b);
}

char *mdk_gvt_msg_defs_broken(size_t bad, size_t n)
{
	return mdk_asprintf("%zu of %zu auto definitions cannot start on this GPU; fix or undefine "
			    "the definitions listed below", bad, n);
}

char *mdk_gvt_msg_details(const struct mdk_gvt_host *h, const struct mdk_gvt_budget *bu)
{
	const unsigned long long *share = bu->share.v, *pool = bu->pool.v, *free_ = bu->free.v;
	struct mdk_buf b = MDK_BUF_INIT;
	static const char *const pad = "    ";

	mdk_buf_printf(&b, "%sGVT-g share: %llu MiB aperture, %llu MiB hidden GM, %llu fences, "
		       "%llu vGPU slot\n", pad, share[MDK_GVT_RES_APERTURE], share[MDK_GVT_RES_HIDDEN],
		       share[MDK_GVT_RES_FENCES], share[MDK_GVT_RES_VGPUS]);
	mdk_buf_printf(&b, "%sGVT-g free: %llu of %llu MiB aperture, %llu of %llu MiB hidden GM, "
		       "%llu of %llu fences, %llu of %llu vGPU slots (aperture %llu MiB, GGTT %llu MiB)\n",
		       pad, free_[MDK_GVT_RES_APERTURE], pool[MDK_GVT_RES_APERTURE],
		       free_[MDK_GVT_RES_HIDDEN], pool[MDK_GVT_RES_HIDDEN],
		       free_[MDK_GVT_RES_FENCES], pool[MDK_GVT_RES_FENCES],
		       free_[MDK_GVT_RES_VGPUS], pool[MDK_GVT_RES_VGPUS],
		       h->aperture_mib, h->ggtt_mib);
	if (!bu->visible) {
		mdk_buf_printf(&b, "%sGVT-g limit: hidden, it needs an aperture of at least %llu MiB\n",
			       pad, bu->show_aperture);
	} else {
		/* "vGPU slots", "fences": plural names */
		const char *res = mdk_gvt_res_name(bu->limit);
		bool plural = res[strlen(res) - 1] == 's';
		mdk_buf_printf(&b, "%sGVT-g limit: %lld more, then %s run%s out\n", pad, bu->more, res,
			       plural ? "" : "s");
	}
	return mdk_buf_steal(&b);
}

char *mdk_gvt_msg_live_refuses(const char *type, long long model_avail,
			       const struct mdk_gvt_host *h)
{
	char *conf = conf_path();
	char *s = mdk_asprintf("the kernel shows no available instance of %s although the model "
			       "expects %lld with a %llu MiB GGTT; stop a running vGPU, or set "
			       "ggtt_mib in %s to this GPU's GGTT size", type, model_avail,
			       h->ggtt_mib, conf);
	free(conf);
	return s;
}

char *mdk_gvt_msg_live_allows(const char *type, long long live_avail, const struct mdk_gvt_fit *f,
			      const struct mdk_gvt_host *h)
{
	char *conf = conf_path();
	char *s = mdk_asprintf("the model expects not enough %s with a %llu MiB GGTT but the kernel "
			       "shows %lld available instances of %s; set ggtt_mib in %s to this "
			       "GPU's GGTT size", mdk_gvt_res_name(f->binding), h->ggtt_mib,
			       live_avail, type, conf);
	free(conf);
	return s;
}

static char *msg_counts(const char *type, long long live, long long model,
			 const struct mdk_gvt_host *h, unsigned long long suggested_ggtt)
{
	char *conf = conf_path();
	char *s = suggested_ggtt ?
		mdk_asprintf("the kernel shows %lld available instances of %s and the model expects "
			     "%lld with a %llu MiB GGTT; set ggtt_mib = %llu in %s", live, type, model,
			     h->ggtt_mib, suggested_ggtt, conf) :
		mdk_asprintf("the kernel shows %lld available instances of %s and the model expects "
			     "%lld with a %llu MiB GGTT; set ggtt_mib in %s to this GPU's GGTT size",
			     live, type, model, h->ggtt_mib, conf);
	free(conf);
	return s;
}

static char *msg_visible_mismatch(const char *type, bool shown, const struct mdk_gvt_host *h)
{
	return mdk_asprintf("the kernel %s %s but the model %s it with a %llu MiB aperture; check "
			    "that line 2 of the GPU's PCI resource file is its aperture (BAR 2)",
			    shown ? "shows" : "does not show", type, shown ? "hides" : "shows",
			    h->aperture_mib);
}

static char *msg_avail_bad(const char *type, const char *why)
{
	return mdk_asprintf("the kernel's available_instances of %s cannot be compared with the "
			    "model: %s; the model's count is used", type, why);
}

static char *msg_desc_bad(const char *type, const char *why)
{
	return mdk_asprintf("the kernel's description of %s is not one the model can compare: %s; "
			    "trust the kernel's available_instances", type, why);
}

static char *msg_desc_mismatch(const char *type, const struct mdk_gvt_desc *d, size_t index)
{
	const struct mdk_gvt_type *t = &mdk_gvt_table[index];

	return mdk_asprintf("the kernel describes %s with %u MiB aperture, %u MiB hidden GM and %u "
			    "fences, and the model's table with %u MiB, %u MiB and %u; the model does "
			    "not know this kernel's GVT-g types, trust the kernel's available_instances",
			    type, d->aperture_mib, d->hidden_mib, d->fences, t->aperture_mib,
			    t->hidden_mib, t->fences);
}

static char *msg_small_aperture(const struct mdk_gvt_host *h)
{
	return mdk_asprintf("this GPU's aperture is %llu MiB, no more than the %llu MiB the host "
			    "keeps, so no vGPU fits; raise " FIRMWARE " to at least %llu MiB",
			    h->aperture_mib, MDK_GVT_HOST_APERTURE_MIB, mdk_gvt_type_min_aperture(0));
}

static char *msg_no_hidden(const struct mdk_gvt_host *h)
{
	char *conf = conf_path();
	char *s = mdk_asprintf("this GPU's GGTT of %llu MiB minus its %llu MiB aperture leaves no "
			       "hidden GM beyond the %llu MiB the host keeps; lower " FIRMWARE
			       ", or set ggtt_mib in %s if the GGTT is larger", h->ggtt_mib,
			       h->aperture_mib, MDK_GVT_HOST_HIDDEN_MIB, conf);
	free(conf);
	return s;
}

char *mdk_gvt_msg_crosscheck(const struct mdk_gvt_host *h, const struct mdk_gvt_crosscheck *c)
{
	char *type = mdk_gvt_type_name(h->version, c->index);
	char *s;

	switch (c->gap) {
	case MDK_GVT_GAP_VISIBLE: s = msg_visible_mismatch(type, c->shown, h); break;
	case MDK_GVT_GAP_AVAIL_UNREADABLE: s = msg_avail_bad(type, c->why); break;
	case MDK_GVT_GAP_DESC_UNREADABLE: s = msg_desc_bad(type, c->why); break;
	case MDK_GVT_GAP_DESC_TABLE: s = msg_desc_mismatch(type, &c->desc, c->index); break;
	case MDK_GVT_GAP_COUNT: s = msg_counts(type, c->live, c->model, h, c->suggested_ggtt); break;
	default: s = NULL; break;
	}
	free(type);
	return s;
}

char *mdk_gvt_msg_host(const struct mdk_gvt_host *h, enum mdk_gvt_host_problem problem)
{
	switch (problem) {
	case MDK_GVT_HOST_SMALL_APERTURE: return msg_small_aperture(h);
	case MDK_GVT_HOST_NO_HIDDEN: return msg_no_hidden(h);
	default: return NULL;
	}
}

char *mdk_gvt_msg_facts(const struct mdk_error *e)
{
	char *why = mdk_error_oneline(e);
	char *s = strchr(why, ';') ? mdk_strdup(why) :
		mdk_asprintf("%s; check that the parent is an Intel GPU with GVT-g enabled", why);

	free(why);
	return s;
}
