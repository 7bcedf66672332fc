// SPDX-License-Identifier: LGPL-2.1-or-later
/* The GVT-g budget model: pools, type visibility, the kernel's
 * available_instances formula, "does this set fit", smallest aperture,
 * and the verdicts built from them.  Pure arithmetic on the host facts:
 * no file is read and no text is made here (gvt-msg.c words the
 * verdicts). */
#include "gvt-internal.h"
#include "mdevkit/util.h"

#include <string.h>

enum mdk_gvt_host_problem mdk_gvt_host_check(const struct mdk_gvt_host *h)
{
	if (h->aperture_mib <= MDK_GVT_HOST_APERTURE_MIB)
		return MDK_GVT_HOST_SMALL_APERTURE;
	if (h->ggtt_mib <= h->aperture_mib + MDK_GVT_HOST_HIDDEN_MIB)
		return MDK_GVT_HOST_NO_HIDDEN;
	return MDK_GVT_HOST_OK;
}

static unsigned long long sub0(unsigned long long a, unsigned long long b)
{
	return a > b ? a - b : 0;
}

void mdk_gvt_pools(const struct mdk_gvt_host *h, struct mdk_gvt_amount *out)
{
	out->v[MDK_GVT_RES_VGPUS] = MDK_GVT_MAX_VGPUS;
	out->v[MDK_GVT_RES_APERTURE] = sub0(h->aperture_mib, MDK_GVT_HOST_APERTURE_MIB);
	out->v[MDK_GVT_RES_HIDDEN] = h->ggtt_mib > h->aperture_mib ?
		sub0(h->ggtt_mib - h->aperture_mib, MDK_GVT_HOST_HIDDEN_MIB) : 0;
	out->v[MDK_GVT_RES_FENCES] = MDK_GVT_FENCES - MDK_GVT_HOST_FENCES;
}

void mdk_gvt_need(const struct mdk_gvt_set *s, struct mdk_gvt_amount *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		unsigned long long n = s->n[i];
		out->v[MDK_GVT_RES_VGPUS] += n;
		out->v[MDK_GVT_RES_APERTURE] += n * mdk_gvt_table[i].aperture_mib;
		out->v[MDK_GVT_RES_HIDDEN] += n * mdk_gvt_table[i].hidden_mib;
		out->v[MDK_GVT_RES_FENCES] += n * mdk_gvt_table[i].fences;
	}
}

size_t mdk_gvt_set_count(const struct mdk_gvt_set *s)
{
	size_t n = 0;

	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		n += s->n[i];
	return n;
}

bool mdk_gvt_visible(const struct mdk_gvt_host *h, size_t index)
{
	unsigned long long pool = sub0(h->aperture_mib, MDK_GVT_HOST_APERTURE_MIB);

	if (index >= MDK_GVT_NTYPES)
		return false;
	/* the kernel walks the table and stops at the first that does not fit */
	for (size_t i = 0; i <= index; i++)
		if (pool / mdk_gvt_table[i].aperture_mib == 0)
			return false;
	return true;
}

unsigned long long mdk_gvt_type_min_aperture(size_t index)
{
	return MDK_GVT_HOST_APERTURE_MIB + mdk_gvt_table[index < MDK_GVT_NTYPES ? index : 0].aperture_mib;
}

long long mdk_gvt_available(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used,
			    size_t index)
{
	struct mdk_gvt_amount pool, taken;

	if (!mdk_gvt_visible(h, index))
		return -1;
	mdk_gvt_pools(h, &pool);
	mdk_gvt_need(used, &taken);
	const struct mdk_gvt_type *t = &mdk_gvt_table[index];
	unsigned long long a = sub0(pool.v[MDK_GVT_RES_APERTURE], taken.v[MDK_GVT_RES_APERTURE]) / t->aperture_mib;
	unsigned long long b = sub0(pool.v[MDK_GVT_RES_HIDDEN], taken.v[MDK_GVT_RES_HIDDEN]) / t->hidden_mib;
	unsigned long long c = sub0(pool.v[MDK_GVT_RES_FENCES], taken.v[MDK_GVT_RES_FENCES]) / t->fences;
	unsigned long long m = a < b ? a : b;
	return (long long)(m < c ? m : c);
}

bool mdk_gvt_fit(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used,
		 const struct mdk_gvt_set *add, struct mdk_gvt_fit *out)
{
	struct mdk_gvt_amount pool, taken, need;

	memset(out, 0, sizeof(*out));
	out->hidden_index = -1;
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		if (add->n[i] && !mdk_gvt_visible(h, i)) {
			out->hidden_index = (int)i;
			return false;
		}
	mdk_gvt_pools(h, &pool);
	mdk_gvt_need(used, &taken);
	mdk_gvt_need(add, &need);
	for (int r = 0; r < MDK_GVT_NRES; r++) {
		if (taken.v[r] + need.v[r] <= pool.v[r])
			continue;
		out->binding = (enum mdk_gvt_res)r;
		out->need = need.v[r];
		out->free = sub0(pool.v[r], taken.v[r]);
		out->pool = pool.v[r];
		return false;
	}
	out->fits = true;
	return true;
}

unsigned long long mdk_gvt_min_aperture(unsigned long long ggtt_mib, const struct mdk_gvt_set *s)
{
	struct mdk_gvt_set none;
	struct mdk_gvt_fit f;

	memset(&none, 0, sizeof(none));
	for (unsigned long long a = 256; a + MDK_GVT_HOST_HIDDEN_MIB < ggtt_mib; a *= 2) {
		struct mdk_gvt_host h = { 0, a, ggtt_mib };
		if (mdk_gvt_fit(&h, &none, s, &f))
			return a;
	}
	return 0;
}

