// SPDX-License-Identifier: LGPL-2.1-or-later
/* The GVT-g budget model: pools, type visibility, the kernel's
 * available_instances formula, "does this set fit", smallest aperture.
 * Pure arithmetic on the host facts: no file is read here. */
#include "mdevkit/gvt.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

int mdk_gvt_host_check(const struct mdk_gvt_host *h, struct mdk_error *e)
{
	char *why = NULL;

	if (h->aperture_mib <= MDK_GVT_HOST_APERTURE_MIB)
		why = mdk_gvt_msg_small_aperture(h);
	else if (h->ggtt_mib <= h->aperture_mib + MDK_GVT_HOST_HIDDEN_MIB)
		why = mdk_gvt_msg_no_hidden(h);
	if (!why)
		return 0;
	mdk_fail(e, "%s", why);
	free(why);
	return -1;
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
