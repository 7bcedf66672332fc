// SPDX-License-Identifier: LGPL-2.1-or-later
/* start and stop: the sysfs side of a device. */
#include "device-internal.h"
#include "mdevkit/callout.h"
#include "mdevkit/device.h"
#include "mdevkit/names.h"
#include "mdevkit/ready.h"
#include "mdevkit/settings.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct start_ctx {
	const char *uuid;
	const char *parent;
	const struct mdk_config *config;
	bool running_ok;
	struct mdk_ready *batch;        /* the caller waits; NULL: wait here */
	enum mdk_start_outcome outcome;
};

/* 1 if uuid runs as parent/type, 0 if it does not run, -errno if it runs
 * differently or cannot be resolved (message in e). */
static int check_running(const char *uuid, const char *parent, const char *type,
			 struct mdk_error *e)
{
	struct mdk_mdev m = { "", NULL, NULL };
	int found = mdk_sysfs_lookup(uuid, &m, e);
	int r = found;

	if (found == 1) {
		if (strcmp(m.parent, parent))
			r = mdk_fail(e, "Device exists under different parent");
		else if (strcmp(m.type, type))
			r = mdk_fail(e, "Device exists with different type");
	}
	mdk_mdev_free(&m);
	return r;
}

/* A missing parent or type may still appear (driver loading); a type
 * without free instances is a capacity problem: *outcome says which. */
static int check_parent_and_type(const char *parent, const char *type,
				 enum mdk_start_outcome *outcome, struct mdk_error *e)
{
	char *suggestion;
	int r;

	*outcome = MDK_START_NOT_READY;
	r = mdk_sysfs_parent_exists(parent, &suggestion, e);
	if (r < 0)
		return r;
	if (r == 0) {
		if (suggestion) {
			r = mdk_fail(e, "Unable to find parent device '%s'. Did you mean '%s'?", parent, suggestion);
			free(suggestion);
			return r;
		}
		return mdk_fail(e, "Unable to find parent device '%s'", parent);
	}
	r = mdk_sysfs_parent_registered(parent, e);
	if (r < 0)
		return r;
	if (r == 0)
		return mdk_fail(e, "Parent %s is not currently registered for mdev support", parent);
	r = mdk_sysfs_type_exists(parent, type, e);
	if (r < 0)
		return r;
	if (r == 0)
		return mdk_fail(e, "Parent %s does not support mdev type %s", parent, type);
	long long avail;
	r = mdk_sysfs_available(parent, type, &avail, e);
	if (r < 0)
		return r;
	if (avail == 0) {
		*outcome = MDK_START_FAILED;
		return mdk_fail(e, "No available instances of %s on %s", type, parent);
	}
	return 0;
}

/* Attributes in order; the first failure removes the device again and
 * is the error reported, even if the removal fails too. */
static int write_attributes(const char *uuid, const struct mdk_config *c, struct mdk_error *e)
{
	for (size_t i = 0; i < c->n_attrs; i++) {
		const struct mdk_attr *a = &c->attrs[i];
		int r = mdk_sysfs_attr_exists(uuid, a->name, e);
		if (r > 0)
			r = mdk_sysfs_write_attr(uuid, a->name, a->value, e);
		else if (r == 0)
			r = mdk_fail(e, "Invalid attribute '%s'", a->name);
		if (r == 0)
			continue;
		struct mdk_error rb = MDK_ERROR_INIT;
		if (mdk_sysfs_remove(uuid, &rb) < 0)
			mdk_warn_error(&rb, "%m; the device is still there: remove it with "
				       "'mdevkit stop -u %s'", uuid);
		return r;
	}
	return 0;
}

/* Errors of an attribute write that waiting may change: the device or its
 * driver is busy or going away.  Anything else (EINVAL: the driver rejects
 * the value; EPERM, EACCES, EROFS; an attribute the device lacks) comes back
 * the same at every try, so it is reported at once. */
static bool attr_error_may_pass(int err)
{
	return err == EAGAIN || err == EBUSY || err == EINTR || err == ENODEV || err == ENXIO ||
	       err == ETIMEDOUT;
}

