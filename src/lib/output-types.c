// SPDX-License-Identifier: LGPL-2.1-or-later
/* `types` as printed: text (with the GVT-g lines of --gvt when the
 * listing has them), and the JSON of --dumpjson (each type's
 * available_instances, device_api, name and description, grouped by
 * parent). */
#include "output-internal.h"

#include "mdevkit/output.h"
#include "mdevkit/util.h"

static void add_gvt(struct mdk_buf *b, const struct mdk_type_gvt *g)
{
	if (g->error)
		mdk_buf_printf(b, "    GVT-g: %s\n", g->error);
	else if (g->lines)
		mdk_buf_adds(b, g->lines);
}

char *mdk_output_types_text(const struct mdk_type_listing *l)
{
	struct mdk_buf b = MDK_BUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		const struct mdk_type_parent *p = &l->v[i];
		mdk_buf_printf(&b, "%s\n", p->parent);
		for (size_t k = 0; k < p->n; k++) {
			const struct mdk_type_info *t = &p->types[k];
			mdk_buf_printf(&b, "  %s\n    Available instances: %lld\n    Device API: %s\n",
				       t->type, t->available, t->device_api);
			if (t->name)
				mdk_buf_printf(&b, "    Name: %s\n", t->name);
			if (t->description)
				mdk_buf_printf(&b, "    Description: %s\n", t->description);
			if (p->gvt)
				add_gvt(&b, &p->gvt[k]);
		}
	}
	/* mdevctl 1.2 and 1.3.0 end the listing with one blank line */
	mdk_buf_adds(&b, "\n");
	return mdk_buf_steal(&b);
}

char *mdk_output_types_json(const struct mdk_type_listing *l)
{
	struct mdk_parent_listing pl = MDK_PARENT_LISTING_INIT;

	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k < l->v[i].n; k++) {
			const struct mdk_type_info *t = &l->v[i].types[k];
			json_object *o = mdk_json_new_object();
			json_object_object_add(o, "available_instances", json_object_new_int64(t->available));
			json_object_object_add(o, "device_api", mdk_json_new_string(t->device_api));
			if (t->name)
				json_object_object_add(o, "name", mdk_json_new_string(t->name));
			if (t->description)
				json_object_object_add(o, "description", mdk_json_new_string(t->description));
			mdk_parent_listing_add(&pl, l->v[i].parent, t->type, o);
		}
	return mdk_output_json_document(pl.top);
}
