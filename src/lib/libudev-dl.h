/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libudev loaded with dlopen: the few functions the readiness wait uses
 * (ready.c).  mdevkit-udev links libudev itself. */
#ifndef MDEVKIT_LIBUDEV_DL_H
#define MDEVKIT_LIBUDEV_DL_H

#include "mdevkit/error.h"

#include <libudev.h>

struct mdk_libudev {
	void *dl;
	__typeof__(udev_new) *udev_new;
	__typeof__(udev_unref) *udev_unref;
	__typeof__(udev_monitor_new_from_netlink) *udev_monitor_new_from_netlink;
	__typeof__(udev_monitor_filter_add_match_subsystem_devtype)
		*udev_monitor_filter_add_match_subsystem_devtype;
	__typeof__(udev_monitor_enable_receiving) *udev_monitor_enable_receiving;
	__typeof__(udev_monitor_get_fd) *udev_monitor_get_fd;
	__typeof__(udev_monitor_receive_device) *udev_monitor_receive_device;
	__typeof__(udev_monitor_unref) *udev_monitor_unref;
	__typeof__(udev_device_new_from_subsystem_sysname) *udev_device_new_from_subsystem_sysname;
	__typeof__(udev_device_get_is_initialized) *udev_device_get_is_initialized;
	__typeof__(udev_device_get_usec_since_initialized) *udev_device_get_usec_since_initialized;
	__typeof__(udev_device_unref) *udev_device_unref;
};

/* Load libudev.so.1 and every function above: 0, or -errno with e naming
 * what is missing. */
int mdk_libudev_load(struct mdk_libudev *lu, struct mdk_error *e);
void mdk_libudev_unload(struct mdk_libudev *lu);

#endif
