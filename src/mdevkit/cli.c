// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/error.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_help(const struct cli_spec *s)
{
	printf("Usage: mdevkit %s %s\n\n%s\n\nOptions:\n", s->command, s->usage, s->about);
	for (size_t i = 0; i < s->n_opts; i++) {
		const struct cli_opt *o = &s->opts[i];
		char left[64];
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s%s", o->short_name, o->name,
				 o->value ? " <" : "", o->value ? o->value : "", o->value ? ">" : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s%s", o->name,
				 o->value ? " <" : "", o->value ? o->value : "", o->value ? ">" : "");
		printf("  %-28s %s\n", left, o->help);
	}
	printf("  %-28s %s\n", "-h, --help", "Print help");
}

int cli_usage_error(const struct cli_spec *spec, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n\nUsage: mdevkit %s %s\n\nFor more information, try '--help'.\n",
		spec->command, spec->usage);
	return EXIT_USAGE;
}

static const struct cli_opt *find_long(const struct cli_spec *s, const char *name, size_t len,
				       int *idx)
{
	for (size_t i = 0; i < s->n_opts; i++)
		if (strlen(s->opts[i].name) == len && !strncmp(s->opts[i].name, name, len)) {
			*idx = (int)i;
			return &s->opts[i];
		}
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_spec *s, char c, int *idx)
{
	for (size_t i = 0; i < s->n_opts; i++)
		if (s->opts[i].short_name == c) {
			*idx = (int)i;
			return &s->opts[i];
		}
	return NULL;
}

static enum cli_status set_opt(const struct cli_spec *s, struct cli_args *a, int idx,
			       const char *value)
{
	const struct cli_opt *o = &s->opts[idx];

	if (a->val[idx])
		return (enum cli_status)cli_usage_error(
			s, "the argument '--%s%s%s%s' cannot be used multiple times", o->name,
			o->value ? " <" : "", o->value ? o->value : "", o->value ? ">" : "");
	a->val[idx] = value ? value : "";
	return CLI_OK;
}

enum cli_status cli_parse(const struct cli_spec *s, int argc, char **argv, struct cli_args *a)
{
	memset(a, 0, sizeof(*a));
	/* help wins over every other check, as with clap */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_help(s);
			return CLI_HELP;
		}
	bool only_positional = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int idx = -1;
		const struct cli_opt *o;
		enum cli_status st;

		if (only_positional || arg[0] != '-' || arg[1] == '\0') {
			if (!s->positional || a->positional)
				return (enum cli_status)cli_usage_error(s, "unexpected argument '%s' found", arg);
			a->positional = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_positional = true;
			continue;
		}
		if (arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			o = find_long(s, name, eq ? (size_t)(eq - name) : strlen(name), &idx);
			if (!o)
				return (enum cli_status)cli_usage_error(s, "unexpected argument '%s' found", arg);
			const char *value = NULL;
			if (o->value) {
				if (eq)
					value = eq + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else
					return (enum cli_status)cli_usage_error(
						s, "a value is required for '--%s <%s>' but none was supplied",
						o->name, o->value);
			} else if (eq) {
				return (enum cli_status)cli_usage_error(
					s, "unexpected value '%s' for '--%s' found; no more were expected",
					eq + 1, o->name);
			}
			st = set_opt(s, a, idx, value);
			if (st != CLI_OK)
				return st;
			continue;
		}
		/* a cluster of short options: -ad, -uVALUE, -u VALUE, -u=VALUE */
		for (const char *p = arg + 1; *p; p++) {
			o = find_short(s, *p, &idx);
			if (!o)
				return (enum cli_status)cli_usage_error(s, "unexpected argument '-%c' found", *p);
			const char *value = NULL;
			if (o->value) {
				if (p[1])
					value = p[1] == '=' ? p + 2 : p + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else
					return (enum cli_status)cli_usage_error(
						s, "a value is required for '--%s <%s>' but none was supplied",
						o->name, o->value);
			}
			st = set_opt(s, a, idx, value);
			if (st != CLI_OK)
				return st;
			if (value)
				break;
		}
	}
	return CLI_OK;
}

bool cli_has(const struct cli_args *a, int opt)
{
	return a->val[opt] != NULL;
}

enum cli_status cli_uuid(const struct cli_spec *spec, const char *opt, const char *value,
			 mdk_uuid_str out)
{
	out[0] = '\0';
	if (!value)
		return CLI_OK;
	if (mdk_uuid_parse(value, out) < 0)
		return (enum cli_status)cli_usage_error(
			spec, "invalid value '%s' for '--%s <UUID>': not a UUID (expected e.g. "
			      "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001)", value, opt);
	return CLI_OK;
}

enum cli_status cli_index(const struct cli_spec *spec, const char *opt, const char *value,
			  unsigned long *out)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(value, &end, 10);
	if (!*value || *end || errno || value[0] == '-' || value[0] == '+' || v > 0xffffffffUL)
		return (enum cli_status)cli_usage_error(
			spec, "invalid value '%s' for '--%s <INDEX>': not a number from 0 to 4294967295",
			value, opt);
	*out = v;
	return CLI_OK;
}

int cli_fail(struct mdk_error *e)
{
	mdk_error_print(e);
	mdk_error_clear(e);
	return 1;
}
