/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside the doctor: the check functions of the table (doctor-registry.c),
 * one or a few per doctor-<topic>.c file. */
#ifndef MDEVKIT_DOCTOR_INTERNAL_H
#define MDEVKIT_DOCTOR_INTERNAL_H

#include "mdevkit/doctor.h"
#include "mdevkit/kmsg.h"
#include "mdevkit/modconf.h"
#include "mdevkit/util.h"

/* doctor-igpu.c: the Intel iGPU, its generation, SR-IOV hand-off */
int mdk_doctor_check_igpu(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* doctor-guc.c: GuC submission */
int mdk_doctor_check_guc(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* doctor-parent.c: the parent registered with the mdev core and its
 * types; `mdevkit check` on the auto definitions */
int mdk_doctor_check_parent(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
int mdk_doctor_check_definitions(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* doctor-budget.c: the aperture and GGTT against gvt.conf and the types
 * that fit; available_instances against the model, and the budget bars */
int mdk_doctor_check_aperture(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
int mdk_doctor_check_available(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* doctor-guest.c: IOMMU, /dev/vfio and memlock, the render node */
int mdk_doctor_check_iommu(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
int mdk_doctor_check_vfio(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
int mdk_doctor_check_render_node(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);

/* ---- the kernel's side: module parameters, modules, the kernel log ---- */

/* What the host is configured to load and what its kernel has, read once
 * by the first check that asks (doctor-kernel.c); freed with the ctx. */
struct mdk_doctor_kernel {
	char *cmdline;                  /* /proc/cmdline, NULL when unreadable */
	int cmdline_err;
	struct mdk_modprobe modprobe;
	struct mdk_modlists lists;
	struct mdk_kmods kmods;         /* release NULL when unreadable */
	struct mdk_error kmods_error;
};
const struct mdk_doctor_kernel *mdk_doctor_kernel(struct mdk_doctor_ctx *ctx);
void mdk_doctor_kernel_free(struct mdk_doctor_kernel *k);
/* The problems of the parsers (files that could not be read) as findings. */
void mdk_doctor_conf_problems(struct mdk_doctor_report *r, const char *check,
			      const struct mdk_conf_problem *v, size_t n);

/* Known GVT-g lines of the kernel log (doctor-kernel-log.c). */
enum mdk_doctor_kmsg_line {
	MDK_KMSG_UNSUPPORTED,           /* "Unsupported device. GVT-g is disabled" */
	MDK_KMSG_GUC,                   /* "not yet supported with GuC submission" */
	MDK_KMSG_HIGH_GM,               /* "fail to alloc high gm space" */
	MDK_KMSG_CREATE_28,             /* "failed to create intel vgpu: -28" */
	MDK_KMSG_UNTRACKED_MMIO,        /* "assign a handler to a non-tracked mmio" */
	MDK_KMSG_PIN_PAGES,             /* "vfio_pin_pages failed", RLIMIT_MEMLOCK */
	MDK_KMSG_GOLDEN,                /* "golden_hw_state failed with error -2" */
	MDK_KMSG_N,
};
struct mdk_doctor_kmsg {
	int err;                        /* the log could not be read: errno */
	struct mdk_kmsg_stats stats;
	unsigned long hits[MDK_KMSG_N];
	char *first[MDK_KMSG_N];        /* the first such line */
};
/* The kernel log scanned once for the known lines. */
const struct mdk_doctor_kmsg *mdk_doctor_kmsg(struct mdk_doctor_ctx *ctx);
void mdk_doctor_kmsg_free(struct mdk_doctor_kmsg *k);

/* doctor-enable-gvt.c: i915.enable_gvt requested and effective */
int mdk_doctor_check_enable_gvt(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* doctor-kvmgt.c: kvmgt available, loaded, loaded at boot; mdev and vfio */
int mdk_doctor_check_kvmgt(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
int mdk_doctor_check_mdev_modules(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* doctor-module-lines.c: module list lines naming modules the kernel lacks;
 * modprobe.d lines that keep the GVT-g modules from loading */
int mdk_doctor_check_module_lines(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* doctor-kernel-log.c: the known GVT-g lines, one sentence each */
int mdk_doctor_check_kernel_log(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* The first "N.N[.N]" of a --version line: 0 and v[0..2], or -EINVAL. */
int mdk_doctor_parse_version(const char *text, unsigned v[3]);
/* doctor-versions.c: QEMU, libvirt and mdevctl in PATH against what
 * guests need */
int mdk_doctor_check_versions(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* The absolute paths of programs named in one line of a udev rules file
 * (its RUN, PROGRAM and IMPORT{program} values, "/bin/sh -c '...'"
 * included), each passed to fn (path not NUL-terminated: len bytes). */
void mdk_doctor_rule_programs(const char *line, void (*fn)(const char *path, size_t len,
							   void *userdata), void *userdata);
/* doctor-udev-rule.c: mdevctl's udev rule calls programs that exist;
 * mdevkit's rule and units start the auto devices */
int mdk_doctor_check_mdevctl_rule(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
/* doctor-creators.c: Proxmox VMs, NixOS kvmgt units and libvirt hooks
 * that create vGPUs, with the auto definitions, against the budget */
int mdk_doctor_check_other_creators(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);

#endif
