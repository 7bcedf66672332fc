/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Messages for humans.  Tools write to stderr; when stderr is connected to
 * the journal (JOURNAL_STREAM names it, as systemd sets it for services)
 * every line gets a "<N>" priority prefix so the journal keeps the level.
 * The udev helper logs through syslog instead, since udev discards its
 * stderr.  MDEVKIT_LOG_LEVEL (err, warning, notice, info, debug, or 3-7)
 * sets how much is shown; the default is notice.
 */
#ifndef MDEVKIT_LOG_H
#define MDEVKIT_LOG_H

#include <stddef.h>

enum mdk_log_prio {
	MDK_LOG_ERR = 3,
	MDK_LOG_WARNING = 4,
	MDK_LOG_NOTICE = 5,
	MDK_LOG_INFO = 6,
	MDK_LOG_DEBUG = 7,
};

enum mdk_log_target {
	MDK_LOG_STDERR,
	MDK_LOG_SYSLOG,
};

/* Choose where messages go; ident names the program for syslog. */
void mdk_log_open(const char *ident, enum mdk_log_target target);
void mdk_log_close(void);

/* One message (may span lines; each gets the priority prefix). */
void mdk_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Text from elsewhere (a callout's stderr), shown whatever the level:
 * written as is (no newline added) to plain stderr; for the journal or
 * syslog each line gets the priority and ends in a newline. */
void mdk_log_text(int prio, const char *text, size_t len);

/* "Warning: ..." / "Debug: ..." lines. */
#define mdk_warn(...) mdk_log_prefixed(MDK_LOG_WARNING, "Warning: ", __VA_ARGS__)
#define mdk_debug(...) mdk_log_prefixed(MDK_LOG_DEBUG, "Debug: ", __VA_ARGS__)
void mdk_log_prefixed(int prio, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int mdk_log_enabled(int prio);

#endif
