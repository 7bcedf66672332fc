// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/error.h"

#include <errno.h>
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
	printf("\nA value that begins with '-' is given after '=' (--option=-1): as the next\n"
	       "word it is a usage error.\n");
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

static int set_opt(const struct cli_spec *s, struct cli_args *a, int idx, const char *value)
{
	const struct cli_opt *o = &s->opts[idx];

	if (a->val[idx])
		return cli_usage_error(s, "the argument '--%s%s%s%s' cannot be used multiple times",
				       o->name, o->value ? " <" : "", o->value ? o->value : "",
				       o->value ? ">" : "");
	a->val[idx] = value ? value : "";
	return -1;
}

/* The value of option o: inline (from "--opt=v", "-ov" or "-o=v"), else
 * the next argument, unless that begins with '-' ("-" alone is a value):
 * clap refuses it too, and so a forgotten value never turns the next
 * option into one.  NULL after printing a usage error. */
static const char *take_value(const struct cli_spec *s, const struct cli_opt *o,
			      const char *inline_value, int argc, char **argv, int *i)
{
	if (inline_value)
		return inline_value;
	if (*i + 1 >= argc) {
		cli_usage_error(s, "a value is required for '--%s <%s>' but none was supplied",
				o->name, o->value);
		return NULL;
	}
	const char *next = argv[*i + 1];
	if (next[0] == '-' && next[1]) {
		cli_usage_error(s, "a value is required for '--%s <%s>', and '%s' is not one: a value "
				   "that begins with '-' is given after '=', as '--%s=%s'",
				o->name, o->value, next, o->name, next);
		return NULL;
	}
	return argv[++*i];
}

/* "--name[=value]" */
static int parse_long(const struct cli_spec *s, struct cli_args *a, const char *arg, int argc,
		      char **argv, int *i)
{
	const char *name = arg + 2, *eq = strchr(name, '=');
	int idx;
	const struct cli_opt *o = find_long(s, name, eq ? (size_t)(eq - name) : strlen(name), &idx);

	if (!o)
		return cli_usage_error(s, "unexpected argument '%s' found", arg);
	if (!o->value) {
		if (eq)
			return cli_usage_error(s, "unexpected value '%s' for '--%s' found; no more were expected",
					       eq + 1, o->name);
		return set_opt(s, a, idx, NULL);
	}
	const char *value = take_value(s, o, eq ? eq + 1 : NULL, argc, argv, i);
	return value ? set_opt(s, a, idx, value) : EXIT_USAGE;
}

/* a cluster of short options: -ad, -uVALUE, -u VALUE, -u=VALUE */
static int parse_short(const struct cli_spec *s, struct cli_args *a, const char *arg, int argc,
		       char **argv, int *i)
{
	for (const char *p = arg + 1; *p; p++) {
		int idx, r;
		const struct cli_opt *o = find_short(s, *p, &idx);
		if (!o)
			return cli_usage_error(s, "unexpected argument '-%c' found", *p);
		if (!o->value) {
			if ((r = set_opt(s, a, idx, NULL)) >= 0)
				return r;
			continue;
		}
		const char *rest = p[1] == '=' ? p + 2 : p[1] ? p + 1 : NULL;
		const char *value = take_value(s, o, rest, argc, argv, i);
		return value ? set_opt(s, a, idx, value) : EXIT_USAGE;
	}
	return -1;
}

/* Required options present, the UUID option valid. */
static int check_args(const struct cli_spec *s, struct cli_args *a)
{
	for (size_t i = 0; i < s->n_opts; i++) {
		const struct cli_opt *o = &s->opts[i];
		if ((o->flags & CLI_REQUIRED) && !a->val[i])
			return cli_usage_error(s, "the following required arguments were not provided:\n  --%s <%s>",
					       o->name, o->value);
		if (!(o->flags & CLI_UUID) || !a->val[i])
			continue;
		if (mdk_uuid_parse(a->val[i], a->uuid_text) < 0)
			return cli_usage_error(s, "invalid value '%s' for '--%s <%s>': not a UUID (expected e.g. "
						  "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001)",
					       a->val[i], o->name, o->value);
		a->uuid = a->uuid_text;
	}
	return -1;
}

int cli_parse(const struct cli_spec *s, int argc, char **argv, struct cli_args *a)
{
	memset(a, 0, sizeof(*a));
	/* help wins over every other check, as with clap */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_help(s);
			return 0;
		}
	bool only_positional = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int r;

		if (only_positional || arg[0] != '-' || arg[1] == '\0') {
			bool two = s->positional && strchr(s->positional, ' ');
			if (!s->positional || (a->positional && (!two || a->positional2)))
				return cli_usage_error(s, "unexpected argument '%s' found", arg);
			*(a->positional ? &a->positional2 : &a->positional) = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_positional = true;
			continue;
		}
		r = arg[1] == '-' ? parse_long(s, a, arg, argc, argv, &i)
				  : parse_short(s, a, arg, argc, argv, &i);
		if (r >= 0)
			return r;
	}
	return check_args(s, a);
}

bool cli_has(const struct cli_args *a, int opt)
{
	return a->val[opt] != NULL;
}

int cli_number(const struct cli_spec *spec, const char *opt, const char *value,
	       unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(value, &end, 10);
	if (!*value || *end || errno || value[0] == '-' || value[0] == '+' || v > max)
		return cli_usage_error(spec, "invalid value '%s' for '--%s': not a number from 0 to %lu",
				       value, opt, max);
	*out = v;
	return 0;
}

int cli_fail(struct mdk_error *e)
{
	mdk_error_print(e);
	mdk_error_clear(e);
	return 1;
}

int cli_need_uuid_or_parent(const struct cli_spec *spec, const struct cli_args *a, int o_uuid,
			    int o_parent)
{
	if (cli_has(a, o_uuid) || cli_has(a, o_parent))
		return -1;
	return cli_usage_error(spec, "one of '--uuid <UUID>' or '--parent <PARENT>' is required");
}

int cli_created(int r, const char *uuid, bool generated, struct mdk_error *e)
{
	if (r < 0)
		return cli_fail(e);
	if (generated)
		printf("%s\n", uuid);
	return 0;
}