/* ready_timeout_sec from mdevkit.conf; a file mdevkit cannot use leaves
 * the default, with a warning. */
static unsigned ready_timeout(void)
{
	struct mdk_settings s = MDK_SETTINGS_INIT;
	struct mdk_error e = MDK_ERROR_INIT;

	if (mdk_settings_load(&s, &e) < 0)
		mdk_warn_error(&e, "%m; waiting at most %u s for udev", s.ready_timeout_sec);
	unsigned t = s.ready_timeout_sec;
	mdk_settings_free(&s);
	return t;
}

struct mdk_ready *mdk_device_ready_open(void)
{
	return mdk_ready_open(ready_timeout());
}

void mdk_device_ready_wait(struct mdk_ready *w, const char *uuid, bool new_device)
{
	struct mdk_error e = MDK_ERROR_INIT;

	if (mdk_ready_wait(w, uuid, new_device, &e) < 0)
		mdk_warn_error(&e, "%m; a VM may not open it yet");
}

/* After a failed create: another tool may have just created the device
 * (mdevctl's udev rule), which running_ok takes as started (0). */
static int create_failed(struct start_ctx *s, struct mdk_error *e)
{
	struct mdk_error again = MDK_ERROR_INIT;

	if (s->running_ok && e->code == EEXIST &&
	    check_running(s->uuid, s->parent, s->config->type, &again) == 1) {
		mdk_error_clear(e);
		s->outcome = MDK_START_WAS_RUNNING;
		return 0;
	}
	mdk_error_clear(&again);
	if (e->code == ENOSPC || e->code == EEXIST)
		s->outcome = MDK_START_FAILED;
	return -e->code;
}

static int start_action(void *data, struct mdk_error *e)
{
	struct start_ctx *s = data;
	const char *type = s->config->type;
	int running = check_running(s->uuid, s->parent, type, e);

	if (running < 0)
		return running;
	if (running) {
		if (s->running_ok) {
			s->outcome = MDK_START_WAS_RUNNING;
			return 0;
		}
		return mdk_fail(e, "Device already exists");
	}
	int r = check_parent_and_type(s->parent, type, &s->outcome, e);
	if (r < 0)
		return r;
	/* watched from before the create: none of its udev events is missed */
	struct mdk_ready *own = s->batch ? NULL : mdk_device_ready_open();
	r = mdk_sysfs_create(s->parent, type, s->uuid, e);
	if (r < 0)
		r = create_failed(s, e);
	else if ((r = write_attributes(s->uuid, s->config, e)) < 0) {
		if (!attr_error_may_pass(e->code))
			s->outcome = MDK_START_FAILED;
	} else {
		s->outcome = MDK_START_CREATED;
	}
	if (r == 0)
		mdk_device_ready_wait(own, s->uuid, s->outcome == MDK_START_CREATED);
	mdk_ready_free(own);
	return r;
}

int mdk_device_check_names(const struct mdk_config *c, struct mdk_error *e)
{
	int r = mdk_name_check(MDK_NAME_TYPE, c->type, e);

	for (size_t i = 0; r == 0 && i < c->n_attrs; i++)
		r = mdk_name_check(MDK_NAME_ATTRIBUTE, c->attrs[i].name, e);
	return r;
}

int mdk_device_start(const char *uuid, const char *parent, const struct mdk_config *c,
		     bool force, bool running_ok, struct mdk_ready *batch,
		     enum mdk_start_outcome *outcome, struct mdk_error *e)
{
	struct start_ctx s = { uuid, parent, c, running_ok, batch, MDK_START_FAILED };
	int r;

