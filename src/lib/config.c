// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One definition: in memory, parsed, written.  The JSON this file owns is
 * the definition itself (a file, --jsonfile, a callout's stdin), the
 * attribute list a callout prints for "get attributes", and the rules
 * every other document follows: the strict reader and serde_json's
 * printing, lent to output-*.c through config-internal.h.
 */
#include "config-internal.h"

#include "mdevkit/util.h"

#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the definition in memory ------------------------------------------ */

void mdk_attrs_free(struct mdk_attr *attrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(attrs[i].name);
		free(attrs[i].value);
	}
	free(attrs);
}

void mdk_config_free(struct mdk_config *c)
{
	free(c->type);
	mdk_attrs_free(c->attrs, c->n_attrs);
	*c = (struct mdk_config)MDK_CONFIG_INIT;
}

void mdk_config_set_type(struct mdk_config *c, const char *type)
{
	char *t = type ? mdk_strdup(type) : NULL;

	free(c->type);
	c->type = t;
}

void mdk_config_insert_attr(struct mdk_config *c, size_t index, const char *name, const char *value)
{
	if (index > c->n_attrs)
		index = c->n_attrs;
	c->attrs = mdk_reallocarray(c->attrs, c->n_attrs + 1, sizeof(*c->attrs));
	memmove(&c->attrs[index + 1], &c->attrs[index], (c->n_attrs - index) * sizeof(*c->attrs));
	c->attrs[index].name = mdk_strdup(name);
	c->attrs[index].value = mdk_strdup(value);
	c->n_attrs++;
}

void mdk_config_delete_attr(struct mdk_config *c, size_t index)
{
	if (index >= c->n_attrs)
		return;
	free(c->attrs[index].name);
	free(c->attrs[index].value);
	memmove(&c->attrs[index], &c->attrs[index + 1], (c->n_attrs - index - 1) * sizeof(*c->attrs));
	c->n_attrs--;
}

void mdk_config_append_attrs(struct mdk_config *c, const struct mdk_attr *attrs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mdk_config_insert_attr(c, c->n_attrs, attrs[i].name, attrs[i].value);
}

void mdk_config_copy(struct mdk_config *dst, const struct mdk_config *src)
{
	struct mdk_config c = MDK_CONFIG_INIT;

	c.type = src->type ? mdk_strdup(src->type) : NULL;
	c.autostart = src->autostart;
	mdk_config_append_attrs(&c, src->attrs, src->n_attrs);
	mdk_config_free(dst);
	*dst = c;
}

/* ---- reading JSON ---------------------------------------------------------- */

static void line_col(const char *text, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, start = 0;

	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n') {
			l++;
			start = i + 1;
		}
	*line = l;
	*col = off - start;
}

static bool only_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

static json_tokener *strict_tokener(void)
{
	json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);

	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	return tok;
}

/* One strict json-c pass over text[0, len) with reuse (NULL: a tokener of
 * its own); terminated: text[len] is a NUL.  The object, or NULL with
 * *err and *end (where it stopped) set. */
static json_object *tokenize(json_tokener *reuse, const char *text, size_t len, bool terminated,
			     enum json_tokener_error *err, size_t *end)
{
	json_tokener *tok = reuse ? reuse : strict_tokener();

	json_tokener_reset(tok);
	/* an empty text gives "continue"; a number at the very end is only
	 * complete once the tokener sees a terminating NUL, hence len + 1 */
	char *copy = terminated ? NULL : mdk_strndup(text, len);
	json_object *obj = json_tokener_parse_ex(tok, copy ? copy : text, (int)len + 1);
	*err = json_tokener_get_error(tok);
	*end = json_tokener_get_parse_end(tok);
	if (!reuse)
		json_tokener_free(tok);
	free(copy);
	return *err == json_tokener_success ? obj : NULL;
}

/* json-c's strict mode still takes NaN and Infinity, which serde refuses;
 * and strings must stay UTF-8 whatever escapes made them. */
static bool strictly_json(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_double:
		return isfinite(json_object_get_double(o));
	case json_type_string:
		return mdk_utf8_valid(json_object_get_string(o), (size_t)json_object_get_string_len(o));
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (!strictly_json(json_object_array_get_idx(o, i)))
				return false;
		return true;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			if (!mdk_utf8_valid(key, strlen(key)) || !strictly_json(val))
				return false;
		}
		return true;
	}
	default:
		return true;
	}
}

