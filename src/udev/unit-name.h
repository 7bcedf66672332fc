/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef MDEVKIT_UDEV_UNIT_NAME_H
#define MDEVKIT_UDEV_UNIT_NAME_H

/* "mdevkit-parent@<instance>.service" with the parent name escaped as
 * systemd-escape does (so udev can pass it to systemctl as is).  Caller
 * frees. */
char *parent_unit_name(const char *parent);

#endif
