// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Definition files and --jsonfile input (mdk_config_parse), and the
 * attribute list of "get attributes" (mdk_attrs_parse).  Whatever parses
 * must survive format -> parse unchanged, in both the file (pretty) and
 * the callout (compact) form.
 */
#include "fuzz.h"

#include "mdevkit/config.h"

#include <string.h>

static bool same_attrs(const struct mdk_attr *a, size_t na, const struct mdk_attr *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].name, b[i].name) || strcmp(a[i].value, b[i].value))
			return false;
	return true;
}

static bool same_config(const struct mdk_config *a, const struct mdk_config *b)
{
	return !strcmp(a->type, b->type) && a->autostart == b->autostart &&
	       same_attrs(a->attrs, a->n_attrs, b->attrs, b->n_attrs);
}

/* text, written from c, reads back as c and writes the same bytes again */
static void round_trip(const struct mdk_config *c, char *text, char *(*format)(const struct mdk_config *))
{
	struct mdk_config again = MDK_CONFIG_INIT;
	struct mdk_error e = MDK_ERROR_INIT;

	FUZZ_ASSERT(mdk_config_parse(text, strlen(text), &again, &e) == 0);
	FUZZ_ASSERT(same_config(c, &again));
	char *text2 = format(&again);
	FUZZ_ASSERT(!strcmp(text, text2));
	free(text2);
	mdk_config_free(&again);
	free(text);
}

static void definition(const char *text, size_t len)
{
	struct mdk_config c = MDK_CONFIG_INIT;
	struct mdk_error e = MDK_ERROR_INIT;

	if (mdk_config_parse(text, len, &c, &e) < 0) {
		FUZZ_ASSERT(mdk_error_msg(&e) && *mdk_error_msg(&e));
		FUZZ_ASSERT(c.type == NULL && c.n_attrs == 0);
		mdk_error_clear(&e);
		return;
	}
	FUZZ_ASSERT(c.type != NULL);
	round_trip(&c, mdk_config_format(&c), mdk_config_format);
	round_trip(&c, mdk_config_format_compact(&c), mdk_config_format_compact);
	mdk_config_free(&c);
}

static void attributes(const char *text, size_t len)
{
	struct mdk_attr *attrs;
	size_t n;
	struct mdk_error e = MDK_ERROR_INIT;

	if (mdk_attrs_parse(text, len, &attrs, &n, &e) < 0) {
		FUZZ_ASSERT(mdk_error_msg(&e) && *mdk_error_msg(&e));
		FUZZ_ASSERT(attrs == NULL && n == 0);
		mdk_error_clear(&e);
		return;
	}
	/* the attributes as a definition's, and back */
	struct mdk_config c = MDK_CONFIG_INIT, again = MDK_CONFIG_INIT;
	mdk_config_set_type(&c, "t");
	mdk_config_append_attrs(&c, attrs, n);
	char *text2 = mdk_config_format_compact(&c);
	FUZZ_ASSERT(mdk_config_parse(text2, strlen(text2), &again, &e) == 0);
	FUZZ_ASSERT(same_attrs(attrs, n, again.attrs, again.n_attrs));
	free(text2);
	mdk_config_free(&again);
	mdk_config_free(&c);
	mdk_attrs_free(attrs, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	definition((const char *)data, size);
	attributes((const char *)data, size);
	return 0;
}
