// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevkit-unit SUBCOMMAND ARGS...: drives pure library code from bats.
 *
 * The dispatcher is a table: to add a subcommand, write the function in a
 * file of tests/unit/ (any name), declare it in unit.h and add a row
 * below.  Nothing else in this file needs to change.
 */
#include "unit.h"

#include "mdevkit/env.h"
#include "mdevkit/log.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <string.h>

static const struct unit_cmd commands[] = {
	{ "gvt-avail", unit_gvt_avail, "<gen> <A> <T> [<used type>...]" },
	{ "gvt-fit", unit_gvt_fit, "<gen> <A> <T> [<used type>...] -- [<new type>...]" },
	{ "gvt-min-aperture", unit_gvt_min_aperture, "<T> [<type>...]" },
	{ "gvt-host-check", unit_gvt_host_check, "<A> <T>" },
	{ "gvt-name", unit_gvt_name, "<type>" },
	{ "gvt-desc", unit_gvt_desc, "(description on stdin)" },
	{ "gvt-resource", unit_gvt_resource, "(PCI resource file on stdin)" },
	{ "gvt-details", unit_gvt_details, "<parent> <type>  (sysfs under MDEVCTL_ENV_ROOT)" },
	{ "check-summary", unit_check_summary, "<parent>  (sysfs and store under MDEVCTL_ENV_ROOT)" },
	{ "kmsg", unit_kmsg, "[-c] [<file>]  (else the kernel log under MDEVCTL_ENV_ROOT)" },
	{ "cmdline", unit_cmdline, "[<module> <param>]  (command line on stdin)" },
	{ "modprobe", unit_modprobe, "[<module> <param>]  (modprobe.d under MDEVCTL_ENV_ROOT)" },
	{ "modlists", unit_modlists, "(module lists under MDEVCTL_ENV_ROOT)" },
	{ "kmods", unit_kmods, "<module>...  (modules of the kernel under MDEVCTL_ENV_ROOT)" },
};

static int usage(FILE *f)
{
	fprintf(f, "usage: mdevkit-unit SUBCOMMAND ARGS...\n");
	for (size_t i = 0; i < MDK_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s %s\n", commands[i].name, commands[i].usage);
	return 2;
}

int main(int argc, char **argv)
{
	mdk_log_open("mdevkit-unit", MDK_LOG_STDERR);
	if (argc < 2)
		return usage(stderr);
	for (size_t i = 0; i < MDK_ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			int rc = commands[i].run(argc - 1, argv + 1);
			mdk_env_reset();
			return rc;
		}
	fprintf(stderr, "mdevkit-unit: unknown subcommand \"%s\"\n", argv[1]);
	return usage(stderr);
}
