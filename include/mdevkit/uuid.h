/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Device UUIDs.  Input is accepted in every form mdevctl (the Rust uuid
 * crate) accepts: hyphenated "8-4-4-4-12", the 32-hex "simple" form,
 * "{...}" braced and "urn:uuid:..." prefixed, hex digits in either case.
 * Output is always the canonical 36-character lower-case form that the
 * kernel and mdevctl use for file and device names.
 */
#ifndef MDEVKIT_UUID_H
#define MDEVKIT_UUID_H

#include <stdbool.h>

#define MDK_UUID_LEN 36
typedef char mdk_uuid_str[MDK_UUID_LEN + 1];

/* Parse any accepted form into canonical text.  Returns 0, or -EINVAL when
 * the input is not a UUID (out is then ""). */
int mdk_uuid_parse(const char *in, mdk_uuid_str out);

/* True if s is already canonical (lower case, hyphenated). */
bool mdk_uuid_is_canonical(const char *s);

/* A random (version 4) UUID from libuuid. */
void mdk_uuid_generate(mdk_uuid_str out);

/* out = given (canonical already) when there is one, else a new random
 * UUID; true when one was generated (define and start print it). */
bool mdk_uuid_given_or_new(const char *given, mdk_uuid_str out);

#endif
