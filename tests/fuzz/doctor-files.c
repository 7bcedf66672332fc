// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The small parsers of `mdevkit doctor`'s checks, from any text: the
 * version in a --version line and the programs a udev rule runs.  What
 * they hand out lies in the input: a program is an absolute path without
 * blanks.  (Proxmox VE VM configurations are pve.h's: pve-config.c.)
 */
#include "fuzz.h"

#include "../../src/lib/doctor-internal.h"
#include "mdevkit/util.h"

#include <string.h>

struct span {
	const char *start, *end;
};

static void program(const char *path, size_t len, void *userdata)
{
	const struct span *s = userdata;

	FUZZ_ASSERT(path >= s->start && path + len <= s->end && len >= 2);
	FUZZ_ASSERT(path[0] == '/' && !memchr(path, ' ', len) && !memchr(path, '"', len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = mdk_strndup((const char *)data, size);
	struct span s = { text, text + strlen(text) };
	unsigned v[3];

	if (mdk_doctor_parse_version(text, v) == 0)
		FUZZ_ASSERT(v[0] < 100000 && v[1] < 100000 && v[2] < 100000);
	mdk_doctor_rule_programs(text, program, &s);
	free(text);
	return 0;
}
