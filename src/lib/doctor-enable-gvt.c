// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "enable-gvt": i915.enable_gvt as requested (the kernel command
 * line, modprobe.d) against what the kernel made of it
 * (/sys/module/i915/parameters/enable_gvt).  Not requested and requested
 * but turned off by the kernel are different findings with different
 * fixes; for the second the check names the cause it can see. */
#include "doctor-internal.h"
#include "mdevkit/env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHECK "enable-gvt"
#define GRUB_FIX "add i915.enable_gvt=1 to the kernel command line (Debian: GRUB_CMDLINE_LINUX " \
	"in /etc/default/grub, then update-grub) and reboot"

/* The kernel's reading of a boolean parameter (kstrtobool): 1, 0, or -1
 * when it refuses the value.  A flag without '=' is true. */
static int kernel_bool(const char *v)
{
	if (!v)
		return 1;
	if (!strcasecmp(v, "on"))
		return 1;
	if (!strcasecmp(v, "off"))
		return 0;
	if (strchr("yYtT1", v[0]) && v[0])
		return 1;
	if (strchr("nNfF0", v[0]) && v[0])
		return 0;
	return -1;
}

struct request {
	bool found;
	char *where;            /* "the kernel command line" or "FILE:LINE" */
	char *value;            /* as written; NULL for a bare flag */
	const struct mdk_modopt *ignored;   /* modprobe.d line a built-in i915 ignores */
};

static void requested(const struct mdk_doctor_kernel *k, struct request *q)
{
	const struct mdk_modopt *opt = mdk_modprobe_option(&k->modprobe, "i915", "enable_gvt");
	char *value = NULL;
	bool builtin = mdk_kmods_find(&k->kmods, "i915") == MDK_KMOD_BUILTIN;

	/* kmod reads the command line after modprobe.d: it wins; a built-in
	 * i915 sees nothing but the command line */
	if (k->cmdline && mdk_cmdline_param(k->cmdline, "i915", "enable_gvt", &value)) {
		q->found = true;
		q->where = mdk_strdup("the kernel command line");
		q->value = value;
	} else if (opt && !builtin) {
		q->found = true;
		q->where = mdk_asprintf("%s:%u", opt->at.file, opt->at.line);
		q->value = opt->value ? mdk_strdup(opt->value) : NULL;
	} else if (opt) {
		q->ignored = opt;
	}
}

/* Why the kernel turned a requested enable_gvt off, as a fix. */
static char *turned_off_fix(struct mdk_doctor_ctx *ctx, const struct request *q)
{
	const struct mdk_doctor_kmsg *log = mdk_doctor_kmsg(ctx);

	if (ctx->gen && ctx->gen->support > MDK_DOCTOR_GVT_NO_WINDOWS)
		return mdk_asprintf("nothing turns GVT-g on for %s (see igpu): %s", ctx->gen->name,
				    ctx->gen->support == MDK_DOCTOR_GVT_SRIOV
					    ? "this GPU offers SR-IOV virtual functions instead"
					    : "this GPU has no vGPU mechanism at all");
	if (log->hits[MDK_KMSG_GUC])
		return mdk_strdup("GuC submission is on and i915 refuses GVT-g with it (see guc and "
				  "kernel-log): boot with i915.enable_guc=0");
	if (log->hits[MDK_KMSG_UNSUPPORTED])
		return mdk_strdup("the kernel log says this device is not supported by GVT-g (see "
				  "kernel-log): no setting turns it on");
	if (log->hits[MDK_KMSG_UNTRACKED_MMIO])
		return mdk_strdup("GVT-g's setup failed in this kernel (see kernel-log): boot a "
				  "kernel without that regression");
	if (strcmp(q->where, "the kernel command line"))
		return mdk_strdup("i915 was loaded before this line took effect, often from an "
				  "initramfs with an older copy of modprobe.d: run update-initramfs "
				  "-u and reboot, or put i915.enable_gvt=1 on the kernel command line");
	return mdk_strdup("read the kernel log (dmesg | grep -i gvt) for the reason");
}

