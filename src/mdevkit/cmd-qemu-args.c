// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit qemu-args -u UUID ...: the QEMU options for a guest with this
 * mdev, for the installed QEMU (or --qemu-version). */
#include "cli.h"

#include "mdevkit/vmconfig.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>

enum { O_QEMU_VERSION = CLI_VM_NOPTS };

static const struct cli_opt opts[] = {
	CLI_VM_OPTIONS,
	[O_QEMU_VERSION] = { "qemu-version", 0, "X.Y",
			     "Write for this QEMU (default: ask qemu-system-x86_64)" },
};

static const struct cli_spec spec = {
	"qemu-args", "[OPTIONS] --uuid <UUID>",
	"Print the QEMU options that give a guest this mdev, one per line, quoted for\n"
	"a shell and joined with '\\'.  A GVT-g vGPU gets vfio-pci-nohotplug with\n"
	"display, ramfb, x-igd-opregion and the type's resolution, a GL display on\n"
	"the iGPU's render node and -vga none; with --headless, or for any other\n"
	"type, plain vfio-pci.  Properties the QEMU lacks (qemu-system-x86_64\n"
	"-device vfio-pci-nohotplug,help) are left out with a warning that names\n"
	"the QEMU release adding them.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_qemu_args(int argc, char **argv)
{
	struct cli_args a;
	struct mdk_vm_request req;
	struct mdk_version v;
	int rc = cli_vm_parse(&spec, argc, argv, &a, &req, O_QEMU_VERSION, &v);

	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_vmconfig vm;
	struct mdk_qemu_caps caps;
	if (mdk_vmconfig_build(&req, &vm, &e) < 0)
		return cli_fail(&e);
	if (cli_has(&a, O_QEMU_VERSION))
		mdk_qemu_caps_of_version(&v, &caps);
	else if (mdk_qemu_probe(&caps, &e) < 0) {
		mdk_vmconfig_free(&vm);
		return cli_fail(&e);
	}
	char *text = mdk_vm_qemu_args(&vm, &caps);
	fputs(text, stdout);
	free(text);
	mdk_vmconfig_free(&vm);
	return 0;
}
