// SPDX-License-Identifier: LGPL-2.1-or-later
/* Host facts of a GVT-g parent from sysfs: is it registered, is it i915
 * GVT-g, which name version, aperture A from BAR 2, GGTT T, the running
 * vGPUs; and what the kernel shows of each type, for the cross-check
 * against the model (which does the comparing of counts). */
#include "gvt-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/names.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void mdk_gvt_probe_free(struct mdk_gvt_probe *p)
{
	for (size_t i = 0; i < p->n_vgpus; i++)
		free(p->vgpus[i].type);
	free(p->vgpus);
	memset(p, 0, sizeof(*p));
}

/* Is the parent's PCI driver i915 (basename of its `driver` link)?  1 or
 * 0 (no such link: not a PCI device, or no driver bound), -errno if the
 * link cannot be read. */
static int driver_is_i915(const char *parent, struct mdk_error *e)
{
	char *path = mdk_path_pci_attr(parent, "driver");
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	int r = 0;

	if (n < 0 && errno != ENOENT && errno != ENOTDIR && errno != EINVAL)
		r = mdk_fail_errno(e, errno, "Unable to read link \"%s\"", path);
	free(path);
	if (n <= 0)
		return r;
	target[n] = '\0';
	const char *base = strrchr(target, '/');
	return !strcmp(base ? base + 1 : target, "i915");
}

/* Which name versions the parent's type directory shows: bit v set for V<v>. */
static int type_versions(const char *parent, unsigned *mask, struct mdk_error *e)
{
	char *dir = mdk_path_parent_types(parent);
	char **names;
	int r = mdk_list_dir(dir, &names, NULL);

	*mask = 0;
	if (r < 0) {
		r = mdk_fail_errno(e, -r, "Unable to read directory \"%s\"", dir);
		free(dir);
		return r;
	}
	for (char **n = names; *n; n++) {
		unsigned v;
		size_t i;
		if (mdk_gvt_parse_name(*n, &v, &i) == 0)
			*mask |= 1u << v;
	}
	mdk_strv_free(names);
	free(dir);
	return 0;
}

static int read_running(const char *parent, struct mdk_gvt_probe *p, struct mdk_error *e)
{
	struct mdk_mdevs all = MDK_MDEVS_INIT;
	int r;

	r = mdk_sysfs_active(&all, e);
	if (r < 0)
		return r;
	for (size_t k = 0; k < all.n; k++) {
		unsigned v;
		size_t i;
		if (strcmp(all.v[k].parent, parent) || mdk_gvt_parse_name(all.v[k].type, &v, &i) < 0)
			continue;
		p->vgpus = mdk_reallocarray(p->vgpus, p->n_vgpus + 1, sizeof(*p->vgpus));
		struct mdk_gvt_vgpu *g = &p->vgpus[p->n_vgpus++];
		memcpy(g->uuid, all.v[k].uuid, sizeof(g->uuid));
		g->type = mdk_strdup(all.v[k].type);
		g->index = i;
		p->running.n[i]++;
	}
	mdk_mdevs_free(&all);
	return 0;
}

int mdk_gvt_probe(const char *parent, struct mdk_gvt_probe *p, struct mdk_error *e)
{
	unsigned mask;
	char *text = NULL;
	int r;

	memset(p, 0, sizeof(*p));
	r = mdk_name_check(MDK_NAME_PARENT, parent, e);
	if (r < 0)
		return r;
	r = mdk_sysfs_parent_registered(parent, e);
	if (r < 0)
		return r;
	if (r == 0) {
		p->kind = MDK_GVT_UNREGISTERED;
		return 0;
	}
	r = type_versions(parent, &mask, e);
	if (r < 0)
		return r;
	if (!mask && (r = driver_is_i915(parent, e)) < 0)
		return r;
	if (!mask && !r) {
		p->kind = MDK_GVT_OTHER;
		return 0;
	}
	p->kind = MDK_GVT_PARENT;
	if (mask == (1u << 4 | 1u << 5))
		return mdk_fail(e, "%s shows both i915-GVTg_V4_* and i915-GVTg_V5_* types", parent);
	p->host.version = mask == 1u << 4 ? 4 : mask == 1u << 5 ? 5 : 0;
	if (mdk_sysfs_read_pci_attr(parent, "resource", &text, e) < 0)
		return mdk_wrap(e, "cannot learn the GPU aperture of %s", parent);
	r = mdk_gvt_parse_resource(text, &p->host.aperture_mib, e);
	free(text);
	if (r < 0) {
		char *path = mdk_path_pci_attr(parent, "resource");
		r = mdk_wrap(e, "cannot learn the GPU aperture from \"%s\"", path);
		free(path);
		return r;
	}
	r = mdk_gvt_conf_ggtt(&p->host.ggtt_mib, &p->ggtt_configured, e);
	if (r == 0)
		r = read_running(parent, p, e);
	if (r < 0) {
		mdk_gvt_probe_free(p);
		p->kind = MDK_GVT_PARENT;
		return r;
	}
	return 0;
}

