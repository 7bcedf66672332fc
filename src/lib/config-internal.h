/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What config.c lends to the output module (output-*.c): its strict JSON
 * reader and its serde-style writer, so every document mdevkit reads or
 * prints follows mdevctl's JSON rules.  Only config.c and output-*.c
 * include this; they are the only users of json-c.
 */
#ifndef MDEVKIT_CONFIG_INTERNAL_H
#define MDEVKIT_CONFIG_INTERNAL_H

#include "mdevkit/config.h"
#include "mdevkit/error.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

/* Strict RFC 8259 parse of the whole text (no comments, no trailing
 * commas, one value, valid UTF-8), like serde_json.  *out is NULL for a
 * JSON null. */
int mdk_json_parse(const char *text, size_t len, json_object **out, struct mdk_error *e);
/* obj[key], or NULL when obj is not an object, the key is missing or its
 * value is null (as serde's Value::Null). */
json_object *mdk_json_get(json_object *obj, const char *key);

/* New values; running out of memory aborts.  A NULL string is "". */
json_object *mdk_json_new_string(const char *s);
json_object *mdk_json_new_object(void);
json_object *mdk_json_new_array(void);
/* [{"<name>": "<value>"}, ...], the definition's "attrs". */
json_object *mdk_attrs_to_json(const struct mdk_attr *attrs, size_t n);
/* {"mdev_type", "start", "attrs"} in mdevctl's order. */
json_object *mdk_config_to_json(const struct mdk_config *c);
/* o, made by mdk_config_to_json, now says what c says (for a writer
 * that reuses its objects: each new one is a dozen allocations). */
void mdk_config_json_update(json_object *o, const struct mdk_config *c);
/* serde_json's bytes for o: pretty (two spaces) or compact, no final
 * newline.  Takes o; the caller frees the text. */
char *mdk_json_to_text(json_object *o, bool pretty);
/* What mdk_json_to_text does before printing, for a writer that prints
 * o itself: serde's [] and {} for the empty containers under o; and the
 * json-c flags of the pretty form. */
void mdk_json_serde_style(json_object *o);
#define MDK_JSON_PRETTY_FLAGS \
	(JSON_C_TO_STRING_NOSLASHESCAPE | JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED)

#endif
