/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The documents mdevkit prints, and the capabilities callouts exchange.
 * Each rendering returns the bytes to print as they are, final newline
 * included, in a string the caller frees; the text and --dumpjson forms
 * are mdevctl 1.3's.  JSON is written with config.c's serde-style
 * printer (json-c), so it matches mdevctl byte for byte.
 *
 *   output-list.c    `list`: running devices or definitions
 *   output-types.c   `types`
 *   output-check.c   `check`
 *   output-caps.c    callout capabilities, both directions
 *   output-doctor.c  `doctor --dumpjson` (declared in doctor.h)
 */
#ifndef MDEVKIT_OUTPUT_H
#define MDEVKIT_OUTPUT_H

#include "mdevkit/check.h"
#include "mdevkit/device.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* `list`: "<uuid> <parent> <type> <start>" lines, a mark when the device
 * is also active (defined view) or also defined (active view); verbose
 * adds the attributes.  Written to out; 0 or -EIO. */
int mdk_output_list_text(const struct mdk_listing *l, bool defined, bool verbose, FILE *out);
/* `list --dumpjson`: [{"<parent>": [{"<uuid>": {...}}, ...], ...}], or
 * "[]"; with single (--uuid) and one device, only its definition.
 * Written to out as it is printed (a long listing is never held whole);
 * 0 or -EIO. */
int mdk_output_list_json(const struct mdk_listing *l, bool single, FILE *out);

/* `types`, with the GVT-g lines when the listing has them. */
char *mdk_output_types_text(const struct mdk_type_listing *l);
/* `types --dumpjson`: grouped as `list`; name and description are left
 * out when absent. */
char *mdk_output_types_json(const struct mdk_type_listing *l);

/* `check`: one line per parent, then indented details. */
char *mdk_output_check_text(const struct mdk_check_report *r);
/* `check --dumpjson`: {"fits": bool, "parents": [{"parent", "status",
 * "gvt", ["aperture_mib", "ggtt_mib", "ggtt_configured", "min_aperture_mib"
 * when gvt,] "reason", "warning", "definitions": [{"uuid", "type",
 * "problem"}]}]}, pretty; absent strings are null. */
char *mdk_output_check_json(const struct mdk_check_report *r);

/* Callout capabilities: {"<key>":{"version":V,"actions":[...],"events":[...]}},
 * compact, no final newline (it goes on a callout's stdin or stdout).
 * key is "provides" (what mdevctl offers) or "supports" (a script's
 * answer). */
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
