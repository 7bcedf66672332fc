// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevkit-udev: udev's IMPORT{program} helper for mdev parents and the
 * vfio group nodes of defined mdevs.
 *
 * Reads the event's device through libudev, from udev's environment or a
 * syspath given by hand, and prints KEY=VALUE lines.  For an mdev parent:
 *
 *   MDEVKIT_PARENT=1
 *   MDEVKIT_AUTOSTART=<number of "auto" definitions>
 *   MDEVKIT_UNIT=mdevkit-parent@<escaped parent>.service
 *   MDEVKIT_GVT=1, MDEVKIT_GVT_APERTURE_MB=<A>, MDEVKIT_GVT_FITS=1|0
 *                                      (Intel GVT-g parents)
 *
 * For the vfio group node (/dev/vfio/<group>) of an mdev that has a
 * definition:
 *
 *   MDEVKIT_MDEV=<uuid>
 *   MDEVKIT_VFIO_GROUP=<vfio_group>, MDEVKIT_VFIO_MODE=<vfio_mode>
 *                                      (when set in mdevkit.conf)
 *
 * Anything else (not a parent, a parent that vanished) prints nothing and
 * exits 0, as udev's own *_id helpers do.  Read-only, fast, logs to syslog.
 */
#include "unit-name.h"

#include "mdevkit/check.h"
#include "mdevkit/env.h"
#include "mdevkit/error.h"
#include "mdevkit/log.h"
#include "mdevkit/settings.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <getopt.h>
#include <libudev.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* an IOMMU group's number, as the kernel names the vfio group node */
#define GROUP_NAME_MAX 10

static void usage(void)
{
	printf("Usage: mdevkit-udev [OPTIONS] [SYSPATH]\n\n"
	       "udev helper (IMPORT{program}): print MDEVKIT_* properties of an mdev\n"
	       "parent, or of the vfio group node of an mdev that has a definition.\n"
	       "Without SYSPATH the device is the one in udev's environment (DEVPATH).\n"
	       "Prints nothing for other devices.\n\n"
	       "Options:\n"
	       "  -d, --debug     Log to stderr instead of syslog, with debug messages\n"
	       "  -h, --help      Print help\n"
	       "  -V, --version   Print version\n\n"
	       "See mdevkit-units(7).\n");
}

/* The event's device as far as the helper needs it. */
struct event_device {
	char *dir;              /* its sysfs directory, under the root */
	char *subsystem;        /* NULL when it has none */
	char *sysname;
};

static void event_device_free(struct event_device *d)
{
	free(d->dir);
	free(d->subsystem);
	free(d->sysname);
}

static char *dup_or_null(const char *s)
{
	return s ? mdk_strdup(s) : NULL;
}

/* Through libudev: the event udev passes in the environment, else the
 * syspath.  1 when libudev knows the device, else 0. */
static int device_from_udev(const char *devpath, bool from_env, struct event_device *out)
{
	struct udev *udev = udev_new();
	struct udev_device *dev = NULL;

	if (!udev)
		return 0;
	/* (udevadm test passes no SEQNUM, which libudev wants of an event) */
	if (from_env)
		dev = udev_device_new_from_environment(udev);
	if (!dev) {
		char *syspath = mdk_path_from_devpath(devpath);
		dev = udev_device_new_from_syspath(udev, syspath);
		free(syspath);
	}
	if (dev) {
		out->dir = mdk_strdup(udev_device_get_syspath(dev));
		out->subsystem = dup_or_null(udev_device_get_subsystem(dev));
		out->sysname = mdk_strdup(udev_device_get_sysname(dev));
		udev_device_unref(dev);
	}
	udev_unref(udev);
	return dev ? 1 : 0;
}

