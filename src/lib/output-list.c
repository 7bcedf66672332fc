// SPDX-License-Identifier: LGPL-2.1-or-later
/* `list` as printed: text, and the JSON of --dumpjson (the definitions of
 * the listed devices, grouped by parent). */
#include "output-internal.h"

#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <string.h>

char *mdk_output_list_text(const struct mdk_listing *l, bool defined, bool verbose)
{
	struct mdk_buf b = MDK_BUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		const struct mdk_listed *x = &l->v[i];
		/* "uuid parent type start[ mark]", pieced together: printf
		 * costs more than the rest of a line of a long listing */
		const char *words[] = { x->uuid, " ", x->parent, " ", x->config.type, " ",
					x->config.autostart ? "auto" : "manual",
					!x->mark ? "" : defined ? " (active)" : " (defined)", "\n" };
		for (size_t w = 0; w < MDK_ARRAY_SIZE(words); w++)
			mdk_buf_adds(&b, words[w] ? words[w] : "(null)");
		if (!verbose || !x->config.n_attrs)
			continue;
		mdk_buf_adds(&b, "  Attrs:\n");
		/* not JSON-escaped: mdevctl prints the raw strings */
		for (size_t k = 0; k < x->config.n_attrs; k++)
			mdk_buf_printf(&b, "    @{%zu}: {\"%s\":\"%s\"}\n", k, x->config.attrs[k].name,
				       x->config.attrs[k].value);
	}
	/* mdevctl 1.2 and 1.3.0 end every listing with one blank line */
	mdk_buf_adds(&b, "\n");
	return mdk_buf_steal(&b);
}

/* Printed as is by every JSON writer: printable ASCII, no quote or
 * backslash. */
static bool plain(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '"' || *s == '\\')
			return false;
	return true;
}

/* What the direct writer below can print: plain strings, parents grouped
 * in order (one member per parent, as the tree would hold them). */
static bool writable(const struct mdk_listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct mdk_listed *x = &l->v[i];
		if (!plain(x->parent) || !plain(x->uuid) || !plain(x->config.type ? x->config.type : ""))
			return false;
		if (i && strcmp(l->v[i - 1].parent, x->parent) > 0)
			return false;
		for (size_t k = 0; k < x->config.n_attrs; k++)
			if (!plain(x->config.attrs[k].name) || !plain(x->config.attrs[k].value))
				return false;
	}
	return true;
}

/* The document mdk_output_json_document would print for the grouped
 * listing, written straight from the listing: no tree of 10,000 objects
 * to build, print and free. */
static char *list_json_direct(const struct mdk_listing *l)
{
	struct mdk_buf b = MDK_BUF_INIT;

	if (!l->n)
		return mdk_strdup("[]\n");
	mdk_buf_adds(&b, "[\n  {\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct mdk_listed *x = &l->v[i];
		bool first = !i || strcmp(l->v[i - 1].parent, x->parent);
		bool last = i + 1 == l->n || strcmp(l->v[i + 1].parent, x->parent);
		const char *head[] = {
			first ? "    \"" : "", first ? x->parent : "", first ? "\": [\n" : "",
			"      {\n        \"", x->uuid, "\": {\n          \"mdev_type\": \"",
			x->config.type ? x->config.type : "",
			"\",\n          \"start\": \"", x->config.autostart ? "auto" : "manual",
			"\",\n          \"attrs\": ",
		};
		/* pieced together rather than printf'd, as the text listing */
		for (size_t w = 0; w < MDK_ARRAY_SIZE(head); w++)
			mdk_buf_adds(&b, head[w]);
		if (!x->config.n_attrs)
			mdk_buf_adds(&b, "[]");
		else {
			mdk_buf_adds(&b, "[\n");
			for (size_t k = 0; k < x->config.n_attrs; k++)
				mdk_buf_printf(&b, "            {\n              \"%s\": \"%s\"\n            }%s\n",
					       x->config.attrs[k].name, x->config.attrs[k].value,
					       k + 1 < x->config.n_attrs ? "," : "");
			mdk_buf_adds(&b, "          ]");
		}
		mdk_buf_adds(&b, "\n        }\n      }");
		mdk_buf_adds(&b, last ? "\n    ]" : ",\n");
		if (last)
			mdk_buf_adds(&b, i + 1 < l->n ? ",\n" : "\n");
	}
	mdk_buf_adds(&b, "  }\n]\n");
	return mdk_buf_steal(&b);
}

char *mdk_output_list_json(const struct mdk_listing *l, bool single)
{
	if (single && l->n == 1)
		return mdk_output_json_document(mdk_config_to_json(&l->v[0].config));
	if (writable(l))
		return list_json_direct(l);

	struct mdk_parent_listing pl = MDK_PARENT_LISTING_INIT;
	for (size_t i = 0; i < l->n; i++)
		mdk_parent_listing_add(&pl, l->v[i].parent, l->v[i].uuid,
				       mdk_config_to_json(&l->v[i].config));
	return mdk_output_json_document(pl.top);
}
