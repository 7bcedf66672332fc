/* mdevkit-simfs: a FUSE stand-in for the kernel's mdev sysfs (Intel
 * GVT-g, mtty and a generic vendor parent) so mdevkit and mdevctl can be
 * tested without the hardware.  This file only dispatches the CLI. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "fs.h"
#include "mounts.h"
#include "scenario.h"
#include "util.h"

#ifndef MDEVKIT_VERSION
#define MDEVKIT_VERSION "unknown"
#endif

static const char usage[] =
	"Usage:\n"
	"  mdevkit-simfs mount ROOT [--scenario FILE] [--foreground] [--log FILE]\n"
	"  mdevkit-simfs umount ROOT [--lazy]\n"
	"  mdevkit-simfs ctl ROOT register|unregister PARENT\n"
	"  mdevkit-simfs ctl ROOT busy UUID [on|off]\n"
	"  mdevkit-simfs ctl ROOT fail-next-create PARENT ERRNO|none\n"
	"  mdevkit-simfs ctl ROOT override PATH /FILE|ERRNO|none\n"
	"  mdevkit-simfs ctl ROOT clear-events\n"
	"  mdevkit-simfs check-scenario FILE\n"
	"  mdevkit-simfs --help | --version\n"
	"\n"
	"Mounts a simulated mdev sysfs at ROOT/sys (created if missing) and returns\n"
	"once it answers.  Without --scenario the host is one Skylake GVT-g parent\n"
	"0000:00:02.0 (1024 MiB aperture, 4096 MiB GGTT, kernel profile 6.1).\n"
	"Events the kernel would send are in ROOT/sys/kernel/mdevkit-simfs/events.\n"
	"See tests/simfs/README.md and mdevkit-simfs(1).\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mdevkit-simfs: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; see mdevkit-simfs --help\n", stderr);
	return 2;
}

static int load(const char *scenario, struct sim_host *h)
{
	char *err = NULL;
	int r = scenario ? scenario_load(scenario, h, &err)
			 : scenario_parse(scenario_default, strlen(scenario_default),
					  "(built-in scenario)", h, &err);
	if (r < 0) {
		fprintf(stderr, "mdevkit-simfs: %s\n", err);
		free(err);
	}
	return r;
}

static int cmd_mount(int argc, char **argv)
{
	const char *root = NULL, *scenario = NULL, *log = NULL;
	bool fg = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--foreground") == 0 || strcmp(argv[i], "-f") == 0)
			fg = true;
		else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc)
			scenario = argv[++i];
		else if (strcmp(argv[i], "--log") == 0 && i + 1 < argc)
			log = argv[++i];
		else if (argv[i][0] == '-')
			return usage_error("mount: unknown or incomplete option '%s'", argv[i]);
		else if (!root)
			root = argv[i];
		else
			return usage_error("mount: unexpected argument '%s'", argv[i]);
	}
	if (!root)
		return usage_error("mount: ROOT missing");

	struct sim_host h = { 0 };
	if (load(scenario, &h) < 0)
		return 1;
	int status = 1, log_fd = -1;
	char real[PATH_MAX];
	char *mp = NULL, *fstype = NULL, *source = NULL;
	if (!realpath(root, real)) {
		fprintf(stderr, "mdevkit-simfs: %s: %s; create the root directory first\n", root,
			strerror(errno));
		goto out;
	}
	mp = xasprintf("%s/sys", strcmp(real, "/") == 0 ? "" : real);
	if (strcmp(mp, "/sys") == 0) {
		fprintf(stderr, "mdevkit-simfs: refusing to mount over the real /sys; "
			"pass a scratch root\n");
		goto out;
	}
	if (mount_find(mp, &fstype, &source)) {
		fprintf(stderr, "mdevkit-simfs: %s is already mounted (%s); unmount it first with "
			"'mdevkit-simfs umount %s'\n", mp, fstype, root);
		goto out;
	}
	if (mkdir(mp, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "mdevkit-simfs: cannot create %s: %s; check the root\n", mp,
			strerror(errno));
		goto out;
	}
	if (log && (log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		fprintf(stderr, "mdevkit-simfs: cannot open log %s: %s; check the path\n", log,
			strerror(errno));
		goto out;
	}
	struct fs_options o = { .mountpoint = mp, .foreground = fg, .log_fd = log_fd };
	status = fs_run(&h, &o);
out:
	if (log_fd >= 0)
		close(log_fd);
	host_free(&h);
	free(fstype);
	free(source);
	free(mp);
	return status;
}

static int cmd_umount(int argc, char **argv)
{
	const char *root = NULL;
	bool lazy = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--lazy") == 0)
			lazy = true;
		else if (argv[i][0] == '-')
			return usage_error("umount: unknown option '%s'", argv[i]);
		else if (!root)
			root = argv[i];
		else
			return usage_error("umount: unexpected argument '%s'", argv[i]);
	}
	if (!root)
		return usage_error("umount: ROOT missing");
	return umount_root(root, lazy);
}

static int cmd_check(int argc, char **argv)
{
	if (argc != 1)
		return usage_error("check-scenario takes exactly one FILE");
	struct sim_host h = { 0 };
	if (load(argv[0], &h) < 0)
		return 1;
	host_free(&h);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("mdevkit-simfs %s\n", MDEVKIT_VERSION);
		return 0;
	}
	if (strcmp(cmd, "mount") == 0)
		return cmd_mount(argc - 2, argv + 2);
	if (strcmp(cmd, "umount") == 0 || strcmp(cmd, "unmount") == 0)
		return cmd_umount(argc - 2, argv + 2);
	if (strcmp(cmd, "ctl") == 0) {
		if (argc < 3)
			return usage_error("ctl: ROOT missing");
		return ctl_client(argv[2], argc - 3, argv + 3);
	}
	if (strcmp(cmd, "check-scenario") == 0)
		return cmd_check(argc - 2, argv + 2);
	return usage_error("unknown command '%s'", cmd);
}
