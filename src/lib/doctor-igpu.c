// SPDX-License-Identifier: LGPL-2.1-or-later
/* The Intel iGPU and its generation. */
#include "doctor-internal.h"

const struct mdk_doctor_gen *mdk_doctor_gen_of(unsigned device)
{
	(void)device;
	return NULL;
}

int mdk_doctor_check_igpu(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}
