// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the output documents share: mdevctl's grouping by parent (`list`
 * and `types --dumpjson`) and a document as printed. */
#include "output-internal.h"

#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

void mdk_parent_listing_add(struct mdk_parent_listing *l, const char *parent, const char *key,
			    json_object *value)
{
	if (!l->parents) {
		l->parents = mdk_json_new_object();
		json_object_array_add(l->top, l->parents);
	}
	if (!l->parent || strcmp(l->parent, parent)) {
		l->parent = parent;
		l->list = mdk_json_new_array();
		json_object_object_add(l->parents, parent, l->list);
	}
	json_object *entry = mdk_json_new_object();
	json_object_object_add(entry, key, value);
	json_object_array_add(l->list, entry);
}

char *mdk_output_json_document(json_object *o)
{
	char *json = mdk_json_to_text(o, true);
	char *text = mdk_asprintf("%s\n", json);

	free(json);
	return text;
}