/* serde_json's checks, in its order, with its words where it has them */
static int json_parse(json_tokener *tok, const char *text, size_t len, bool terminated,
		      json_object **out, struct mdk_error *e)
{
	size_t line, col, end, end2;
	enum json_tokener_error jerr, jerr2;

	*out = NULL;
	if (memchr(text, '\0', len)) {
		line_col(text, (size_t)((const char *)memchr(text, '\0', len) - text), &line, &col);
		return mdk_fail(e, "JSON syntax error at line %zu column %zu: NUL byte", line, col + 1);
	}
	if (!mdk_utf8_valid(text, len))
		return mdk_fail(e, "JSON syntax error: the text is not valid UTF-8");
	if (len > INT_MAX - 1)
		return mdk_fail(e, "JSON text too large");
	if (only_space(text, len))
		return mdk_fail(e, "JSON syntax error: the text is empty");

	json_object *obj = tokenize(tok, text, len, terminated, &jerr, &end);
	if (jerr == json_tokener_success) {
		if (!strictly_json(obj)) {
			json_object_put(obj);
			return mdk_fail(e, "JSON syntax error: NaN and Infinity are not JSON");
		}
		*out = obj;
		return 0;
	}
	if (end > len)
		end = len;
	line_col(text, end, &line, &col);
	/* json-c stops at the first byte after a complete value; serde calls
	 * that "trailing characters" */
	json_object *prefix = end ? tokenize(tok, text, end, false, &jerr2, &end2) : NULL;
	if (prefix || (end && jerr2 == json_tokener_success)) {
		json_object_put(prefix);
		return mdk_fail(e, "JSON syntax error at line %zu column %zu: trailing characters", line,
				col + 1);
	}
	return mdk_fail(e, "JSON syntax error at line %zu column %zu: %s", line, col + 1,
			json_tokener_error_desc(jerr));
}

int mdk_json_parse(const char *text, size_t len, json_object **out, struct mdk_error *e)
{
	return json_parse(NULL, text, len, false, out, e);
}

json_object *mdk_json_get(json_object *obj, const char *key)
{
	json_object *v = NULL;

	if (!json_object_is_type(obj, json_type_object))
		return NULL;
	json_object_object_get_ex(obj, key, &v);
	return v; /* a JSON null is NULL too, as serde's Value::Null */
}

/* json-c hands out C strings; a "\u0000" inside would silently cut them. */
static bool has_nul(json_object *str)
{
	return strlen(json_object_get_string(str)) != (size_t)json_object_get_string_len(str);
}

static int parse_attrs(json_object *arr, struct mdk_attr **attrs, size_t *n, struct mdk_error *e)
{
	struct mdk_config tmp = MDK_CONFIG_INIT;

	*attrs = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return mdk_fail(e, "attributes field is not an array");
	size_t len = json_object_array_length(arr);
	for (size_t i = 0; i < len; i++) {
		json_object *el = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(el, json_type_object)) {
			mdk_config_free(&tmp);
			return mdk_fail(e, "invalid JSON format for attribute: not an object");
		}
		if (json_object_object_length(el) != 1) {
			mdk_config_free(&tmp);
			return mdk_fail(e, "invalid JSON format for attribute: too many fields");
		}
		json_object_object_foreach(el, key, val) {
			if (!json_object_is_type(val, json_type_string)) {
				const char *vt = json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN |
										JSON_C_TO_STRING_NOSLASHESCAPE);
				int r = mdk_fail(e, "invalid JSON format for attribute {\"%s\", %s}: "
						 "value must be of type str", key, vt);
				mdk_config_free(&tmp);
				return r;
			}
			if (has_nul(val)) {
				mdk_config_free(&tmp);
				return mdk_fail(e, "invalid JSON format for attribute \"%s\": the value contains a NUL character", key);
			}
			mdk_config_insert_attr(&tmp, tmp.n_attrs, key, json_object_get_string(val));
		}
	}
	*attrs = tmp.attrs;
	*n = tmp.n_attrs;
	return 0;
}

struct mdk_config_reader {
	json_tokener *tok;
};

struct mdk_config_reader *mdk_config_reader_new(void)
{
	struct mdk_config_reader *r = mdk_calloc(1, sizeof(*r));

	r->tok = strict_tokener();
	return r;
}

void mdk_config_reader_free(struct mdk_config_reader *r)
{
	if (!r)
		return;
	json_tokener_free(r->tok);
	free(r);
}

static int config_parse(json_tokener *tok, const char *text, size_t len, bool terminated,
			struct mdk_config *out, struct mdk_error *e)
{
	json_object *root;
	struct mdk_config c = MDK_CONFIG_INIT;
	int r = json_parse(tok, text, len, terminated, &root, e);

	if (r < 0)
		return r;
	json_object *type = mdk_json_get(root, "mdev_type");
	json_object *start = mdk_json_get(root, "start");
	if (!type || !start) {
		r = mdk_fail(e, "invalid json");
		goto out;
	}
	if (!json_object_is_type(type, json_type_string)) {
		r = mdk_fail(e, "invalid json: mdev_type must be a string");
		goto out;
	}
	if (has_nul(type)) {
		r = mdk_fail(e, "invalid json: mdev_type contains a NUL character");
		goto out;
	}
	c.type = mdk_strdup(json_object_get_string(type));
	c.autostart = json_object_is_type(start, json_type_string) &&
		      !strcmp(json_object_get_string(start), "auto");
	r = parse_attrs(mdk_json_get(root, "attrs"), &c.attrs, &c.n_attrs, e);
	if (r < 0)
		goto out;
	mdk_config_free(out);
	*out = c;
	c = (struct mdk_config)MDK_CONFIG_INIT;
out:
	mdk_config_free(&c);
	json_object_put(root);
	return r;
}

