// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "igpu": the Intel GPU, its generation and what it offers instead
 * of GVT-g when it has none. */
#include "doctor-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/names.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK "igpu"
#define INTEL_VENDOR 0x8086
#define IGPU_ADDRESS "0000:00:02.0"

/* A directory entry usable as a path component. */
static bool valid_name(const char *name)
{
	struct mdk_error e = MDK_ERROR_INIT;
	int r = mdk_name_check(MDK_NAME_PARENT, name, &e);

	mdk_error_clear(&e);
	return r == 0;
}

/* A hex number from a PCI attribute ("0x8086"), or -1. */
static long pci_number(const char *address, const char *file)
{
	char *path = mdk_path_pci_attr(address, file);
	char *text = NULL, *end;
	long v = -1;

	if (mdk_doctor_read(path, &text) == 0) {
		errno = 0;
		unsigned long n = strtoul(text, &end, 16);
		if (!errno && end != text && !*end && n <= LONG_MAX)
			v = (long)n;
	}
	free(text);
	free(path);
	return v;
}

static bool is_intel_display(const char *address)
{
	long class = pci_number(address, "class");
	return pci_number(address, "vendor") == INTEL_VENDOR && class >= 0 &&
	       (class >> 16) == 0x03;
}

/* The Intel display device: the one asked for with -p when it is one,
 * else 0000:00:02.0, else the first in address order.  NULL when none;
 * *err the listing's errno when it cannot be read. */
static char *find_igpu(const char *asked, int *err)
{
	char *dir = mdk_path_pci_devices();
	char **names = NULL;
	size_t n = 0;
	char *found = NULL;

	*err = 0;
	if (asked && is_intel_display(asked))
		found = mdk_strdup(asked);
	if (!found) {
		int r = mdk_list_dir(dir, &names, &n);
		if (r < 0 && r != -ENOENT)
			*err = -r;
		for (size_t i = 0; i < n && !found; i++)
			if (!strcmp(names[i], IGPU_ADDRESS) && is_intel_display(names[i]))
				found = mdk_strdup(names[i]);
		for (size_t i = 0; i < n && !found; i++)
			if (valid_name(names[i]) && is_intel_display(names[i]))
				found = mdk_strdup(names[i]);
	}
	mdk_strv_free(names);
	free(dir);
	return found;
}

/* The name of the driver bound to the device, or NULL. */
static char *driver_of(const char *address)
{
	char *path = mdk_path_pci_attr(address, "driver");
	char *name = mdk_doctor_link_name(path);

	free(path);
	return name;
}

static void say_values(struct mdk_doctor_finding *f, const struct mdk_doctor_ctx *ctx)
{
	char id[16];

	mdk_doctor_value_str(f, "address", ctx->igpu);
	snprintf(id, sizeof(id), "%04x", ctx->vendor);
	mdk_doctor_value_str(f, "vendor", id);
	snprintf(id, sizeof(id), "%04x", ctx->device);
	mdk_doctor_value_str(f, "device", id);
	if (ctx->gen) {
		mdk_doctor_value_str(f, "generation", ctx->gen->name);
		mdk_doctor_value_int(f, "gen", ctx->gen->gen);
	}
}

static void say_sriov(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r, const char *what)
{
	long vfs = -1;
	char *path = mdk_path_pci_attr(ctx->igpu, "sriov_totalvfs");
	char *text = NULL, *end;

	if (mdk_doctor_read(path, &text) == 0) {
		long v = strtol(text, &end, 10);
		if (end != text && !*end && v >= 0)
			vfs = v;
	}
	free(text);
	free(path);
	struct mdk_doctor_finding *f =
		vfs >= 0 ? mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
					  "%s: no GVT-g; this GPU offers SR-IOV instead "
					  "(sriov_totalvfs %ld)", what, vfs)
			 : mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
					  "%s: no GVT-g; this GPU generation uses SR-IOV instead "
					  "(no sriov_totalvfs: the driver offers none)", what);
	mdk_doctor_fix(f, "GVT-g ends with Comet Lake and mdevkit cannot create vGPUs here: "
		       "create SR-IOV virtual functions (sriov_numvfs) with a driver that "
		       "supports them and give a VF to the guest with vfio-pci");
	say_values(f, ctx);
	if (vfs >= 0)
		mdk_doctor_value_int(f, "sriov_totalvfs", vfs);
}

