// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/error.h"
#include "mdevkit/log.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mdk_error_clear(struct mdk_error *e)
{
	for (size_t i = 0; i < e->depth; i++)
		free(e->chain[i]);
	e->depth = 0;
	e->code = 0;
}

void mdk_error_move(struct mdk_error *dst, struct mdk_error *src)
{
	mdk_error_clear(dst);
	*dst = *src;
	src->depth = 0;
	src->code = 0;
}

static void push_front(struct mdk_error *e, char *msg)
{
	if (e->depth == MDK_ERROR_MAX_CHAIN)
		free(e->chain[--e->depth]);
	memmove(&e->chain[1], &e->chain[0], e->depth * sizeof(e->chain[0]));
	e->chain[0] = msg;
	e->depth++;
}

/* The chain becomes msg, caused by errno `cause` when it is not 0.  msg
 * is formatted by the caller first: its arguments may be the old chain. */
static int replace(struct mdk_error *e, char *msg, int cause, int code)
{
	mdk_error_clear(e);
	if (cause)
		push_front(e, mdk_asprintf("%s (os error %d)", strerror(cause), cause));
	push_front(e, msg);
	e->code = code;
	return -code;
}

int mdk_fail(struct mdk_error *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *msg = mdk_vasprintf(fmt, ap);
	va_end(ap);
	return replace(e, msg, 0, EINVAL);
}

int mdk_fail_errno(struct mdk_error *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *msg = mdk_vasprintf(fmt, ap);
	va_end(ap);
	return replace(e, msg, errnum, errnum > 0 ? errnum : EIO);
}

int mdk_wrap(struct mdk_error *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push_front(e, mdk_vasprintf(fmt, ap));
	va_end(ap);
	if (e->code <= 0)
		e->code = EIO;
	return -e->code;
}

const char *mdk_error_msg(const struct mdk_error *e)
{
	return e->depth ? e->chain[0] : "";
}

void mdk_error_print(const struct mdk_error *e)
{
	mdk_log(MDK_LOG_ERR, "Error: %s", mdk_error_msg(e));
	if (e->depth < 2)
		return;
	/* anyhow's layout: a lone cause is indented, several are numbered */
	mdk_log(MDK_LOG_ERR, "%s", "");
	mdk_log(MDK_LOG_ERR, "Caused by:");
	for (size_t i = 1; i < e->depth; i++) {
		if (e->depth == 2)
			mdk_log(MDK_LOG_ERR, "    %s", e->chain[i]);
		else
			mdk_log(MDK_LOG_ERR, "    %zu: %s", i - 1, e->chain[i]);
	}
}

char *mdk_error_oneline(const struct mdk_error *e)
{
	struct mdk_buf b = MDK_BUF_INIT;

	for (size_t i = 0; i < e->depth; i++)
		mdk_buf_printf(&b, "%s%s", i ? ": " : "", e->chain[i]);
	return mdk_buf_steal(&b);
}

/* fmt with each "%m" replaced by text, whose '%' are doubled so that it
 * stays text: the conversions left are those the caller's arguments were
 * checked against. */
static char *format_with(const char *fmt, const char *text)
{
	struct mdk_buf b = MDK_BUF_INIT;

	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 'm') {
			for (const char *t = text; *t; t++)
				mdk_buf_add(&b, *t == '%' ? "%%" : t, *t == '%' ? 2 : 1);
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			mdk_buf_adds(&b, "%%");
			p++;
		} else {
			mdk_buf_add(&b, p, 1);
		}
	}
	return mdk_buf_steal(&b);
}

void mdk_log_error(int prio, struct mdk_error *e, const char *fmt, ...)
{
	if (mdk_log_enabled(prio)) {
		char *why = mdk_error_oneline(e);
		char *format = format_with(fmt, why);
		va_list ap;

		va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		char *msg = mdk_vasprintf(format, ap);
#pragma GCC diagnostic pop
		va_end(ap);
		mdk_log(prio, "%s", msg);
		free(msg);
		free(format);
		free(why);
	}
	mdk_error_clear(e);
}
