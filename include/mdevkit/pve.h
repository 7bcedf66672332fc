/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Proxmox VE: the vGPUs a VM's configuration asks for, and the hookscript
 * that brings them up with mdevkit's checks before Proxmox creates them.
 *
 * Facts from Proxmox's qemu-server and pve-common (read, not copied):
 *   /etc/pve/qemu-server/<vmid>.conf (pmxcfs makes qemu-server a link to
 *     nodes/<node>/qemu-server, and local a link to nodes/<node>): "key:
 *     value" lines, '#' lines are the description; the current
 *     configuration runs up to the first "[...]" line, after which come
 *     [PENDING], [special:...] and snapshot sections.
 *   hostpciN (N 0..15): a property string of comma-separated key=value
 *     items, the first bare item being host=; host= is one PCI address or
 *     several joined by ';' ([domain:]bus:slot[.function], lower-case
 *     hex, domain 0000 when left out, all functions when the function is
 *     left out), or mapping=NAME names /etc/pve/mapping/pci.cfg, whose
 *     "map node=...,path=..." lines for this node are alternatives tried
 *     in order; mdev=TYPE makes Proxmox create TYPE on the (single)
 *     function at every start with the UUID
 *     sprintf("%08d-0000-0000-0000-%012d", N, vmid) and remove it at stop.
 *   the node name is the host's uname nodename up to the first '.'.
 */
#ifndef MDEVKIT_PVE_H
#define MDEVKIT_PVE_H

#include "mdevkit/error.h"
#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <stddef.h>

#define MDK_PVE_VMID_MIN 100UL
#define MDK_PVE_VMID_MAX 999999999UL
#define MDK_PVE_MAX_HOSTPCI 16

/* One hostpciN line of the current configuration, as written. */
struct mdk_pve_hostpci {
	unsigned index;         /* N */
	unsigned line;          /* line number in the file */
	char *host;             /* host=, e.g. "00:02.0" or "0000:01:00.0;0000:01:00.1"; or NULL */
	char *mapping;          /* mapping=, or NULL */
	char *mdev;             /* mdev=, or NULL */
};

struct mdk_pve_vm {
	unsigned long vmid;
	char *path;                     /* the file read */
	struct mdk_pve_hostpci *hostpci; /* sorted by index */
	size_t n_hostpci;
};

#define MDK_PVE_VM_INIT { 0, NULL, NULL, 0 }

/* Parse the text of <vmid>.conf (path names it in messages).  Every line
 * of the current configuration must be a Proxmox line, and every hostpciN
 * a valid hostpci value; anything else is one line naming path:line, what
 * is wrong and the fix.  Later sections are not read. */
int mdk_pve_config_parse(const char *text, size_t len, const char *path, unsigned long vmid,
			 struct mdk_pve_vm *vm, struct mdk_error *e);
/* Read and parse the configuration of vmid on this node. */
int mdk_pve_config_load(unsigned long vmid, struct mdk_pve_vm *vm, struct mdk_error *e);
void mdk_pve_vm_free(struct mdk_pve_vm *vm);
/* Does any hostpciN have mdev=? */
bool mdk_pve_vm_has_mdev(const struct mdk_pve_vm *vm);

/* Proxmox's UUID of the mdev of hostpci<index> of vmid. */
void mdk_pve_uuid(unsigned long vmid, unsigned index, mdk_uuid_str out);

/* This node's name, as pmxcfs has it: the target of /etc/pve/local
 * ("nodes/<node>"), else the uname nodename up to the first '.'. */
int mdk_pve_node_name(char **node, struct mdk_error *e);

/* The alternatives of mapping id for node in the text of pci.cfg: its
 * "map" lines' path= values for that node, in file order (each one
 * address or several joined by ';').  No map for the node is an error. */
int mdk_pve_mapping_parse(const char *text, size_t len, const char *path, const char *id,
			  const char *node, char ***paths, size_t *n, struct mdk_error *e);

/* The PCI functions an address of host= or path= names, in canonical
 * form ("0000:00:02.0"): itself when it has a function, else every
 * function of that slot in /sys/bus/pci/devices. */
int mdk_pve_functions(const char *address, char ***functions, size_t *n, struct mdk_error *e);

/* The mdev entries of a VM, resolved as Proxmox does at start: the
 * candidate parents of each (the alternatives of its mapping, or its
 * host), each a single PCI function.  With mdk_pve_list_vms and
 * mdk_pve_config_load, what names Proxmox as a creator of vGPUs (for
 * `mdevkit doctor`). */
struct mdk_pve_mdev {
	unsigned index;         /* N of hostpciN */
	char *type;             /* mdev= */
	mdk_uuid_str uuid;      /* Proxmox's UUID for it */
	char **parents;         /* candidate parents in the order Proxmox tries them */
	size_t n_parents;
};
int mdk_pve_vm_mdevs(const struct mdk_pve_vm *vm, struct mdk_pve_mdev **out, size_t *n,
		     struct mdk_error *e);
void mdk_pve_mdevs_free(struct mdk_pve_mdev *v, size_t n);

/* The VMIDs that have a configuration on this node, ascending. */
int mdk_pve_list_vms(unsigned long **vmids, size_t *n, struct mdk_error *e);

/* ---- the hookscript (pve-hook.c) ------------------------------------------------ */

enum mdk_pve_phase {
	MDK_PVE_PRE_START,
	MDK_PVE_POST_START,
	MDK_PVE_PRE_STOP,
	MDK_PVE_POST_STOP,
	MDK_PVE_OTHER_PHASE,    /* a phase mdevkit has nothing to do in */
};
enum mdk_pve_phase mdk_pve_phase_from_name(const char *name);

/* What `mdevkit pve-hook VMID PHASE` does:
 *   pre-start: the GVT-g vGPUs of the VM are checked together with those
 *     running; a refusal is 1 with *refusal one line, else they are
 *     created with Proxmox's UUIDs (defined first, manual, for VMs of
 *     pve_keep_alive) and 0.  Other mdev= entries are left to Proxmox
 *     unless mdevkit has a definition of their UUID, which is started.
 *   post-stop, for VMs of pve_keep_alive: the defined vGPUs Proxmox just
 *     removed are started again.
 *   Every other phase: 0 at once.
 * Warnings are logged.  -errno with e when something cannot be read or
 * created. */
int mdk_pve_hook(unsigned long vmid, enum mdk_pve_phase phase, char **refusal,
		 struct mdk_error *e);

#endif
