// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The validators every name from input goes through: UUIDs (uuid.h) and
 * parent, type and attribute names (names.h).  A parsed UUID is
 * canonical and parses to itself; an accepted name is a safe path
 * component.
 */
#include "fuzz.h"

#include "mdevkit/names.h"
#include "mdevkit/util.h"
#include "mdevkit/uuid.h"

#include <string.h>

static void uuid(const char *s)
{
	mdk_uuid_str out, again;

	if (mdk_uuid_parse(s, out) < 0) {
		FUZZ_ASSERT(out[0] == '\0');
		FUZZ_ASSERT(!mdk_uuid_is_canonical(s));
		return;
	}
	FUZZ_ASSERT(strlen(out) == MDK_UUID_LEN);
	FUZZ_ASSERT(mdk_uuid_is_canonical(out));
	FUZZ_ASSERT(mdk_uuid_parse(out, again) == 0 && !strcmp(out, again));
	FUZZ_ASSERT(mdk_uuid_is_canonical(s) == !strcmp(s, out));
}

static void name(const char *s)
{
	static const enum mdk_name_kind kinds[] = { MDK_NAME_PARENT, MDK_NAME_TYPE,
						    MDK_NAME_ATTRIBUTE };
	struct mdk_error e = MDK_ERROR_INIT;

	for (size_t i = 0; i < MDK_ARRAY_SIZE(kinds); i++) {
		if (mdk_name_check(kinds[i], s, &e) < 0) {
			const char *msg = mdk_error_msg(&e);
			FUZZ_ASSERT(msg && !strchr(msg, '\n'));
			/* garbage is not echoed: the message stays valid UTF-8 */
			FUZZ_ASSERT(mdk_utf8_valid(msg, strlen(msg)));
			mdk_error_clear(&e);
			continue;
		}
		size_t n = strlen(s);
		FUZZ_ASSERT(n >= 1 && n <= MDK_NAME_MAX);
		FUZZ_ASSERT(!strchr(s, '/') && strcmp(s, ".") && strcmp(s, ".."));
		FUZZ_ASSERT(mdk_utf8_valid(s, n));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = mdk_strndup((const char *)data, size);

	uuid(s);
	name(s);
	free(s);
	return 0;
}
