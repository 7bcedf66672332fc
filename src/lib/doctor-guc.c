// SPDX-License-Identifier: LGPL-2.1-or-later
/* GuC submission. */
#include "doctor-internal.h"

int mdk_doctor_check_guc(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	(void)r;
	return 0;
}
