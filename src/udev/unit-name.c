// SPDX-License-Identifier: LGPL-2.1-or-later
#include "unit-name.h"

#include "mdevkit/util.h"

#include <stdbool.h>

/* systemd's rule: keep [A-Za-z0-9:_.], but a leading '.', turn '/' into
 * '-', and write every other byte as \xNN */
static bool keep(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == ':' || c == '_' || (c == '.' && !first);
}

char *parent_unit_name(const char *parent)
{
	struct mdk_buf b = MDK_BUF_INIT;

	mdk_buf_adds(&b, "mdevkit-parent@");
	for (const char *p = parent; *p; p++) {
		if (keep(*p, p == parent))
			mdk_buf_add(&b, p, 1);
		else if (*p == '/')
			mdk_buf_adds(&b, "-");
		else
			mdk_buf_printf(&b, "\\x%02x", (unsigned char)*p);
	}
	mdk_buf_adds(&b, ".service");
	return mdk_buf_steal(&b);
}
