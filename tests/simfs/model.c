/* Host-wide rules: UUID uniqueness, create/remove sequencing, uevents,
 * registration.  Kind specific accounting lives in gvt.c, mtty.c and
 * vendor.c. */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void type_free(struct sim_type *t)
{
	free(t->dir);
	free(t->name);
	free(t->description);
}

void host_free(struct sim_host *h)
{
	for (size_t i = 0; i < h->ndevices; i++)
		free(h->devices[i]);
	free(h->devices);
	for (size_t i = 0; i < h->nparents; i++) {
		struct sim_parent *p = &h->parents[i];
		for (size_t j = 0; j < p->ntypes; j++)
			type_free(&p->types[j]);
		free(p->types);
		free(p->name);
		free(p->devpath);
	}
	free(h->parents);
	free(h->scenario);
	events_clear(&h->ev);
	for (size_t i = 0; i < h->noverrides; i++) {
		free(h->overrides[i].path);
		free(h->overrides[i].data);
	}
	free(h->overrides);
	memset(h, 0, sizeof(*h));
}

struct sim_parent *host_parent(struct sim_host *h, const char *name)
{
	for (size_t i = 0; i < h->nparents; i++)
		if (strcmp(h->parents[i].name, name) == 0)
			return &h->parents[i];
	return NULL;
}

