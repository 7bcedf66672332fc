// SPDX-License-Identifier: LGPL-2.1-or-later
/* A Proxmox VE VM's <vmid>.conf: the hostpciN lines of its current
 * configuration (pve.h).  The rest of the file is only checked for the
 * shape Proxmox writes, so that a file that is not what it seems is
 * refused instead of misread. */
#include "pve-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/names.h"
#include "mdevkit/pve.h"
#include "mdevkit/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the keys of a hostpci value Proxmox knows (qemu-server's PCI.pm) */
static const char *const hostpci_keys[] = {
	"host", "mapping", "rombar", "romfile", "pcie", "x-vga", "legacy-igd", "mdev",
	"vendor-id", "device-id", "sub-vendor-id", "sub-device-id", "driver",
};

void mdk_pve_vm_free(struct mdk_pve_vm *vm)
{
	for (size_t i = 0; i < vm->n_hostpci; i++) {
		free(vm->hostpci[i].host);
		free(vm->hostpci[i].mapping);
		free(vm->hostpci[i].mdev);
	}
	free(vm->hostpci);
	free(vm->path);
	*vm = (struct mdk_pve_vm)MDK_PVE_VM_INIT;
}

bool mdk_pve_vm_has_mdev(const struct mdk_pve_vm *vm)
{
	for (size_t i = 0; i < vm->n_hostpci; i++)
		if (vm->hostpci[i].mdev)
			return true;
	return false;
}

void mdk_pve_uuid(unsigned long vmid, unsigned index, mdk_uuid_str out)
{
	/* Proxmox's own scheme (PCI/Mdev.pm: generate_mdev_uuid); the text is
	 * a UUID in canonical form, uuid.h makes sure of it */
	char text[64];

	snprintf(text, sizeof(text), "%08u-0000-0000-0000-%012lu", index, vmid);
	if (mdk_uuid_parse(text, out) < 0)
		out[0] = '\0';
}

static bool known_key(const char *k)
{
	for (size_t i = 0; i < MDK_ARRAY_SIZE(hostpci_keys); i++)
		if (!strcmp(k, hostpci_keys[i]))
			return true;
	return false;
}

