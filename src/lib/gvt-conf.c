// SPDX-License-Identifier: LGPL-2.1-or-later
/* /etc/mdevkit/gvt.conf: the GGTT size override.  The GGTT size is not in
 * sysfs (it is in PCI config space, readable only by root), so the model
 * assumes 4096 MiB, what BDW..CML firmware sets, unless this file says
 * otherwise.  Format: "key = value" lines, '#' comments, blank lines. */
#include "conf-internal.h"
#include "gvt-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ggtt_setting {
	unsigned long long mib;
	bool seen;
};

static int ggtt_setting(const char *key, const char *value, const char *path, unsigned no,
			void *data, struct mdk_error *e)
{
	struct ggtt_setting *g = data;

	if (strcmp(key, "ggtt_mib"))
		return mdk_fail(e, "%s:%u: unknown setting \"%s\"; the only setting is ggtt_mib",
				path, no, key);
	if (strcmp(value, "1024") && strcmp(value, "2048") && strcmp(value, "4096"))
		return mdk_fail(e, "%s:%u: ggtt_mib is \"%s\"; it must be 1024, 2048 or 4096 (the GGTT "
				"sizes the GPU can have)", path, no, value);
	g->mib = strtoull(value, NULL, 10);
	g->seen = true;
	return 0;
}

int mdk_gvt_conf_ggtt(unsigned long long *ggtt_mib, bool *configured, struct mdk_error *e)
{
	char *path = mdk_path_gvt_conf();
	struct ggtt_setting g = { MDK_GVT_DEFAULT_GGTT_MIB, false };
	int r = mdk_conf_load(path, "ggtt_mib = 4096", ggtt_setting, &g, e);

	free(path);
	if (r == 0) {
		*ggtt_mib = g.mib;
		*configured = g.seen;
	}
	return r;
}
