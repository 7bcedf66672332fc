// SPDX-License-Identifier: LGPL-2.1-or-later
/* `check` as printed: one line per parent with indented details, and the
 * JSON report of --dumpjson. */
#include "output-internal.h"

#include "mdevkit/output.h"
#include "mdevkit/util.h"


static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void add_parent(struct mdk_buf *b, const struct mdk_check_parent *p)
{
	switch (p->status) {
	case MDK_CHECK_FITS:
		if (p->n_defs)
			mdk_buf_printf(b, "%s: fits (%zu auto definition%s)\n", p->parent, p->n_defs,
				       plural(p->n_defs));
		else
			mdk_buf_printf(b, "%s: fits (no auto definitions)\n", p->parent);
		break;
	case MDK_CHECK_NO_FIT:
		mdk_buf_printf(b, "%s: does not fit: %s\n", p->parent, p->reason);
		break;
	case MDK_CHECK_UNREGISTERED:
		mdk_buf_printf(b, "%s: not registered for mdev, %zu auto definition%s not checked\n",
			       p->parent, p->n_defs, plural(p->n_defs));
		break;
	case MDK_CHECK_ERROR:
		mdk_buf_printf(b, "%s: cannot tell: %s\n", p->parent, p->reason);
		break;
	}
	if (p->gvt && p->status != MDK_CHECK_ERROR) {
		mdk_buf_printf(b, "  GVT-g: aperture %llu MiB, GGTT %llu MiB%s", p->aperture_mib,
			       p->ggtt_mib, p->ggtt_configured ? " (from gvt.conf)" : "");
		if (p->min_aperture_mib)
			mdk_buf_printf(b, ", smallest aperture that fits them: %llu MiB\n",
				       p->min_aperture_mib);
		else if (p->n_defs)
			mdk_buf_adds(b, ", no aperture fits them\n");
		else
			mdk_buf_adds(b, "\n");
	}
	for (size_t i = 0; i < p->n_defs; i++) {
		const struct mdk_check_def *d = &p->defs[i];
		if (d->problem)
			mdk_buf_printf(b, "  %s %s: %s\n", d->uuid, d->type, d->problem);
		else
			mdk_buf_printf(b, "  %s %s\n", d->uuid, d->type);
	}
	if (p->warning)
		mdk_buf_printf(b, "  warning: %s\n", p->warning);
}

char *mdk_output_check_text(const struct mdk_check_report *r)
{
	struct mdk_buf b = MDK_BUF_INIT;

	for (size_t i = 0; i < r->n; i++)
		add_parent(&b, &r->v[i]);
	return mdk_buf_steal(&b);
}

static const char *status_word(enum mdk_check_status s)
{
	switch (s) {
	case MDK_CHECK_FITS: return "fits";
	case MDK_CHECK_NO_FIT: return "does-not-fit";
	case MDK_CHECK_UNREGISTERED: return "not-registered";
	default: return "error";
	}
}

static json_object *string_or_null(const char *s)
{
	return s ? mdk_json_new_string(s) : NULL;
}

static json_object *uint_json(unsigned long long v)
{
	return json_object_new_int64((int64_t)v);
}

static json_object *parent_json(const struct mdk_check_parent *p)
{
	json_object *o = mdk_json_new_object();
	json_object *defs = mdk_json_new_array();

	json_object_object_add(o, "parent", mdk_json_new_string(p->parent));
	json_object_object_add(o, "status", mdk_json_new_string(status_word(p->status)));
	json_object_object_add(o, "gvt", json_object_new_boolean(p->gvt));
	if (p->gvt) {
		json_object_object_add(o, "aperture_mib", uint_json(p->aperture_mib));
		json_object_object_add(o, "ggtt_mib", uint_json(p->ggtt_mib));
		json_object_object_add(o, "ggtt_configured", json_object_new_boolean(p->ggtt_configured));
		json_object_object_add(o, "min_aperture_mib", uint_json(p->min_aperture_mib));
	}
	json_object_object_add(o, "reason", string_or_null(p->reason));
	json_object_object_add(o, "warning", string_or_null(p->warning));
	for (size_t k = 0; k < p->n_defs; k++) {
		json_object *d = mdk_json_new_object();
		json_object_object_add(d, "uuid", mdk_json_new_string(p->defs[k].uuid));
		json_object_object_add(d, "type", mdk_json_new_string(p->defs[k].type));
		json_object_object_add(d, "problem", string_or_null(p->defs[k].problem));
		json_object_array_add(defs, d);
	}
	json_object_object_add(o, "definitions", defs);
	return o;
}

char *mdk_output_check_json(const struct mdk_check_report *r)
{
	json_object *top = mdk_json_new_object();
	json_object *list = mdk_json_new_array();

	json_object_object_add(top, "fits", json_object_new_boolean(mdk_check_all_fit(r)));
	for (size_t i = 0; i < r->n; i++)
		json_object_array_add(list, parent_json(&r->v[i]));
	json_object_object_add(top, "parents", list);
	return mdk_output_json_document(top);
}
