/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One device definition and every JSON text mdevkit reads or writes.
 *
 * A definition file holds {"mdev_type": ..., "start": "auto"|"manual",
 * "attrs": [{"name": "value"}, ...]}.  Parsing follows mdevctl exactly
 * (unknown keys ignored, last duplicate wins, "start" other than "auto"
 * means manual, attribute order kept), except that where mdevctl panics
 * (a non-string mdev_type or attribute value) this reports an error.
 * Writing produces mdevctl's bytes: serde_json's pretty printer with two
 * spaces, keys in the order mdev_type, start, attrs, and no final newline.
 *
 * json-c does all JSON work, and only this module uses it.
 */
#ifndef MDEVKIT_CONFIG_H
#define MDEVKIT_CONFIG_H

#include "mdevkit/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* `list --dumpjson`: devices sorted by parent then uuid; grouped as
 * [{"<parent>": [{"<uuid>": {...}}, ...], ...}], or "[]" when n == 0. */
struct mdk_json_device {
	const char *parent;
	const char *uuid;
	const struct mdk_config *config;
};
char *mdk_json_device_list(const struct mdk_json_device *devs, size_t n);

/* `types --dumpjson`: sorted by parent then type; name and description
 * are left out when NULL. */
struct mdk_json_type {
	const char *parent;
	const char *type;
	long long available;
	const char *device_api;
	const char *name;
	const char *description;
};
char *mdk_json_type_list(const struct mdk_json_type *types, size_t n);

/* `check --dumpjson`: {"fits": bool, "parents": [{"parent", "status",
 * "gvt", ["aperture_mib", "ggtt_mib", "ggtt_configured", "min_aperture_mib"
 * when gvt,] "reason", "warning", "definitions": [{"uuid", "type",
 * "problem"}]}]}, pretty; NULL strings are null. */
struct mdk_json_check_def {
	const char *uuid;
	const char *type;
	const char *problem;
};
struct mdk_json_check {
	const char *parent;
	const char *status;
	bool gvt;
	unsigned long long aperture_mib, ggtt_mib, min_aperture_mib;
	bool ggtt_configured;
	const char *reason;
	const char *warning;
	const struct mdk_json_check_def *defs;
	size_t n_defs;
};
char *mdk_json_check_report(const struct mdk_json_check *parents, size_t n, bool fits);

/* Callout capabilities: {"<key>":{"version":V,"actions":[...],"events":[...]}},
 * compact.  key is "provides" (what mdevctl offers) or "supports" (a
 * script's answer). */
char *mdk_json_capabilities(const char *key, uint32_t version,
			    const char *const *actions, size_t n_actions,
			    const char *const *events, size_t n_events);

/* A script's answer to "get attributes": [{"<name>":"<value>"},...],
 * compact, [] when n is 0; what mdk_attrs_parse reads. */
char *mdk_json_attrs(const struct mdk_attr *attrs, size_t n);

struct mdk_json_caps {
	uint32_t version;
	char **actions; /* NULL-terminated */
	char **events;  /* NULL-terminated */
};
/* Parse a capabilities object under `key`.  Returns 1 if present and
 * well-formed, 0 if the text is not such an answer (not JSON, key missing
 * or null, a field missing or of the wrong type). */
int mdk_json_caps_parse(const char *text, size_t len, const char *key, struct mdk_json_caps *out);
void mdk_json_caps_free(struct mdk_json_caps *c);

#endif
