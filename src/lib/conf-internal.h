/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The "key = value" files under /etc/mdevkit (gvt.conf, mdevkit.conf):
 * one lexer, so both files accept and refuse the same lines. */
#ifndef MDEVKIT_CONF_INTERNAL_H
#define MDEVKIT_CONF_INTERNAL_H

#include "mdevkit/error.h"

#include <stddef.h>

/* Called once per "key = value" line with both sides stripped; no is the
 * line number.  Returns 0 or a negative errno with e set. */
typedef int (*mdk_conf_setting_fn)(const char *key, const char *value, const char *path,
				    unsigned no, void *data, struct mdk_error *e);

/* Walk text (len bytes, not NUL-terminated): comments from '#', blank
 * lines skipped, any other line must be "key = value" (else an error that
 * suggests `example`).  A NUL byte is refused. */
int mdk_conf_parse(const char *text, size_t len, const char *path, const char *example,
		   mdk_conf_setting_fn fn, void *data, struct mdk_error *e);

/* The same for the file at path, at most 64 KiB; a missing file has no
 * settings (0), an unreadable one is an error naming it. */
int mdk_conf_load(const char *path, const char *example, mdk_conf_setting_fn fn, void *data,
		  struct mdk_error *e);

#endif
