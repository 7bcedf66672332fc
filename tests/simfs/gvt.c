/* Intel GVT-g accounting, as spec/gvt-g.md §1-2 describes the kernel:
 * the fixed type table, the visibility walk, the pools and the
 * available_instances formula. */
#include <errno.h>
#include <stdlib.h>

#include "model.h"
#include "util.h"

#define HOST_LOW_GM_MB 128
#define HOST_HIGH_GM_MB 384
#define HOST_FENCES 4
#define GVT_FENCES 32
#define GVT_MAX_VGPU 8	/* IDs 1..7; 0 is the idle vGPU */

static const struct {
	unsigned suffix, low_mb, high_mb, fences, weight;
	const char *resolution;
} table[] = {
	/* walked in this order: the visibility rule stops at the first misfit */
	{ 8, 64, 384, 4, 2, "1024x768" },
	{ 4, 128, 512, 4, 4, "1920x1200" },
	{ 2, 256, 1024, 4, 8, "1920x1200" },
	{ 1, 512, 2048, 4, 16, "1920x1200" },
};

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	unsigned m = a < b ? a : b;
	return m < c ? m : c;
}

void gvt_init(struct sim_parent *p, unsigned kernel)
{
	unsigned a = p->aperture_mb, t = p->ggtt_mb;
	size_t n = sizeof(table) / sizeof(table[0]);
	p->types = xcalloc(n, sizeof(*p->types));
	p->ntypes = 0;
	/* the kernel's u32 pools would wrap here; show no types instead */
	if (a <= HOST_LOW_GM_MB || t <= a || t - a <= HOST_HIGH_GM_MB)
		return;
	unsigned low = a - HOST_LOW_GM_MB, high = t - a - HOST_HIGH_GM_MB;
	unsigned v = p->gen == 8 ? 4 : 5;
	for (size_t i = 0; i < n; i++) {
		if (low / table[i].low_mb == 0)
			break;
		struct sim_type *ty = &p->types[p->ntypes++];
		ty->dir = xasprintf("i915-GVTg_V%u_%u", v, table[i].suffix);
		/* GVT's own `name` attribute came with ~5.18; 6.1's core keeps it */
		if (kernel >= KVER(5, 18))
			ty->name = xasprintf("GVTg_V%u_%u", v, table[i].suffix);
		ty->description = xasprintf("low_gm_size: %uMB\nhigh_gm_size: %uMB\n"
					    "fence: %u\nresolution: %s\nweight: %u\n",
					    table[i].low_mb, table[i].high_mb, table[i].fences,
					    table[i].resolution, table[i].weight);
		ty->low_mb = table[i].low_mb;
		ty->high_mb = table[i].high_mb;
		ty->fences = table[i].fences;
		ty->weight = table[i].weight;
		/* before 6.1 the init value had no fence term */
		unsigned lq = low / ty->low_mb, hq = high / ty->high_mb;
		ty->stored_avail = lq < hq ? lq : hq;
	}
}

struct usage {
	unsigned low, high, fences;
	bool id_used[GVT_MAX_VGPU];
};

static void usage_of(const struct sim_host *h, const struct sim_parent *p, struct usage *u)
{
	*u = (struct usage){ 0 };
	for (size_t i = 0; i < h->ndevices; i++) {
		const struct sim_device *d = h->devices[i];
		if (d->parent != p)
			continue;
		u->low += d->type->low_mb;
		u->high += d->type->high_mb;
		u->fences += d->type->fences;
		if (d->vgpu_id > 0 && d->vgpu_id < GVT_MAX_VGPU)
			u->id_used[d->vgpu_id] = true;
	}
}

/* free pools; only called when types exist, so nothing wraps */
static void pools(const struct sim_parent *p, const struct usage *u, unsigned *low,
		  unsigned *high, unsigned *fences)
{
	unsigned lp = p->aperture_mb - HOST_LOW_GM_MB;
	unsigned hp = p->ggtt_mb - p->aperture_mb - HOST_HIGH_GM_MB;
	unsigned fp = GVT_FENCES - HOST_FENCES;
	*low = u->low < lp ? lp - u->low : 0;
	*high = u->high < hp ? hp - u->high : 0;
	*fences = u->fences < fp ? fp - u->fences : 0;
}

static unsigned live_available(const struct sim_host *h, const struct sim_parent *p,
			       const struct sim_type *t)
{
	struct usage u;
	unsigned low, high, fences;
	usage_of(h, p, &u);
	pools(p, &u, &low, &high, &fences);
	return min3(low / t->low_mb, high / t->high_mb, fences / t->fences);
}

unsigned gvt_available(const struct sim_host *h, const struct sim_parent *p,
		       const struct sim_type *t)
{
	/* 6.1+ computes on every read; older kernels show the stored count */
	if (h->kernel >= KVER(6, 1))
		return live_available(h, p, t);
	return t->stored_avail;
}

int gvt_create(const struct sim_host *h, struct sim_parent *p, struct sim_type *t,
	       struct sim_device *d)
{
	struct usage u;
	unsigned low, high, fences;
	usage_of(h, p, &u);
	int id = 1;
	while (id < GVT_MAX_VGPU && u.id_used[id])
		id++;
	if (id == GVT_MAX_VGPU)
		return -ENOSPC;	/* idr_alloc: all 7 IDs taken */
	pools(p, &u, &low, &high, &fences);
	if (t->low_mb > low || t->high_mb > high || t->fences > fences)
		return -ENOSPC;
	d->vgpu_id = id;
	return 0;
}

void gvt_changed(const struct sim_host *h, struct sim_parent *p)
{
	/* before 6.1 every create and destroy recomputes all stored counts */
	if (h->kernel >= KVER(6, 1))
		return;
	for (size_t i = 0; i < p->ntypes; i++)
		p->types[i].stored_avail = live_available(h, p, &p->types[i]);
}
