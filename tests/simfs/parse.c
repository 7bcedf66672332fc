/* See parse.h.  Kept byte-for-byte close to the kernel's rules because
 * the tests compare the errnos a user would see on real hardware. */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool parse_uuid(const char *s, char out[SIM_UUID_LEN + 1])
{
	for (int i = 0; i < SIM_UUID_LEN; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!isxdigit(c)) {
			return false;
		}
		out[i] = (char)tolower(c);
	}
	out[SIM_UUID_LEN] = '\0';
	return true;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return 99;
}

int parse_kstrtoul(const char *s, unsigned long *out)
{
	unsigned base = 10;
	if (*s == '+')
		s++;
	if (s[0] == '0') {
		if (tolower((unsigned char)s[1]) == 'x' && isxdigit((unsigned char)s[2])) {
			base = 16;
			s += 2;
		} else {
			base = 8;
		}
	}
	unsigned long v = 0;
	size_t n = 0;
	bool overflow = false;
	for (; *s; s++, n++) {
		int d = digit_value(*s);
		if (d >= (int)base)
			break;
		if (v > (ULONG_MAX - (unsigned long)d) / base)
			overflow = true;
		v = v * base + (unsigned long)d;
	}
	if (n == 0)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

bool parse_decimal(const char *s, bool allow_nl, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t n = 0;
	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (v > (ULONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (n == 0 || n > 19)
		return false;
	if (allow_nl && *s == '\n')
		s++;
	if (*s || v > max)
		return false;
	*out = v;
	return true;
}

bool sysfs_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	if (*a == *b)
		return true;
	if (!*a && *b == '\n' && !b[1])
		return true;
	if (*a == '\n' && !a[1] && !*b)
		return true;
	return false;
}

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "ESRCH", ESRCH },
	{ "EINTR", EINTR }, { "EIO", EIO }, { "ENXIO", ENXIO },
	{ "E2BIG", E2BIG }, { "EBADF", EBADF }, { "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT },
	{ "EBUSY", EBUSY }, { "EEXIST", EEXIST }, { "ENODEV", ENODEV },
	{ "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR }, { "EINVAL", EINVAL },
	{ "ENFILE", ENFILE }, { "EMFILE", EMFILE }, { "ENOTTY", ENOTTY },
	{ "EFBIG", EFBIG }, { "ENOSPC", ENOSPC }, { "EROFS", EROFS },
	{ "EPIPE", EPIPE }, { "EDOM", EDOM }, { "ERANGE", ERANGE },
	{ "EDEADLK", EDEADLK }, { "ENOSYS", ENOSYS }, { "ENODATA", ENODATA },
	{ "ETIME", ETIME }, { "EPROTO", EPROTO }, { "EOVERFLOW", EOVERFLOW },
	{ "EUSERS", EUSERS }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ETIMEDOUT", ETIMEDOUT }, { "EALREADY", EALREADY },
	{ "EINPROGRESS", EINPROGRESS }, { "ECANCELED", ECANCELED },
	{ "ENOTCONN", ENOTCONN }, { "EDQUOT", EDQUOT },
	{ "EHWPOISON", EHWPOISON },
};

int parse_errno(const char *s)
{
	if (*s >= '0' && *s <= '9') {
		unsigned long v;
		if (!parse_decimal(s, false, 511, &v) || v == 0)
			return 0;
		return (int)v;
	}
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcasecmp(s, errnos[i].name) == 0)
			return errnos[i].value;
	return 0;
}

const char *errno_name(int e)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	return "E?";
}
