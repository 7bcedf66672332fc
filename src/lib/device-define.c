// SPDX-License-Identifier: LGPL-2.1-or-later
/* define and undefine: the store side of a device. */
#include "device-internal.h"
#include "mdevkit/callout.h"
#include "mdevkit/device.h"
#include "mdevkit/names.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <errno.h>

struct define_ctx {
	const char *parent;
	const char *uuid;
	struct mdk_config *config;
	struct mdk_callout *callout;
	bool promote;           /* defining a running device: ask for its attributes */
};

static int define_action(void *data, struct mdk_error *e)
{
	struct define_ctx *d = data;
	int r;

	if (d->promote) {
		struct mdk_attr *attrs;
		size_t n;
		r = mdk_callout_get_attributes(d->callout, &attrs, &n, e);
		if (r < 0)
			return r;
		mdk_config_append_attrs(d->config, attrs, n);
		mdk_attrs_free(attrs, n);
	}
	r = mdk_store_save(d->parent, d->uuid, d->config, MDK_STORE_CREATE, e);
	if (r == -EEXIST)
		return mdk_fail(e, "Device %s on %s already defined", d->uuid, d->parent);
	return r;
}

/* The definition from --jsonfile: parent required, nothing may exist. */
static int define_from_file(const struct mdk_define_req *req, const char *uuid,
			    struct mdk_config *c, struct mdk_error *e)
{
	int r;

	if (!req->parent)
		return mdk_fail(e, "Parent device required to define device via \"%s\"", req->jsonfile);
	r = mdk_store_writable(req->parent, uuid, e);
	if (r < 0)
		return r;
	r = mdk_store_exists(req->parent, uuid, e);
	if (r < 0)
		return r;
	if (r)
		return mdk_fail(e, "Cowardly refusing to overwrite existing config for %s/%s",
				req->parent, uuid);
	r = mdk_config_read_file(req->jsonfile, "Unable to read file", c, e);
	if (r < 0)
		return r;
	return mdk_device_check_names(c, e);
}

int mdk_define(const struct mdk_define_req *req, mdk_uuid_str uuid_out, bool *generated,
	       struct mdk_error *e)
{
	struct mdk_config c = MDK_CONFIG_INIT;
	struct mdk_mdev active = { "", NULL, NULL };
	struct define_ctx d = { NULL, NULL, &c, NULL, false };
	int r = mdk_name_check_parent_type(req->parent, req->type, e);

	if (r < 0)
		return r;
	*generated = mdk_uuid_given_or_new(req->uuid, uuid_out);
	d.uuid = uuid_out;

	if (req->jsonfile) {
		r = define_from_file(req, uuid_out, &c, e);
		if (r < 0)
			goto out;
		d.parent = req->parent;
	} else {
		int found = req->uuid ? mdk_sysfs_lookup(uuid_out, &active, e) : 0;
		if (found < 0) {
			r = found;
			goto out;
		}
		if (!req->parent && (!found || req->type)) {
			r = mdk_fail(e, "No parent specified");
			goto out;
		}
		d.parent = req->parent ? req->parent : active.parent;
		mdk_config_set_type(&c, req->type ? req->type : active.type);
		if (!c.type) {
			r = mdk_fail(e, "No type specified");
			goto out;
		}
		r = mdk_store_writable(d.parent, uuid_out, e);
		if (r < 0)
			goto out;
		r = mdk_store_exists(d.parent, uuid_out, e);
		if (r < 0)
			goto out;
		if (r) {
			r = mdk_fail(e, "Device %s on %s already defined", uuid_out, d.parent);
			goto out;
		}
		c.autostart = req->autostart;
		d.promote = found;
	}
	d.callout = mdk_callout_new(uuid_out, d.parent, c.type, &c);
	r = mdk_callout_invoke(d.callout, MDK_ACTION_DEFINE, req->force, define_action, &d, e);
out:
	mdk_callout_free(d.callout);
	mdk_mdev_free(&active);
	mdk_config_free(&c);
	return r;
}

static int undefine_action(void *data, struct mdk_error *e)
{
	const struct mdk_def *def = data;

	return mdk_store_remove(def->path, e);
}

int mdk_undefine(const char *uuid, const char *parent, bool force, struct mdk_error *e)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	bool failed = false;
	/* the scan checks the parent's name */
	int r = mdk_store_scan(parent, uuid, &defs, e);

	if (r < 0)
		return r;
	if (defs.n == 0) {
		mdk_defs_free(&defs);
		return mdk_fail(e, "No devices match the specified uuid");
	}
	/* all or nothing: none goes when one is managed elsewhere */
	for (size_t i = 0; i < defs.n; i++) {
		r = mdk_store_writable(defs.v[i].parent, defs.v[i].uuid, e);
		if (r < 0) {
			mdk_defs_free(&defs);
			return r;
		}
	}
	for (size_t i = 0; i < defs.n; i++) {
		struct mdk_def *def = &defs.v[i];
		struct mdk_error err = MDK_ERROR_INIT;
		struct mdk_callout *c = mdk_callout_new(def->uuid, def->parent, def->config.type,
							&def->config);

		if (mdk_callout_invoke(c, MDK_ACTION_UNDEFINE, force, undefine_action, def, &err) < 0) {
			mdk_warn_error(&err, "Undefine of %s on parent %s failed with error: %m",
				       def->uuid, def->parent);
			failed = true;
		}
		mdk_callout_free(c);
	}
	mdk_defs_free(&defs);
	return failed ? mdk_fail(e, "Undefine failed") : 0;
}
