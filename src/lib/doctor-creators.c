// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "other-creators": programs other than mdevkit and mdevctl that
 * create vGPUs on this host: Proxmox VE (a VM's "hostpciN: ...,mdev=TYPE"
 * makes qemu-server write the type's create file at VM start; read and
 * resolved, mapping= included, by pve.h as pve-hook reads it), NixOS
 * (virtualisation.kvmgt makes a kvmgt-* unit per vGPU) and libvirt hook
 * scripts that write create themselves.  With the auto definitions they
 * must fit the GVT-g budget of the parent (gvt.h), or some VM or some
 * boot finds no room. */
#include "doctor-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/pve.h"
#include "mdevkit/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK "other-creators"
#define HOOKS "/etc/libvirt/hooks"

struct creators {
	struct mdk_buf pve, nixos, hooks;
	size_t n_pve, n_nixos, n_hooks;
	struct mdk_gvt_set set;         /* every vGPU of a GVT-g type, all creators */
	size_t n_unknown;               /* created with a type we cannot tell */
};

static void count_type(struct creators *c, const char *type)
{
	unsigned version;
	size_t index;

	if (mdk_gvt_parse_name(type, &version, &index) == 0)
		c->set.n[index]++;
	else
		c->n_unknown++;
}

/* One mdev= entry, resolved by pve.h: listed with its candidate parents,
 * and in the budget when the parent checked is one of them (Proxmox may
 * create it there). */
static void pve_entry(struct creators *c, const char *parent, unsigned long vmid,
		      const struct mdk_pve_mdev *d)
{
	bool here = false;

	mdk_buf_printf(&c->pve, "%sVM %lu hostpci%u %s on ", c->n_pve++ ? ", " : "", vmid,
		       d->index, d->type);
	for (size_t i = 0; i < d->n_parents; i++) {
		mdk_buf_printf(&c->pve, "%s%s", i ? " or " : "", d->parents[i]);
		here |= parent && !strcmp(d->parents[i], parent);
	}
	if (here)
		count_type(c, d->type);
}

/* A VM configuration (or the VM list) pve.h cannot read: Proxmox's
 * business, so a warning, never a failure of the run. */
static void pve_problem(struct mdk_doctor_report *r, struct mdk_error *e)
{
	char *line = mdk_error_oneline(e);
	struct mdk_doctor_finding *f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK, "%s", line);

	mdk_doctor_fix(f, "correct it as the line says; until then doctor does not count that "
		       "VM's vGPUs");
	free(line);
	mdk_error_clear(e);
}

static void proxmox(struct mdk_doctor_ctx *ctx, struct creators *c, struct mdk_doctor_report *r)
{
	struct mdk_error e = MDK_ERROR_INIT;
	char *pve = mdk_path_pve();
	unsigned long *vmids;
	size_t n;
	bool present = access(pve, F_OK) == 0;

	free(pve);
	if (!present)
		return;
	if (mdk_pve_list_vms(&vmids, &n, &e) < 0) {
		pve_problem(r, &e);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct mdk_pve_vm vm = MDK_PVE_VM_INIT;
		struct mdk_pve_mdev *mdevs;
		size_t nm;
		if (mdk_pve_config_load(vmids[i], &vm, &e) < 0 ||
		    mdk_pve_vm_mdevs(&vm, &mdevs, &nm, &e) < 0) {
			pve_problem(r, &e);
		} else {
			for (size_t j = 0; j < nm; j++)
				pve_entry(c, ctx->parent, vm.vmid, &mdevs[j]);
			mdk_pve_mdevs_free(mdevs, nm);
		}
		mdk_pve_vm_free(&vm);
	}
	free(vmids);
}

/* Every "mdev_supported_types/<type>/create" in text: the types it creates. */
static size_t created_types(struct creators *c, const char *text, struct mdk_buf *what,
			    const char *who, size_t *count)
{
	size_t found = 0;

	for (const char *p = strstr(text, "mdev_supported_types/"); p;
	     p = strstr(p + 1, "mdev_supported_types/")) {
		const char *t = p + strlen("mdev_supported_types/");
		size_t len = strcspn(t, "/ \t\n\"'");
		if (strncmp(t + len, "/create", 7))
			continue;
		char *type = mdk_strndup(t, len);
		if (strpbrk(type, "$`{")) {
			/* a shell variable: it creates something */
			mdk_buf_printf(what, "%s%s (type unknown)", (*count)++ ? ", " : "", who);
			c->n_unknown++;
		} else {
			mdk_buf_printf(what, "%s%s %s", (*count)++ ? ", " : "", who, type);
			count_type(c, type);
		}
		free(type);
		found++;
	}
	return found;
}

static void nixos(struct creators *c, struct mdk_doctor_report *r)
{
	char *dir = mdk_path_unit_dir(0), **names;
	size_t n;

	if (mdk_list_dir(dir, &names, &n) < 0) {
		free(dir);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (strncmp(names[i], "kvmgt-", 6) || len <= 8 || strcmp(names[i] + len - 8, ".service"))
			continue;
		char *path = mdk_asprintf("%s/%s", dir, names[i]), *text;
		int rc = mdk_doctor_read(path, &text);
		if (rc < 0) {
			mdk_doctor_unreadable(r, CHECK, mdk_path_unrooted(path), -rc);
		} else if (!created_types(c, text, &c->nixos, names[i], &c->n_nixos)) {
			mdk_buf_printf(&c->nixos, "%s%s (type unknown)", c->n_nixos++ ? ", " : "",
				       names[i]);
			c->n_unknown++;
		}
		free(text);
		free(path);
	}
	mdk_strv_free(names);
	free(dir);
}