	*outcome = MDK_START_FAILED;
	r = mdk_device_check_names(c, e);
	if (r < 0)
		return r;
	/* a device already up needs no callouts: nothing is about to change */
	if (running_ok && check_running(uuid, parent, c->type, e) == 1) {
		*outcome = MDK_START_WAS_RUNNING;
		if (!batch) {
			struct mdk_ready *own = mdk_device_ready_open();
			mdk_device_ready_wait(own, uuid, false);
			mdk_ready_free(own);
		}
		return 0;
	}
	mdk_error_clear(e);
	struct mdk_callout *callout = mdk_callout_new(uuid, parent, c->type, c);
	r = mdk_callout_invoke(callout, MDK_ACTION_START, force, start_action, &s, e);
	mdk_callout_free(callout);
	/* a refusal by a callout never reaches the action: outcome stays FAILED */
	*outcome = s.outcome;
	return r;
}

/* Which device `start` means: a definition, or a transient device. */
static int resolve_start(const struct mdk_start_req *req, const char *uuid, char **parent,
			 struct mdk_config *c, struct mdk_error *e)
{
	int r;

	if (req->jsonfile) {
		r = mdk_config_read_file(req->jsonfile, "Unable to read jsonfile", c, e);
		if (r < 0)
			return r;
		if (!req->parent)
			return mdk_fail(e, "Parent device required to start device via json file");
		*parent = mdk_strdup(req->parent);
		return 0;
	}
	if (req->uuid) {
		struct mdk_defs defs = MDK_DEFS_INIT;
		r = mdk_store_scan(req->parent, uuid, &defs, e);
		if (r < 0)
			return r;
		if (defs.n > 1) {
			mdk_defs_free(&defs);
			return mdk_fail(e, "Multiple definitions found for device %s. Please specify a parent.",
					uuid);
		}
		if (defs.n == 1) {
			struct mdk_def *d = &defs.v[0];
			r = 0;
			if (req->type && strcmp(req->type, d->config.type))
				r = mdk_fail(e, "Device %s already exists on parent %s with type %s", uuid,
					     d->parent, d->config.type);
			else {
				*parent = mdk_strdup(d->parent);
				mdk_config_copy(c, &d->config);
			}
			mdk_defs_free(&defs);
			return r;
		}
		mdk_defs_free(&defs);
	}
	if (req->type && !req->parent)
		return mdk_fail(e, "can't provide type without parent");
	if (!req->type || !req->parent)
		return mdk_fail(e, "Device is insufficiently specified");
	*parent = mdk_strdup(req->parent);
	mdk_config_set_type(c, req->type);
	return 0;
}

int mdk_start(const struct mdk_start_req *req, mdk_uuid_str uuid_out, bool *generated,
	      struct mdk_error *e)
{
	struct mdk_config c = MDK_CONFIG_INIT;
	char *parent = NULL;
	enum mdk_start_outcome outcome;
	int r = mdk_name_check_parent_type(req->parent, req->type, e);

	if (r < 0)
		return r;
	*generated = mdk_uuid_given_or_new(req->uuid, uuid_out);
	r = resolve_start(req, uuid_out, &parent, &c, e);
	if (r == 0)
		r = mdk_device_start(uuid_out, parent, &c, req->force, req->running_ok, NULL, &outcome, e);
	free(parent);
	mdk_config_free(&c);
	return r;
}

static int stop_action(void *data, struct mdk_error *e)
{
	return mdk_sysfs_remove(data, e);
}

int mdk_stop(const char *uuid, bool force, bool not_running_ok, struct mdk_error *e)
{
	struct mdk_mdev m = { "", NULL, NULL };
	int found = mdk_sysfs_lookup(uuid, &m, e);

	if (found < 0)
		return found;
	if (!found && not_running_ok)
		return 0;
	if (!found)
		return mdk_fail(e, "Device %s is not running; 'mdevkit list' shows the running devices",
				uuid);
	/* the callouts see the device as sysfs has it: manual, no attributes */
	struct mdk_config c = MDK_CONFIG_INIT;
	mdk_config_set_type(&c, m.type);
	struct mdk_callout *callout = mdk_callout_new(uuid, m.parent, m.type, &c);
	int r = mdk_callout_invoke(callout, MDK_ACTION_STOP, force, stop_action, (void *)uuid, e);
	mdk_callout_free(callout);
	mdk_config_free(&c);
	mdk_mdev_free(&m);
	return r;
}
