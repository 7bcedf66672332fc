/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel log, read the way /dev/kmsg gives it: one record per line,
 *
 *   PRI,SEQ,USEC,FLAGS[,MORE];TEXT
 *
 * (PRI = facility * 8 + level; the kernel escapes control bytes in TEXT
 * as \xNN), each possibly followed by continuation lines that start with
 * a space and carry the record's dictionary (" SUBSYSTEM=pci"); those
 * are skipped.  Under MDEVCTL_ENV_ROOT, <root>/dev/kmsg is a plain file
 * of such records.  Reading never blocks and holds one record in memory
 * at a time (lines.h).
 */
#ifndef MDEVKIT_KMSG_H
#define MDEVKIT_KMSG_H

#include "mdevkit/error.h"
#include "mdevkit/lines.h"

#include <stddef.h>

struct mdk_kmsg_record {
	unsigned level;             /* 0 (emerg) .. 7 (debug) */
	unsigned facility;          /* 0 is the kernel */
	unsigned long long seq;
	unsigned long long usec;    /* since boot */
	const char *text;           /* NUL-terminated, len bytes */
	size_t len;
};

/* Parse one line.  0, or -EINVAL when it is not a record (a continuation
 * line, a prefix that is not three numbers and flags, no ';'). */
int mdk_kmsg_parse(const char *line, size_t len, struct mdk_kmsg_record *r);

struct mdk_kmsg_stats {
	struct mdk_lines_stats lines;
	unsigned long records;
	unsigned long continuations;
	unsigned long malformed;
};

/* Called for every record in order; return as mdk_line_fn does. */
typedef int (*mdk_kmsg_fn)(const struct mdk_kmsg_record *r, void *userdata);

int mdk_kmsg_read_fd(int fd, mdk_kmsg_fn fn, void *userdata, struct mdk_kmsg_stats *st);
/* Read mdk_path_kmsg().  On failure e says which file and why (without
 * CAP_SYSLOG and with kernel.dmesg_restrict=1 it is EPERM). */
int mdk_kmsg_read(mdk_kmsg_fn fn, void *userdata, struct mdk_kmsg_stats *st,
		  struct mdk_error *e);

#endif
