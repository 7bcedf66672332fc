/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The guest configuration of one mdev: what a libvirt domain or a QEMU
 * command line needs to give a guest the device and, for a GVT-g vGPU,
 * its picture (spec journey.md §3).
 *
 * The model (vmconfig.c) is built from the store, sysfs and the GVT-g
 * model and holds no XML and no option text.  Two renderers turn it into
 * text for the versions a host has:
 *   vmconfig-qemu.c   QEMU options, one per line (no libxml2)
 *   vmconfig-xml.c    libvirt XML through libxml2; only mdevkit-xml links
 *                     it, so the mdevkit binary stays without libxml2
 * vmconfig-parse.c parses versions, resolutions and QEMU's property
 * lists (pure, fuzzed); vmconfig-probe.c asks the installed virsh and
 * QEMU.
 */
#ifndef MDEVKIT_VMCONFIG_H
#define MDEVKIT_VMCONFIG_H

#include "mdevkit/error.h"
#include "mdevkit/uuid.h"

#include <stdbool.h>

/* ---- versions and resolutions (vmconfig-parse.c) ------------------------------ */

struct mdk_version {
	unsigned major, minor, micro;
};

/* "X.Y" or "X.Y.Z", each part at most 9999: 0 or -EINVAL. */
int mdk_version_parse(const char *text, struct mdk_version *v);
/* The first word of a program's --version output that starts with
 * X.Y[.Z] ("libvirtd (libvirt) 9.0.0", "QEMU emulator version 7.2.22
 * (Debian 1:7.2+dfsg-7)"): 0 or -EINVAL. */
int mdk_version_find(const char *text, struct mdk_version *v);
/* v >= major.minor.micro */
bool mdk_version_at_least(const struct mdk_version *v, unsigned major, unsigned minor,
			  unsigned micro);

/* "WIDTHxHEIGHT", each 1..16384: 0 or -EINVAL. */
int mdk_vm_parse_res(const char *text, unsigned *w, unsigned *h);

/* ---- QEMU's vfio-pci properties (vmconfig-parse.c) ------------------------------ */

/* The properties beyond sysfsdev that the configuration may set. */
enum mdk_qemu_prop {
	MDK_QEMU_DISPLAY,
	MDK_QEMU_RAMFB,         /* vfio-pci-nohotplug only */
	MDK_QEMU_X_IGD_OPREGION,
	MDK_QEMU_XRES,
	MDK_QEMU_YRES,
	MDK_QEMU_ROMFILE,
	MDK_QEMU_NPROPS,
};
const char *mdk_qemu_prop_name(enum mdk_qemu_prop p);
/* The QEMU release that added it, "2.12". */
const char *mdk_qemu_prop_since(enum mdk_qemu_prop p);

struct mdk_qemu_caps {
	bool nohotplug;                 /* has the vfio-pci-nohotplug device */
	bool has[MDK_QEMU_NPROPS];
};

/* The properties a `-device DRIVER,help` listing names, one per line,
 * "  name=<type> ..." (QEMU 2.12+) or "DRIVER.name=type" (older).
 * Returns how many lines named a property. */
int mdk_qemu_parse_help(const char *text, struct mdk_qemu_caps *c);
/* What QEMU of version v has (--qemu-version). */
void mdk_qemu_caps_of_version(const struct mdk_version *v, struct mdk_qemu_caps *c);

/* ---- the installed programs (vmconfig-probe.c) -------------------------------- */

/* `virsh --version`, else `libvirtd --version`, found in PATH. */
int mdk_libvirt_probe(struct mdk_version *v, struct mdk_error *e);
/* `qemu-system-x86_64 -device vfio-pci-nohotplug,help`, else
 * `... vfio-pci,help` (QEMU before 3.1 has no vfio-pci-nohotplug). */
int mdk_qemu_probe(struct mdk_qemu_caps *c, struct mdk_error *e);

/* ---- the model (vmconfig.c) ----------------------------------------------------- */

enum mdk_vm_graphics {
	MDK_VM_EGL_HEADLESS,    /* egl-headless with the render node, plus VNC */
	MDK_VM_SPICE,           /* SPICE with GL on the render node (a local viewer) */
};

struct mdk_vm_request {
	const char *uuid;               /* canonical */
	bool headless;                  /* a GVT-g vGPU without display */
	const char *res;                /* "WxH" or NULL: the type's own */
	const char *rom;                /* a ROM file for the device, or NULL */
	const char *rendernode;         /* NULL: the parent's /dev/dri/by-path node */
	enum mdk_vm_graphics graphics;
};

struct mdk_vmconfig {
	mdk_uuid_str uuid;
	char *parent;
	char *type;
	char *model;                    /* device_api: vfio-pci, vfio-ccw, vfio-ap */
	bool gvt;                       /* an i915 GVT-g type */
	bool display;                   /* gvt and not headless */
	unsigned max_w, max_h;          /* the type's resolution (gvt) */
	unsigned w, h;                  /* the guest's (display) */
	char *rom;                      /* NULL: none */
	char *rendernode;               /* as the host's programs name it (display) */
	char *sysfsdev;                 /* /sys/bus/mdev/devices/<uuid> */
	char *alias;                    /* "ua-mdev-<uuid>": libvirt's user alias, QEMU's id */
	enum mdk_vm_graphics graphics;
};

/* The configuration of a defined or running mdev.  A running device's
 * parent and type win over its definitions'; a device defined on several
 * parents and not running is an error.  Refuses --res beyond the type's
 * resolution, and display options for a type without display. */
int mdk_vmconfig_build(const struct mdk_vm_request *req, struct mdk_vmconfig *out,
		       struct mdk_error *e);
void mdk_vmconfig_free(struct mdk_vmconfig *vm);

/* ---- renderers ---------------------------------------------------------------------- */

/* QEMU options, one per line, each quoted for a POSIX shell and all but
 * the last ending in " \" (vmconfig-qemu.c).  A property the QEMU of caps
 * lacks is left out with a warning on stderr naming the release that adds
 * it.  Caller frees. */
char *mdk_vm_qemu_args(const struct mdk_vmconfig *vm, const struct mdk_qemu_caps *caps);

/* libvirt XML for libvirt version v (vmconfig-xml.c, libxml2): with
 * domain NULL the pieces to paste, each after a comment saying where it
 * goes; else a complete minimal domain of that name.  An error when v is
 * too old for what the device needs. */
int mdk_vm_libvirt_xml(const struct mdk_vmconfig *vm, const struct mdk_version *v,
		       const char *domain, char **xml, struct mdk_error *e);

#endif
