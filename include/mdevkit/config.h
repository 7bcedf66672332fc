/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One device definition: in memory, parsed, written.
 *
 * A definition file holds {"mdev_type": ..., "start": "auto"|"manual",
 * "attrs": [{"name": "value"}, ...]}.  Parsing follows mdevctl exactly
 * (unknown keys ignored, last duplicate wins, "start" other than "auto"
 * means manual, attribute order kept), except that where mdevctl panics
 * (a non-string mdev_type or attribute value) this reports an error.
 * Writing produces mdevctl's bytes: serde_json's pretty printer with two
 * spaces, keys in the order mdev_type, start, attrs, and no final newline.
 *
 * json-c does the JSON.  Only this module and the output documents of
 * output.h use it; they share config.c's reader and printer.
 */
#ifndef MDEVKIT_CONFIG_H
#define MDEVKIT_CONFIG_H

#include "mdevkit/error.h"

#include <stdbool.h>
#include <stddef.h>

struct mdk_attr {
	char *name;
	char *value;
};

struct mdk_config {
	char *type;             /* mdev_type */
	bool autostart;         /* "start": "auto" */
	struct mdk_attr *attrs; /* in order; names may repeat */
	size_t n_attrs;
};

#define MDK_CONFIG_INIT { NULL, false, NULL, 0 }

void mdk_config_free(struct mdk_config *c);
void mdk_config_copy(struct mdk_config *dst, const struct mdk_config *src);
void mdk_config_set_type(struct mdk_config *c, const char *type);
/* Insert at index (0 <= index <= n_attrs). */
void mdk_config_insert_attr(struct mdk_config *c, size_t index, const char *name, const char *value);
void mdk_config_delete_attr(struct mdk_config *c, size_t index);
void mdk_config_append_attrs(struct mdk_config *c, const struct mdk_attr *attrs, size_t n);
void mdk_attrs_free(struct mdk_attr *attrs, size_t n);

/* Parse a definition (file, --jsonfile, live modify).  On failure the
 * message is mdevctl's ("invalid json", "attributes field is not an
 * array", ...) or says where the JSON syntax breaks. */
int mdk_config_parse(const char *text, size_t len, struct mdk_config *out, struct mdk_error *e);

/* The same for many definitions in a row (a scan of the store): one
 * json-c tokener for all, and text[len] must be a NUL (as the texts of
 * mdk_read_regular are), so the text is not copied. */
struct mdk_config_reader;
struct mdk_config_reader *mdk_config_reader_new(void);
void mdk_config_reader_free(struct mdk_config_reader *r);
int mdk_config_parse_with(struct mdk_config_reader *r, const char *text, size_t len,
			  struct mdk_config *out, struct mdk_error *e);

/* Read and parse a file named by the user (--jsonfile; "/dev/stdin"
 * works).  `what` starts the error message, e.g. "Unable to read file". */
int mdk_config_read_file(const char *path, const char *what, struct mdk_config *out,
			 struct mdk_error *e);

/* Parse what a callout prints for "get attributes": empty or "[{}]" mean
 * none, trailing NUL bytes are ignored, otherwise an attrs array. */
int mdk_attrs_parse(const char *text, size_t len, struct mdk_attr **attrs, size_t *n,
		    struct mdk_error *e);

/* mdevctl's file bytes (pretty, no final newline).  Caller frees. */
char *mdk_config_format(const struct mdk_config *c);
/* Compact one-line form, as sent on a callout's stdin.  Caller frees. */
char *mdk_config_format_compact(const struct mdk_config *c);

#endif
