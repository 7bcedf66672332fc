// SPDX-License-Identifier: LGPL-2.1-or-later
/* The GVT-g type table and type names: the kernel's data, pure (the
 * parsers of what the kernel writes are in gvt-parse.c). */
#include "mdevkit/gvt.h"
#include "mdevkit/util.h"

#include <errno.h>
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
		return -EINVAL;
	const char *p = type + sizeof(MDK_GVT_PREFIX) - 1;
	/* exactly "V4_n" or "V5_n" with n one of the table's suffixes */
	if (p[0] != 'V' || (p[1] != '4' && p[1] != '5') || p[2] != '_' || !p[3] || p[4])
		return -EINVAL;
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		if ((unsigned)(p[3] - '0') == mdk_gvt_table[i].suffix) {
			*version = (unsigned)(p[1] - '0');
			*index = i;
			return 0;
		}
	return -EINVAL;
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
