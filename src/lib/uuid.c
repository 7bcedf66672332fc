// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/uuid.h"

#include <errno.h>
#include <string.h>
#include <uuid/uuid.h>

static int hexval(char c)
{
	/* no tolower(): a locale lookup per digit of every file name */
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 32 hex digits, with hyphens exactly at 8-4-4-4-12 when `hyphens`. */
static int parse_digits(const char *s, size_t n, bool hyphens, unsigned char bytes[16])
{
	static const size_t dash_at[] = { 8, 13, 18, 23 };
	size_t nib = 0, d = 0;

	for (size_t i = 0; i < n; i++) {
		if (hyphens && d < 4 && i == dash_at[d]) {
			if (s[i] != '-')
				return -EINVAL;
			d++;
			continue;
		}
		int v = hexval(s[i]);
		if (v < 0 || nib >= 32)
			return -EINVAL;
		if (nib % 2 == 0)
			bytes[nib / 2] = (unsigned char)(v << 4);
		else
			bytes[nib / 2] |= (unsigned char)v;
		nib++;
	}
	return nib == 32 ? 0 : -EINVAL;
}

int mdk_uuid_parse(const char *in, mdk_uuid_str out)
{
	unsigned char bytes[16];
	size_t n = strlen(in);
	int r = -EINVAL;

	out[0] = '\0';
	if (n == 32)
		r = parse_digits(in, 32, false, bytes);
	else if (n == 36)
		r = parse_digits(in, 36, true, bytes);
	else if (n == 38 && in[0] == '{' && in[37] == '}')
		r = parse_digits(in + 1, 36, true, bytes);
	else if (n == 45 && !strncmp(in, "urn:uuid:", 9))
		r = parse_digits(in + 9, 36, true, bytes);
	if (r < 0)
		return -EINVAL;
	uuid_unparse_lower(bytes, out);
	return 0;
}

bool mdk_uuid_is_canonical(const char *s)
{
	mdk_uuid_str c;

	return strlen(s) == MDK_UUID_LEN && mdk_uuid_parse(s, c) == 0 && !strcmp(c, s);
}

void mdk_uuid_generate(mdk_uuid_str out)
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

bool mdk_uuid_given_or_new(const char *given, mdk_uuid_str out)
{
	if (!given) {
		mdk_uuid_generate(out);
		return true;
	}
	memcpy(out, given, sizeof(mdk_uuid_str));
	return false;
}