static bool configid_valid(const char *s)
{
	if (!isalpha((unsigned char)s[0]) || !s[1])
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* the checks Proxmox makes of host=, mapping= and mdev=: the reason, or NULL */
static char *hostpci_problem(struct mdk_pve_hostpci *h, struct mdk_pve_prop *props, size_t n)
{
	char **slot[] = { &h->host, &h->mapping, &h->mdev };
	const char *names[] = { "host", "mapping", "mdev" };

	for (size_t i = 0; i < n; i++) {
		const char *k = props[i].key ? props[i].key : "host";
		char *shown = mdk_str_excerpt(k, 40);
		char *why = NULL;
		if (!known_key(k))
			why = mdk_asprintf("\"%s\" is not a key of hostpci; the keys are host, mapping, mdev, "
					   "rombar, romfile, pcie, x-vga, legacy-igd, driver and the -id keys", shown);
		for (size_t j = 0; !why && j < MDK_ARRAY_SIZE(slot); j++) {
			if (strcmp(k, names[j]))
				continue;
			if (*slot[j])
				why = mdk_asprintf("%s is given twice", k);
			else
				*slot[j] = mdk_strdup(props[i].value);
		}
		free(shown);
		if (why)
			return why;
	}
	if (h->host && h->mapping)
		return mdk_strdup("it has both host and mapping; keep one");
	if (!h->host && !h->mapping)
		return mdk_strdup("it has neither host nor mapping; give the PCI address (host=0000:00:02.0) "
				  "or a mapping");
	if (h->host && !mdk_pve_address_list_valid(h->host, false)) {
		char *shown = mdk_str_excerpt(h->host, 60);
		char *why = mdk_asprintf("host \"%s\" is not a PCI address such as 0000:00:02.0 or 00:02.0 "
					 "(lower-case hex, several joined by ';')", shown);
		free(shown);
		return why;
	}
	if (h->mapping && !configid_valid(h->mapping)) {
		char *shown = mdk_str_excerpt(h->mapping, 60);
		char *why = mdk_asprintf("mapping \"%s\" is not a mapping ID (a letter, then letters, "
					 "digits, '_' or '-')", shown);
		free(shown);
		return why;
	}
	if (h->mdev) {
		struct mdk_error ne = MDK_ERROR_INIT;
		bool bad = strpbrk(h->mdev, "/.:") || mdk_name_check(MDK_NAME_TYPE, h->mdev, &ne) < 0;
		mdk_error_clear(&ne);
		if (bad) {
			char *shown = mdk_str_excerpt(h->mdev, 60);
			char *why = mdk_asprintf("mdev \"%s\" is not an mdev type name such as i915-GVTg_V5_4",
						 shown);
			free(shown);
			return why;
		}
	}
	return NULL;
}

/* "hostpciN" with N 0..15 written as Proxmox writes it: 1 with *index, 0
 * when key is no hostpci key at all, -1 when it is one Proxmox lacks */
static int hostpci_index(const char *key, unsigned *index)
{
	if (strncmp(key, "hostpci", 7))
		return 0;
	const char *d = key + 7;
	size_t n = strlen(d);
	if (n == 0 || n > 2 || (n == 2 && d[0] == '0') || !isdigit((unsigned char)d[0]) ||
	    (n == 2 && !isdigit((unsigned char)d[1])))
		return -1;
	*index = (unsigned)strtoul(d, NULL, 10);
	return *index < MDK_PVE_MAX_HOSTPCI ? 1 : -1;
}

static int add_hostpci(struct mdk_pve_vm *vm, unsigned index, unsigned no, const char *value,
		       const char *path, struct mdk_error *e)
{
	for (size_t i = 0; i < vm->n_hostpci; i++)
		if (vm->hostpci[i].index == index)
			return mdk_fail(e, "%s:%u: hostpci%u is given twice (first on line %u); remove one "
					"of them", path, no, index, vm->hostpci[i].line);
	struct mdk_pve_hostpci h = { index, no, NULL, NULL, NULL };
	struct mdk_pve_prop *props;
	size_t n;
	char *why;
	if (mdk_pve_props_split(value, &props, &n, &why) == 0) {
		why = hostpci_problem(&h, props, n);
		mdk_pve_props_free(props, n);
	}
	if (why) {
		int r = mdk_fail(e, "%s:%u: hostpci%u: %s (qm config %lu shows what Proxmox reads)", path,
				 no, index, why, vm->vmid);
		free(why);
		free(h.host);
		free(h.mapping);
		free(h.mdev);
		return r;
	}
	/* in index order, as Proxmox walks them */
	size_t at = vm->n_hostpci;
	while (at > 0 && vm->hostpci[at - 1].index > index)
		at--;
	vm->hostpci = mdk_reallocarray(vm->hostpci, vm->n_hostpci + 1, sizeof(*vm->hostpci));
	memmove(vm->hostpci + at + 1, vm->hostpci + at, (vm->n_hostpci - at) * sizeof(*vm->hostpci));
	vm->hostpci[at] = h;
	vm->n_hostpci++;
	return 0;
}

/* One line of the current configuration (NUL-terminated, writable):
 * 0, 1 when it starts the next section, or -errno. */
static int config_line(struct mdk_pve_vm *vm, char *line, unsigned no, const char *path,
		       struct mdk_error *e)
{
	size_t len = strlen(line);

	while (len && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	const char *s = line;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	if (line[0] == '[' && line[len - 1] == ']')
		return 1;
	if (line[0] == '#')
		return 0;
	/* key: [a-z][a-z_-]*[0-9]*, then ':' and a value */
	size_t k = 0;
	if (line[0] >= 'a' && line[0] <= 'z') {
		k = 1;
		while ((line[k] >= 'a' && line[k] <= 'z') || line[k] == '_' || line[k] == '-')
			k++;
		while (isdigit((unsigned char)line[k]))
			k++;
	}
	char *v = line + k + (line[k] == ':');
	while (isspace((unsigned char)*v))
		v++;
	if (k == 0 || line[k] != ':' || !*v) {
		char *shown = mdk_str_excerpt(line, 80);
		int r = mdk_fail(e, "%s:%u: \"%s\" is not a Proxmox configuration line (\"key: value\", "
				 "a '#' comment or a [section]); fix or remove it", path, no, shown);
		free(shown);
		return r;
	}
	line[k] = '\0';
	unsigned index;
	switch (hostpci_index(line, &index)) {
	case 1:
		return add_hostpci(vm, index, no, v, path, e);
	case -1: {
		char *shown = mdk_str_excerpt(line, 40);
		int r = mdk_fail(e, "%s:%u: \"%s\" is not a key Proxmox VE has; the PCI devices are "
				 "hostpci0 to hostpci15", path, no, shown);
		free(shown);
		return r;
	}
	default:
		return 0;
	}
}

int mdk_pve_config_parse(const char *text, size_t len, const char *path, unsigned long vmid,
			 struct mdk_pve_vm *vm, struct mdk_error *e)
{
	struct mdk_pve_vm parsed = MDK_PVE_VM_INIT;
	int r = 0;

	if (memchr(text, '\0', len))
		return mdk_fail(e, "%s: contains a NUL byte; it is not a Proxmox VM configuration", path);
	parsed.vmid = vmid;
	char *copy = mdk_strndup(text, len);
	unsigned no = 1;
	for (char *line = copy, *next; line && r == 0; line = next, no++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		r = config_line(&parsed, line, no, path, e);
	}
	free(copy);
	if (r < 0) {
		mdk_pve_vm_free(&parsed);
		return r;
	}
	parsed.path = mdk_strdup(path);
	mdk_pve_vm_free(vm);
	*vm = parsed;
	return 0;
}

int mdk_pve_config_load(unsigned long vmid, struct mdk_pve_vm *vm, struct mdk_error *e)
{
	char *path = mdk_path_pve_vm_config(vmid);
	char *text = NULL, *node = NULL;
	size_t len;
	int r = mdk_read_regular(path, MDK_PVE_FILE_MAX, 0, &text, &len);

	/* without the qemu-server link, the node's own directory */
	if (r == -ENOENT && mdk_pve_node_name(&node, e) == 0) {
		free(path);
		path = mdk_path_pve_node_vm_config(node, vmid);
		r = mdk_read_regular(path, MDK_PVE_FILE_MAX, 0, &text, &len);
	}
	mdk_error_clear(e);
	if (r == -ENOENT)
		r = mdk_fail(e, "VM %lu has no configuration at \"%s\"; is it a VM of this node (qm list)?",
			     vmid, path);
	else if (r < 0)
		r = mdk_fail_errno(e, -r, "Unable to read \"%s\"", path);
	else
		r = mdk_pve_config_parse(text, len, path, vmid, vm, e);
	free(text);
	free(node);
	free(path);
	return r;
}
