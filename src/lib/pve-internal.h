/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the pve-*.c files: Proxmox's property strings and PCI
 * addresses, as both <vmid>.conf and pci.cfg spell them. */
#ifndef MDEVKIT_PVE_INTERNAL_H
#define MDEVKIT_PVE_INTERNAL_H

#include "mdevkit/error.h"

#include <stdbool.h>
#include <stddef.h>

/* One item of a property string "a=1,b=2" (key NULL for the bare item). */
struct mdk_pve_prop {
	char *key;
	char *value;
};

/* Split a property string as Proxmox does: items at ',', blank items
 * skipped, "key=value" with both sides non-empty, or one bare value.
 * -EINVAL with *why (caller frees) saying what is wrong. */
int mdk_pve_props_split(const char *s, struct mdk_pve_prop **props, size_t *n, char **why);
void mdk_pve_props_free(struct mdk_pve_prop *props, size_t n);

/* A list of PCI addresses joined by ';' as host= and path= take them:
 * [domain:]bus:slot[.function], lower-case hex, domain of 4 or more
 * digits; need_domain for pci.cfg's path=. */
bool mdk_pve_address_list_valid(const char *s, bool need_domain);

/* pmxcfs keeps files of at most 1 MiB; larger is refused as not Proxmox's */
#define MDK_PVE_FILE_MAX (1u << 20)

#endif
