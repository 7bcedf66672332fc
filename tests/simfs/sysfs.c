/* Builds the /sys tree of the model: parents, types, devices and every
 * link the kernel creates between them (spec/gvt-g.md §1.4, §3.2, §5). */
#include "sysfs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci.h"
#include "util.h"

#define PBUF 1024

/* format a path into buf; names are validated, so nothing truncates */
static const char *pf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *pf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, PBUF, fmt, ap);
	va_end(ap);
	return buf;
}

static void file_text(struct node *root, const char *path, unsigned mode, char *text)
{
	tree_file(root, path, mode, text);
	free(text);
}

static void build_type(struct node *root, const struct sim_host *h, struct sim_parent *p,
		       struct sim_type *t)
{
	char b[PBUF], dir[PBUF];
	pf(dir, "%s/mdev_supported_types/%s", p->devpath, t->dir);
	struct node *n = tree_file(root, pf(b, "%s/create", dir), 0200, "");
	n->op = OP_CREATE;
	n->obj = p;
	n->obj2 = t;
	file_text(root, pf(b, "%s/available_instances", dir), 0444,
		  xasprintf("%u\n", host_available(h, p, t)));
	tree_file(root, pf(b, "%s/device_api", dir), 0444, "vfio-pci\n");
	if (t->name)
		file_text(root, pf(b, "%s/name", dir), 0444, xasprintf("%s\n", t->name));
	if (t->description)
		tree_file(root, pf(b, "%s/description", dir), 0444, t->description);
	tree_dir(root, pf(b, "%s/devices", dir));
}

static void build_device(struct node *root, const struct sim_host *h, struct sim_device *d)
{
	char b[PBUF], t[PBUF], dev[PBUF];
	const struct sim_parent *p = d->parent;
	const char *drv = host_mdev_driver(h, p);
	pf(dev, "%s/%s", p->devpath, d->uuid);

	tree_link(root, pf(b, "%s/mdev_type", dev),
		  pf(t, "%s/mdev_supported_types/%s", p->devpath, d->type->dir));
	tree_link(root, pf(b, "%s/mdev_supported_types/%s/devices/%s", p->devpath, d->type->dir,
			   d->uuid), dev);
	struct node *n = tree_file(root, pf(b, "%s/remove", dev), 0200, "");
	n->op = OP_REMOVE;
	n->obj = d;
	tree_link(root, pf(b, "%s/driver", dev), pf(t, "bus/mdev/drivers/%s", drv));
	tree_link(root, pf(b, "bus/mdev/drivers/%s/%s", drv, d->uuid), dev);
	tree_link(root, pf(b, "%s/subsystem", dev), "bus/mdev");
	tree_link(root, pf(b, "%s/iommu_group", dev), pf(t, "kernel/iommu_groups/%d", d->group));
	tree_link(root, pf(b, "kernel/iommu_groups/%d/devices/%s", d->group, d->uuid), dev);
	tree_link(root, pf(b, "bus/mdev/devices/%s", d->uuid), dev);
	/* the mdev bus has no uevent hook: only the driver-core DRIVER= line */
	char *ue = xasprintf("DRIVER=%s\n", drv);
	n = tree_file(root, pf(b, "%s/uevent", dev), 0644, ue);
	free(ue);
	n->op = OP_UEVENT;
	n->aux = xasprintf("%s", dev);
	n->aux2 = xstrdup("mdev");

	switch (p->kind) {
	case KIND_GVT:
		file_text(root, pf(b, "%s/intel_vgpu/vgpu_id", dev), 0444,
			  xasprintf("%d\n", d->vgpu_id));
		break;
	case KIND_MTTY:
		file_text(root, pf(b, "%s/vendor/sample_mdev_dev", dev), 0444,
			  xasprintf("This is MDEV %s\n", d->uuid));
		break;
	case KIND_VENDOR:
		for (int a = 0; a < VATTR_COUNT; a++) {
			char *v = vendor_attr_text(d, (enum vendor_attr)a);
			n = tree_file(root, pf(b, "%s/%s", dev, vendor_attr_name((enum vendor_attr)a)),
				      0644, v);
			free(v);
			n->op = OP_ATTR;
			n->obj = d;
			n->arg = a;
		}
		break;
	}
}

