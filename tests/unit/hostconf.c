// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit-unit subcommands for the parsers `mdevkit doctor` reads the
 * host with (kmsg.h, modconf.h): each prints what the parser found, one
 * entry a line, so that bats can assert the exact lines. */
#include "unit.h"

#include "mdevkit/kmsg.h"
#include "mdevkit/modconf.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *read_stdin(void)
{
	char *text = NULL;

	if (mdk_read_fd(0, 1 << 20, &text, NULL) < 0)
		return NULL;
	return text;
}

static int print_record(const struct mdk_kmsg_record *r, void *userdata)
{
	if (!userdata)
		printf("%u %u %llu %llu %s\n", r->facility, r->level, r->seq, r->usec, r->text);
	return 0;
}

static void print_stats(const struct mdk_kmsg_stats *st)
{
	printf("records %lu continuations %lu malformed %lu overlong %lu overwritten %lu\n",
	       st->records, st->continuations, st->malformed, st->lines.overlong,
	       st->lines.overwritten);
}

/* kmsg [-c] [FILE]: the records of FILE (opened as the reader opens
 * /dev/kmsg) or of the root's kernel log; -c: only the counts */
int unit_kmsg(int argc, char **argv)
{
	struct mdk_kmsg_stats st;
	bool quiet = argc > 1 && !strcmp(argv[1], "-c");
	int r;

	if (quiet) {
		argc--;
		argv++;
	}
	if (argc > 1) {
		int fd = open(argv[1], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
			return 1;
		}
		r = mdk_kmsg_read_fd(fd, print_record, quiet ? &st : NULL, &st);
		close(fd);
	} else {
		struct mdk_error e = MDK_ERROR_INIT;
		r = mdk_kmsg_read(print_record, quiet ? &st : NULL, &st, &e);
		if (r < 0) {
			fprintf(stderr, "%s\n", mdk_error_msg(&e));
			mdk_error_clear(&e);
			return 1;
		}
	}
	print_stats(&st);
	return r < 0;
}

static int print_arg(const char *name, const char *value, void *userdata)
{
	(void)userdata;
	printf("[%s]%s%s%s\n", name, value ? "=[" : "", value ? value : "", value ? "]" : "");
	return 0;
}

/* cmdline [MODULE PARAM]: the arguments of the command line on stdin, or
 * the value of MODULE.PARAM in it */
int unit_cmdline(int argc, char **argv)
{
	char *text = read_stdin(), *value;

	if (!text)
		return 1;
	if (argc == 3) {
		int found = mdk_cmdline_param(text, argv[1], argv[2], &value);
		if (!found)
			printf("not set\n");
		else
			printf("%s\n", value ? value : "(no value)");
		free(value);
	} else {
		mdk_args_foreach(text, true, print_arg, NULL);
	}
	free(text);
	return 0;
}

static void print_problems(const struct mdk_conf_problem *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("problem %s: %s\n", v[i].file, strerror(v[i].err));
}

static void print_lines(const char *what, const struct mdk_modline *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%s %s:%u %s [%s]\n", what, v[i].at.file, v[i].at.line, v[i].module,
		       v[i].args);
}

/* modprobe [MODULE PARAM]: modprobe.d under the root; or the option that
 * wins for MODULE.PARAM */
int unit_modprobe(int argc, char **argv)
{
	struct mdk_modprobe c;

	memset(&c, 0, sizeof(c));
	mdk_modprobe_load(&c);
	if (argc == 3) {
		const struct mdk_modopt *o = mdk_modprobe_option(&c, argv[1], argv[2]);
		if (o)
			printf("%s:%u %s=%s\n", o->at.file, o->at.line, o->param,
			       o->value ? o->value : "(no value)");
		else
			printf("not set\n");
	} else {
		for (size_t i = 0; i < c.n_opts; i++)
			printf("options %s:%u %s [%s]%s%s%s\n", c.opts[i].at.file, c.opts[i].at.line,
			       c.opts[i].module, c.opts[i].param, c.opts[i].value ? "=[" : "",
			       c.opts[i].value ? c.opts[i].value : "", c.opts[i].value ? "]" : "");
		print_lines("blacklist", c.blacklist, c.n_blacklist);
		print_lines("install", c.install, c.n_install);
		print_problems(c.problems, c.n_problems);
	}
	mdk_modprobe_free(&c);
	return 0;
}

/* modlists: the module lists read at boot, under the root */
int unit_modlists(int argc, char **argv)
{
	struct mdk_modlists l;

	(void)argc;
	(void)argv;
	memset(&l, 0, sizeof(l));
	mdk_modlists_load(&l);
	print_lines("module", l.v, l.n);
	print_problems(l.problems, l.n_problems);
	mdk_modlists_free(&l);
	return 0;
}

/* kmods MODULE...: the release and what the kernel has of each module */
int unit_kmods(int argc, char **argv)
{
	static const char *const states[] = { "absent", "module", "builtin" };
	struct mdk_kmods k;
	struct mdk_error e = MDK_ERROR_INIT;

	memset(&k, 0, sizeof(k));
	if (mdk_kmods_load(&k, &e) < 0) {
		fprintf(stderr, "%s\n", mdk_error_msg(&e));
		mdk_error_clear(&e);
		return 1;
	}
	printf("release %s: %zu modules, %zu built in\n", k.release, k.n_modules, k.n_builtin);
	for (int i = 1; i < argc; i++) {
		int loaded = mdk_module_loaded(argv[i], &e);
		printf("%s %s%s\n", argv[i], states[mdk_kmods_find(&k, argv[i])],
		       loaded > 0 ? " loaded" : loaded < 0 ? " (unknown)" : "");
		mdk_error_clear(&e);
	}
	print_problems(k.problems, k.n_problems);
	mdk_kmods_free(&k);
	return 0;
}
