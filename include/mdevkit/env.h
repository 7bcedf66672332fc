/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every path mdevkit touches, under one root prefix.
 *
 * The store, mdevkit's settings and mdevctl's library directory are set at
 * build time (make's STOREDIR, CONFDIR, MDEVCTL_LIBDIR); the comments
 * below name the defaults.
 *
 * The root is "/" unless MDEVCTL_ENV_ROOT names another directory, exactly
 * as mdevctl 1.3+ and its tests use it: it moves the store, the callout and
 * notifier directories and /sys together.  Nothing outside this module
 * builds a path.  Components that come from input (parent, uuid, type,
 * attribute names) must have passed names.h before they get here.
 *
 * All functions return a newly allocated string the caller frees.
 */
#ifndef MDEVKIT_ENV_H
#define MDEVKIT_ENV_H

#include <stdbool.h>
#include <stddef.h>

/* Forget the cached root (tests that change MDEVCTL_ENV_ROOT). */
void mdk_env_reset(void);
/* The root prefix itself: "/" or MDEVCTL_ENV_ROOT without trailing
 * slashes.  Every other path here is it followed by an absolute path. */
char *mdk_path_root(void);

/* --- the definition store: /etc/mdevctl.d ----------------------------- */
char *mdk_path_store(void);
char *mdk_path_store_parent(const char *parent);
char *mdk_path_definition(const char *parent, const char *uuid);
/* Where a save of <uuid> is written first: /etc/.mdevctl.d.<uuid>.mdevkit-tmp,
 * beside the store and outside the directories libvirt watches; in_store:
 * /etc/mdevctl.d/.<uuid>.mdevkit-tmp, for a store on a file system of its
 * own (and the place of mdevkit 0.x's leftovers) */
char *mdk_path_definition_temp(const char *uuid, bool in_store);
/* The directory mdevctl keeps scripts in, inside the store (skipped as a
 * parent when scanning). */
#define MDK_STORE_SCRIPTS_DIR "scripts.d"

/* mdevkit's own settings: /etc/mdevkit/gvt.conf (the GGTT size override
 * read by the GVT-g model; callouts run with mdevctl's environment, so a
 * file is the only way to reach them) */
char *mdk_path_gvt_conf(void);
/* /etc/mdevkit/mdevkit.conf: mdevkit's opt-in settings (settings.h) */
char *mdk_path_mdevkit_conf(void);

/* --- Proxmox VE (pve.h), read only -------------------------------------- */
/* /etc/pve/qemu-server/<vmid>.conf */
char *mdk_path_pve_vm_config(unsigned long vmid);
/* /etc/pve/nodes/<node>/qemu-server/<vmid>.conf, and its directory */
char *mdk_path_pve_node_vm_config(const char *node, unsigned long vmid);
char *mdk_path_pve_node_vm_dir(const char *node);
/* /etc/pve/local: pmxcfs's link to nodes/<this node> */
char *mdk_path_pve_local(void);
/* /etc/pve/mapping/pci.cfg */
char *mdk_path_pve_mapping_pci(void);

/* The libvirt hook's record of the manual devices it started for a domain:
 * /run/mdevkit/libvirt/<domain uuid> (the directory: domain uuid NULL) */
char *mdk_path_libvirt_hook_state(const char *domain_uuid);

/* --- callouts and notifiers, in the order they are searched ------------ */
enum mdk_script_kind { MDK_SCRIPTS_CALLOUTS, MDK_SCRIPTS_NOTIFIERS };
#define MDK_SCRIPT_DIRS 2
/* i = 0: /usr/lib/mdevctl/scripts.d/<kind>, i = 1: /etc/mdevctl.d/scripts.d/<kind> */
char *mdk_path_script_dir(enum mdk_script_kind kind, size_t i);

/* --- mdevkit's own helper programs: LIBEXECDIR/<program> ---------------
 * A program, not host state: MDEVCTL_ENV_ROOT does not move it. */
char *mdk_path_libexec(const char *program);

/* --- sysfs --------------------------------------------------------------- */
char *mdk_path_mdev_bus(void);                              /* /sys/class/mdev_bus */
char *mdk_path_parent(const char *parent);                  /* .../mdev_bus/<parent> */
char *mdk_path_parent_types(const char *parent);            /* .../<parent>/mdev_supported_types */
char *mdk_path_type(const char *parent, const char *type);  /* .../mdev_supported_types/<type> */
char *mdk_path_type_attr(const char *parent, const char *type, const char *file);
char *mdk_path_mdev_devices(void);                          /* /sys/bus/mdev/devices */
char *mdk_path_mdev(const char *uuid);                      /* .../devices/<uuid> */
char *mdk_path_mdev_attr(const char *uuid, const char *attr);
char *mdk_path_pci_attr(const char *parent, const char *file); /* /sys/bus/pci/devices/<parent>/<file> */
/* /sys/kernel/iommu_groups/<group>/devices: the devices of an IOMMU group */
char *mdk_path_iommu_group_devices(const char *group);
/* Prefix an absolute sysfs path from the environment (udev's DEVPATH is
 * relative to /sys; a syspath given by hand is under /sys). */
char *mdk_path_from_devpath(const char *devpath);
/* Is the root the real one ("/")?  libudev reads the real /sys and /run:
 * under another root mdevkit reads its own paths instead. */
bool mdk_env_is_host_root(void);

/* /run/udev/control: udevd's control socket, there while udevd runs (the
 * vfio node a start waits for is mdk_path_dev_vfio(group) below) */
char *mdk_path_udev_control(void);

/* --- host facts `mdevkit doctor` reads ---------------------------------- */
/* Components (module, release, PCI address, group) have passed names.h or
 * come from a directory listing. */
char *mdk_path_pci_devices(void);                          /* /sys/bus/pci/devices */
char *mdk_path_module(const char *module);                 /* /sys/module/<m> */
char *mdk_path_module_param(const char *module, const char *param); /* .../parameters/<p> */
char *mdk_path_iommu_groups(void);                         /* /sys/kernel/iommu_groups */
char *mdk_path_acpi_dmar(void);                            /* /sys/firmware/acpi/tables/DMAR */
char *mdk_path_proc_cmdline(void);                         /* /proc/cmdline */
char *mdk_path_osrelease(void);                            /* /proc/sys/kernel/osrelease */
/* /lib/modules/<release>/<file> (file NULL: the directory) */
char *mdk_path_kernel_modules(const char *release, const char *file);
char *mdk_path_etc_modules(void);                          /* /etc/modules */
char *mdk_path_initramfs_modules(void);                    /* /etc/initramfs-tools/modules */
char *mdk_path_pve(void);                                  /* /etc/pve (Proxmox VE) */
/* udev rules directories of packages: i = 0: /lib/udev/rules.d, 1: /usr/lib/udev/rules.d */
#define MDK_UDEV_RULES_DIRS 2
char *mdk_path_udev_rules_dir(size_t i);
/* /dev/vfio/<name>; name NULL: /dev/vfio */
char *mdk_path_dev_vfio(const char *name);
char *mdk_path_dev_dri(void);                              /* /dev/dri */
/* /dev/dri/by-path/pci-<address>-render */
char *mdk_path_render_node(const char *pci_address);
char *mdk_path_kmsg(void);                                 /* /dev/kmsg */

/* The part of a path from this module after the root prefix (the path as
 * the host sees it, for messages); path itself when it is not under it. */
const char *mdk_path_unrooted(const char *path);
/* Configuration directories searched in this order (the first holding a
 * file name wins it, as kmod and systemd do): /etc, /run, /usr/local/lib,
 * /usr/lib, /lib, each followed by the kind's name.  NULL past the end. */
/* An absolute host path that comes from the environment or a file (a PATH
 * entry, a program a udev rule names), under the root. */
char *mdk_path_in_root(const char *abs);
/* systemd's unit directories: i = 0: /etc/systemd/system,
 * 1: /lib/systemd/system, 2: /usr/lib/systemd/system; NULL past the end. */
char *mdk_path_unit_dir(size_t i);
enum mdk_conf_kind { MDK_CONF_MODPROBE, MDK_CONF_MODULES_LOAD };
char *mdk_path_conf_dir(enum mdk_conf_kind kind, size_t i);

/* --- what a guest's configuration names ----------------------------------- */
/* mdk_path_render_node's render node as the host's programs (libvirt,
 * QEMU) open it: never under the root */
char *mdk_host_path_render_node(const char *pci);
/* /sys/bus/mdev/devices/<uuid> as QEMU's sysfsdev= names it */
char *mdk_host_path_mdev(const char *uuid);

/* A helper program mdevkit execs (mdevkit-xml): the one beside the
 * running binary (/proc/self/exe: the build tree), else mdk_path_libexec's;
 * NULL when neither is an executable file. */
char *mdk_path_helper(const char *name);

#endif
