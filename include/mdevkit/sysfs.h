/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's mdev interface in sysfs: parents (/sys/class/mdev_bus),
 * their types, active devices (/sys/bus/mdev/devices), create, remove and
 * attribute writes.  Active devices are resolved as mdevctl does: the
 * parent is the directory that contains the device, the type is the name
 * its mdev_type link points to.  Failed writes keep the kernel's errno in
 * the error's code and cause ("No space left on device (os error 28)").
 */
#ifndef MDEVKIT_SYSFS_H
#define MDEVKIT_SYSFS_H

#include "mdevkit/error.h"
#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <stddef.h>

struct mdk_mdev {
	mdk_uuid_str uuid;
	char *parent;
	char *type;
};

struct mdk_mdevs {
	struct mdk_mdev *v;     /* sorted by parent, then uuid */
	size_t n;
};
#define MDK_MDEVS_INIT { NULL, 0 }

/* Every active mdev.  Entries that are not UUIDs or do not resolve are
 * skipped with a warning. */
int mdk_sysfs_active(struct mdk_mdevs *out, struct mdk_error *e);
/* The same, resolving only the devices whose UUID want() takes (each
 * resolution is several trips into sysfs). */
int mdk_sysfs_active_of(bool (*want)(const char *uuid, void *data), void *data,
			struct mdk_mdevs *out, struct mdk_error *e);
void mdk_mdevs_free(struct mdk_mdevs *m);
void mdk_mdev_free(struct mdk_mdev *m);

/* Is this UUID an active mdev?  1 with out filled, 0 when not, -errno
 * when it exists but cannot be resolved. */
int mdk_sysfs_lookup(const char *uuid, struct mdk_mdev *out, struct mdk_error *e);

/* Names in /sys/class/mdev_bus, sorted.  A missing directory is an empty
 * list. */
int mdk_sysfs_parents(char ***names, size_t *n, struct mdk_error *e);

/* The parent exists in /sys/class/mdev_bus (1), or not (0).  When not,
 * *suggestion gets a parent whose name differs only in case, if any. */
int mdk_sysfs_parent_exists(const char *parent, char **suggestion, struct mdk_error *e);
/* Is the device directory dir (see mdk_path_from_devpath) an mdev parent,
 * the device /sys/class/mdev_bus/<its name> points to?  A module or driver
 * may share a parent's name (mtty).  1 with *parent set to the name, 0
 * when it is not one (or no longer exists), -errno when it cannot be told. */
int mdk_sysfs_parent_at(const char *dir, char **parent);
/* The parent's mdev_supported_types directory exists (1) or not (0). */
int mdk_sysfs_parent_registered(const char *parent, struct mdk_error *e);
/* The type's directory exists (1) or not (0). */
int mdk_sysfs_type_exists(const char *parent, const char *type, struct mdk_error *e);

struct mdk_type_info {
	char *type;             /* directory name, e.g. i915-GVTg_V5_4 */
	long long available;    /* available_instances */
	char *device_api;
	char *name;             /* NULL when absent or empty */
	char *description;      /* NULL when absent or empty; lines joined by ", " */
	char *raw_description;  /* the file as read, NULL when absent */
};

/* The types of a registered parent, sorted by name. */
int mdk_sysfs_types(const char *parent, struct mdk_type_info **types, size_t *n,
		    struct mdk_error *e);
void mdk_type_infos_free(struct mdk_type_info *types, size_t n);

/* available_instances of one type, parsed as mdevctl does (trimmed,
 * signed 32-bit). */
int mdk_sysfs_available(const char *parent, const char *type, long long *out, struct mdk_error *e);

/* Write the canonical UUID (36 bytes, no newline) to the type's create. */
int mdk_sysfs_create(const char *parent, const char *type, const char *uuid, struct mdk_error *e);
/* Write "1" to the device's remove. */
int mdk_sysfs_remove(const char *uuid, struct mdk_error *e);
/* The device has this attribute (1) or not (0). */
int mdk_sysfs_attr_exists(const char *uuid, const char *attr, struct mdk_error *e);
/* Write value verbatim (no newline) to the device's attribute. */
int mdk_sysfs_write_attr(const char *uuid, const char *attr, const char *value, struct mdk_error *e);

/* The IOMMU group of a running device (the name its iommu_group link
 * points to, /dev/vfio/<group>): 1 with *group set, 0 when it has none
 * (no driver bound yet), -errno when it cannot be told. */
int mdk_sysfs_iommu_group(const char *uuid, char **group, struct mdk_error *e);
/* The mdev in IOMMU group `group` (a decimal name): 1 with out filled, 0
 * when the group holds no mdev (a PCI device passed through), -errno. */
int mdk_sysfs_group_mdev(const char *group, struct mdk_mdev *out, struct mdk_error *e);

/* Reads of sysfs files are bounded: a regular file of at most 64 KiB of
 * UTF-8 text, anything else (a FIFO, a huge or binary file) is an error
 * naming the file. */
/* One file of a type directory (e.g. "description"). */
int mdk_sysfs_read_type_attr(const char *parent, const char *type, const char *file, char **text,
			     struct mdk_error *e);
/* A small sysfs file of a parent's PCI device (e.g. "resource"). */
int mdk_sysfs_read_pci_attr(const char *parent, const char *file, char **text, struct mdk_error *e);

#endif