void mdk_gvt_running_except(const struct mdk_gvt_probe *p, const char *uuid,
			    struct mdk_gvt_set *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < p->n_vgpus; i++)
		if (!uuid || strcmp(p->vgpus[i].uuid, uuid))
			out->n[p->vgpus[i].index]++;
}

void mdk_gvt_crosscheck_free(struct mdk_gvt_crosscheck *c)
{
	free(c->why);
	memset(c, 0, sizeof(*c));
}

static bool gap_at(struct mdk_gvt_crosscheck *out, enum mdk_gvt_gap gap, size_t index)
{
	memset(out, 0, sizeof(*out));
	out->gap = gap;
	out->index = index;
	return true;
}

/* What the kernel shows of table entry i, against the model: the type's
 * presence, its available_instances (into *live) and its description.
 * True with *out at the first gap. */
static bool crosscheck_type(const char *parent, const struct mdk_gvt_host *h, size_t i,
			    long long *live, struct mdk_gvt_crosscheck *out)
{
	char *name = mdk_gvt_type_name(h->version, i);
	struct mdk_error e = MDK_ERROR_INIT;
	int shown = mdk_sysfs_type_exists(parent, name, &e);
	char *text = NULL;
	struct mdk_gvt_desc d;
	bool gap = false;

	*live = -1;
	if (shown >= 0 && shown != mdk_gvt_visible(h, i)) {
		gap = gap_at(out, MDK_GVT_GAP_VISIBLE, i);
		out->shown = shown;
	} else if (shown < 0 || (shown && mdk_sysfs_available(parent, name, live, &e) < 0)) {
		/* a type that cannot be looked at is as unreadable as its count */
		gap = gap_at(out, MDK_GVT_GAP_AVAIL_UNREADABLE, i);
		out->why = mdk_error_oneline(&e);
	} else {
		/* the kernel's description must be the table's entry */
		int read = shown ? mdk_sysfs_read_type_attr(parent, name, "description", &text, &e) : 1;
		int parsed = read == 0 ? mdk_gvt_parse_description(text, &d, &e) : -1;
		if (parsed == 0 && mdk_gvt_desc_index(&d) != (int)i) {
			gap = gap_at(out, MDK_GVT_GAP_DESC_TABLE, i);
			out->desc = d;
		} else if (parsed < 0 && (read == 0 || (read < 0 && e.code != ENOENT))) {
			/* old kernels have no description: only a present bad one is news */
			gap = gap_at(out, MDK_GVT_GAP_DESC_UNREADABLE, i);
			out->why = mdk_error_oneline(&e);
		}
	}
	mdk_error_clear(&e);
	free(text);
	free(name);
	return gap;
}

bool mdk_gvt_crosscheck(const char *parent, const struct mdk_gvt_probe *p,
			struct mdk_gvt_crosscheck *out)
{
	long long live[MDK_GVT_NTYPES];

	memset(out, 0, sizeof(*out));
	if (p->kind != MDK_GVT_PARENT || p->n_vgpus || !p->host.version)
		return false;
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		if (crosscheck_type(parent, &p->host, i, &live[i], out))
			return true;
	return mdk_gvt_compare_counts(&p->host, live, out);
}
