// SPDX-License-Identifier: LGPL-2.1-or-later
/* libudev on demand (libudev-dl.h): the library costs every program that
 * links it start-up time, and only a start that waits for udev needs it. */
#include "libudev-dl.h"
#include "mdevkit/util.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#define SYM(name) { #name, offsetof(struct mdk_libudev, name) }

static const struct {
	const char *name;
	size_t offset;
} symbols[] = {
	SYM(udev_new),
	SYM(udev_unref),
	SYM(udev_monitor_new_from_netlink),
	SYM(udev_monitor_filter_add_match_subsystem_devtype),
	SYM(udev_monitor_enable_receiving),
	SYM(udev_monitor_get_fd),
	SYM(udev_monitor_receive_device),
	SYM(udev_monitor_unref),
	SYM(udev_device_new_from_subsystem_sysname),
	SYM(udev_device_get_is_initialized),
	SYM(udev_device_get_usec_since_initialized),
	SYM(udev_device_unref),
};

int mdk_libudev_load(struct mdk_libudev *lu, struct mdk_error *e)
{
	memset(lu, 0, sizeof(*lu));
	lu->dl = dlopen("libudev.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lu->dl)
		return mdk_fail_errno(e, ENOENT, "Unable to load libudev.so.1: %s", dlerror());
	for (size_t i = 0; i < MDK_ARRAY_SIZE(symbols); i++) {
		void *f = dlsym(lu->dl, symbols[i].name);
		if (!f) {
			int r = mdk_fail_errno(e, ENOENT, "libudev.so.1 has no %s", symbols[i].name);
			mdk_libudev_unload(lu);
			return r;
		}
		/* POSIX: a data pointer from dlsym converts to a function pointer */
		memcpy((char *)lu + symbols[i].offset, &f, sizeof(f));
	}
	return 0;
}

void mdk_libudev_unload(struct mdk_libudev *lu)
{
	if (lu->dl)
		dlclose(lu->dl);
	memset(lu, 0, sizeof(*lu));
}
