// SPDX-License-Identifier: LGPL-2.1-or-later
/* Checks "kvmgt" and "mdev-modules": kvmgt (the KVM side of GVT-g, which
 * registers the iGPU with the mdev core) is in this kernel, loaded, and
 * loaded again at boot; the mdev core and vfio are in the kernel. */
#include "doctor-internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const mdev_modules[] = { "mdev", "vfio", "vfio_iommu_type1" };

/* In the kernel now: loaded (/sys/module), or built in. */
static bool present(const struct mdk_doctor_kernel *k, const char *module)
{
	struct mdk_error e = MDK_ERROR_INIT;
	int r = mdk_module_loaded(module, &e);

	mdk_error_clear(&e);
	return r > 0 || mdk_kmods_find(&k->kmods, module) == MDK_KMOD_BUILTIN;
}

/* The kernel has no list of its modules to ask: say so once. */
static bool kmods_known(const struct mdk_doctor_kernel *k, struct mdk_doctor_report *r,
			const char *check)
{
	if (k->kmods.release)
		return true;
	struct mdk_doctor_finding *f = mdk_doctor_add(r, MDK_DOCTOR_WARN, check, "%s",
						      mdk_error_msg(&k->kmods_error));
	mdk_doctor_fix(f, "check /proc: the running kernel's release is needed to find its "
		       "modules");
	return false;
}

int mdk_doctor_check_kvmgt(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	if (!ctx->igpu)
		return 0;

	const struct mdk_doctor_kernel *k = mdk_doctor_kernel(ctx);
	struct mdk_doctor_finding *f;

	if (!kmods_known(k, r, "kvmgt"))
		return 0;
	enum mdk_kmod_state st = mdk_kmods_find(&k->kmods, "kvmgt");
	bool loaded = present(k, "kvmgt");
	const struct mdk_modline *at_boot = mdk_modlists_find(&k->lists, "kvmgt");

	if (!loaded && st == MDK_KMOD_ABSENT && k->kmods.n_problems) {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, "kvmgt",
				   "kvmgt is not loaded, and the module lists of kernel %s cannot be "
				   "read (see module-lines)", k->kmods.release);
		mdk_doctor_fix(f, "modprobe kvmgt; if that fails, install this kernel's modules");
	} else if (!loaded && st == MDK_KMOD_ABSENT) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, "kvmgt",
				   "kernel %s has no kvmgt module (not in its modules.dep or "
				   "modules.builtin)", k->kmods.release);
		mdk_doctor_fix(f, "boot a kernel built with CONFIG_DRM_I915_GVT_KVMGT=m (Debian's "
			       "and Ubuntu's are), or install the modules package of this one");
	} else if (!loaded) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, "kvmgt",
				   "kvmgt is not loaded: without it the iGPU has no mdev types");
		if (ctx->gvt_enabled == 0)
			mdk_doctor_fix(f, "turn enable_gvt on first (see enable-gvt): until then "
				       "'modprobe kvmgt' fails with \"could not insert 'kvmgt': No "
				       "such device\"; then add kvmgt to "
				       "/etc/modules-load.d/kvmgt.conf");
		else
			mdk_doctor_fix(f, "modprobe kvmgt, and add kvmgt to "
				       "/etc/modules-load.d/kvmgt.conf so that it loads at boot");
	} else if (st == MDK_KMOD_MODULE && !at_boot) {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, "kvmgt",
				   "kvmgt is loaded, but no file read at boot lists it");
		mdk_doctor_fix(f, "add kvmgt to /etc/modules-load.d/kvmgt.conf, or the vGPUs are "
			       "gone after a reboot");
	} else if (at_boot) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, "kvmgt", "kvmgt is loaded, and %s:%u loads it "
				   "at boot", at_boot->at.file, at_boot->at.line);
	} else {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, "kvmgt", "kvmgt is built into kernel %s",
				   k->kmods.release);
	}
	mdk_doctor_value_str(f, "release", k->kmods.release);
	mdk_doctor_value_str(f, "state", st == MDK_KMOD_BUILTIN ? "builtin"
				 : st == MDK_KMOD_MODULE ? "module" : "absent");
	mdk_doctor_value_int(f, "loaded", loaded);
	return 0;
}

int mdk_doctor_check_mdev_modules(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	const struct mdk_doctor_kernel *k = mdk_doctor_kernel(ctx);
	struct mdk_buf missing = MDK_BUF_INIT;
	struct mdk_doctor_finding *f;
	size_t n = 0;

	for (size_t i = 0; i < MDK_ARRAY_SIZE(mdev_modules); i++)
		if (!present(k, mdev_modules[i]))
			mdk_buf_printf(&missing, "%s%s", n++ ? ", " : "", mdev_modules[i]);
	if (n == 0) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, "mdev-modules",
				   "mdev, vfio and vfio_iommu_type1 are in the kernel");
	} else {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, "mdev-modules", "not in the kernel: %s",
				   missing.data);
		mdk_doctor_fix(f, "they load with kvmgt (or the mdev driver of another parent); "
			       "modprobe %s, and read the kernel log if that fails",
			       n == 1 ? missing.data : "each of them");
		mdk_doctor_value_str(f, "missing", missing.data);
	}
	mdk_buf_free(&missing);
	return 0;
}
