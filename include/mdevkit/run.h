/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One program as one process, with a timeout: argv and stdin in; exit
 * status, stdout and stderr out (src/lib/callout-run.c).  Callouts run
 * through it, and so do the version probes of vmconfig.h (virsh, QEMU).
 */
#ifndef MDEVKIT_RUN_H
#define MDEVKIT_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct mdk_run {
	int status;             /* waitpid status, unless timed_out */
	bool timed_out;         /* killed by us after the timeout */
	char *out, *err;        /* NUL-terminated captures, bounded */
	size_t out_len, err_len;
	unsigned long long out_dropped, err_dropped;    /* bytes read past the bounds */
};

/* Run argv[0] (a path: no PATH search) with input on stdin (NULL:
 * nothing, immediate EOF), killed with its process group after timeout_s
 * seconds (0: never).  0 when it ran (r filled, free with mdk_run_free),
 * -errno when it could not be started (not executable, a directory, ...). */
int mdk_run_script(char *const argv[], const char *input, size_t input_len,
		   unsigned timeout_s, struct mdk_run *r);
void mdk_run_free(struct mdk_run *r);

#endif