static void say_generation(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	char *what = ctx->gen ? mdk_asprintf("%04x:%04x %s at %s", ctx->vendor, ctx->device,
					     ctx->gen->name, ctx->igpu)
			      : mdk_asprintf("%04x:%04x at %s", ctx->vendor, ctx->device, ctx->igpu);
	struct mdk_doctor_finding *f;

	if (!ctx->gen) {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK,
				   "%s: an Intel GPU mdevkit does not know (its table is "
				   "the kernel's i915 ids of Linux 6.12)", what);
		mdk_doctor_fix(f, "GVT-g works on Broadwell to Comet Lake iGPUs only; a newer "
			       "GPU has no GVT-g (look for SR-IOV, sriov_totalvfs)");
		say_values(f, ctx);
		free(what);
		return;
	}
	switch (ctx->gen->support) {
	case MDK_DOCTOR_GVT_YES:
	case MDK_DOCTOR_GVT_NO_WINDOWS:
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK, "%s: GVT-g capable", what);
		say_values(f, ctx);
		if (ctx->gen->support == MDK_DOCTOR_GVT_NO_WINDOWS) {
			f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
					   "%s has no Windows guest driver for GVT-g: Linux "
					   "guests only", ctx->gen->name);
			mdk_doctor_value_str(f, "address", ctx->igpu);
		}
		break;
	case MDK_DOCTOR_GVT_NONE:
		f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, CHECK,
				   "%s: no GVT-g and no other vGPU mechanism", what);
		mdk_doctor_fix(f, "GVT-g needs a Broadwell to Comet Lake iGPU (Core 5th to 10th "
			       "generation); on this GPU give the whole device to one guest "
			       "with vfio-pci, or use another host");
		say_values(f, ctx);
		break;
	case MDK_DOCTOR_GVT_SRIOV:
		say_sriov(ctx, r, what);
		break;
	}
	free(what);
}

static void say_driver(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	char *driver = driver_of(ctx->igpu);
	struct mdk_doctor_finding *f;

	if (!driver) {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK, "no driver is bound to %s", ctx->igpu);
		mdk_doctor_fix(f, "load i915 (modprobe i915) and check the kernel log for why it "
			       "did not bind");
	} else if (strcmp(driver, "i915")) {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK, "%s is bound to %s, not i915",
				   ctx->igpu, driver);
		mdk_doctor_fix(f, "GVT-g lives in i915: bind %s to i915 (remove a vfio-pci or "
			       "driverctl override for it) and reboot", ctx->igpu);
	} else {
		return free(driver);
	}
	mdk_doctor_value_str(f, "address", ctx->igpu);
	mdk_doctor_value_str(f, "driver", driver ? driver : "");
	free(driver);
}

int mdk_doctor_check_igpu(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	int err;

	ctx->igpu = find_igpu(ctx->parent_arg, &err);
	if (!ctx->igpu) {
		if (err) {
			char *dir = mdk_path_pci_devices();
			mdk_doctor_unreadable(r, CHECK, dir, err);
			free(dir);
			return 0;
		}
		mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
			       "no Intel GPU (no PCI display device of vendor 8086): no GVT-g here");
		return 0;
	}
	ctx->vendor = INTEL_VENDOR;
	long device = pci_number(ctx->igpu, "device");
	ctx->device = device > 0 && device <= 0xffff ? (unsigned)device : 0;
	ctx->gen = mdk_doctor_gen_of(ctx->device);
	if (!ctx->parent)
		ctx->parent = ctx->igpu;
	say_generation(ctx, r);
	say_driver(ctx, r);
	return 0;
}