int mdk_config_parse(const char *text, size_t len, struct mdk_config *out, struct mdk_error *e)
{
	return config_parse(NULL, text, len, false, out, e);
}

int mdk_config_parse_with(struct mdk_config_reader *reader, const char *text, size_t len,
			  struct mdk_config *out, struct mdk_error *e)
{
	return config_parse(reader->tok, text, len, true, out, e);
}

int mdk_config_read_file(const char *path, const char *what, struct mdk_config *out,
			 struct mdk_error *e)
{
	char *text;
	size_t len;
	/* a pipe has no size, so read with a generous bound */
	int r = mdk_read_file(path, 16 << 20, &text, &len);

	if (r < 0)
		return mdk_fail_errno(e, -r, "%s \"%s\"", what, path);
	r = mdk_config_parse(text, len, out, e);
	free(text);
	return r;
}

int mdk_attrs_parse(const char *text, size_t len, struct mdk_attr **attrs, size_t *n,
		    struct mdk_error *e)
{
	json_object *root;

	while (len && text[len - 1] == '\0')
		len--;
	*attrs = NULL;
	*n = 0;
	if (len == 0 || (len == 4 && !memcmp(text, "[{}]", 4)))
		return 0;
	if (mdk_json_parse(text, len, &root, e) < 0)
		return mdk_wrap(e, "Invalid JSON received from callout script");
	int r = parse_attrs(root, attrs, n, e);
	json_object_put(root);
	return r;
}

/* ---- writing JSON ---------------------------------------------------------- */

/* serde_json prints empty containers as [] and {}; json-c's pretty printer
 * would spread them over two lines. */
static int print_empty_array(json_object *o, struct printbuf *pb, int level, int flags)
{
	(void)o, (void)level, (void)flags;
	return printbuf_strappend(pb, "[]");
}

static int print_empty_object(json_object *o, struct printbuf *pb, int level, int flags)
{
	(void)o, (void)level, (void)flags;
	return printbuf_strappend(pb, "{}");
}

void mdk_json_serde_style(json_object *o)
{
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		if (n == 0)
			json_object_set_serializer(o, print_empty_array, NULL, NULL);
		for (size_t i = 0; i < n; i++)
			mdk_json_serde_style(json_object_array_get_idx(o, i));
	} else if (json_object_is_type(o, json_type_object)) {
		if (json_object_object_length(o) == 0)
			json_object_set_serializer(o, print_empty_object, NULL, NULL);
		json_object_object_foreach(o, key, val) {
			(void)key;
			mdk_json_serde_style(val);
		}
	}
}

char *mdk_json_to_text(json_object *o, bool pretty)
{
	int flags = pretty ? MDK_JSON_PRETTY_FLAGS
			   : JSON_C_TO_STRING_NOSLASHESCAPE | JSON_C_TO_STRING_PLAIN;

	mdk_json_serde_style(o);
	char *s = mdk_strdup(json_object_to_json_string_ext(o, flags));
	json_object_put(o);
	return s;
}

json_object *mdk_json_new_string(const char *s)
{
	json_object *o = json_object_new_string(s ? s : "");

	if (!o)
		abort();
	return o;
}

json_object *mdk_json_new_object(void)
{
	json_object *o = json_object_new_object();

	if (!o)
		abort();
	return o;
}

json_object *mdk_json_new_array(void)
{
	json_object *o = json_object_new_array();

	if (!o)
		abort();
	return o;
}

json_object *mdk_attrs_to_json(const struct mdk_attr *attrs, size_t n)
{
	json_object *array = mdk_json_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *a = mdk_json_new_object();
		/* _ex with a fresh key: duplicates across objects are fine */
		json_object_object_add(a, attrs[i].name, mdk_json_new_string(attrs[i].value));
		json_object_array_add(array, a);
	}
	return array;
}

json_object *mdk_config_to_json(const struct mdk_config *c)
{
	json_object *o = mdk_json_new_object();

	json_object_object_add(o, "mdev_type", mdk_json_new_string(c->type));
	json_object_object_add(o, "start", mdk_json_new_string(c->autostart ? "auto" : "manual"));
	json_object_object_add(o, "attrs", mdk_attrs_to_json(c->attrs, c->n_attrs));
	return o;
}

void mdk_config_json_update(json_object *o, const struct mdk_config *c)
{
	json_object *v;

	json_object_object_get_ex(o, "mdev_type", &v);
	json_object_set_string(v, c->type ? c->type : "");
	json_object_object_get_ex(o, "start", &v);
	json_object_set_string(v, c->autostart ? "auto" : "manual");
	json_object_object_get_ex(o, "attrs", &v);
	/* an empty list stays as it is (serde style and all) */
	if (c->n_attrs || json_object_array_length(v))
		json_object_object_add(o, "attrs", mdk_attrs_to_json(c->attrs, c->n_attrs));
}

char *mdk_config_format(const struct mdk_config *c)
{
	return mdk_json_to_text(mdk_config_to_json(c), true);
}

char *mdk_config_format_compact(const struct mdk_config *c)
{
	return mdk_json_to_text(mdk_config_to_json(c), false);
}
