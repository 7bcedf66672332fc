/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared between the device-*.c files of the library only. */
#ifndef MDEVKIT_DEVICE_INTERNAL_H
#define MDEVKIT_DEVICE_INTERNAL_H

#include "mdevkit/config.h"
#include "mdevkit/error.h"

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
int mdk_device_start(const char *uuid, const char *parent, const struct mdk_config *c,
		     bool force, bool running_ok, enum mdk_start_outcome *outcome,
		     struct mdk_error *e);

#endif
