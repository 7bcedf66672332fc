// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The domain XML of mdevkit's libvirt hook (hook_domain_parse): whatever
 * parses names a canonical domain UUID and at most HOOK_DOMAIN_MDEVS_MAX
 * canonical, distinct mdev UUIDs; whatever fails says why in one line.
 */
#include "fuzz.h"

#include "../../src/libvirt-hook/domain-xml.h"

#include <libxml/parser.h>
#include <string.h>

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hook_domain d;
	struct mdk_error e = MDK_ERROR_INIT;

	if (hook_domain_parse((const char *)data, size, &d, &e) < 0) {
		FUZZ_ASSERT(e.depth > 0 && !strchr(mdk_error_msg(&e), '\n'));
		mdk_error_clear(&e);
		return 0;
	}
	FUZZ_ASSERT(mdk_uuid_is_canonical(d.uuid));
	FUZZ_ASSERT(d.n_mdevs <= HOOK_DOMAIN_MDEVS_MAX);
	for (size_t i = 0; i < d.n_mdevs; i++) {
		FUZZ_ASSERT(mdk_uuid_is_canonical(d.mdevs[i]));
		for (size_t j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(d.mdevs[i], d.mdevs[j]));
	}
	hook_domain_free(&d);
	return 0;
}
