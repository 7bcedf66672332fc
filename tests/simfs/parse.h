/* Parsers that mimic what the kernel accepts at its sysfs boundary, plus
 * the errno names the ctl command understands. */
#ifndef SIMFS_PARSE_H
#define SIMFS_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define SIM_UUID_LEN 36

/* guid_parse(): 36 chars 8-4-4-4-12 hex, either case.  Writes the
 * lower-case form (%pUl) to out[37]. */
bool parse_uuid(const char *s, char out[SIM_UUID_LEN + 1]);

/* kstrtoul(s, 0): optional '+', base from prefix (0x hex, 0 octal, else
 * decimal), at least one digit, optional single trailing '\n', nothing
 * else.  Returns 0, -EINVAL or -ERANGE. */
int parse_kstrtoul(const char *s, unsigned long *out);

/* Plain decimal without sign or prefix, optional trailing '\n' when
 * allow_nl; false on anything else or when the value exceeds max. */
bool parse_decimal(const char *s, bool allow_nl, unsigned long max, unsigned long *out);

/* sysfs_streq(): equal, ignoring one trailing '\n' on either side. */
bool sysfs_streq(const char *a, const char *b);

/* "ENOSPC", "enospc" or "28" -> 28; 0 if unknown or out of 1..511. */
int parse_errno(const char *s);
const char *errno_name(int e);

#endif
