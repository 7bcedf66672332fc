// SPDX-License-Identifier: LGPL-2.1-or-later
/* The texts the kernel writes about a GVT-g GPU: a type's `description`
 * and the PCI `resource` file (BAR 2 is the aperture).  Parsers only: the
 * files are read by gvt-host.c. */
#include "mdevkit/gvt.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "<key>: <decimal><unit>" -> value; 0 or -EINVAL */
static int field(const char *line, const char *key, const char *unit, unsigned *out)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) || line[k] != ':')
		return -EINVAL;
	const char *p = line + k + 1;
	while (*p == ' ')
		p++;
	unsigned long long v = 0;
	const char *digits = p;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p++ - '0');
		if (v > 1000000)
			return -EINVAL;
	}
	if (p == digits || strcmp(p, unit))
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

int mdk_gvt_parse_description(const char *text, struct mdk_gvt_desc *out, struct mdk_error *e)
{
	static const char *const keys[] = { "low_gm_size", "high_gm_size", "fence", "resolution",
					    "weight" };
	struct mdk_gvt_desc d;
	char *copy = mdk_strdup(text ? text : "");
	char *save = NULL;
	size_t n = 0;
	int r = 0;

	memset(&d, 0, sizeof(d));
	for (char *line = strtok_r(copy, "\n", &save); line && r == 0;
	     line = strtok_r(NULL, "\n", &save), n++) {
		mdk_strstrip(line);
		char *shown = mdk_str_excerpt(line, 64);
		if (n >= MDK_ARRAY_SIZE(keys)) {
			r = mdk_fail(e, "unexpected line %zu \"%s\" in a GVT-g description", n + 1, shown);
			free(shown);
			break;
		}
		switch (n) {
		case 0: r = field(line, keys[0], "MB", &d.aperture_mib); break;
		case 1: r = field(line, keys[1], "MB", &d.hidden_mib); break;
		case 2: r = field(line, keys[2], "", &d.fences); break;
		case 3: {
			/* v only once the prefix is there: a shorter line has no v */
			size_t k = strlen(keys[3]) + 2;
			const char *v = strncmp(line, "resolution: ", k) ? NULL : line + k;
			if (!v || !*v || strlen(v) >= sizeof(d.resolution) ||
			    strspn(v, "0123456789x") != strlen(v))
				r = -EINVAL;
			else
				strcpy(d.resolution, v);
			break;
		}
		case 4: r = field(line, keys[4], "", &d.weight); d.has_weight = r == 0; break;
		}
		if (r < 0)
			r = mdk_fail(e, "line %zu of a GVT-g description is \"%s\", not \"%s: ...\"",
				     n + 1, shown, keys[n]);
		free(shown);
	}
	if (r == 0 && n < 4)
		r = mdk_fail(e, "a GVT-g description has %zu lines, not 4 or 5", n);
	free(copy);
	if (r == 0)
		*out = d;
	return r;
}

/* one hex number "0x..." at *p; advances *p */
static int hex(const char **p, unsigned long long *out)
{
	const char *s = *p;
	unsigned long long v = 0;
	int digits = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -EINVAL;
	for (s += 2; *s; s++, digits++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
		if (d < 0)
			break;
		if (digits >= 16)
			return -EINVAL;
		v = v << 4 | (unsigned)d;
	}
	if (!digits)
		return -EINVAL;
	*out = v;
	*p = s;
	return 0;
}

int mdk_gvt_parse_resource(const char *text, unsigned long long *aperture_mib,
			   struct mdk_error *e)
{
	const char *line = text;
	unsigned long long start, end, flags;

	for (int i = 0; i < 2 && line; i++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line || !*line)
		return mdk_fail(e, "it has no line for BAR 2");
	const char *p = line;
	if (hex(&p, &start) < 0 || hex(&p, &end) < 0 || hex(&p, &flags) < 0 ||
	    (*p && *p != '\n'))
		return mdk_fail(e, "its BAR 2 line is not \"0x<start> 0x<end> 0x<flags>\"");
	if (!start && !end)
		return mdk_fail(e, "BAR 2 (the aperture) is not assigned");
	if (end < start || end - start + 1 < (1ULL << 20))
		return mdk_fail(e, "BAR 2 (the aperture) is smaller than 1 MiB");
	*aperture_mib = (end - start + 1) >> 20;
	return 0;
}
