/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /etc/mdevkit/mdevkit.conf: mdevkit's own settings, every one opt-in.
 *
 * Format (the same as gvt.conf): "key = value" lines, '#' starts a
 * comment, blank lines are ignored.  An unknown key or a bad value is an
 * error naming the file, the line and what to write instead, so that a
 * typo never silently leaves a setting off.  A missing file is all
 * defaults.  The GGTT size stays in gvt.conf (gvt.h), which callouts read.
 *
 *   vfio_group = kvm           group of the vfio group node of every mdev
 *                              that has a definition (the udev rule)
 *   vfio_mode = 0660           its mode (octal, no execute or special bits)
 *   ready_timeout_sec = 5      how long start waits for udev to finish the
 *                              new device (0: do not wait)
 *   pve_keep_alive = 101 102   Proxmox VMs whose vGPUs are defined once and
 *                              kept across VM restarts ("all" for every VM)
 */
#ifndef MDEVKIT_SETTINGS_H
#define MDEVKIT_SETTINGS_H

#include "mdevkit/error.h"

#include <stdbool.h>
#include <stddef.h>

#define MDK_READY_TIMEOUT_SEC_DEFAULT 5
#define MDK_READY_TIMEOUT_SEC_MAX 600

struct mdk_settings {
	char *vfio_group;          /* NULL: not set */
	unsigned vfio_mode;        /* 0: not set */
	unsigned ready_timeout_sec;
	bool pve_keep_alive_all;
	unsigned long *pve_keep_alive; /* VMIDs, in file order */
	size_t n_pve_keep_alive;
};

#define MDK_SETTINGS_INIT { NULL, 0, MDK_READY_TIMEOUT_SEC_DEFAULT, false, NULL, 0 }

/* Read mdevkit.conf (env.h: mdk_path_mdevkit_conf()) into s, which must be
 * MDK_SETTINGS_INIT.  On error s is left at its defaults. */
int mdk_settings_load(struct mdk_settings *s, struct mdk_error *e);

/* The same from text (path only names the file in messages). */
int mdk_settings_parse(const char *text, size_t len, const char *path, struct mdk_settings *s,
		       struct mdk_error *e);

/* Does pve_keep_alive name this VM? */
bool mdk_settings_pve_keep(const struct mdk_settings *s, unsigned long vmid);

void mdk_settings_free(struct mdk_settings *s);

#endif
