// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Proxmox VE's files (pve.h): a VM's <vmid>.conf, and pci.cfg when the
 * first byte is '@' (the rest is the file; the mapping asked for is
 * "igpu" on node "pve1").  Whatever is accepted is what Proxmox could
 * have written; whatever is refused says why.
 */
#include "fuzz.h"

#include "mdevkit/names.h"
#include "mdevkit/pve.h"
#include "mdevkit/util.h"
#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <string.h>

static void vm_config(const char *text, size_t len)
{
	struct mdk_pve_vm vm = MDK_PVE_VM_INIT;
	struct mdk_error e = MDK_ERROR_INIT;

	if (mdk_pve_config_parse(text, len, "101.conf", 101, &vm, &e) < 0) {
		FUZZ_ASSERT(mdk_error_msg(&e) && *mdk_error_msg(&e));
		FUZZ_ASSERT(!strchr(mdk_error_msg(&e), '\n'));
		FUZZ_ASSERT(vm.n_hostpci == 0 && !vm.hostpci);
		mdk_error_clear(&e);
		return;
	}
	bool any = false;
	for (size_t i = 0; i < vm.n_hostpci; i++) {
		const struct mdk_pve_hostpci *h = &vm.hostpci[i];
		any |= h->mdev != NULL;
		FUZZ_ASSERT(h->index < MDK_PVE_MAX_HOSTPCI);
		FUZZ_ASSERT(i == 0 || vm.hostpci[i - 1].index < h->index);
		FUZZ_ASSERT(!h->host != !h->mapping);
		if (h->mdev) {
			FUZZ_ASSERT(mdk_name_check(MDK_NAME_TYPE, h->mdev, &e) == 0);
			FUZZ_ASSERT(!strpbrk(h->mdev, "/.:"));
		}
		mdk_uuid_str u;
		mdk_pve_uuid(vm.vmid, h->index, u);
		FUZZ_ASSERT(mdk_uuid_is_canonical(u));
	}
	FUZZ_ASSERT(mdk_pve_vm_has_mdev(&vm) == any);
	mdk_pve_vm_free(&vm);
}

static void mapping(const char *text, size_t len)
{
	struct mdk_error e = MDK_ERROR_INIT;
	char **paths = NULL;
	size_t n = 0;

	if (mdk_pve_mapping_parse(text, len, "pci.cfg", "igpu", "pve1", &paths, &n, &e) < 0) {
		FUZZ_ASSERT(mdk_error_msg(&e) && *mdk_error_msg(&e));
		FUZZ_ASSERT(!strchr(mdk_error_msg(&e), '\n'));
		mdk_error_clear(&e);
		return;
	}
	FUZZ_ASSERT(n > 0 && paths && !paths[n]);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(paths[i][0] && !strpbrk(paths[i], ",=/ \t\n"));
	mdk_strv_free(paths);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == '@')
		mapping((const char *)data + 1, size - 1);
	else
		vm_config((const char *)data, size);
	return 0;
}
