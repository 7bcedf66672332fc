/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Is a new mdev ready for a VM?  Ready means: the device has its IOMMU
 * group, udev has finished the add event of the group's node and
 * /dev/vfio/<group> exists, with the group and mode the rules gave it
 * (70-mdevkit.rules: vfio_group, vfio_mode).
 *
 * A watch is opened before the device is created, so that no udev event is
 * missed, and waited on after.  udev is asked only while it runs
 * (/run/udev/control exists): in a container, or a test root without udev,
 * there is nothing to wait for.  On the host's root libudev gives the
 * monitor and udev's database; it is loaded with dlopen when a watch is
 * opened, so that programs that never start a device do not pay for it.
 * Under a root prefix (MDEVCTL_ENV_ROOT), where libudev would see the
 * host, the node under the root is all that is checked.
 */
#ifndef MDEVKIT_READY_H
#define MDEVKIT_READY_H

#include "mdevkit/error.h"

#include <stdbool.h>

struct mdk_ready;

/* A watch that waits at most timeout_sec.  NULL when there is nothing to
 * wait for (timeout 0, udev not running); never fails otherwise (without
 * libudev only the node is checked). */
struct mdk_ready *mdk_ready_open(unsigned timeout_sec);

/* Wait until uuid is ready, at most the watch's timeout from now (one
 * watch serves several devices, waited for one after the other).
 * new_device: it was created after the watch was opened, so udev's record
 * must be newer than the watch.  0 when ready (or w is NULL); -ETIMEDOUT
 * with e saying what is missing, or at once when the device is gone. */
int mdk_ready_wait(struct mdk_ready *w, const char *uuid, bool new_device, struct mdk_error *e);

void mdk_ready_free(struct mdk_ready *w);

#endif
