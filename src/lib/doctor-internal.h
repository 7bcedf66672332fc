/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside the doctor: the check functions of the table (doctor-registry.c),
 * one or a few per doctor-<topic>.c file. */
#ifndef MDEVKIT_DOCTOR_INTERNAL_H
#define MDEVKIT_DOCTOR_INTERNAL_H

#include "mdevkit/doctor.h"
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

#endif