/* Without libudev: the directory under the root, read through env.h. */
static void device_from_dir(const char *devpath, struct event_device *out)
{
	out->dir = mdk_path_from_devpath(devpath);
	char *link = mdk_asprintf("%s/subsystem", out->dir);
	char *target = realpath(link, NULL);
	const char *slash = strrchr(out->dir, '/');

	out->sysname = mdk_strdup(slash ? slash + 1 : out->dir);
	if (target)
		out->subsystem = mdk_strdup(strrchr(target, '/') + 1);
	free(target);
	free(link);
}

/* Under the host's root libudev reads the device.  It reads the real /sys,
 * so under a root prefix (tests), or where it cannot make the device (a
 * /sys that is no sysfs, as under `udevadm test` over a fixture), the
 * helper reads the directory itself.  0 when there is no device at all. */
static int event_device(const char *arg, struct event_device *out)
{
	const char *devpath = arg ? arg : getenv("DEVPATH");

	memset(out, 0, sizeof(*out));
	if (!devpath || !*devpath)
		return 0;
	if (!mdk_env_is_host_root() || !device_from_udev(devpath, !arg, out))
		device_from_dir(devpath, out);
	return 1;
}

static void report_parent(const char *parent)
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

static void check_parent(const struct event_device *d)
{
	char *parent = NULL;
	int r = mdk_sysfs_parent_at(d->dir, &parent);

	if (r > 0)
		report_parent(parent);
	else if (r < 0)
		mdk_log(MDK_LOG_WARNING, "%s: %s", d->dir, strerror(-r));
	else
		mdk_debug("%s is not an mdev parent", d->dir);
	free(parent);
}

static bool is_group_name(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= GROUP_NAME_MAX && s[n] == '\0';
}

/* Is there a definition of this running device?  Bad files are skipped
 * (the scan warns about them). */
static bool is_defined(const struct mdk_mdev *m)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	struct mdk_error e = MDK_ERROR_INIT;
	bool r = false;

	if (mdk_store_scan(m->parent, m->uuid, &defs, &e) < 0)
		mdk_log_error(MDK_LOG_WARNING, &e, "%m");
	else
		r = defs.n > 0;
	mdk_defs_free(&defs);
	return r;
}

/* The vfio group node of an mdev with a definition gets vfio_group and
 * vfio_mode; every other group is left to the other rules. */
static void report_vfio_group(const char *group)
{
	struct mdk_mdev m = { "", NULL, NULL };
	struct mdk_error e = MDK_ERROR_INIT;
	int r = mdk_sysfs_group_mdev(group, &m, &e);

	if (r < 0)
		mdk_log_error(MDK_LOG_WARNING, &e, "vfio group %s: %m", group);
	else if (r == 0)
		mdk_debug("vfio group %s holds no mdev", group);
	else if (!is_defined(&m))
		mdk_debug("vfio group %s: %s has no definition", group, m.uuid);
	else {
		struct mdk_settings s = MDK_SETTINGS_INIT;
		if (mdk_settings_load(&s, &e) < 0) {
			mdk_log_error(MDK_LOG_WARNING, &e, "%m; /dev/vfio/%s keeps udev's defaults", group);
		} else {
			printf("MDEVKIT_MDEV=%s\n", m.uuid);
			if (s.vfio_group)
				printf("MDEVKIT_VFIO_GROUP=%s\n", s.vfio_group);
			if (s.vfio_mode)
				printf("MDEVKIT_VFIO_MODE=%04o\n", s.vfio_mode);
		}
		mdk_settings_free(&s);
	}
	mdk_mdev_free(&m);
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

	struct event_device d;
	if (!event_device(optind < argc ? argv[optind] : NULL, &d))
		mdk_debug("(no DEVPATH) is not an mdev parent");
	else if (d.subsystem && !strcmp(d.subsystem, "vfio") && is_group_name(d.sysname))
		report_vfio_group(d.sysname);
	else
		check_parent(&d);
	fflush(stdout);
	event_device_free(&d);
	mdk_env_reset();
	mdk_log_close();
	return 0;
}
