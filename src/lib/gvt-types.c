// SPDX-License-Identifier: LGPL-2.1-or-later
/* The GVT-g type table, type names and the `description` parser. */
#include "mdevkit/gvt.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

const struct mdk_gvt_type mdk_gvt_table[MDK_GVT_NTYPES] = {
	{ 8, 64, 384, 4, 2, "1024x768" },
	{ 4, 128, 512, 4, 4, "1920x1200" },
	{ 2, 256, 1024, 4, 8, "1920x1200" },
	{ 1, 512, 2048, 4, 16, "1920x1200" },
};

bool mdk_gvt_is_family(const char *type)
{
	return type && !strncmp(type, MDK_GVT_PREFIX, sizeof(MDK_GVT_PREFIX) - 1);
}

int mdk_gvt_parse_name(const char *type, unsigned *version, size_t *index)
{
	if (!mdk_gvt_is_family(type))
		return -1;
	const char *p = type + sizeof(MDK_GVT_PREFIX) - 1;
	/* exactly "V4_n" or "V5_n" with n one of the table's suffixes */
	if (p[0] != 'V' || (p[1] != '4' && p[1] != '5') || p[2] != '_' || !p[3] || p[4])
		return -1;
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		if ((unsigned)(p[3] - '0') == mdk_gvt_table[i].suffix) {
			*version = (unsigned)(p[1] - '0');
			*index = i;
			return 0;
		}
	return -1;
}

char *mdk_gvt_type_name(unsigned version, size_t index)
{
	return mdk_asprintf(MDK_GVT_PREFIX "V%u_%u", version,
			    mdk_gvt_table[index < MDK_GVT_NTYPES ? index : 0].suffix);
}

unsigned mdk_gvt_version_of_gen(unsigned gen)
{
	return gen == 8 ? 4 : 5;
}

/* "<key>: <decimal><unit>" -> value; 0 or -1 */
static int field(const char *line, const char *key, const char *unit, unsigned *out)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) || line[k] != ':')
		return -1;
	const char *p = line + k + 1;
	while (*p == ' ')
		p++;
	unsigned long long v = 0;
	const char *digits = p;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p++ - '0');
		if (v > 1000000)
			return -1;
	}
	if (p == digits || strcmp(p, unit))
		return -1;
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
				r = -1;
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

int mdk_gvt_desc_index(const struct mdk_gvt_desc *d)
{
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		const struct mdk_gvt_type *t = &mdk_gvt_table[i];
		if (d->aperture_mib == t->aperture_mib && d->hidden_mib == t->hidden_mib &&
		    d->fences == t->fences && (!d->has_weight || d->weight == t->weight))
			return (int)i;
	}
	return -1;
}
