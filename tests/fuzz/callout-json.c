// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What callouts print and mdevctl sends them: the capabilities object
 * (mdk_json_caps_parse, under "provides" and "supports") and the
 * "get attributes" list (mdk_attrs_parse).  Parsed capabilities written
 * back with mdk_json_capabilities, and parsed attributes written back with
 * mdk_json_attrs, must read back the same.
 */
#include "fuzz.h"

#include "mdevkit/config.h"
#include "mdevkit/output.h"

#include <string.h>

static size_t count(char **v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

static bool same_strv(char **a, char **b)
{
	size_t n = count(a);

	if (n != count(b))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

static void capabilities(const char *text, size_t len, const char *key)
{
	struct mdk_json_caps c, again;

	if (!mdk_json_caps_parse(text, len, key, &c)) {
		FUZZ_ASSERT(c.actions == NULL && c.events == NULL);
		return;
	}
	FUZZ_ASSERT(c.actions && c.events);
	char *out = mdk_json_capabilities(key, c.version, (const char *const *)c.actions,
					  count(c.actions), (const char *const *)c.events,
					  count(c.events));
	FUZZ_ASSERT(mdk_json_caps_parse(out, strlen(out), key, &again) == 1);
	FUZZ_ASSERT(again.version == c.version);
	FUZZ_ASSERT(same_strv(c.actions, again.actions));
	FUZZ_ASSERT(same_strv(c.events, again.events));
	mdk_json_caps_free(&again);
	mdk_json_caps_free(&c);
	free(out);
}

static void attributes(const char *text, size_t len)
{
	struct mdk_attr *attrs;
	size_t n;
	struct mdk_error e = MDK_ERROR_INIT;

	if (mdk_attrs_parse(text, len, &attrs, &n, &e) < 0) {
		FUZZ_ASSERT(attrs == NULL && n == 0);
		mdk_error_clear(&e);
		return;
	}
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(attrs[i].name && attrs[i].value);

	struct mdk_attr *again;
	size_t n_again;
	char *out = mdk_json_attrs(attrs, n);
	FUZZ_ASSERT(mdk_attrs_parse(out, strlen(out), &again, &n_again, &e) == 0);
	FUZZ_ASSERT(n_again == n);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(!strcmp(attrs[i].name, again[i].name) &&
			    !strcmp(attrs[i].value, again[i].value));
	mdk_attrs_free(again, n_again);
	mdk_attrs_free(attrs, n);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;

	capabilities(text, size, "provides");
	capabilities(text, size, "supports");
	attributes(text, size);
	return 0;
}
