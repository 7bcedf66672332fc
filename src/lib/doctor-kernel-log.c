// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "kernel-log": the lines i915's GVT-g, kvmgt and vfio write when
 * something goes wrong, each explained in one sentence with what to do.
 * The log is read once, record by record (kmsg.h), and never waited on. */
#include "doctor-internal.h"
#include "mdevkit/env.h"

#include <stdlib.h>
#include <string.h>

#define CHECK "kernel-log"
#define EXCERPT_MAX 160

static const struct known_line {
	const char *match[2];           /* the record has one of these */
	enum mdk_doctor_level level;
	const char *means;
	const char *fix;                /* NULL: nothing to do */
} known[MDK_KMSG_N] = {
	[MDK_KMSG_UNSUPPORTED] = {
		{ "Unsupported device. GVT-g is disabled", NULL }, MDK_DOCTOR_FAIL,
		"i915 does not support GVT-g on this GPU, whatever enable_gvt says",
		"GVT-g exists on Broadwell to Comet Lake (and Apollo Lake) only; newer GPUs offer "
		"SR-IOV instead, if any vGPU at all" },
	[MDK_KMSG_GUC] = {
		{ "not yet supported with GuC submission", NULL }, MDK_DOCTOR_FAIL,
		"i915 turned GVT-g off because GuC submission is on",
		"boot with i915.enable_guc=0 (kernel command line, or options i915 enable_guc=0 in "
		"/etc/modprobe.d and update-initramfs -u)" },
	[MDK_KMSG_HIGH_GM] = {
		{ "fail to alloc high gm space", NULL }, MDK_DOCTOR_WARN,
		"a vGPU found no room in hidden graphics memory: the vGPUs are too large or "
		"too many, or creating and removing them at every VM start fragmented it",
		"create the vGPUs once at boot and keep them (start \"auto\"); on Proxmox VE "
		"set pve_keep_alive = all (or the VM ids) in /etc/mdevkit/mdevkit.conf to keep "
		"Proxmox's vGPUs across VM restarts; or use smaller types" },
	[MDK_KMSG_CREATE_28] = {
		{ "failed to create intel vgpu: -28", NULL }, MDK_DOCTOR_WARN,
		"creating a vGPU failed with ENOSPC: aperture, hidden GM, fences or the 7 vGPU "
		"slots ran out",
		"run 'mdevkit check' to see which one; raise the aperture in firmware setup or "
		"use smaller types" },
	[MDK_KMSG_UNTRACKED_MMIO] = {
		{ "assign a handler to a non-tracked mmio", NULL }, MDK_DOCTOR_FAIL,
		"GVT-g's setup failed in this kernel, a regression first seen in Linux 5.19, "
		"and GVT-g is off",
		"boot a kernel without this regression (an older LTS such as 5.15, or a later "
		"stable release)" },
	[MDK_KMSG_PIN_PAGES] = {
		{ "vfio_pin_pages failed", "RLIMIT_MEMLOCK" }, MDK_DOCTOR_WARN,
		"guest memory could not be pinned for a vGPU: the memlock limit (RLIMIT_MEMLOCK) "
		"of the QEMU process is too low",
		"run QEMU through libvirt (it raises the limit), or raise it for the user running "
		"QEMU: LimitMEMLOCK=infinity in its unit or memlock in /etc/security/limits.conf" },
	[MDK_KMSG_GOLDEN] = {
		{ "golden_hw_state failed with error -2", NULL }, MDK_DOCTOR_NOTE,
		"harmless: GVT-g found no saved register state file in /lib/firmware and reads "
		"the state from the GPU instead",
		NULL },
};

static int scan(const struct mdk_kmsg_record *rec, void *userdata)
{
	struct mdk_doctor_kmsg *k = userdata;

	for (size_t i = 0; i < MDK_KMSG_N; i++)
		for (size_t m = 0; m < MDK_ARRAY_SIZE(known[i].match) && known[i].match[m]; m++)
			if (strstr(rec->text, known[i].match[m])) {
				if (!k->hits[i]++)
					k->first[i] = mdk_str_excerpt(rec->text, EXCERPT_MAX);
				m = MDK_ARRAY_SIZE(known[i].match);
			}
	return 0;
}

const struct mdk_doctor_kmsg *mdk_doctor_kmsg(struct mdk_doctor_ctx *ctx)
{
	struct mdk_error e = MDK_ERROR_INIT;

	if (ctx->kmsg)
		return ctx->kmsg;
	ctx->kmsg = mdk_calloc(1, sizeof(*ctx->kmsg));
	int r = mdk_kmsg_read(scan, ctx->kmsg, &ctx->kmsg->stats, &e);
	if (r < 0)
		ctx->kmsg->err = -r;
	mdk_error_clear(&e);
	return ctx->kmsg;
}

void mdk_doctor_kmsg_free(struct mdk_doctor_kmsg *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < MDK_KMSG_N; i++)
		free(k->first[i]);
	free(k);
}

int mdk_doctor_check_kernel_log(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	const struct mdk_doctor_kmsg *k = mdk_doctor_kmsg(ctx);
	struct mdk_doctor_finding *f;
	bool any = false;

	if (k->err) {
		char *path = mdk_path_kmsg();
		f = mdk_doctor_unreadable(r, CHECK, mdk_path_unrooted(path), k->err);
		free(path);
		return 0;
	}
	for (size_t i = 0; i < MDK_KMSG_N; i++) {
		if (!k->hits[i])
			continue;
		any = true;
		if (k->hits[i] == 1)
			f = mdk_doctor_add(r, known[i].level, CHECK, "\"%s\": %s", k->first[i],
					   known[i].means);
		else
			f = mdk_doctor_add(r, known[i].level, CHECK, "\"%s\" (%lu times): %s",
					   k->first[i], k->hits[i], known[i].means);
		if (known[i].fix)
			mdk_doctor_fix(f, "%s", known[i].fix);
		mdk_doctor_value_str(f, "line", k->first[i]);
		mdk_doctor_value_int(f, "count", (long long)k->hits[i]);
	}
	if (!any) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK,
				   "%lu records read, none of the known GVT-g problem lines",
				   k->stats.records);
		mdk_doctor_value_int(f, "records", (long long)k->stats.records);
	}
	if (k->stats.lines.overwritten) {
		f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
				   "%lu records were overwritten while reading: the log's start is "
				   "lost", k->stats.lines.overwritten);
		mdk_doctor_value_int(f, "overwritten", (long long)k->stats.lines.overwritten);
	}
	return 0;
}
