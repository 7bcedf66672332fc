// SPDX-License-Identifier: LGPL-2.1-or-later
/* The two views of `list`: defined devices and running devices. */
#include "mdevkit/callout.h"
#include "mdevkit/device.h"
#include "mdevkit/names.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

void mdk_listing_free(struct mdk_listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].parent);
		mdk_config_free(&l->v[i].config);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static struct mdk_listed *add(struct mdk_listing *l, const char *parent, const char *uuid)
{
	l->v = mdk_reallocarray(l->v, l->n + 1, sizeof(*l->v));
	struct mdk_listed *x = &l->v[l->n++];
	memset(x, 0, sizeof(*x));
	x->parent = mdk_strdup(parent);
	memcpy(x->uuid, uuid, sizeof(x->uuid));
	return x;
}

/* Running with this parent and type (mdevctl's load_from_sysfs)?  The
 * running devices are read once: a store holds far more definitions than
 * a host runs devices, and each lookup by name is a trip into sysfs. */
static bool running_as(const struct mdk_mdevs *active, const char *uuid, const char *parent,
		       const char *type)
{
	for (size_t i = 0; i < active->n; i++)
		if (!strcmp(active->v[i].uuid, uuid))
			return !strcmp(active->v[i].parent, parent) && !strcmp(active->v[i].type, type);
	return false;
}

/* The UUIDs of a scan, sorted on first use: which running devices a
 * listing of definitions needs resolved. */
struct defined_uuids {
	const struct mdk_defs *defs;
	const char **sorted;
};

static int uuid_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_defined(const char *uuid, void *data)
{
	struct defined_uuids *d = data;

	if (!d->sorted) {
		d->sorted = mdk_calloc(d->defs->n, sizeof(*d->sorted));
		for (size_t i = 0; i < d->defs->n; i++)
			d->sorted[i] = d->defs->v[i].uuid;
		qsort(d->sorted, d->defs->n, sizeof(*d->sorted), uuid_ptr_cmp);
	}
	return bsearch(&uuid, d->sorted, d->defs->n, sizeof(*d->sorted), uuid_ptr_cmp) != NULL;
}

int mdk_list_defined(const char *parent, const char *uuid, struct mdk_listing *out,
		     struct mdk_error *e)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	struct mdk_mdevs active = MDK_MDEVS_INIT;
	struct mdk_listing l = { NULL, 0 };
	struct mdk_error err = MDK_ERROR_INIT;
	/* the scan checks the parent's name */
	int r = mdk_store_scan(parent, uuid, &defs, e);

	if (r < 0)
		return r;
	/* without sysfs nothing is shown as active, as with mdevctl; only
	 * the running devices that have a definition are resolved */
	struct defined_uuids defined = { &defs, NULL };
	if (defs.n && mdk_sysfs_active_of(is_defined, &defined, &active, &err) < 0)
		mdk_error_clear(&err);
	free(defined.sorted);
	/* The definitions move over, each into the memory of the array the
	 * scan made (a listed device is no larger than a definition, and the
	 * i-th one ends before the (i+1)-th definition starts): a long
	 * listing never holds two arrays.  Bytes are copied with memcpy, so
	 * each element is only ever accessed as the type last stored there. */
	_Static_assert(sizeof(struct mdk_listed) <= sizeof(struct mdk_def),
		       "a listed device fits where its definition was");
	unsigned char *mem = (unsigned char *)defs.v;
	for (size_t i = 0; i < defs.n; i++) {
		struct mdk_def d;
		memcpy(&d, mem + i * sizeof(d), sizeof(d));
		struct mdk_listed x = { d.parent, "", d.config, false };
		memcpy(x.uuid, d.uuid, sizeof(x.uuid));
		x.mark = running_as(&active, x.uuid, x.parent, x.config.type);
		free(d.path);
		memcpy(mem + i * sizeof(x), &x, sizeof(x));
	}
	l.n = defs.n;
	l.v = l.n ? mdk_reallocarray(mem, l.n, sizeof(*l.v)) : NULL;
	if (!l.n)
		free(mem);
	defs = (struct mdk_defs)MDK_DEFS_INIT;
	mdk_mdevs_free(&active);
	mdk_defs_free(&defs);
	*out = l;
	return 0;
}

int mdk_list_active(const char *parent, const char *uuid, struct mdk_listing *out,
		    struct mdk_error *e)
{
	struct mdk_mdevs active = MDK_MDEVS_INIT;
	struct mdk_listing l = { NULL, 0 };
	int r;

	if (parent && (r = mdk_name_check(MDK_NAME_PARENT, parent, e)) < 0)
		return r;
	r = mdk_sysfs_active(&active, e);
	if (r < 0)
		return r;
	for (size_t i = 0; i < active.n; i++) {
		struct mdk_mdev *m = &active.v[i];
		if ((parent && strcmp(parent, m->parent)) || (uuid && strcmp(uuid, m->uuid)))
			continue;
		struct mdk_listed *x = add(&l, m->parent, m->uuid);
		struct mdk_config def = MDK_CONFIG_INIT;
		struct mdk_error err = MDK_ERROR_INIT;

		/* start comes from a definition under the same parent, if one
		 * loads; a broken one only makes the device "manual" here */
		int defined = mdk_store_exists(m->parent, m->uuid, &err);
		if (defined < 0)
			mdk_warn_error(&err, "%m");
		x->mark = defined > 0;
		x->config.autostart = x->mark && mdk_store_load(m->parent, m->uuid, &def, &err) == 0 &&
				      def.autostart;
		mdk_config_set_type(&x->config, m->type);
		mdk_config_free(&def);
		mdk_error_clear(&err);

		/* attributes of a running device only come from its callout */
		struct mdk_callout *c = mdk_callout_new(m->uuid, m->parent, m->type, &x->config);
		struct mdk_attr *attrs;
		size_t n;
		if (mdk_callout_get_attributes(c, &attrs, &n, &err) == 0) {
			mdk_config_append_attrs(&x->config, attrs, n);
			mdk_attrs_free(attrs, n);
		} else {
			mdk_error_clear(&err);
		}
		mdk_callout_free(c);
	}
	mdk_mdevs_free(&active);
	*out = l;
	return 0;
}