static void build_parent(struct node *root, const struct sim_host *h, struct sim_parent *p)
{
	char b[PBUF];
	tree_dir(root, p->devpath);
	if (p->kind == KIND_MTTY) {
		/* a class device without devt: its uevent file is empty */
		struct node *n = tree_file(root, pf(b, "%s/uevent", p->devpath), 0644, "");
		n->op = OP_UEVENT;
		n->aux = xstrdup(p->devpath);
		n->aux2 = xstrdup("mtty");
		tree_link(root, pf(b, "%s/subsystem", p->devpath), "class/mtty");
		tree_link(root, "class/mtty/mtty", p->devpath);
	} else {
		pci_build(root, p);
	}
	/* drivers exist while their module is loaded, devices or not */
	tree_dir(root, pf(b, "bus/mdev/drivers/%s", host_mdev_driver(h, p)));
	if (!p->registered)
		return;
	tree_link(root, pf(b, "class/mdev_bus/%s", p->name), p->devpath);
	tree_dir(root, pf(b, "%s/mdev_supported_types", p->devpath));
	for (size_t i = 0; i < p->ntypes; i++)
		build_type(root, h, p, &p->types[i]);
}

static void build_modules(struct node *root, const struct sim_host *h)
{
	char b[PBUF];
	tree_dir(root, "module/mdev");
	tree_dir(root, "module/vfio");
	tree_dir(root, "module/vfio_iommu_type1");
	if (h->kernel < KVER(5, 19))
		tree_dir(root, "module/vfio_mdev");
	for (size_t i = 0; i < h->nparents; i++) {
		const struct sim_parent *p = &h->parents[i];
		if (p->kind == KIND_GVT) {
			tree_file(root, "module/i915/parameters/enable_gvt", 0400,
				  p->gvt_enabled ? "Y\n" : "N\n");
			tree_file(root, "module/i915/parameters/enable_guc", 0400,
				  pf(b, "%d\n", p->guc));
			if (p->registered && p->gvt_enabled)
				tree_dir(root, "module/kvmgt");
		} else if (p->kind == KIND_MTTY) {
			tree_dir(root, "module/mtty");
		}
	}
}

/* last, so they win over the model; a path gone with its device or type
 * waits until it is back */
static void apply_overrides(struct node *root, const struct sim_host *h)
{
	for (size_t i = 0; i < h->noverrides; i++) {
		const struct sim_override *o = &h->overrides[i];
		char *path = xasprintf("/%s", o->path);
		struct node *n = tree_lookup(root, path);
		free(path);
		if (!n || n->kind != NODE_FILE || n->op != OP_NONE)
			continue;
		free(n->data);
		n->data = xmalloc(o->len + 1);
		memcpy(n->data, o->data, o->len);
		n->data[o->len] = '\0';
		n->len = o->len;
		n->open_errno = o->err;
	}
}

struct node *sysfs_build(struct sim_host *h, pid_t pid)
{
	struct node *root = tree_new();
	/* the mdev core is loaded: these exist even without parents */
	tree_dir(root, "class/mdev_bus");
	tree_dir(root, "bus/mdev/devices");
	tree_dir(root, "bus/mdev/drivers");
	tree_dir(root, "bus/pci/devices");
	tree_dir(root, "kernel/iommu_groups");
	build_modules(root, h);
	for (size_t i = 0; i < h->nparents; i++)
		build_parent(root, h, &h->parents[i]);
	for (size_t i = 0; i < h->ndevices; i++)
		build_device(root, h, h->devices[i]);

	struct node *n = tree_file(root, SIMFS_CTL_DIR "/ctl", 0600, "");
	n->op = OP_CTL;
	n = tree_file(root, SIMFS_CTL_DIR "/events", 0444, "");
	n->op = OP_EVENTS;
	file_text(root, SIMFS_CTL_DIR "/pid", 0444, xasprintf("%ld\n", (long)pid));
	tree_file(root, SIMFS_CTL_DIR "/scenario", 0444, h->scenario ? h->scenario : "");
	apply_overrides(root, h);
	return root;
}
