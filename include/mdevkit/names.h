/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Names that come from input and become path components: parents (kernel
 * device names such as 0000:00:02.0, matrix, mtty), mdev types and
 * attribute names.  mdevctl writes `define -p ../../tmp` to /tmp; mdevkit
 * checks every such name here before it reaches env.h.
 *
 * A valid name is 1..255 bytes of valid UTF-8, is not "." or "..", and
 * contains no '/' and no control character.
 */
#ifndef MDEVKIT_NAMES_H
#define MDEVKIT_NAMES_H

#include "mdevkit/error.h"

enum mdk_name_kind {
	MDK_NAME_PARENT,
	MDK_NAME_TYPE,
	MDK_NAME_ATTRIBUTE,
	MDK_NAME_MODULE,        /* a kernel module, from a module list */
	MDK_NAME_RELEASE,       /* the kernel release, /proc/sys/kernel/osrelease */
};

#define MDK_NAME_MAX 255

/* 0 if valid; otherwise -EINVAL and one line naming the thing, the reason and
 * the fix. */
int mdk_name_check(enum mdk_name_kind kind, const char *name, struct mdk_error *e);
/* The parent and the type of a request or a device, each NULL when not
 * given: the parent is checked first. */
int mdk_name_check_parent_type(const char *parent, const char *type, struct mdk_error *e);

#endif
