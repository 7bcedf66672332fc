// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "other-creators": programs other than mdevkit and mdevctl that
 * create vGPUs on this host: Proxmox VE (a VM's "hostpciN: ...,mdev=TYPE"
 * makes qemu-server write the type's create file at VM start), NixOS
 * (virtualisation.kvmgt makes a kvmgt-* unit per vGPU) and libvirt hook
 * scripts that write create themselves.  With the auto definitions they
 * must fit the GVT-g budget of the parent (gvt.h), or some VM or some
 * boot finds no room. */
#include "doctor-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHECK "other-creators"
#define PVE_DIR "/etc/pve/qemu-server"
#define HOOKS "/etc/libvirt/hooks"

void mdk_doctor_pve_mdevs(const char *text, void (*fn)(unsigned index, const char *type,
						       size_t len, void *userdata),
			  void *userdata)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *end = p + len;
		/* snapshots follow the current configuration */
		if (*p == '[')
			return;
		if (!strncmp(p, "hostpci", 7) && p[7] >= '0' && p[7] <= '9') {
			unsigned index = 0;
			const char *q = p + 7;
			while (q < end && *q >= '0' && *q <= '9' && index < 1000)
				index = index * 10 + (unsigned)(*q++ - '0');
			if (q < end && *q == ':') {
				/* "hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_4,pcie=1" */
				for (const char *o = q + 1; o < end;) {
					const char *comma = memchr(o, ',', (size_t)(end - o));
					const char *oe = comma ? comma : end;
					o += strspn(o, " \t");
					if (oe - o > 5 && !strncmp(o, "mdev=", 5)) {
						const char *t = o + 5, *te = oe;
						while (te > t && (te[-1] == ' ' || te[-1] == '\t' || te[-1] == '\r'))
							te--;
						if (te > t)
							fn(index, t, (size_t)(te - t), userdata);
					}
					o = comma ? comma + 1 : end;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
}

struct creators {
	struct mdk_buf pve, nixos, hooks;
	size_t n_pve, n_nixos, n_hooks;
	struct mdk_gvt_set set;         /* every vGPU of a GVT-g type, all creators */
	size_t n_unknown;               /* created with a type we cannot tell */
	const char *vmid;
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

static void pve_one(unsigned index, const char *type, size_t len, void *userdata)
{
	struct creators *c = userdata;
	char *t = mdk_strndup(type, len);

	mdk_buf_printf(&c->pve, "%sVM %s hostpci%u %s", c->n_pve++ ? ", " : "", c->vmid, index, t);
	count_type(c, t);
	free(t);
}

static void proxmox(struct creators *c, struct mdk_doctor_report *r)
{
	char *dir = mdk_path_in_root(PVE_DIR), **names;
	size_t n;
	int rc = mdk_list_dir(dir, &names, &n);

	if (rc < 0) {
		if (rc != -ENOENT)
			mdk_doctor_unreadable(r, CHECK, PVE_DIR, -rc);
		free(dir);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (len <= 5 || strcmp(names[i] + len - 5, ".conf"))
			continue;
		char *path = mdk_asprintf("%s/%s", dir, names[i]), *text;
		if ((rc = mdk_doctor_read(path, &text)) < 0) {
			mdk_doctor_unreadable(r, CHECK, mdk_path_unrooted(path), -rc);
		} else {
			names[i][len - 5] = '\0';
			c->vmid = names[i];
			mdk_doctor_pve_mdevs(text, pve_one, c);
			free(text);
		}
		free(path);
	}
	mdk_strv_free(names);
	free(dir);
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

static void budget(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r, struct creators *c,
		   size_t n_auto)
{
	struct mdk_gvt_set none = { { 0 } };
	struct mdk_gvt_fit fit;
	struct mdk_doctor_finding *f;
	size_t total = 0;

	for (size_t i = 0; i < MDK_GVT_NTYPES; i++)
		total += c->set.n[i];
	if (!ctx->host_known || !total)
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
	proxmox(&c, r);
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
		budget(ctx, r, &c, auto_definitions(ctx, &c));
	}
	mdk_buf_free(&c.pve);
	mdk_buf_free(&c.nixos);
	mdk_buf_free(&c.hooks);
	return 0;
}
