// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit: dispatch to a command; `lsmdev` is `mdevkit list`. */
#include "cli.h"

#include "mdevkit/env.h"
#include "mdevkit/log.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_command commands[] = {
	{ "define", cmd_define, "Define a persistent mediated device" },
	{ "undefine", cmd_undefine, "Remove the definition of a mediated device" },
	{ "modify", cmd_modify, "Change the definition of a mediated device" },
	{ "start", cmd_start, "Create a mediated device" },
	{ "stop", cmd_stop, "Remove a running mediated device" },
	{ "list", cmd_list, "List running or defined mediated devices" },
	{ "types", cmd_types, "List the mdev types of every parent" },
	{ "check", cmd_check, "Check that the auto-start definitions fit the hardware" },
	{ "doctor", cmd_doctor, "Say why GVT-g does not come up on this host" },
	{ "xml", cmd_xml, "Print the libvirt configuration that gives a guest this mdev" },
	{ "qemu-args", cmd_qemu_args, "Print the QEMU options that give a guest this mdev" },
	{ "start-parent-mdevs", cmd_start_parent_mdevs,
	  "Start the auto-start devices of a parent (used by udev and systemd)" },
	{ "pve-hook", cmd_pve_hook,
	  "Proxmox VE hookscript: check and create a VM's GVT-g vGPUs at pre-start" },
};

static void usage(FILE *f)
{
	fputs("mdevkit " MDEVKIT_VERSION "\n"
	      "Manage mediated devices (mdev), compatible with mdevctl\n\n"
	      "Usage: mdevkit <COMMAND> [OPTIONS]\n\nCommands:\n", f);
	for (size_t i = 0; i < MDK_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-20s %s\n", commands[i].name, commands[i].summary);
	fputs("\nOptions:\n"
	      "  -h, --help           Print help (also after a command)\n"
	      "  -V, --version        Print version\n\n"
	      "See mdevkit(8).\n", f);
}

int main(int argc, char **argv)
{
	mdk_log_open("mdevkit", MDK_LOG_STDERR);
	atexit(mdk_env_reset);
	const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	size_t len = strlen(self);
	/* invoked as lsmdev: behave exactly like `list` */
	if (len >= 6 && !strcmp(self + len - 6, "lsmdev"))
		return cmd_list(argc, argv);

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		puts("mdevkit " MDEVKIT_VERSION);
		return 0;
	}
	for (size_t i = 0; i < MDK_ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "error: unrecognized subcommand '%s'\n\n"
			"Usage: mdevkit <COMMAND> [OPTIONS]\n\n"
			"For more information, try '--help'.\n", argv[1]);
	return EXIT_USAGE;
}
