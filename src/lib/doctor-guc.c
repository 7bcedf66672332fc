// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "guc": GuC submission.  i915 refuses to start GVT-g when it
 * submits through the GuC ("Graphics virtualization is not yet supported
 * with GuC submission", intel_gvt.c); enable_guc bit 0 asks for it, bit 1
 * only loads the HuC firmware, -1 lets the platform choose (no GuC
 * submission before Gen12). */
#include "doctor-internal.h"
#include "mdevkit/env.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define CHECK "guc"

int mdk_doctor_check_guc(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	/* only a GVT-g capable GPU makes the answer matter */
	if (!ctx->gen || ctx->gen->support > MDK_DOCTOR_GVT_NO_WINDOWS)
		return 0;

	char *path = mdk_path_module_param("i915", "enable_guc");
	char *text = NULL, *end;
	struct mdk_doctor_finding *f;
	int rc = mdk_doctor_read(path, &text);

	char *module = mdk_path_module("i915");
	bool loaded = access(module, F_OK) == 0;
	free(module);
	if (rc == -ENOENT && !loaded) {
		mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
			       "i915 is not loaded: no enable_guc parameter to read");
	} else if (rc == -ENOENT) {
		mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK,
			       "i915 has no enable_guc parameter: no GuC submission");
	} else if (rc < 0) {
		mdk_doctor_unreadable(r, CHECK, path, -rc);
	} else {
		errno = 0;
		long v = strtol(text, &end, 10);
		if (errno || end == text || *end) {
			f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK,
					   "enable_guc=%s is not a number", text);
			mdk_doctor_fix(f, "check %s: it should hold i915's enable_guc value", path);
		} else if (v > 0 && (v & 1)) {
			f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
					   "enable_guc=%ld: GuC submission is on, and the kernel "
					   "refuses GVT-g with it", v);
			mdk_doctor_fix(f, "boot with i915.enable_guc=0 (kernel command line or "
				       "options i915 enable_guc=0 in /etc/modprobe.d, then update the "
				       "initramfs)");
			mdk_doctor_value_int(f, "enable_guc", v);
		} else {
			f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK, "enable_guc=%ld: %s", v,
					   v < 0 ? "the platform's default, no GuC submission on "
						   "this generation"
					   : v == 0 ? "GuC off"
						    : "HuC loading only, no GuC submission");
			mdk_doctor_value_int(f, "enable_guc", v);
		}
	}
	free(text);
	free(path);
	return 0;
}