bool mdk_gvt_host_type(const struct mdk_gvt_host *h, const char *type, size_t *index)
{
	unsigned v;

	return mdk_gvt_parse_name(type, &v, index) == 0 && (!h->version || v == h->version);
}

enum mdk_gvt_device_problem mdk_gvt_judge_device(const struct mdk_gvt_host *h, const char *type,
						 size_t n_attrs, struct mdk_gvt_device_verdict *v)
{
	unsigned version;
	struct mdk_gvt_set none, one;

	memset(v, 0, sizeof(*v));
	if (mdk_gvt_parse_name(type, &version, &v->index) < 0)
		return v->problem = MDK_GVT_DEVICE_UNKNOWN_TYPE;
	if (h->version && version != h->version)
		return v->problem = MDK_GVT_DEVICE_WRONG_VERSION;
	if (!mdk_gvt_visible(h, v->index)) {
		v->show_aperture = mdk_gvt_type_min_aperture(v->index);
		return v->problem = MDK_GVT_DEVICE_HIDDEN;
	}
	if (n_attrs)
		return v->problem = MDK_GVT_DEVICE_ATTRIBUTES;
	memset(&none, 0, sizeof(none));
	memset(&one, 0, sizeof(one));
	one.n[v->index] = 1;
	if (!mdk_gvt_fit(h, &none, &one, &v->fit)) {
		v->min_aperture = mdk_gvt_min_aperture(h->ggtt_mib, &one);
		return v->problem = MDK_GVT_DEVICE_NEVER_FITS;
	}
	return v->problem = MDK_GVT_DEVICE_OK;
}

enum mdk_gvt_start mdk_gvt_judge_start(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used,
				       size_t index, long long live, struct mdk_gvt_start_verdict *v)
{
	struct mdk_gvt_set one;

	memset(v, 0, sizeof(*v));
	memset(&one, 0, sizeof(one));
	one.n[index] = 1;
	bool fits = mdk_gvt_fit(h, used, &one, &v->fit);
	if (fits && live == 0) {
		v->model_avail = mdk_gvt_available(h, used, index);
		return v->start = MDK_GVT_START_KERNEL_REFUSES;
	}
	if (!fits && live > 0)
		return v->start = MDK_GVT_START_KERNEL_ALLOWS;
	return v->start = fits ? MDK_GVT_START_OK : MDK_GVT_START_BUSY;
}

void mdk_gvt_budget(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used, size_t index,
		    struct mdk_gvt_budget *out)
{
	const struct mdk_gvt_type *t = &mdk_gvt_table[index < MDK_GVT_NTYPES ? index : 0];
	struct mdk_gvt_amount taken;

	memset(out, 0, sizeof(*out));
	out->share.v[MDK_GVT_RES_VGPUS] = 1;
	out->share.v[MDK_GVT_RES_APERTURE] = t->aperture_mib;
	out->share.v[MDK_GVT_RES_HIDDEN] = t->hidden_mib;
	out->share.v[MDK_GVT_RES_FENCES] = t->fences;
	mdk_gvt_pools(h, &out->pool);
	mdk_gvt_need(used, &taken);
	for (int r = 0; r < MDK_GVT_NRES; r++)
		out->free.v[r] = sub0(out->pool.v[r], taken.v[r]);
	out->visible = mdk_gvt_visible(h, index);
	if (!out->visible) {
		out->show_aperture = mdk_gvt_type_min_aperture(index);
		return;
	}
	/* one more than available does not fit: the resource it lacks limits it */
	struct mdk_gvt_set more;
	struct mdk_gvt_fit f;
	memset(&more, 0, sizeof(more));
	out->more = mdk_gvt_available(h, used, index);
	more.n[index] = (unsigned)out->more + 1;
	mdk_gvt_fit(h, used, &more, &f);
	out->limit = f.binding;
}

/* Does the model with GGTT ggtt give every live count known? */
static bool counts_match(const struct mdk_gvt_host *h, unsigned long long ggtt,
			 const long long *live)
{
	struct mdk_gvt_host alt = *h;
	struct mdk_gvt_set none;

	memset(&none, 0, sizeof(none));
	alt.ggtt_mib = ggtt;
	if (mdk_gvt_host_check(&alt) != MDK_GVT_HOST_OK)
		return false;
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		if (live[i] >= 0 && mdk_gvt_available(&alt, &none, i) != live[i])
			return false;
	return true;
}

bool mdk_gvt_compare_counts(const struct mdk_gvt_host *h, const long long *live,
			    struct mdk_gvt_crosscheck *out)
{
	/* the GGTT sizes the GPU can have */
	static const unsigned long long ggtts[] = { 1024, 2048, 4096 };
	struct mdk_gvt_set none;

	memset(&none, 0, sizeof(none));
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		long long model = mdk_gvt_available(h, &none, i);
		if (live[i] < 0 || live[i] == model)
			continue;
		memset(out, 0, sizeof(*out));
		out->gap = MDK_GVT_GAP_COUNT;
		out->index = i;
		out->live = live[i];
		out->model = model;
		for (size_t k = 0; k < MDK_ARRAY_SIZE(ggtts) && !out->suggested_ggtt; k++)
			if (counts_match(h, ggtts[k], live))
				out->suggested_ggtt = ggtts[k];
		return true;
	}
	return false;
}
