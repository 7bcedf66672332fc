// SPDX-License-Identifier: LGPL-2.1-or-later
/* `list` as printed: text, and the JSON of --dumpjson (the definitions of
 * the listed devices, grouped by parent). */
#include "output-internal.h"

#include "mdevkit/output.h"
#include "mdevkit/util.h"

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

char *mdk_output_list_json(const struct mdk_listing *l, bool single)
{
	if (single && l->n == 1)
		return mdk_output_json_document(mdk_config_to_json(&l->v[0].config));

	struct mdk_parent_listing pl = MDK_PARENT_LISTING_INIT;
	for (size_t i = 0; i < l->n; i++)
		mdk_parent_listing_add(&pl, l->v[i].parent, l->v[i].uuid,
				       mdk_config_to_json(&l->v[i].config));
	return mdk_output_json_document(pl.top);
}
