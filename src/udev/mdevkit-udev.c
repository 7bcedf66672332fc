// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevkit-udev: udev's IMPORT{program} helper for mdev parents.
 *
 * Reads the event's device from udev's environment (DEVPATH), or from a
 * syspath given by hand, and for an mdev parent prints KEY=VALUE lines:
 *
 *   MDEVKIT_PARENT=1
 *   MDEVKIT_AUTOSTART=<number of "auto" definitions>
 *   MDEVKIT_UNIT=mdevkit-parent@<escaped parent>.service
 *   MDEVKIT_GVT=1, MDEVKIT_GVT_APERTURE_MB=<A>, MDEVKIT_GVT_FITS=1|0
 *                                      (Intel GVT-g parents)
 *
 * Anything else (not a parent, a parent that vanished) prints nothing and
 * exits 0, as udev's own *_id helpers do.  Read-only, fast, logs to syslog.
 */
#include "unit-name.h"

#include "mdevkit/check.h"
#include "mdevkit/env.h"
#include "mdevkit/error.h"
#include "mdevkit/log.h"
#include "mdevkit/sysfs.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf("Usage: mdevkit-udev [OPTIONS] [SYSPATH]\n\n"
	       "udev helper (IMPORT{program}): print MDEVKIT_* properties of an mdev\n"
	       "parent.  Without SYSPATH the device is the one in udev's environment\n"
	       "(DEVPATH).  Prints nothing for devices that are not mdev parents.\n\n"
	       "Options:\n"
	       "  -d, --debug     Log to stderr instead of syslog, with debug messages\n"
	       "  -h, --help      Print help\n"
	       "  -V, --version   Print version\n\n"
	       "See mdevkit-units(7).\n");
}

/* The device's directory under the root: "/sys/..." or "/devices/...". */
static char *device_dir(const char *arg)
{
	const char *devpath = arg ? arg : getenv("DEVPATH");

	if (!devpath || !*devpath)
		return NULL;
	return mdk_path_from_devpath(devpath);
}

static void report(const char *parent)
{
	struct mdk_check_summary s;
	struct mdk_error e = MDK_ERROR_INIT;

	if (mdk_check_summary(parent, &s, &e) < 0) {
		mdk_log_error(MDK_LOG_WARNING, &e, "%s: %m", parent);
		return;
	}
	char *unit = parent_unit_name(parent);
	printf("MDEVKIT_PARENT=1\nMDEVKIT_AUTOSTART=%zu\nMDEVKIT_UNIT=%s\n", s.n_auto, unit);
	if (s.gvt)
		printf("MDEVKIT_GVT=1\nMDEVKIT_GVT_APERTURE_MB=%llu\nMDEVKIT_GVT_FITS=%d\n",
		       s.aperture_mib, s.fits ? 1 : 0);
	if (!s.fits)
		mdk_log(MDK_LOG_WARNING, "The auto definitions of %s do not fit the hardware; "
			"'mdevkit check -p %s' says why", parent, parent);
	mdk_debug("%s: %zu auto definition(s)%s", parent, s.n_auto, s.gvt ? ", GVT-g" : "");
	free(unit);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool debug = false;
	int c;

	while ((c = getopt_long(argc, argv, "dhV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			debug = true;
			break;
		case 'h':
			usage();
			return 0;
		case 'V':
			printf("mdevkit-udev %s\n", MDEVKIT_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'mdevkit-udev --help'.\n");
			return 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "mdevkit-udev: give at most one SYSPATH; try 'mdevkit-udev --help'.\n");
		return 2;
	}
	if (debug)
		setenv("MDEVKIT_LOG_LEVEL", "debug", 1);
	/* udev discards our stderr: the journal hears us through syslog */
	mdk_log_open("mdevkit-udev", debug ? MDK_LOG_STDERR : MDK_LOG_SYSLOG);

	char *dir = device_dir(optind < argc ? argv[optind] : NULL);
	char *parent = NULL;
	int r = dir ? mdk_sysfs_parent_at(dir, &parent) : 0;
	if (r > 0)
		report(parent);
	else if (r < 0)
		mdk_log(MDK_LOG_WARNING, "%s: %s", dir, strerror(-r));
	else
		mdk_debug("%s is not an mdev parent", dir ? dir : "(no DEVPATH)");
	fflush(stdout);
	free(parent);
	free(dir);
	mdk_env_reset();
	mdk_log_close();
	return 0;
}
