// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit pve-hook VMID PHASE: what Proxmox VE runs as the VM's hookscript
 * (the script in /usr/share/mdevkit execs this).  A refusal or an error
 * is one line on stderr, which Proxmox shows in the task log; exit 1 at
 * pre-start makes Proxmox not start the VM. */
#include "cli.h"

#include "mdevkit/error.h"
#include "mdevkit/pve.h"
#include "mdevkit/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static const struct cli_spec spec = {
	"pve-hook", "<VMID> <PHASE>",
	"Run as a Proxmox VE hookscript (qm set VMID --hookscript\n"
	"local:snippets/mdevkit-hook).  At pre-start, the VM's hostpciN entries with\n"
	"mdev= on an Intel GVT-g parent are checked together with the running vGPUs:\n"
	"a VM that does not fit is refused with the reason (exit 1, Proxmox does not\n"
	"start it), else its vGPUs are created with Proxmox's UUIDs.  VMs named by\n"
	"pve_keep_alive in /etc/mdevkit/mdevkit.conf get definitions and keep their\n"
	"vGPUs across restarts.  Other phases and other VMs: exit 0.",
	NULL, 0, "VMID PHASE",
};

int cmd_pve_hook(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;
	if (!a.positional2)
		return cli_usage_error(&spec, "the following required arguments were not provided:\n"
					      "  <VMID> <PHASE>");
	char *end;
	errno = 0;
	unsigned long vmid = strtoul(a.positional, &end, 10);
	if (!isdigit((unsigned char)a.positional[0]) || *end || errno || vmid < MDK_PVE_VMID_MIN ||
	    vmid > MDK_PVE_VMID_MAX)
		return cli_usage_error(&spec, "invalid VMID '%s': Proxmox VE's VMIDs are %lu to %lu",
				       a.positional, MDK_PVE_VMID_MIN, MDK_PVE_VMID_MAX);

	struct mdk_error e = MDK_ERROR_INIT;
	char *refusal;
	int r = mdk_pve_hook(vmid, mdk_pve_phase_from_name(a.positional2), &refusal, &e);
	if (r < 0) {
		char *line = mdk_error_oneline(&e);
		fprintf(stderr, "mdevkit pve-hook: %s\n", line);
		free(line);
		mdk_error_clear(&e);
		return 1;
	}
	if (refusal)
		fprintf(stderr, "mdevkit pve-hook: %s\n", refusal);
	free(refusal);
	return r ? 1 : 0;
}
