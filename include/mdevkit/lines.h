/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Files read line by line in a buffer of fixed size, whatever their
 * length: a kernel log of 100 MB or a modules.dep costs the same memory
 * as a short file.  The same loop reads /dev/kmsg, whose every read()
 * returns one whole record: the file is opened with O_NONBLOCK, EAGAIN
 * ends it (no record left, never a wait), and EPIPE (records overwritten
 * while we read) is counted and the reading goes on with the next one.
 */
#ifndef MDEVKIT_LINES_H
#define MDEVKIT_LINES_H

#include <stddef.h>

/* A line that does not fit in this many bytes is skipped and counted.  A
 * record of /dev/kmsg is at most 8 KiB (the kernel's CONSOLE_EXT_LOG_MAX),
 * and a read() must have room for a whole one. */
#define MDK_LINE_MAX 16384

struct mdk_lines_stats {
	unsigned long lines;        /* passed to the callback */
	unsigned long overlong;     /* skipped: longer than max */
	unsigned long overwritten;  /* EPIPE from /dev/kmsg */
};

/* One line without its '\n', NUL-terminated at len (it may hold NUL bytes
 * before), writable; no counts from 1.  Return 0 to go on, a positive
 * value to stop (returned by the reader), a negative errno to fail. */
typedef int (*mdk_line_fn)(char *line, size_t len, unsigned long no, void *userdata);

/* Read fd to its end (or EAGAIN).  0, the callback's stop value, or
 * -errno.  st may be NULL. */
int mdk_lines_fd(int fd, mdk_line_fn fn, void *userdata, struct mdk_lines_stats *st);
/* Open path (O_NONBLOCK: a FIFO or a device never makes us wait) and read it. */
int mdk_lines_file(const char *path, mdk_line_fn fn, void *userdata, struct mdk_lines_stats *st);

#endif