/* index of uuid in the sorted device array, or where it would go */
static size_t device_slot(const struct sim_host *h, const char *uuid, bool *found)
{
	size_t lo = 0, hi = h->ndevices;
	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(h->devices[mid]->uuid, uuid);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct sim_device *host_device(struct sim_host *h, const char *uuid)
{
	bool found;
	size_t i = device_slot(h, uuid, &found);
	return found ? h->devices[i] : NULL;
}

unsigned host_available(const struct sim_host *h, const struct sim_parent *p,
			const struct sim_type *t)
{
	switch (p->kind) {
	case KIND_GVT:
		return gvt_available(h, p, t);
	case KIND_MTTY:
		return mtty_available(h, p, t);
	case KIND_VENDOR:
		return vendor_available(h, p, t);
	}
	return 0;
}

const char *host_mdev_driver(const struct sim_host *h, const struct sim_parent *p)
{
	/* vfio_mdev.ko was the one mdev driver until 5.19 */
	if (h->kernel < KVER(5, 19))
		return "vfio_mdev";
	switch (p->kind) {
	case KIND_GVT:
		return "intel_vgpu_mdev";
	case KIND_MTTY:
		return "mtty";
	case KIND_VENDOR:
		return "simvendor_mdev";
	}
	return "vfio_mdev";
}

const char *host_parent_subsystem(const struct sim_parent *p)
{
	return p->kind == KIND_MTTY ? "mtty" : "pci";
}

static bool has_bind_events(const struct sim_host *h)
{
	return h->kernel >= KVER(4, 14);
}

static void ev_device(struct sim_host *h, const char *action, const struct sim_device *d,
		      bool driver)
{
	if (driver)
		events_add(&h->ev, "%s /%s/%s SUBSYSTEM=mdev DRIVER=%s", action,
			   d->parent->devpath, d->uuid, host_mdev_driver(h, d->parent));
	else
		events_add(&h->ev, "%s /%s/%s SUBSYSTEM=mdev", action, d->parent->devpath,
			   d->uuid);
}

static int lowest_free_group(const struct sim_host *h)
{
	for (int g = 0;; g++) {
		bool used = false;
		for (size_t i = 0; i < h->ndevices && !used; i++)
			used = h->devices[i]->group == g;
		if (!used)
			return g;
	}
}

static int vendor_stage(struct sim_host *h, struct sim_parent *p, struct sim_type *t,
			struct sim_device *d)
{
	if (p->fail_next) {
		int e = p->fail_next;
		p->fail_next = 0;
		return -e;
	}
	switch (p->kind) {
	case KIND_GVT:
		return gvt_create(h, p, t, d);
	case KIND_MTTY:
		return t->ports > mtty_free_ports(h, p) ? -ENOSPC : 0;
	case KIND_VENDOR:
		return vendor_available(h, p, t) ? 0 : -ENOSPC;
	}
	return -EINVAL;
}

int host_create(struct sim_host *h, struct sim_parent *p, struct sim_type *t,
		const char *buf, size_t len)
{
	char tmp[SIM_UUID_LEN + 2], uuid[SIM_UUID_LEN + 1];
	/* create_store: the count, then guid_parse of the first 36 bytes */
	if (len < SIM_UUID_LEN || len > SIM_UUID_LEN + 1)
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	if (!parse_uuid(tmp, uuid))
		return -EINVAL;
	bool found;
	size_t slot = device_slot(h, uuid, &found);
	if (found)
		return -EEXIST;
	if (!p->registered)
		return -ENODEV;

	struct sim_device *d = xcalloc(1, sizeof(*d));
	memcpy(d->uuid, uuid, sizeof(d->uuid));
	d->parent = p;
	d->type = t;
	int r = vendor_stage(h, p, t, d);
	if (r) {
		/* <=5.1 and >=5.19 add the device before the driver step fails */
		if (h->kernel <= KVER(5, 1) || h->kernel >= KVER(5, 19)) {
			ev_device(h, "add", d, false);
			ev_device(h, "remove", d, false);
		}
		free(d);
		return r;
	}
	d->group = lowest_free_group(h);
	h->devices = xrealloc(h->devices, (h->ndevices + 1) * sizeof(*h->devices));
	memmove(&h->devices[slot + 1], &h->devices[slot],
		(h->ndevices - slot) * sizeof(*h->devices));
	h->devices[slot] = d;
	h->ndevices++;
	ev_device(h, "add", d, false);
	if (has_bind_events(h))
		ev_device(h, "bind", d, true);
	if (p->kind == KIND_GVT)
		gvt_changed(h, p);
	return 0;
}

/* take d out of the host and free it; no checks */
static void destroy(struct sim_host *h, struct sim_device *d)
{
	bool found;
	size_t slot = device_slot(h, d->uuid, &found);
	if (!found)
		return;
	struct sim_parent *p = d->parent;
	if (has_bind_events(h))
		ev_device(h, "unbind", d, true);
	ev_device(h, "remove", d, false);
	memmove(&h->devices[slot], &h->devices[slot + 1],
		(h->ndevices - slot - 1) * sizeof(*h->devices));
	h->ndevices--;
	free(d);
	if (p->kind == KIND_GVT)
		gvt_changed(h, p);
}

int host_remove(struct sim_host *h, struct sim_device *d, const char *buf)
{
	unsigned long v;
	if (parse_kstrtoul(buf, &v) < 0)
		return -EINVAL;
	if (v == 0)
		return 0;
	/* <=5.1 behaviour; newer kernels block until the VM lets go */
	if (d->busy)
		return -EBUSY;
	destroy(h, d);
	return 0;
}

int host_uevent_write(struct sim_host *h, const char *devpath, const char *subsystem,
		      const char *buf)
{
	static const char *const actions[] = { "add", "remove", "change", "move",
					       "online", "offline", "bind", "unbind" };
	/* kobject_synth_uevent: an action, optionally followed by arguments */
	size_t n = strcspn(buf, " \n");
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strlen(actions[i]) == n && strncmp(actions[i], buf, n) == 0) {
			events_add(&h->ev, "%s /%s SUBSYSTEM=%s SYNTH_UUID=0", actions[i],
				   devpath, subsystem);
			return 0;
		}
	}
	return -EINVAL;
}

int host_register(struct sim_host *h, struct sim_parent *p)
{
	if (p->registered)
		return -EALREADY;
	p->registered = true;
	if (h->kernel >= KVER(5, 3))
		events_add(&h->ev, "change /%s SUBSYSTEM=%s MDEV_STATE=registered", p->devpath,
			   host_parent_subsystem(p));
	return 0;
}

int host_unregister(struct sim_host *h, struct sim_parent *p)
{
	if (!p->registered)
		return -EALREADY;
	/* mdev_unregister_parent force-removes every child, busy or not */
	for (size_t i = h->ndevices; i-- > 0;)
		if (h->devices[i]->parent == p)
			destroy(h, h->devices[i]);
	p->registered = false;
	p->fail_next = 0;
	if (h->kernel >= KVER(5, 3))
		events_add(&h->ev, "change /%s SUBSYSTEM=%s MDEV_STATE=unregistered",
			   p->devpath, host_parent_subsystem(p));
	return 0;
}
