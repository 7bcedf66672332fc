/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The mdevkit command line: a table of commands, and a small option parser
 * that accepts what mdevctl (clap) accepts: "--opt value", "--opt=value",
 * "-o value", options in any order, and -h/--help anywhere (libvirt probes
 * support with "modify --defined --live --jsonfile b --help").  A value
 * that begins with '-' must be attached ("--opt=-1", "-o-1", "-o=-1"), as
 * with clap: as the next word it is a usage error.
 * Usage errors print "error: ..." and exit 2, as mdevctl does.
 */
#ifndef MDEVKIT_CLI_H
#define MDEVKIT_CLI_H

#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <stddef.h>

#define CLI_MAX_OPTS 24

enum {
	CLI_REQUIRED = 1 << 0,  /* must be given */
	CLI_UUID = 1 << 1,      /* the value is a UUID: parsed into cli_args.uuid */
};

struct cli_opt {
	const char *name;       /* long name, without "--" */
	char short_name;        /* 0 if none */
	const char *value;      /* value name for help, NULL for a flag */
	const char *help;
	unsigned flags;
};

struct cli_spec {
	const char *command;    /* e.g. "define" */
	const char *usage;      /* after "mdevkit <command> " */
	const char *about;      /* paragraph(s) for --help */
	const struct cli_opt *opts;
	size_t n_opts;
	const char *positional; /* name of the positional argument, NULL if none;
				 * two names ("VMID PHASE"): two of them */
};

struct cli_args {
	const char *val[CLI_MAX_OPTS];  /* value, or "" for a flag that was given */
	const char *positional;
	const char *positional2;        /* the second, when the spec names two */
	mdk_uuid_str uuid_text;         /* canonical form of the CLI_UUID option */
	const char *uuid;               /* uuid_text if that option was given, else NULL */
};

/* Parse argv.  Returns -1 when the command should go on, otherwise the
 * exit code: 0 after printing help, 2 after a usage error (unknown or
 * repeated option, missing value or required option, a separate value
 * that begins with '-', invalid UUID). */
int cli_parse(const struct cli_spec *spec, int argc, char **argv, struct cli_args *a);
/* Print "error: ..." and the usage hint; returns 2 for use as exit code. */
int cli_usage_error(const struct cli_spec *spec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Parse a whole number from 0 to max; on error prints a usage error and
 * returns 2, else 0. */
int cli_number(const struct cli_spec *spec, const char *opt, const char *value,
	       unsigned long max, unsigned long *out);
bool cli_has(const struct cli_args *a, int opt);

/* Exit codes */
#define EXIT_USAGE 2

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

int cmd_define(int argc, char **argv);
int cmd_undefine(int argc, char **argv);
int cmd_modify(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_types(int argc, char **argv);
int cmd_start_parent_mdevs(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_pve_hook(int argc, char **argv);
int cmd_xml(int argc, char **argv);
int cmd_qemu_args(int argc, char **argv);

/* Print an error the way mdevctl does and return exit code 1. */
struct mdk_error;
int cli_fail(struct mdk_error *e);

/* define and start: -1 to go on when --uuid or --parent is given, else
 * the usage error's exit code */
int cli_need_uuid_or_parent(const struct cli_spec *spec, const struct cli_args *a, int o_uuid,
			    int o_parent);
/* define and start: the exit code for the library's result r; a UUID the
 * library generated is printed, as mdevctl does */
int cli_created(int r, const char *uuid, bool generated, struct mdk_error *e);

/* xml and qemu-args (cli-vm.c): the options both take, first in their
 * tables, in this order */
enum { CLI_VM_UUID, CLI_VM_HEADLESS, CLI_VM_RES, CLI_VM_ROM, CLI_VM_RENDERNODE, CLI_VM_GRAPHICS,
       CLI_VM_NOPTS };
#define CLI_VM_OPTIONS \
	[CLI_VM_UUID] = { "uuid", 'u', "UUID", "UUID of the device (defined or running)", \
			  CLI_REQUIRED | CLI_UUID }, \
	[CLI_VM_HEADLESS] = { "headless", 0, NULL, "A GVT-g vGPU without display (compute, transcoding)" }, \
	[CLI_VM_RES] = { "res", 0, "WxH", "The guest's resolution (default and maximum: the type's)" }, \
	[CLI_VM_ROM] = { "rom", 0, "FILE", "A ROM (e.g. a VBIOS) for the device, absolute path" }, \
	[CLI_VM_RENDERNODE] = { "rendernode", 0, "PATH", \
				"The render node for GL (default: the parent's in /dev/dri/by-path)" }, \
	[CLI_VM_GRAPHICS] = { "graphics", 0, "KIND", "egl-headless (with VNC, the default) or spice" }
struct mdk_vm_request;
struct mdk_version;
/* Parse argv of xml or qemu-args into *a and *req, and the version
 * option o_version (when given) into *v: -1 to go on, else the exit code
 * (0 after --help, 2 after a usage error). */
int cli_vm_parse(const struct cli_spec *spec, int argc, char **argv, struct cli_args *a,
		 struct mdk_vm_request *req, int o_version, struct mdk_version *v);

#endif
