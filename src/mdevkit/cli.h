/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The mdevkit command line: a table of commands, and a small option parser
 * that accepts what mdevctl (clap) accepts: "--opt value", "--opt=value",
 * "-o value", options in any order, and -h/--help anywhere (libvirt probes
 * support with "modify --defined --live --jsonfile b --help").
 * Usage errors print "error: ..." and exit 2, as mdevctl does.
 */
#ifndef MDEVKIT_CLI_H
#define MDEVKIT_CLI_H

#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <stddef.h>

#define CLI_MAX_OPTS 24

struct cli_opt {
	const char *name;       /* long name, without "--" */
	char short_name;        /* 0 if none */
	const char *value;      /* value name for help, NULL for a flag */
	const char *help;
};

struct cli_spec {
	const char *command;    /* e.g. "define" */
	const char *usage;      /* after "mdevkit <command> " */
	const char *about;      /* paragraph(s) for --help */
	const struct cli_opt *opts;
	size_t n_opts;
	const char *positional; /* name of the positional argument, NULL if none */
};

struct cli_args {
	const char *val[CLI_MAX_OPTS];  /* value, or "" for a flag that was given */
	const char *positional;
};

enum cli_status {
	CLI_OK = 0,
	CLI_HELP = 1,   /* help was printed: exit 0 */
	CLI_USAGE = 2,  /* usage error was printed: exit 2 */
};

enum cli_status cli_parse(const struct cli_spec *spec, int argc, char **argv, struct cli_args *a);
/* Print "error: ..." and the usage hint; returns 2 for use as exit code. */
int cli_usage_error(const struct cli_spec *spec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Parse a UUID option value; on error prints a usage error.  A NULL value
 * leaves out empty. */
enum cli_status cli_uuid(const struct cli_spec *spec, const char *opt, const char *value,
			 mdk_uuid_str out);
/* Parse an unsigned index option value. */
enum cli_status cli_index(const struct cli_spec *spec, const char *opt, const char *value,
			  unsigned long *out);
bool cli_has(const struct cli_args *a, int opt);

/* Exit codes */
#define EXIT_USAGE 2

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	bool hidden;
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

/* Print an error the way mdevctl does and return exit code 1. */
struct mdk_error;
int cli_fail(struct mdk_error *e);

#endif
