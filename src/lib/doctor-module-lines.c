// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "module-lines": lines of /etc/modules, modules-load.d and
 * /etc/initramfs-tools/modules that name modules this kernel does not
 * have (old GVT-g recipes name modules that are gone), and modprobe.d
 * lines that keep the GVT-g modules from loading. */
#include "doctor-internal.h"
#include "mdevkit/names.h"

#include <stdlib.h>
#include <string.h>

#define CHECK "module-lines"

/* Modules that old recipes name, and where they went. */
static const struct {
	const char *module;
	const char *why;
} gone[] = {
	{ "vfio_virqfd", "it was merged into vfio in Linux 6.2" },
	{ "vfio_mdev", "it was merged into mdev in Linux 5.16" },
	{ "exngt", "it was never part of the kernel (an early GVT-g recipe)" },
	{ "kvmgt", "this kernel was built without CONFIG_DRM_I915_GVT_KVMGT" },
};

/* The modules whose loading GVT-g needs. */
static const char *const needed[] = { "i915", "kvmgt", "mdev", "vfio", "vfio_iommu_type1" };

static const char *why_gone(const char *module)
{
	for (size_t i = 0; i < MDK_ARRAY_SIZE(gone); i++)
		if (mdk_modname_eq(gone[i].module, module))
			return gone[i].why;
	return "this kernel has no such module";
}

static bool missing(const struct mdk_doctor_kernel *k, const char *module)
{
	struct mdk_error e = MDK_ERROR_INIT;
	int loaded;

	if (mdk_name_check(MDK_NAME_MODULE, module, &e) < 0 || strpbrk(module, " \t/")) {
		mdk_error_clear(&e);
		return true;
	}
	loaded = mdk_module_loaded(module, &e);
	mdk_error_clear(&e);
	return loaded == 0 && mdk_kmods_find(&k->kmods, module) == MDK_KMOD_ABSENT;
}

static unsigned stale_lines(const struct mdk_doctor_kernel *k, struct mdk_doctor_report *r)
{
	unsigned n = 0;

	for (size_t i = 0; i < k->lists.n; i++) {
		const struct mdk_modline *l = &k->lists.v[i];
		if (!missing(k, l->module))
			continue;
		n++;
		struct mdk_doctor_finding *f =
			mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK, "%s:%u names %s: %s", l->at.file,
				       l->at.line, l->module, why_gone(l->module));
		if (l->kind == MDK_MODLIST_INITRAMFS)
			mdk_doctor_fix(f, "remove line %u of %s, then run update-initramfs -u",
				       l->at.line, l->at.file);
		else
			mdk_doctor_fix(f, "remove line %u of %s: systemd-modules-load.service fails "
				       "at every boot because of it", l->at.line, l->at.file);
		mdk_doctor_value_str(f, "file", l->at.file);
		mdk_doctor_value_int(f, "line", l->at.line);
		mdk_doctor_value_str(f, "module", l->module);
	}
	return n;
}

static unsigned blocking_lines(const struct mdk_doctor_kernel *k, struct mdk_doctor_report *r)
{
	unsigned n = 0;

	for (size_t i = 0; i < MDK_ARRAY_SIZE(needed); i++) {
		const struct mdk_modline *b = mdk_modprobe_blacklisted(&k->modprobe, needed[i]);
		struct mdk_doctor_finding *f;
		if (b) {
			n++;
			f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK, "%s:%u blacklists %s", b->at.file,
					   b->at.line, b->module);
			mdk_doctor_fix(f, "remove the line (GVT-g needs %s), then update-initramfs -u",
				       needed[i]);
		}
		for (size_t j = 0; j < k->modprobe.n_install; j++) {
			const struct mdk_modline *l = &k->modprobe.install[j];
			if (!mdk_modname_eq(l->module, needed[i]))
				continue;
			n++;
			f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK,
					   "%s:%u: modprobe %s runs \"%s\" instead of loading it",
					   l->at.file, l->at.line, l->module, l->args);
			mdk_doctor_fix(f, "remove the line unless that command loads %s", l->module);
		}
	}
	return n;
}

int mdk_doctor_check_module_lines(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	const struct mdk_doctor_kernel *k = mdk_doctor_kernel(ctx);
	unsigned n = 0;

	mdk_doctor_conf_problems(r, CHECK, k->lists.problems, k->lists.n_problems);
	mdk_doctor_conf_problems(r, CHECK, k->modprobe.problems, k->modprobe.n_problems);
	mdk_doctor_conf_problems(r, CHECK, k->kmods.problems, k->kmods.n_problems);
	/* without the kernel's module lists nothing can be called stale */
	bool known = k->kmods.release && !k->kmods.n_problems;
	if (known)
		n += stale_lines(k, r);
	n += blocking_lines(k, r);
	if (n == 0 && !known) {
		mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
			       "%zu module line(s) read at boot, not checked against the kernel's "
			       "modules (see above); no modprobe.d line keeps GVT-g's modules out",
			       k->lists.n);
	} else if (n == 0) {
		struct mdk_doctor_finding *f =
			mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK,
				       "%zu module line(s) read at boot, each naming a module of "
				       "kernel %s; no modprobe.d line keeps GVT-g's modules out",
				       k->lists.n, k->kmods.release);
		mdk_doctor_value_int(f, "lines", (long long)k->lists.n);
	}
	return 0;
}
