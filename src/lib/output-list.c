// SPDX-License-Identifier: LGPL-2.1-or-later
/* `list` as printed: text, and the JSON of --dumpjson (the definitions of
 * the listed devices, grouped by parent). */
#include "output-internal.h"

#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mdk_output_list_text(const struct mdk_listing *l, bool defined, bool verbose, FILE *out)
{
	int r = 0;

	/* straight into stdio's buffer: a long listing is never held whole */
	for (size_t i = 0; i < l->n; i++) {
		const struct mdk_listed *x = &l->v[i];
		/* "uuid parent type start[ mark]", pieced together: printf
		 * costs more than the rest of a line of a long listing */
		const char *words[] = { x->uuid, " ", x->parent, " ", x->config.type, " ",
					x->config.autostart ? "auto" : "manual",
					!x->mark ? "" : defined ? " (active)" : " (defined)", "\n" };
		for (size_t w = 0; w < MDK_ARRAY_SIZE(words); w++)
			r |= fputs(words[w] ? words[w] : "(null)", out);
		if (!verbose || !x->config.n_attrs)
			continue;
		r |= fputs("  Attrs:\n", out);
		/* not JSON-escaped: mdevctl prints the raw strings */
		for (size_t k = 0; k < x->config.n_attrs; k++)
			r |= fprintf(out, "    @{%zu}: {\"%s\":\"%s\"}\n", k, x->config.attrs[k].name,
				     x->config.attrs[k].value);
	}
	/* mdevctl 1.2 and 1.3.0 end every listing with one blank line */
	r |= fputs("\n", out);
	return r < 0 ? -EIO : 0;
}

/*
 * --dumpjson of a long listing, written as json-c prints it rather than
 * after building the whole tree (three json-c objects per definition,
 * about 2 KiB each: 10,000 definitions made a peak of 29 MiB).
 *
 * The tree is the document's skeleton: the parents in order, each with an
 * array of empty slots, one per definition.  A definition's entry
 * {"<uuid>": {"mdev_type", "start", "attrs"}} exists only while json-c
 * prints around it: its "start" string carries a serializer that prints
 * what json-c prints for that string and, in passing, puts the next
 * entry into its slot (json-c's array printer fetches each element when
 * it reaches it), made of the objects of the entry printed before the
 * last, and hands the text printed so far to the stream.  Every byte is
 * json-c's.
 */
struct json_stream {
	const struct mdk_listing *l;
	json_object *parents;
	/* the array and slot of the last entry made, and of the one before */
	json_object *arr[2];
	size_t slot[2];
	size_t next; /* the listing's next definition to make an entry of */
	json_object *start_text[2]; /* "manual", "auto": what a start prints */
	FILE *out;
	int err;
};

static int print_start(json_object *jso, struct printbuf *pb, int level, int flags);

/* The entry of the next definition into its slot; the one before the
 * last made is printed by now and lends its objects. */
static void stream_advance(struct json_stream *s)
{
	const struct mdk_listing *l = s->l;

	if (s->next >= l->n)
		return;
	const struct mdk_listed *x = &l->v[s->next];
	json_object *arr = s->arr[0];
	size_t slot = s->slot[0] + 1;
	if (!arr || strcmp(l->v[s->next - 1].parent, x->parent)) {
		json_object_object_get_ex(s->parents, x->parent, &arr);
		slot = 0;
	}
	json_object *entry, *def = NULL;
	if (s->arr[1]) {
		/* the entry printed before the last: its objects are reused */
		entry = json_object_get(json_object_array_get_idx(s->arr[1], s->slot[1]));
		json_object_array_put_idx(s->arr[1], s->slot[1], NULL);
		json_object_object_foreach(entry, uuid, old) {
			def = json_object_get(old);
			json_object_object_del(entry, uuid);
			break;
		}
		mdk_config_json_update(def, &x->config);
	} else {
		entry = mdk_json_new_object();
		def = mdk_config_to_json(&x->config);
		json_object *start = NULL;
		json_object_object_get_ex(def, "start", &start);
		json_object_set_serializer(start, print_start, s, NULL);
	}
	json_object_object_add(entry, x->uuid, def);
	mdk_json_serde_style(entry);
	s->arr[1] = s->arr[0];
	s->slot[1] = s->slot[0];
	s->arr[0] = arr;
	s->slot[0] = slot;
	json_object_array_put_idx(arr, slot, entry);
	s->next++;
}

/* A definition's "start": json-c's text for the string, then the stream
 * moves on. */
static int print_start(json_object *jso, struct printbuf *pb, int level, int flags)
{
	struct json_stream *s = json_object_get_userdata(jso);
	json_object *twin = s->start_text[!strcmp(json_object_get_string(jso), "auto")];
	size_t len;
	const char *text = json_object_to_json_string_length(twin, flags, &len);

	(void)level;
	if (printbuf_memappend(pb, text, (int)len) < 0)
		return -1;
	stream_advance(s);
	if (fwrite(pb->buf, 1, (size_t)pb->bpos, s->out) != (size_t)pb->bpos)
		s->err = -EIO;
	printbuf_reset(pb);
	return 0;
}

static int list_json_stream(const struct mdk_listing *l, FILE *out)
{
	struct json_stream s = { .l = l, .out = out };
	json_object *top = mdk_json_new_array();
	size_t len;

	s.parents = mdk_json_new_object();
	json_object_array_add(top, s.parents);
	/* the skeleton: each parent with as many empty slots as it has
	 * definitions */
	for (size_t i = 0, k; i < l->n; i = k) {
		for (k = i + 1; k < l->n && !strcmp(l->v[k].parent, l->v[i].parent); k++)
			;
		json_object *arr = json_object_new_array_ext((int)(k - i));
		if (!arr)
			abort();
		json_object_array_put_idx(arr, k - i - 1, NULL);
		json_object_object_add(s.parents, l->v[i].parent, arr);
	}
	s.start_text[0] = mdk_json_new_string("manual");
	s.start_text[1] = mdk_json_new_string("auto");
	stream_advance(&s);
	const char *text = json_object_to_json_string_length(top, MDK_JSON_PRETTY_FLAGS, &len);
	if (fwrite(text, 1, len, out) != len || fputc('\n', out) == EOF)
		s.err = -EIO;
	json_object_put(top);
	json_object_put(s.start_text[0]);
	json_object_put(s.start_text[1]);
	return s.err;
}

/* Each parent's definitions together, as the skeleton has them (a listing
 * is sorted by parent). */
static bool grouped_by_parent(const struct mdk_listing *l)
{
	for (size_t i = 1; i < l->n; i++)
		if (strcmp(l->v[i - 1].parent, l->v[i].parent) > 0)
			return false;
	return true;
}

int mdk_output_list_json(const struct mdk_listing *l, bool single, FILE *out)
{
	if (l->n && !(single && l->n == 1) && grouped_by_parent(l))
		return list_json_stream(l, out);

	char *text;
	if (single && l->n == 1) {
		text = mdk_output_json_document(mdk_config_to_json(&l->v[0].config));
	} else {
		struct mdk_parent_listing pl = MDK_PARENT_LISTING_INIT;
		for (size_t i = 0; i < l->n; i++)
			mdk_parent_listing_add(&pl, l->v[i].parent, l->v[i].uuid,
					       mdk_config_to_json(&l->v[i].config));
		text = mdk_output_json_document(pl.top);
	}
	int r = fputs(text, out) == EOF ? -EIO : 0;
	free(text);
	return r;
}
