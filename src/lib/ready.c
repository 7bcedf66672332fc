// SPDX-License-Identifier: LGPL-2.1-or-later
/* The readiness wait of a new mdev (ready.h). */
#include "libudev-dl.h"
#include "mdevkit/env.h"
#include "mdevkit/log.h"
#include "mdevkit/ready.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* udev's events wake the wait; this bounds a sleep that misses one (an
 * event of another device) and paces the check of a node under a root */
#define RECHECK_MS 250
#define FILE_POLL_MS 10

struct mdk_ready {
	unsigned timeout_sec;
	uint64_t opened_usec;           /* CLOCK_MONOTONIC, udev's clock */
	bool have_udev;                 /* else: the node alone */
	struct mdk_libudev lu;
	struct udev *udev;
	struct udev_monitor *monitor;
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static bool path_exists(char *path)
{
	bool r = access(path, F_OK) == 0;

	free(path);
	return r;
}

/* libudev's monitor of vfio and mdev events, enabled before the create so
 * that the events of the new device queue up in its socket. */
static int open_monitor(struct mdk_ready *w, struct mdk_error *e)
{
	int r = mdk_libudev_load(&w->lu, e);

	if (r < 0)
		return r;
	w->udev = w->lu.udev_new();
	if (w->udev)
		w->monitor = w->lu.udev_monitor_new_from_netlink(w->udev, "udev");
	if (!w->monitor ||
	    w->lu.udev_monitor_filter_add_match_subsystem_devtype(w->monitor, "vfio", NULL) < 0 ||
	    w->lu.udev_monitor_filter_add_match_subsystem_devtype(w->monitor, "mdev", NULL) < 0 ||
	    w->lu.udev_monitor_enable_receiving(w->monitor) < 0)
		return mdk_fail_errno(e, errno ? errno : EIO, "Unable to listen to udev's events");
	return 0;
}

static void close_monitor(struct mdk_ready *w)
{
	if (w->monitor)
		w->lu.udev_monitor_unref(w->monitor);
	if (w->udev)
		w->lu.udev_unref(w->udev);
	w->monitor = NULL;
	w->udev = NULL;
	mdk_libudev_unload(&w->lu);
	w->have_udev = false;
}

struct mdk_ready *mdk_ready_open(unsigned timeout_sec)
{
	if (timeout_sec == 0 || !path_exists(mdk_path_udev_control())) {
		mdk_debug("not waiting for udev: %s", timeout_sec ? "udev is not running" : "ready_timeout_sec is 0");
		return NULL;
	}
	struct mdk_ready *w = mdk_calloc(1, sizeof(*w));
	w->timeout_sec = timeout_sec;
	w->opened_usec = now_usec();
	if (mdk_env_is_host_root()) {
		struct mdk_error e = MDK_ERROR_INIT;
		w->have_udev = open_monitor(w, &e) == 0;
		if (!w->have_udev) {
			mdk_log_error(MDK_LOG_DEBUG, &e, "%m; waiting for the vfio node alone");
			close_monitor(w);
		}
	}
	return w;
}

void mdk_ready_free(struct mdk_ready *w)
{
	if (!w)
		return;
	close_monitor(w);
	free(w);
}

/* Has udev finished the group's node, and (new_device) after the watch
 * was opened?  An older record is that of an earlier group with the same
 * number whose removal udev has not processed yet. */
static bool udev_done(struct mdk_ready *w, const char *group, bool new_device)
{
	struct udev_device *d = w->lu.udev_device_new_from_subsystem_sysname(w->udev, "vfio", group);
	bool done = false;

	if (d && w->lu.udev_device_get_is_initialized(d) > 0) {
		uint64_t since = w->lu.udev_device_get_usec_since_initialized(d);
		done = !new_device || now_usec() - since >= w->opened_usec;
	}
	if (d)
		w->lu.udev_device_unref(d);
	return done;
}

/* NULL when ready, else what is missing (caller frees); *gone when the
 * device itself went away (its parent unregistered): no use waiting. */
static char *missing(struct mdk_ready *w, const char *uuid, bool new_device, bool *gone)
{
	struct mdk_error e = MDK_ERROR_INIT;
	char *group = NULL;
	char *what = NULL;
	int r = mdk_sysfs_iommu_group(uuid, &group, &e);

	*gone = false;
	if (r < 0) {
		what = mdk_error_oneline(&e);
		mdk_error_clear(&e);
	} else if (r == 0 && !path_exists(mdk_path_mdev(uuid))) {
		what = mdk_strdup("it was removed again (has its parent unregistered?)");
		*gone = true;
	} else if (r == 0) {
		what = mdk_strdup("it has no IOMMU group (no driver has bound it)");
	} else if (!path_exists(mdk_path_dev_vfio(group))) {
		what = mdk_asprintf("/dev/vfio/%s does not exist", group);
	} else if (w->have_udev && !udev_done(w, group, new_device)) {
		what = mdk_asprintf("udev has not finished adding /dev/vfio/%s", group);
	}
	free(group);
	return what;
}

/* Sleep until udev sends an event or ms pass. */
static void wait_event(struct mdk_ready *w, unsigned ms)
{
	if (!w->have_udev) {
		struct timespec ts = { 0, (long)(ms < FILE_POLL_MS ? ms : FILE_POLL_MS) * 1000000L };
		nanosleep(&ts, NULL);
		return;
	}
	struct pollfd p = { w->lu.udev_monitor_get_fd(w->monitor), POLLIN, 0 };
	if (poll(&p, 1, (int)(ms < RECHECK_MS ? ms : RECHECK_MS)) > 0) {
		struct udev_device *d;
		while ((d = w->lu.udev_monitor_receive_device(w->monitor)))
			w->lu.udev_device_unref(d);
	}
}

int mdk_ready_wait(struct mdk_ready *w, const char *uuid, bool new_device, struct mdk_error *e)
{
	if (!w)
		return 0;
	uint64_t deadline = now_usec() + (uint64_t)w->timeout_sec * 1000000u;
	bool gone;
	char *what;

	while ((what = missing(w, uuid, new_device, &gone))) {
		uint64_t now = now_usec();
		if (gone || now >= deadline)
			break;
		free(what);
		wait_event(w, (unsigned)((deadline - now + 999) / 1000));
	}
	if (!what)
		return 0;
	if (gone)
		mdk_fail(e, "%s is not ready: %s", uuid, what);
	else
		mdk_fail(e, "%s is not ready after %u s: %s", uuid, w->timeout_sec, what);
	free(what);
	e->code = ETIMEDOUT;
	return -ETIMEDOUT;
}
