/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared between the device-*.c files of the library only. */
#ifndef MDEVKIT_DEVICE_INTERNAL_H
#define MDEVKIT_DEVICE_INTERNAL_H

#include "mdevkit/config.h"
#include "mdevkit/error.h"

#include "mdevkit/ready.h"

#include <stdbool.h>

enum mdk_start_outcome {
	MDK_START_FAILED,       /* and trying again will not help */
	MDK_START_NOT_READY,    /* parent, type or driver not ready: may work later */
	MDK_START_CREATED,
	MDK_START_WAS_RUNNING,
};

/* The type and attribute names of a definition from input (a file), as
 * names.h wants them before they can become paths. */
int mdk_device_check_names(const struct mdk_config *c, struct mdk_error *e);

/* Start a resolved device: callouts, checks, create, attributes. */
/* batch: a watch from mdk_device_ready_open() that the caller waits on
 * (mdk_device_ready_wait) once all its devices are started, so that udev
 * works on them together; NULL: this start waits for its device. */
int mdk_device_start(const char *uuid, const char *parent, const struct mdk_config *c,
		     bool force, bool running_ok, struct mdk_ready *batch,
		     enum mdk_start_outcome *outcome, struct mdk_error *e);

/* The readiness watch with ready_timeout_sec of mdevkit.conf (ready.h), and
 * its wait, which warns about a device that is not ready in time. */
struct mdk_ready *mdk_device_ready_open(void);
void mdk_device_ready_wait(struct mdk_ready *w, const char *uuid, bool new_device);

#endif