static void hook_file(struct creators *c, struct mdk_doctor_report *r, const char *path,
		      const char *shown)
{
	char *text;
	int rc = mdk_doctor_read(path, &text);

	if (rc == -ENOENT || rc == -EBADFD)
		return;
	if (rc < 0) {
		mdk_doctor_unreadable(r, CHECK, shown, -rc);
		return;
	}
	if (strstr(text, "create") && strstr(text, "mdev_supported_types") &&
	    !created_types(c, text, &c->hooks, shown, &c->n_hooks)) {
		/* the type is in a variable: it creates something */
		mdk_buf_printf(&c->hooks, "%s%s (type unknown)", c->n_hooks++ ? ", " : "", shown);
		c->n_unknown++;
	}
	free(text);
}

static void libvirt_hooks(struct creators *c, struct mdk_doctor_report *r)
{
	char *qemu = mdk_path_in_root(HOOKS "/qemu"), *dir = mdk_path_in_root(HOOKS "/qemu.d");
	char **names;
	size_t n;

	hook_file(c, r, qemu, HOOKS "/qemu");
	if (mdk_list_dir(dir, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			char *path = mdk_asprintf("%s/%s", dir, names[i]);
			char *shown = mdk_asprintf(HOOKS "/qemu.d/%s", names[i]);
			hook_file(c, r, path, shown);
			free(shown);
			free(path);
		}
		mdk_strv_free(names);
	}
	free(dir);
	free(qemu);
}

/* The auto definitions of the parent, into the set. */
static size_t auto_definitions(struct mdk_doctor_ctx *ctx, struct creators *c)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	struct mdk_error e = MDK_ERROR_INIT;
	size_t n = 0;

	if (ctx->parent && mdk_store_scan(ctx->parent, NULL, &defs, &e) == 0)
		for (size_t i = 0; i < defs.n; i++)
			if (defs.v[i].config.autostart && defs.v[i].config.type) {
				count_type(c, defs.v[i].config.type);
				n++;
			}
	mdk_defs_free(&defs);
	mdk_error_clear(&e);
	return n;
}

static size_t gvt_vgpus(const struct mdk_gvt_set *set)
{
	size_t n = 0;

	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		n += set->n[i];
	return n;
}

static void budget(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r, struct creators *c,
		   size_t n_auto)
{
	struct mdk_gvt_set none = { { 0 } };
	struct mdk_gvt_fit fit;
	struct mdk_doctor_finding *f;
	size_t total = gvt_vgpus(&c->set);

	if (!ctx->host_known)
		return;
	if (mdk_gvt_fit(&ctx->host, &none, &c->set, &fit)) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK,
				   "these and the %zu auto definition(s) of %s fit its GVT-g budget "
				   "together (%zu vGPUs)", n_auto, ctx->parent, total);
	} else if (fit.hidden_index >= 0) {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK,
				   "these and the auto definitions of %s ask for a type this "
				   "aperture does not show (table entry %u)", ctx->parent,
				   mdk_gvt_table[fit.hidden_index].suffix);
		mdk_doctor_fix(f, "use a type that 'mdevkit types' lists, or raise the aperture in "
			       "firmware setup");
	} else {
		const char *unit = fit.binding == MDK_GVT_RES_APERTURE ||
					   fit.binding == MDK_GVT_RES_HIDDEN ? " MiB" : "";
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK,
				   "these and the %zu auto definition(s) of %s do not fit together: "
				   "%zu vGPUs need %llu%s of %s, the GPU has %llu%s for vGPUs", n_auto,
				   ctx->parent, total, fit.need, unit, mdk_gvt_res_name(fit.binding),
				   fit.pool, unit);
		mdk_doctor_fix(f, "let one of them create the vGPUs, or give them fewer or smaller "
			       "types: whichever starts last finds no room");
	}
	mdk_doctor_value_int(f, "vgpus", (long long)total);
	mdk_doctor_value_int(f, "auto_definitions", (long long)n_auto);
}

int mdk_doctor_check_other_creators(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	struct creators c;
	struct mdk_doctor_finding *f;

	memset(&c, 0, sizeof(c));
	proxmox(ctx, &c, r);
	nixos(&c, r);
	libvirt_hooks(&c, r);
	if (!c.n_pve && !c.n_nixos && !c.n_hooks) {
		mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK,
			       "no Proxmox VM with mdev=, no NixOS kvmgt unit, no libvirt hook "
			       "writing create");
	} else {
		if (c.n_pve) {
			f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
					   "Proxmox VE creates %zu vGPU(s) at VM start: %s", c.n_pve,
					   c.pve.data);
			mdk_doctor_value_int(f, "vgpus", (long long)c.n_pve);
		}
		if (c.n_nixos) {
			f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
					   "NixOS kvmgt units create %zu vGPU(s) at boot: %s", c.n_nixos,
					   c.nixos.data);
			mdk_doctor_value_int(f, "vgpus", (long long)c.n_nixos);
		}
		if (c.n_hooks) {
			f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
					   "libvirt hooks create vGPUs: %s", c.hooks.data);
			mdk_doctor_value_int(f, "vgpus", (long long)c.n_hooks);
		}
		/* none of theirs on this parent: the auto definitions alone are
		 * check "definitions"' */
		if (gvt_vgpus(&c.set))
			budget(ctx, r, &c, auto_definitions(ctx, &c));
	}
	mdk_buf_free(&c.pve);
	mdk_buf_free(&c.nixos);
	mdk_buf_free(&c.hooks);
	return 0;
}
