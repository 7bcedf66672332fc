// SPDX-License-Identifier: LGPL-2.1-or-later
/* From a VM's hostpciN to the PCI functions Proxmox would create its mdev
 * on (pve.h), and the VMs of this node. */
#include "pve-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/pve.h"
#include "mdevkit/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void strv_add(char ***v, size_t *n, char *s)
{
	*v = mdk_reallocarray(*v, *n + 2, sizeof(**v));
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

int mdk_pve_functions(const char *address, char ***functions, size_t *n, struct mdk_error *e)
{
	if (!mdk_pve_address_list_valid(address, false) || strchr(address, ';'))
		return mdk_fail(e, "\"%s\" is not one PCI address such as 0000:00:02.0", address);
	/* the domain is 0000 when left out (pve-common's normalize_pci_id) */
	size_t colons = 0;
	for (const char *p = address; *p; p++)
		colons += *p == ':';
	char *full = colons == 2 ? mdk_strdup(address) : mdk_asprintf("0000:%s", address);
	char **v = NULL;
	size_t count = 0;

	*functions = NULL;
	*n = 0;
	if (strchr(full, '.')) {
		strv_add(&v, &count, full);
		*functions = v;
		*n = count;
		return 0;
	}
	/* a slot without function: every function of it, as Proxmox's lspci filter */
	char *dir = mdk_path_pci_devices();
	char **names;
	size_t nn;
	int r = mdk_list_dir(dir, &names, &nn);
	if (r < 0) {
		r = mdk_fail_errno(e, -r, "Unable to list \"%s\"", dir);
	} else {
		size_t fl = strlen(full);
		for (size_t i = 0; i < nn; i++)
			if (!strncmp(names[i], full, fl) && names[i][fl] == '.')
				strv_add(&v, &count, mdk_strdup(names[i]));
		mdk_strv_free(names);
		if (count == 0)
			r = mdk_fail(e, "no PCI device %s in \"%s\"; check the address with lspci -D", full, dir);
	}
	free(dir);
	free(full);
	if (r < 0) {
		mdk_strv_free(v);
		return r;
	}
	*functions = v;
	*n = count;
	return 0;
}

void mdk_pve_mdevs_free(struct mdk_pve_mdev *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].type);
		mdk_strv_free(v[i].parents);
	}
	free(v);
}

/* pci.cfg, read once per VM */
struct mapping_file {
	char *path, *text, *node;
	size_t len;
};

static int mapping_alternatives(struct mapping_file *m, const char *id, char ***alts, size_t *n,
				struct mdk_error *e)
{
	if (!m->path) {
		m->path = mdk_path_pve_mapping_pci();
		int r = mdk_pve_node_name(&m->node, e);
		if (r < 0)
			return r;
		r = mdk_read_regular(m->path, MDK_PVE_FILE_MAX, 0, &m->text, &m->len);
		if (r == -ENOENT)
			return mdk_fail(e, "hostpci has mapping=%s and there is no \"%s\"; add the mapping under "
					"Datacenter, Resource Mappings", id, m->path);
		if (r < 0)
			return mdk_fail_errno(e, -r, "Unable to read \"%s\"", m->path);
	}
	if (!m->text)
		return mdk_fail(e, "Unable to read \"%s\"", m->path);
	return mdk_pve_mapping_parse(m->text, m->len, m->path, id, m->node, alts, n, e);
}

/* the one function of an alternative ("a;b;..." of addresses) */
static int alternative_parent(const struct mdk_pve_vm *vm, const struct mdk_pve_hostpci *h,
			      const char *alt, char **parent, struct mdk_error *e)
{
	char **all = NULL;
	size_t n_all = 0;
	char *copy = mdk_strdup(alt);
	int r = 0;

	for (char *save, *a = strtok_r(copy, ";", &save); a && r == 0; a = strtok_r(NULL, ";", &save)) {
		char **f;
		size_t nf;
		r = mdk_pve_functions(a, &f, &nf, e);
		for (size_t i = 0; r == 0 && i < nf; i++)
			strv_add(&all, &n_all, mdk_strdup(f[i]));
		if (r == 0)
			mdk_strv_free(f);
	}
	free(copy);
	if (r == 0 && n_all != 1)
		r = mdk_fail(e, "%s:%u: hostpci%u names %zu PCI functions (%s) and has mdev=; Proxmox "
			     "creates an mdev on one function only: name it, e.g. %s", vm->path, h->line,
			     h->index, n_all, alt, all[0]);
	if (r == 0)
		*parent = mdk_strdup(all[0]);
	mdk_strv_free(all);
	return r;
}

int mdk_pve_vm_mdevs(const struct mdk_pve_vm *vm, struct mdk_pve_mdev **out, size_t *n,
		     struct mdk_error *e)
{
	struct mapping_file m = { NULL, NULL, NULL, 0 };
	struct mdk_pve_mdev *v = NULL;
	size_t count = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < vm->n_hostpci; i++) {
		const struct mdk_pve_hostpci *h = &vm->hostpci[i];
		if (!h->mdev)
			continue;
		char **alts = NULL;
		size_t n_alts = 0;
		if (h->mapping) {
			r = mapping_alternatives(&m, h->mapping, &alts, &n_alts, e);
			if (r < 0) {
				mdk_wrap(e, "%s:%u: hostpci%u", vm->path, h->line, h->index);
				break;
			}
		} else {
			strv_add(&alts, &n_alts, mdk_strdup(h->host));
		}
		v = mdk_reallocarray(v, count + 1, sizeof(*v));
		struct mdk_pve_mdev *d = &v[count++];
		*d = (struct mdk_pve_mdev){ h->index, mdk_strdup(h->mdev), "", NULL, 0 };
		mdk_pve_uuid(vm->vmid, h->index, d->uuid);
		for (size_t a = 0; r == 0 && a < n_alts; a++) {
			char *parent;
			r = alternative_parent(vm, h, alts[a], &parent, e);
			if (r == 0)
				strv_add(&d->parents, &d->n_parents, parent);
		}
		mdk_strv_free(alts);
	}
	free(m.path);
	free(m.text);
	free(m.node);
	if (r < 0) {
		mdk_pve_mdevs_free(v, count);
		return r;
	}
	*out = v;
	*n = count;
	return 0;
}

static int ulong_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

int mdk_pve_list_vms(unsigned long **vmids, size_t *n, struct mdk_error *e)
{
	char *node, *dir, **names;
	size_t nn, count = 0;
	unsigned long *v = NULL;
	int r = mdk_pve_node_name(&node, e);

	if (r < 0)
		return r;
	dir = mdk_path_pve_node_vm_dir(node);
	free(node);
	r = mdk_list_dir(dir, &names, &nn);
	if (r == -ENOENT) {
		r = 0;
		nn = 0;
		names = NULL;
	} else if (r < 0) {
		r = mdk_fail_errno(e, -r, "Unable to list \"%s\"", dir);
		free(dir);
		return r;
	}
	free(dir);
	for (size_t i = 0; i < nn; i++) {
		char *end;
		if (!isdigit((unsigned char)names[i][0]))
			continue;
		errno = 0;
		unsigned long id = strtoul(names[i], &end, 10);
		if (errno || strcmp(end, ".conf") || id < MDK_PVE_VMID_MIN || id > MDK_PVE_VMID_MAX)
			continue;
		v = mdk_reallocarray(v, count + 1, sizeof(*v));
		v[count++] = id;
	}
	mdk_strv_free(names);
	if (count)
		qsort(v, count, sizeof(*v), ulong_cmp);
	*vmids = v;
	*n = count;
	return 0;
}
