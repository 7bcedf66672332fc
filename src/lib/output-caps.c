// SPDX-License-Identifier: LGPL-2.1-or-later
/* The capabilities callouts exchange (mdevctl 1.3+, version 2): what
 * mdevctl "provides" on a script's stdin and what the script "supports"
 * in its answer.  Both are written and read here. */
#include "config-internal.h"

#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <stdint.h>
#include <string.h>

static json_object *string_array(const char *const *v, size_t n)
{
	json_object *a = mdk_json_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, mdk_json_new_string(v[i]));
	return a;
}

char *mdk_json_capabilities(const char *key, uint32_t version,
			    const char *const *actions, size_t n_actions,
			    const char *const *events, size_t n_events)
{
	json_object *caps = mdk_json_new_object();
	json_object *top = mdk_json_new_object();

	json_object_object_add(caps, "version", json_object_new_int64(version));
	json_object_object_add(caps, "actions", string_array(actions, n_actions));
	json_object_object_add(caps, "events", string_array(events, n_events));
	json_object_object_add(top, key, caps);
	return mdk_json_to_text(top, false);
}

char *mdk_json_attrs(const struct mdk_attr *attrs, size_t n)
{
	return mdk_json_to_text(mdk_attrs_to_json(attrs, n), false);
}

static char **strings_of(json_object *arr)
{
	if (!json_object_is_type(arr, json_type_array))
		return NULL;
	size_t n = json_object_array_length(arr);
	char **v = mdk_calloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(s, json_type_string)) {
			mdk_strv_free(v);
			return NULL;
		}
		v[i] = mdk_strdup(json_object_get_string(s));
	}
	return v;
}

void mdk_json_caps_free(struct mdk_json_caps *c)
{
	mdk_strv_free(c->actions);
	mdk_strv_free(c->events);
	c->actions = c->events = NULL;
}

int mdk_json_caps_parse(const char *text, size_t len, const char *key, struct mdk_json_caps *out)
{
	struct mdk_error e = MDK_ERROR_INIT;
	json_object *root;
	int ok = 0;

	while (len && text[len - 1] == '\0')
		len--;
	memset(out, 0, sizeof(*out));
	if (mdk_json_parse(text, len, &root, &e) < 0) {
		mdk_error_clear(&e);
		return 0;
	}
	json_object *caps = mdk_json_get(root, key);
	json_object *version = mdk_json_get(caps, "version");
	if (caps && json_object_is_type(caps, json_type_object) &&
	    json_object_is_type(version, json_type_int) &&
	    json_object_get_int64(version) >= 0 && json_object_get_int64(version) <= UINT32_MAX) {
		out->version = (uint32_t)json_object_get_int64(version);
		out->actions = strings_of(mdk_json_get(caps, "actions"));
		out->events = strings_of(mdk_json_get(caps, "events"));
		ok = out->actions && out->events;
		if (!ok)
			mdk_json_caps_free(out);
	}
	json_object_put(root);
	return ok;
}
