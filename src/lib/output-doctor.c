// SPDX-License-Identifier: LGPL-2.1-or-later
/* `doctor --dumpjson`: one object per finding, its values as fields. */
#include "output-internal.h"

#include "mdevkit/doctor.h"

#include <string.h>

static bool reserved(const char *name)
{
	return !strcmp(name, "check") || !strcmp(name, "level") || !strcmp(name, "found") ||
	       !strcmp(name, "fix");
}

static json_object *finding_json(const struct mdk_doctor_finding *f)
{
	json_object *o = mdk_json_new_object();

	json_object_object_add(o, "check", mdk_json_new_string(f->check));
	json_object_object_add(o, "level", mdk_json_new_string(mdk_doctor_level_name(f->level)));
	json_object_object_add(o, "found", mdk_json_new_string(f->found));
	json_object_object_add(o, "fix", f->fix ? mdk_json_new_string(f->fix) : NULL);
	for (size_t i = 0; i < f->n_values; i++) {
		const struct mdk_doctor_value *v = &f->values[i];
		if (reserved(v->name))
			continue;
		json_object_object_add(o, v->name, v->is_int ? json_object_new_int64(v->i)
							     : mdk_json_new_string(v->s));
	}
	return o;
}

char *mdk_output_doctor_json(const struct mdk_doctor_report *r)
{
	json_object *list = mdk_json_new_array();

	for (size_t i = 0; i < r->n; i++)
		json_object_array_add(list, finding_json(r->v[i]));
	return mdk_output_json_document(list);
}
