// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevkit.conf (settings.h): whatever is accepted holds values in range;
 * whatever is refused says why and leaves the settings at their defaults.
 */
#include "fuzz.h"

#include "mdevkit/settings.h"

static void settings(const char *text, size_t len)
{
	struct mdk_settings s = MDK_SETTINGS_INIT;
	struct mdk_error e = MDK_ERROR_INIT;

	if (mdk_settings_parse(text, len, "mdevkit.conf", &s, &e) < 0) {
		FUZZ_ASSERT(mdk_error_msg(&e) && *mdk_error_msg(&e));
		FUZZ_ASSERT(!s.vfio_group && !s.vfio_mode && !s.pve_keep_alive);
		FUZZ_ASSERT(s.ready_timeout_sec == MDK_READY_TIMEOUT_SEC_DEFAULT);
		mdk_error_clear(&e);
		return;
	}
	FUZZ_ASSERT(s.ready_timeout_sec <= MDK_READY_TIMEOUT_SEC_MAX);
	FUZZ_ASSERT(!(s.vfio_mode & ~0666u));
	for (size_t i = 0; i < s.n_pve_keep_alive; i++)
		FUZZ_ASSERT(mdk_settings_pve_keep(&s, s.pve_keep_alive[i]));
	mdk_settings_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	settings((const char *)data, size);
	return 0;
}
