// SPDX-License-Identifier: LGPL-2.1-or-later
/* The mdev parent and its GVT-g budget. */
#include "doctor-internal.h"

int mdk_doctor_check_parent(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

int mdk_doctor_check_aperture(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

int mdk_doctor_check_available(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

int mdk_doctor_check_definitions(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}
