/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared between the output-*.c files of the library only (output-json.c). */
#ifndef MDEVKIT_OUTPUT_INTERNAL_H
#define MDEVKIT_OUTPUT_INTERNAL_H

#include "config-internal.h"

/* mdevctl's listing shape, for `list` and `types`:
 * [{"<parent>": [{"<key>": <value>}, ...], ...}], or [] when empty.
 * Entries arrive sorted by parent; each add appends one (taking value). */
struct mdk_parent_listing {
	json_object *top, *parents, *list;
	const char *parent;
};
#define MDK_PARENT_LISTING_INIT { mdk_json_new_array(), NULL, NULL, NULL }

void mdk_parent_listing_add(struct mdk_parent_listing *l, const char *parent, const char *key,
			    json_object *value);

/* A --dumpjson document as printed: pretty, with a final newline.  Takes
 * o; the caller frees the text. */
char *mdk_output_json_document(json_object *o);

#endif
