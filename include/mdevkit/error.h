/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Errors with causes, printed the way mdevctl prints them:
 *
 *   Error: Failed to create mdev <uuid>, type <t> on <p>
 *
 *   Caused by:
 *       No space left on device (os error 28)
 *
 * The return convention of every mdevkit function (systemd's):
 *
 *   - A function that can fail returns a negative errno on failure.  If it
 *     takes a `struct mdk_error *` it fills it, and e->code is that same
 *     errno: the cause's (ENOENT, EACCES, ENOSPC, ...), or EINVAL for a
 *     refusal with no system cause (mdk_fail).
 *   - On success it returns 0, or, where it answers a question, a
 *     non-negative value: a count, or 1/0 for yes/no.
 *   - A question that cannot be answered is an error, never a "no".
 *
 * Functions that cannot fail return what they compute: a bool, a pointer,
 * a number (an index or an amount may use -1 for "none", which is an
 * answer, not an error).  Allocation does not fail (util.h).
 */
#ifndef MDEVKIT_ERROR_H
#define MDEVKIT_ERROR_H

#include "mdevkit/log.h"

#include <stddef.h>

#define MDK_ERROR_MAX_CHAIN 8

struct mdk_error {
	int code;                          /* errno of the root cause; 0 when unset */
	size_t depth;                      /* number of entries in chain */
	char *chain[MDK_ERROR_MAX_CHAIN];  /* [0] is the outermost message */
};

#define MDK_ERROR_INIT { 0, 0, { NULL } }

/* Set the error to one message, dropping what it held: code EINVAL.
 * Returns -EINVAL. */
int mdk_fail(struct mdk_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set the error to a message caused by errno `errnum`
 * ("<strerror> (os error N)", Rust's io::Error text): code errnum.
 * Returns -errnum. */
int mdk_fail_errno(struct mdk_error *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put a new outermost message in front of the current chain; the code
 * stays (EIO if there was none).  Returns -code. */
int mdk_wrap(struct mdk_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The outermost message ("" when none). */
const char *mdk_error_msg(const struct mdk_error *e);

/* Print "Error: ..." with its causes to stderr, as mdevctl does. */
void mdk_error_print(const struct mdk_error *e);

/* The whole chain on one line, "a: b: c", for warnings. Caller frees. */
char *mdk_error_oneline(const struct mdk_error *e);

void mdk_error_clear(struct mdk_error *e);

/* A failure that does not stop the operation: log it at prio and clear
 * it.  "%m" in fmt stands for the whole chain on one line ("a: b: c"), as
 * errno's text does in systemd's log_*_errno().  mdk_warn_error() is the
 * same with mdk_warn()'s "Warning: " in front. */
void mdk_log_error(int prio, struct mdk_error *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define mdk_warn_error(e, ...) mdk_log_error(MDK_LOG_WARNING, e, "Warning: " __VA_ARGS__)

/* Move src into dst (dst cleared first, src left empty). */
void mdk_error_move(struct mdk_error *dst, struct mdk_error *src);

#endif