static void say_off(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r,
		    const struct request *q, const char *effective)
{
	struct mdk_doctor_finding *f;
	int b = q->found ? kernel_bool(q->value) : 0;
	const char *v = q->value ? q->value : "(no value)";

	if (!q->found && q->ignored) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
				   "enable_gvt=%s: %s:%u asks for it, but i915 is built into this "
				   "kernel and takes no modprobe.d options", effective,
				   q->ignored->at.file, q->ignored->at.line);
		mdk_doctor_fix(f, GRUB_FIX);
	} else if (!q->found) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
				   "enable_gvt=%s: not requested on the kernel command line or in "
				   "modprobe.d", effective);
		mdk_doctor_fix(f, GRUB_FIX);
	} else if (b < 0) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
				   "enable_gvt=%s: %s sets enable_gvt=%s, which the kernel does not "
				   "take as a boolean", effective, q->where, v);
		mdk_doctor_fix(f, "write enable_gvt=1 there and reboot");
	} else if (b == 0) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK, "enable_gvt=%s: %s sets enable_gvt=%s",
				   effective, q->where, v);
		mdk_doctor_fix(f, "set enable_gvt=1 there and reboot");
	} else {
		char *fix = turned_off_fix(ctx, q);
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
				   "enable_gvt=%s although %s requests enable_gvt=%s: the kernel "
				   "turned GVT-g off", effective, q->where, v);
		mdk_doctor_fix(f, "%s", fix);
		free(fix);
	}
	mdk_doctor_value_str(f, "enable_gvt", effective);
	if (q->found) {
		mdk_doctor_value_str(f, "requested", q->value ? q->value : "");
		mdk_doctor_value_str(f, "requested_in", q->where);
	}
}

int mdk_doctor_check_enable_gvt(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	/* no Intel iGPU: the igpu check said so, and i915 does not matter */
	if (!ctx->igpu)
		return 0;

	const struct mdk_doctor_kernel *k = mdk_doctor_kernel(ctx);
	struct request q = { false, NULL, NULL, NULL };
	struct mdk_error e = MDK_ERROR_INIT;
	char *path = mdk_path_module_param("i915", "enable_gvt"), *effective = NULL;
	struct mdk_doctor_finding *f;
	int rc = mdk_doctor_read(path, &effective);

	if (k->cmdline_err)
		mdk_doctor_unreadable(r, CHECK, "/proc/cmdline", k->cmdline_err);
	requested(k, &q);
	if (rc == -ENOENT && mdk_module_loaded("i915", &e) == 0) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK, "i915 is not loaded: GVT-g is part of it");
		mdk_doctor_fix(f, "load it (modprobe i915) and read the kernel log if that fails");
		ctx->gvt_enabled = 0;
	} else if (rc == -ENOENT) {
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
				   "i915 has no enable_gvt parameter: this kernel was built without "
				   "GVT-g (CONFIG_DRM_I915_GVT)");
		mdk_doctor_fix(f, "boot a kernel built with CONFIG_DRM_I915_GVT=y and "
			       "CONFIG_DRM_I915_GVT_KVMGT=m (Debian's and Ubuntu's are)");
		ctx->gvt_enabled = 0;
	} else if (rc < 0) {
		mdk_doctor_unreadable(r, CHECK, path, -rc);
	} else if (kernel_bool(effective) == 1) {
		ctx->gvt_enabled = 1;
		if (q.found)
			f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK, "enable_gvt=%s (from %s)",
					   effective, q.where);
		else
			f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK, "enable_gvt=%s", effective);
		mdk_doctor_value_str(f, "enable_gvt", effective);
	} else {
		ctx->gvt_enabled = 0;
		say_off(ctx, r, &q, effective);
	}
	mdk_error_clear(&e);
	free(effective);
	free(path);
	free(q.where);
	free(q.value);
	return 0;
}
