// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit-xml: `mdevkit xml`, a program of its own because it links
 * libxml2.  mdevkit execs it with the same arguments. */
#include "../mdevkit/cli.h"

#include "mdevkit/env.h"
#include "mdevkit/log.h"
#include "mdevkit/util.h"
#include "mdevkit/vmconfig.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>

enum { O_LIBVIRT_VERSION = CLI_VM_NOPTS, O_DOMAIN };

static const struct cli_opt opts[] = {
	CLI_VM_OPTIONS,
	[O_LIBVIRT_VERSION] = { "libvirt-version", 0, "X.Y",
				"Write for this libvirt (default: ask virsh --version)" },
	[O_DOMAIN] = { "domain", 0, "NAME", "Print a complete minimal domain of this name" },
};

static const struct cli_spec spec = {
	"xml", "[OPTIONS] --uuid <UUID>",
	"Print the libvirt configuration that gives a guest this mdev: the pieces to\n"
	"paste into its domain, each after a comment saying where it goes, or with\n"
	"--domain a whole domain for virsh define.  A GVT-g vGPU gets display='on'\n"
	"(libvirt 4.6+) and ramfb='on' (5.10+), a GL display on the iGPU's render\n"
	"node, <video><model type='none'/></video>, and x-igd-opregion and the\n"
	"type's resolution through <qemu:override> (8.2+; before, <qemu:commandline>\n"
	"-set).  With --headless, or for any other type, the hostdev only.\n"
	"Carried out by mdevkit-xml (it links libxml2; see FILES in mdevkit(8)).",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

static int run(int argc, char **argv)
{
	struct cli_args a;
	struct mdk_vm_request req;
	struct mdk_version v;
	int rc = cli_vm_parse(&spec, argc, argv, &a, &req, O_LIBVIRT_VERSION, &v);

	if (rc < 0 && cli_has(&a, O_DOMAIN) && !a.val[O_DOMAIN][0])
		rc = cli_usage_error(&spec, "'--domain <NAME>' needs a name");
	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_vmconfig vm;
	char *xml = NULL;
	if (mdk_vmconfig_build(&req, &vm, &e) < 0)
		return cli_fail(&e);
	if ((cli_has(&a, O_LIBVIRT_VERSION) || mdk_libvirt_probe(&v, &e) == 0) &&
	    mdk_vm_libvirt_xml(&vm, &v, a.val[O_DOMAIN], &xml, &e) == 0) {
		fputs(xml, stdout);
		rc = 0;
	} else {
		rc = cli_fail(&e);
	}
	free(xml);
	mdk_vmconfig_free(&vm);
	return rc;
}

int main(int argc, char **argv)
{
	mdk_log_open("mdevkit", MDK_LOG_STDERR);
	int rc = run(argc, argv);
	mdk_env_reset();
	xmlCleanupParser();
	return rc;
}
