// SPDX-License-Identifier: LGPL-2.1-or-later
/* The listing of `types`: registered parents and what their types offer,
 * read from sysfs, with the GVT-g model's view of each GVT-g type. */
#include "mdevkit/device.h"
#include "mdevkit/gvt.h"
#include "mdevkit/log.h"
#include "mdevkit/names.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

void mdk_type_listing_free(struct mdk_type_listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct mdk_type_parent *p = &l->v[i];
		for (size_t k = 0; p->gvt && k < p->n; k++) {
			free(p->gvt[k].lines);
			free(p->gvt[k].error);
		}
		free(p->gvt);
		mdk_type_infos_free(p->types, p->n);
		free(p->parent);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Each type's GVT-g lines, or why there are none. */
static void read_gvt(struct mdk_type_parent *p)
{
	p->gvt = mdk_calloc(p->n, sizeof(*p->gvt));
	for (size_t k = 0; k < p->n; k++) {
		struct mdk_error e = MDK_ERROR_INIT;

		if (mdk_gvt_type_details(p->parent, p->types[k].type, &p->gvt[k].lines, &e) < 0) {
			p->gvt[k].error = mdk_error_oneline(&e);
			mdk_error_clear(&e);
		}
	}
}

int mdk_list_types(const char *parent, bool with_gvt, struct mdk_type_listing *out,
		   struct mdk_error *e)
{
	struct mdk_type_listing l = { NULL, 0 };
	char **parents;
	size_t n_parents;
	int r;

	if (parent && (r = mdk_name_check(MDK_NAME_PARENT, parent, e)) < 0)
		return r;
	r = mdk_sysfs_parents(&parents, &n_parents, e);
	if (r < 0)
		return r;
	l.v = mdk_calloc(n_parents, sizeof(*l.v));
	for (size_t i = 0; i < n_parents; i++) {
		if (parent && strcmp(parent, parents[i]))
			continue;
		r = mdk_sysfs_parent_registered(parents[i], e);
		if (r == 0) {
			mdk_warn("Skipping %s: it is not registered for mdev support", parents[i]);
			continue;
		}
		struct mdk_type_parent *p = &l.v[l.n];
		if (r > 0)
			r = mdk_sysfs_types(parents[i], &p->types, &p->n, e);
		if (r < 0) {
			mdk_strv_free(parents);
			mdk_type_listing_free(&l);
			return r;
		}
		p->parent = mdk_strdup(parents[i]);
		l.n++;
	}
	mdk_strv_free(parents);
	/* only once every parent's types are read: a failure shows nothing */
	for (size_t i = 0; with_gvt && i < l.n; i++)
		read_gvt(&l.v[i]);
	*out = l;
	return 0;
}
