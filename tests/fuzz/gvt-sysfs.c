// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sysfs texts mdevkit-gvt reads about a GPU: a type's `description`
 * (mdk_gvt_parse_description), the PCI `resource` file
 * (mdk_gvt_parse_resource) and type names (mdk_gvt_parse_name).  The
 * input is one NUL-terminated text, as a file read gives it.
 */
#include "fuzz.h"

#include "mdevkit/gvt.h"
#include "mdevkit/util.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = mdk_strndup((const char *)data, size);
	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_gvt_desc d;
	unsigned long long aperture;
	unsigned version;
	size_t index;

	if (mdk_gvt_parse_description(text, &d, &e) == 0) {
		FUZZ_ASSERT(strlen(d.resolution) < sizeof(d.resolution));
		int i = mdk_gvt_desc_index(&d);
		FUZZ_ASSERT(i >= -1 && i < MDK_GVT_NTYPES);
	} else {
		FUZZ_ASSERT(mdk_error_msg(&e) && *mdk_error_msg(&e));
		mdk_error_clear(&e);
	}
	if (mdk_gvt_parse_resource(text, &aperture, &e) == 0) {
		FUZZ_ASSERT(aperture >= 1);
	} else {
		FUZZ_ASSERT(mdk_error_msg(&e) && *mdk_error_msg(&e));
		mdk_error_clear(&e);
	}
	if (mdk_gvt_parse_name(text, &version, &index) == 0) {
		FUZZ_ASSERT(index < MDK_GVT_NTYPES && (version == 4 || version == 5));
		char *name = mdk_gvt_type_name(version, index);
		FUZZ_ASSERT(!strcmp(name, text));
		free(name);
	}
	free(text);
	return 0;
}
