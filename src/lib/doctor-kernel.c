// SPDX-License-Identifier: LGPL-2.1-or-later
/* The kernel's side of the host, read once for the checks that need it:
 * the command line, modprobe.d, the module lists and the modules of the
 * running release (modconf.h). */
#include "doctor-internal.h"
#include "mdevkit/env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct mdk_doctor_kernel *mdk_doctor_kernel(struct mdk_doctor_ctx *ctx)
{
	struct mdk_doctor_kernel *k = ctx->kernel;

	if (k)
		return k;
	k = ctx->kernel = mdk_calloc(1, sizeof(*k));
	char *path = mdk_path_proc_cmdline();
	int r = mdk_doctor_read(path, &k->cmdline);
	if (r < 0) {
		k->cmdline_err = -r;
		k->cmdline = NULL;
	}
	free(path);
	mdk_modprobe_load(&k->modprobe);
	mdk_modlists_load(&k->lists);
	if (mdk_kmods_load(&k->kmods, &k->kmods_error) == 0 && !ctx->release)
		ctx->release = mdk_strdup(k->kmods.release);
	return k;
}

void mdk_doctor_kernel_free(struct mdk_doctor_kernel *k)
{
	if (!k)
		return;
	free(k->cmdline);
	mdk_modprobe_free(&k->modprobe);
	mdk_modlists_free(&k->lists);
	mdk_kmods_free(&k->kmods);
	mdk_error_clear(&k->kmods_error);
	free(k);
}

void mdk_doctor_conf_problems(struct mdk_doctor_report *r, const char *check,
			      const struct mdk_conf_problem *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mdk_doctor_unreadable(r, check, v[i].file, v[i].err);
}
