// SPDX-License-Identifier: LGPL-2.1-or-later
/* What guests need: IOMMU, /dev/vfio, the render node. */
#include "doctor-internal.h"

int mdk_doctor_check_iommu(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

int mdk_doctor_check_vfio(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

int mdk_doctor_check_render_node(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}
