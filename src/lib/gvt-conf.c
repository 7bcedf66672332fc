// SPDX-License-Identifier: LGPL-2.1-or-later
/* /etc/mdevkit/gvt.conf: the GGTT size override.  The GGTT size is not in
 * sysfs (it is in PCI config space, readable only by root), so the model
 * assumes 4096 MiB, what BDW..CML firmware sets, unless this file says
 * otherwise.  Format: "key = value" lines, '#' comments, blank lines. */
#include "gvt-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CONF_MAX 65536

static int parse_line(char *line, unsigned long long *ggtt, bool *seen, const char *path,
		      unsigned no, struct mdk_error *e)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	mdk_strstrip(line);
	if (!*line)
		return 0;
	char *eq = strchr(line, '=');
	if (!eq)
		return mdk_fail(e, "%s:%u: \"%s\" is not \"key = value\"; write \"ggtt_mib = 4096\" "
				"or remove the line", path, no, line);
	*eq = '\0';
	char *key = mdk_strstrip(line), *value = mdk_strstrip(eq + 1);
	if (strcmp(key, "ggtt_mib"))
		return mdk_fail(e, "%s:%u: unknown setting \"%s\"; the only setting is ggtt_mib",
				path, no, key);
	if (strcmp(value, "1024") && strcmp(value, "2048") && strcmp(value, "4096"))
		return mdk_fail(e, "%s:%u: ggtt_mib is \"%s\"; it must be 1024, 2048 or 4096 (the GGTT "
				"sizes the GPU can have)", path, no, value);
	*ggtt = strtoull(value, NULL, 10);
	*seen = true;
	return 0;
}

int mdk_gvt_conf_ggtt(unsigned long long *ggtt_mib, bool *configured, struct mdk_error *e)
{
	char *path = mdk_path_gvt_conf();
	char *text = NULL;
	unsigned long long ggtt = MDK_GVT_DEFAULT_GGTT_MIB;
	bool seen = false;
	int r = mdk_read_file(path, CONF_MAX, &text, NULL);

	if (r == -ENOENT) {
		r = 0;
	} else if (r < 0) {
		r = mdk_fail_errno(e, -r, "Unable to read \"%s\"", path);
	} else {
		unsigned no = 1;
		for (char *line = text, *next; line && r == 0; line = next, no++) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			r = parse_line(line, &ggtt, &seen, path, no, e);
		}
	}
	free(text);
	free(path);
	if (r == 0) {
		*ggtt_mib = ggtt;
		*configured = seen;
	}
	return r;
}
