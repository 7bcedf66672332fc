// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The Proxmox VE hookscript (pve.h): at pre-start the VM's GVT-g vGPUs are
 * checked with the GVT-g model and created with Proxmox's UUIDs before
 * qemu-server gets to them.
 *
 * What qemu-server does next (PVE/QemuServer/PCI/Mdev.pm,
 * pci_create_mdev_device, read for this): when the directory of the UUID
 * already exists under the parent's PCI device and its mdev_type link
 * names the same type, it warns "mdev instance ... already existed, using
 * it" and uses it; only a different type is an error.  So a device made
 * here is taken as Proxmox's own.  At stop, cleanup_pci_devices (in
 * PVE/QemuServer.pm) writes 1 to /sys/bus/mdev/devices/<uuid>/remove for
 * every mdev= entry before post-stop runs; a hookscript cannot keep it
 * from doing so, which is why pve_keep_alive starts the device again at
 * post-stop.
 */
#include "gvt-internal.h"
#include "mdevkit/device.h"
#include "mdevkit/log.h"
#include "mdevkit/pve.h"
#include "mdevkit/settings.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum mdk_pve_phase mdk_pve_phase_from_name(const char *name)
{
	static const char *const names[] = {
		[MDK_PVE_PRE_START] = "pre-start",
		[MDK_PVE_POST_START] = "post-start",
		[MDK_PVE_PRE_STOP] = "pre-stop",
		[MDK_PVE_POST_STOP] = "post-stop",
	};

	for (size_t i = 0; i < MDK_ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return (enum mdk_pve_phase)i;
	return MDK_PVE_OTHER_PHASE;
}

/* One mdev= entry and what mdevkit does with it. */
struct entry {
	const struct mdk_pve_mdev *d;
	const char *parent;     /* the GVT-g candidate, else the first */
	bool gvt;
	bool running;           /* with this parent and type */
	bool defined;           /* mdevkit has a definition of the UUID */
	bool started;           /* by this run (for the rollback) */
};

/* The first candidate that is an i915 GVT-g parent, or NULL. */
static const char *gvt_candidate(const struct mdk_pve_mdev *d)
{
	for (size_t i = 0; i < d->n_parents; i++) {
		struct mdk_gvt_probe p;
		struct mdk_error e = MDK_ERROR_INIT;
		mdk_gvt_probe(d->parents[i], &p, &e);
		/* a GVT-g parent whose facts cannot be read is still one: the
		 * check says which fact */
		bool gvt = p.kind == MDK_GVT_PARENT;
		mdk_gvt_probe_free(&p);
		mdk_error_clear(&e);
		if (gvt)
			return d->parents[i];
	}
	return NULL;
}

static char *refuse(unsigned long vmid, const struct mdk_pve_mdev *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static char *refuse(unsigned long vmid, const struct mdk_pve_mdev *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *why = mdk_vasprintf(fmt, ap);
	va_end(ap);
	char *s = mdk_asprintf("VM %lu hostpci%u: %s", vmid, d->index, why);
	free(why);
	return mdk_gvt_msg_line(s);
}

/* What runs and is defined under the entry's UUID; a refusal when that
 * is another device than the VM asks for. */
static int learn_state(unsigned long vmid, struct entry *x, char **refusal, struct mdk_error *e)
{
	const struct mdk_pve_mdev *d = x->d;
	struct mdk_mdev m = { "", NULL, NULL };
	int r = mdk_sysfs_lookup(d->uuid, &m, e);

	if (r < 0)
		return r;
	if (r == 1 && (strcmp(m.parent, x->parent) || strcmp(m.type, d->type)))
		*refusal = refuse(vmid, d, "%s already runs as %s on %s and the VM asks for %s on %s; "
				  "stop it ('mdevkit stop -u %s') and start the VM again", d->uuid,
				  m.type, m.parent, d->type, x->parent, d->uuid);
	x->running = r == 1;
	mdk_mdev_free(&m);
	if (*refusal)
		return 0;
	struct mdk_defs defs = MDK_DEFS_INIT;
	r = mdk_store_scan(NULL, d->uuid, &defs, e);
	if (r < 0)
		return r;
	for (size_t i = 0; i < defs.n && !*refusal; i++)
		if (strcmp(defs.v[i].parent, x->parent) || strcmp(defs.v[i].config.type, d->type))
			*refusal = refuse(vmid, d, "mdevkit's definition of %s is %s on %s and the VM "
					  "asks for %s on %s; remove it ('mdevkit undefine -u %s') and "
					  "start the VM again", d->uuid, defs.v[i].config.type,
					  defs.v[i].parent, d->type, x->parent, d->uuid);
	x->defined = defs.n > 0;
	mdk_defs_free(&defs);
	return 0;
}

/* The GVT-g entries of one parent, checked together. */
static char *check_parent(unsigned long vmid, struct entry *x, size_t n, const char *parent)
{
	struct mdk_gvt_member *m = mdk_calloc(n + 1, sizeof(*m));
	struct entry **of = mdk_calloc(n + 1, sizeof(*of));
	size_t k = 0, culprit;
	char *refusal = NULL, **warnings;

	for (size_t i = 0; i < n; i++)
		if (x[i].gvt && !strcmp(x[i].parent, parent)) {
			of[k] = &x[i];
			m[k++] = (struct mdk_gvt_member){ x[i].d->uuid, x[i].d->type };
		}
	char *why = NULL;
	mdk_gvt_pre_guest(parent, m, k, &why, &culprit, &warnings);
	for (char **w = warnings; w && *w; w++) {
		mdk_log(MDK_LOG_WARNING, "%s", *w);
		free(*w);
	}
	free(warnings);
	if (why) {
		struct mdk_buf b = MDK_BUF_INIT;
		mdk_buf_printf(&b, "VM %lu ", vmid);
		for (size_t i = 0; i < k; i++)
			if (culprit == k || culprit == i)
				mdk_buf_printf(&b, "%shostpci%u", b.data[b.len - 1] == ' ' ? "" : ", ",
					       of[i]->d->index);
		mdk_buf_printf(&b, ": %s", why);
		refusal = mdk_buf_steal(&b);
		free(why);
	}
	free(m);
	free(of);
	return refusal;
}

/* Define (pve_keep_alive, GVT-g) and start one entry through the library:
 * callouts, checks, create. */
static int bring_up(struct entry *x, bool keep, struct mdk_error *e)
{
	const struct mdk_pve_mdev *d = x->d;
	int r;

	if (keep && x->gvt && !x->defined) {
		struct mdk_define_req def = { d->uuid, x->parent, d->type, false, NULL, false };
		mdk_uuid_str out;
		bool generated;
		r = mdk_define(&def, out, &generated, e);
		if (r < 0)
			return r;
		x->defined = true;
	}
	struct mdk_start_req req = {
		.uuid = d->uuid,
		.parent = x->parent,
		.type = x->defined ? NULL : d->type,
		.running_ok = true,
	};
	mdk_uuid_str out;
	bool generated;
	r = mdk_start(&req, out, &generated, e);
	if (r == 0)
		x->started = !x->running;
	return r;
}

static int pre_start(const struct mdk_pve_vm *vm, const struct mdk_settings *s, char **refusal,
		     struct mdk_error *e)
{
	struct mdk_pve_mdev *mdevs;
	size_t n;
	bool keep = mdk_settings_pve_keep(s, vm->vmid);
	int r = mdk_pve_vm_mdevs(vm, &mdevs, &n, e);

	if (r < 0)
		return r;
	struct entry *x = mdk_calloc(n + 1, sizeof(*x));
	for (size_t i = 0; i < n; i++) {
		const char *gvt = gvt_candidate(&mdevs[i]);
		x[i] = (struct entry){ .d = &mdevs[i], .parent = gvt ? gvt : mdevs[i].parents[0],
				       .gvt = gvt != NULL };
	}
	/* one start at a time: the check and the create see the same budget */
	r = mdk_store_lock(e);
	bool locked = r == 0;
	for (size_t i = 0; r == 0 && !*refusal && i < n; i++)
		r = learn_state(vm->vmid, &x[i], refusal, e);
	for (size_t i = 0; r == 0 && !*refusal && i < n; i++) {
		bool first = true;
		for (size_t j = 0; j < i; j++)
			first &= !(x[j].gvt && !strcmp(x[j].parent, x[i].parent));
		if (x[i].gvt && first)
			*refusal = check_parent(vm->vmid, x, n, x[i].parent);
	}
	/* Proxmox creates the others, unless mdevkit has their definition */
	for (size_t i = 0; r == 0 && !*refusal && i < n; i++)
		if ((x[i].gvt || x[i].defined) && (r = bring_up(&x[i], keep, e)) < 0)
			mdk_wrap(e, "VM %lu hostpci%u: cannot start %s (%s) on %s", vm->vmid,
				 x[i].d->index, x[i].d->uuid, x[i].d->type, x[i].parent);
	if (r < 0) {
		/* the start fails: take back what this run created (kept ones stay) */
		for (size_t i = 0; i < n; i++) {
			struct mdk_error rb = MDK_ERROR_INIT;
			if (x[i].started && !(keep && x[i].gvt) && mdk_stop(x[i].d->uuid, false, true, &rb) < 0)
				mdk_warn_error(&rb, "%m");
		}
	}
	if (locked)
		mdk_store_unlock();
	free(x);
	mdk_pve_mdevs_free(mdevs, n);
	return r < 0 ? r : *refusal ? 1 : 0;
}

/* Proxmox removed the VM's mdevs; start the defined ones again. */
static int post_stop(const struct mdk_pve_vm *vm, struct mdk_error *e)
{
	int first = 0;

	for (size_t i = 0; i < vm->n_hostpci; i++) {
		const struct mdk_pve_hostpci *h = &vm->hostpci[i];
		if (!h->mdev)
			continue;
		mdk_uuid_str uuid;
		mdk_pve_uuid(vm->vmid, h->index, uuid);
		struct mdk_error ie = MDK_ERROR_INIT;
		struct mdk_defs defs = MDK_DEFS_INIT;
		int r = mdk_store_scan(NULL, uuid, &defs, &ie);
		if (r >= 0 && defs.n > 0) {
			struct mdk_start_req req = { .uuid = uuid, .running_ok = true };
			mdk_uuid_str out;
			bool generated;
			r = mdk_start(&req, out, &generated, &ie);
		}
		mdk_defs_free(&defs);
		if (r < 0) {
			mdk_wrap(&ie, "VM %lu hostpci%u: cannot keep %s alive", vm->vmid, h->index, uuid);
			if (first == 0) {
				mdk_error_move(e, &ie);
				first = r;
			} else {
				mdk_warn_error(&ie, "%m");
			}
		}
	}
	return first;
}

int mdk_pve_hook(unsigned long vmid, enum mdk_pve_phase phase, char **refusal,
		 struct mdk_error *e)
{
	struct mdk_pve_vm vm = MDK_PVE_VM_INIT;
	struct mdk_settings s = MDK_SETTINGS_INIT;
	int r;

	*refusal = NULL;
	if (phase != MDK_PVE_PRE_START && phase != MDK_PVE_POST_STOP)
		return 0;
	if (phase == MDK_PVE_POST_STOP) {
		r = mdk_settings_load(&s, e);
		if (r < 0 || !mdk_settings_pve_keep(&s, vmid))
			goto out;
	}
	r = mdk_pve_config_load(vmid, &vm, e);
	if (r < 0 || !mdk_pve_vm_has_mdev(&vm))
		goto out;
	if (phase == MDK_PVE_POST_STOP) {
		r = post_stop(&vm, e);
		goto out;
	}
	r = mdk_settings_load(&s, e);
	if (r == 0)
		r = pre_start(&vm, &s, refusal, e);
out:
	mdk_settings_free(&s);
	mdk_pve_vm_free(&vm);
	return r;
}
