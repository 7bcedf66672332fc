// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/names.h"
#include "mdevkit/util.h"

#include <string.h>

static const struct {
	const char *what;
	const char *fix;
} kinds[] = {
	[MDK_NAME_PARENT] = { "parent", "use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0" },
	[MDK_NAME_TYPE] = { "mdev type", "use a type name listed by 'mdevkit types', e.g. i915-GVTg_V5_4" },
	[MDK_NAME_ATTRIBUTE] = { "attribute", "use the name of a file in the device's sysfs directory" },
	[MDK_NAME_MODULE] = { "kernel module", "write the module's name as modprobe takes it, e.g. kvmgt" },
	[MDK_NAME_RELEASE] = { "kernel release", "it should read like 6.1.0-13-amd64 (uname -r)" },
};

/* Why a name is refused, or NULL; *show says whether the name itself can
 * be printed in the message (not when it is garbage or huge). */
static const char *problem(const char *name, int *show)
{
	size_t n = strlen(name);

	*show = 0;
	if (n == 0)
		return "it is empty";
	if (n > MDK_NAME_MAX)
		return "it is longer than 255 bytes";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "it contains a control character";
	if (!mdk_utf8_valid(name, n))
		return "it is not valid UTF-8";
	*show = 1;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "it names a directory, not a device";
	if (strchr(name, '/'))
		return "it contains '/'";
	return NULL;
}

int mdk_name_check(enum mdk_name_kind kind, const char *name, struct mdk_error *e)
{
	int show;
	const char *why = problem(name, &show);

	if (!why)
		return 0;
	if (!show)
		return mdk_fail(e, "Invalid %s name: %s; %s", kinds[kind].what, why, kinds[kind].fix);
	return mdk_fail(e, "Invalid %s name '%s': %s; %s", kinds[kind].what, name, why,
			kinds[kind].fix);
}

int mdk_name_check_parent_type(const char *parent, const char *type, struct mdk_error *e)
{
	int r;

	if (parent && (r = mdk_name_check(MDK_NAME_PARENT, parent, e)) < 0)
		return r;
	if (type && (r = mdk_name_check(MDK_NAME_TYPE, type, e)) < 0)
		return r;
	return 0;
}
