/* The simulated host: parents, their types, the mdev devices and the
 * rules that decide create/remove/registration outcomes.  No FUSE here:
 * sysfs.c turns this model into a directory tree after every change. */
#ifndef SIMFS_MODEL_H
#define SIMFS_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"
#include "parse.h"

/* kernel profile number: major * 100 + minor (6.1 -> 601, 5.18 -> 518) */
#define KVER(maj, min) ((maj) * 100 + (min))

enum sim_kind { KIND_GVT, KIND_MTTY, KIND_VENDOR };

struct sim_type {
	char *dir;		/* directory name "<driver>-<type>" */
	char *name;		/* `name` file text without '\n'; NULL: no file */
	char *description;	/* `description` file text; NULL: no file */
	unsigned low_mb, high_mb, fences; /* GVT resources of one vGPU */
	unsigned weight;
	unsigned ports;		/* mtty: ports per device */
	unsigned max;		/* vendor: fixed instance count */
	unsigned stored_avail;	/* GVT before 6.1: the count the driver keeps */
};

struct sim_parent {
	char *name;		/* class/mdev_bus entry: "0000:00:02.0", "mtty" */
	enum sim_kind kind;
	char *devpath;		/* below the sysfs root, no leading '/' */
	bool registered;
	int fail_next;		/* errno for the next create; 0: none */
	struct sim_type *types;
	size_t ntypes;
	unsigned gen, aperture_mb, ggtt_mb, device_id; /* GVT host */
	bool gvt_enabled;	/* GVT: i915.enable_gvt as the kernel left it */
	int guc;		/* GVT: i915.enable_guc */
	unsigned ports;		/* mtty: MAX_MTTYS */
};

enum vendor_attr { VATTR_CHANNEL, VATTR_DISPLAY, VATTR_COUNT };

struct sim_device {
	char uuid[SIM_UUID_LEN + 1];
	struct sim_parent *parent;
	struct sim_type *type;
	int vgpu_id;		/* GVT: 1..7 */
	int group;		/* iommu group number */
	bool busy;		/* "a VM holds it": remove fails with EBUSY */
	unsigned long channel;	/* vendor attributes */
	bool display;
};

/* ctl override: a read-only attribute that reads as these bytes, or
 * whose open fails with err, whatever the model says */
struct sim_override {
	char *path;		/* under sys, no leading '/', no links */
	char *data;
	size_t len;
	int err;
};

struct sim_host {
	unsigned kernel;	/* profile, KVER() */
	char *scenario;		/* scenario text it was built from */
	struct sim_parent *parents;
	size_t nparents;
	struct sim_device **devices;	/* sorted by uuid */
	size_t ndevices;
	struct events ev;
	struct sim_override *overrides;
	size_t noverrides;
};

void host_free(struct sim_host *h);
struct sim_parent *host_parent(struct sim_host *h, const char *name);
struct sim_device *host_device(struct sim_host *h, const char *uuid);

unsigned host_available(const struct sim_host *h, const struct sim_parent *p,
			const struct sim_type *t);
/* name of the mdev driver bound to devices of p (the `driver` link) */
const char *host_mdev_driver(const struct sim_host *h, const struct sim_parent *p);
/* "pci" or "mtty": the parent's subsystem, used in uevents */
const char *host_parent_subsystem(const struct sim_parent *p);

/* The sysfs stores.  Return 0 or a negative errno, as the kernel would. */
int host_create(struct sim_host *h, struct sim_parent *p, struct sim_type *t,
		const char *buf, size_t len);
int host_remove(struct sim_host *h, struct sim_device *d, const char *buf);
int host_uevent_write(struct sim_host *h, const char *devpath, const char *subsystem,
		      const char *buf);

/* Registration; -EALREADY when already in that state. */
int host_register(struct sim_host *h, struct sim_parent *p);
int host_unregister(struct sim_host *h, struct sim_parent *p);

/* kind specific parts (gvt.c, mtty.c, vendor.c) */
void gvt_init(struct sim_parent *p, unsigned kernel);
unsigned gvt_available(const struct sim_host *h, const struct sim_parent *p,
		       const struct sim_type *t);
int gvt_create(const struct sim_host *h, struct sim_parent *p, struct sim_type *t,
	       struct sim_device *d);
void gvt_changed(const struct sim_host *h, struct sim_parent *p);

void mtty_init(struct sim_parent *p);
unsigned mtty_free_ports(const struct sim_host *h, const struct sim_parent *p);
unsigned mtty_available(const struct sim_host *h, const struct sim_parent *p,
			const struct sim_type *t);

void vendor_add_type(struct sim_parent *p, const char *suffix, unsigned max);
unsigned vendor_available(const struct sim_host *h, const struct sim_parent *p,
			  const struct sim_type *t);
const char *vendor_attr_name(enum vendor_attr a);
char *vendor_attr_text(const struct sim_device *d, enum vendor_attr a);
int vendor_attr_write(struct sim_device *d, enum vendor_attr a, const char *buf);

#endif
