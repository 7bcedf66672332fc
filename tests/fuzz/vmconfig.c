// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The parsers of `mdevkit xml` and `mdevkit qemu-args`: --libvirt-version
 * and --qemu-version, a program's --version line, --res, and the
 * property listing of `qemu-system-x86_64 -device vfio-pci,help`.  An
 * accepted version prints back to what was parsed; an accepted
 * resolution is within bounds.
 */
#include "fuzz.h"

#include "mdevkit/util.h"
#include "mdevkit/vmconfig.h"

#include <string.h>

static void version(const char *s)
{
	struct mdk_version v, again;

	if (mdk_version_parse(s, &v) == 0) {
		FUZZ_ASSERT(v.major <= 9999 && v.minor <= 9999 && v.micro <= 9999);
		char *text = mdk_asprintf("%u.%u.%u", v.major, v.minor, v.micro);
		FUZZ_ASSERT(mdk_version_parse(text, &again) == 0);
		FUZZ_ASSERT(!memcmp(&v, &again, sizeof(v)));
		FUZZ_ASSERT(mdk_version_at_least(&v, v.major, v.minor, v.micro));
		free(text);
		/* a whole version is also found in a line */
		FUZZ_ASSERT(mdk_version_find(s, &again) == 0 && !memcmp(&v, &again, sizeof(v)));
	}
	(void)mdk_version_find(s, &v);
}

static void resolution(const char *s)
{
	unsigned w = 0, h = 0;

	if (mdk_vm_parse_res(s, &w, &h) == 0)
		FUZZ_ASSERT(w >= 1 && w <= 16384 && h >= 1 && h <= 16384 && strchr(s, 'x'));
}

static void qemu_help(const char *s)
{
	struct mdk_qemu_caps c;

	memset(&c, 0, sizeof(c));
	int n = mdk_qemu_parse_help(s, &c);
	FUZZ_ASSERT(n >= 0);
	for (size_t i = 0; i < MDK_QEMU_NPROPS; i++)
		if (c.has[i]) {
			FUZZ_ASSERT(n > 0);
			FUZZ_ASSERT(strstr(s, mdk_qemu_prop_name(i)));
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = mdk_strndup((const char *)data, size);

	version(s);
	resolution(s);
	qemu_help(s);
	free(s);
	return 0;
}
