// SPDX-License-Identifier: LGPL-2.1-or-later
/* modify: change a stored definition, or (--live) a running device. */
#include "device-internal.h"
#include "mdevkit/callout.h"
#include "mdevkit/device.h"
#include "mdevkit/names.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

/* The one definition of uuid (under parent, if given). */
static int get_defined(const char *uuid, const char *parent, char **parent_out,
		       struct mdk_config *c, struct mdk_error *e)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	int r = mdk_store_scan(parent, uuid, &defs, e);

	if (r < 0)
		return r;
	if (defs.n == 0 && parent)
		r = mdk_fail(e, "Mediated device %s/%s is not defined", parent, uuid);
	else if (defs.n == 0)
		r = mdk_fail(e, "Mediated device %s is not defined", uuid);
	else if (defs.n > 1 && parent)
		r = mdk_fail(e, "Multiple definitions found for %s/%s", parent, uuid);
	else if (defs.n > 1)
		r = mdk_fail(e, "Multiple definitions found for %s, specify a parent", uuid);
	else {
		*parent_out = mdk_strdup(defs.v[0].parent);
		mdk_config_copy(c, &defs.v[0].config);
	}
	mdk_defs_free(&defs);
	return r;
}

static char *attribute_hint(const char *uuid, const struct mdk_config *c)
{
	struct mdk_buf b = MDK_BUF_INIT;

	if (!c->n_attrs)
		return mdk_asprintf("Device %s has no attributes", uuid);
	mdk_buf_adds(&b, "  Attrs:\n");
	for (size_t i = 0; i < c->n_attrs; i++)
		mdk_buf_printf(&b, "    @{%zu}: {\"%s\":\"%s\"}\n", i, c->attrs[i].name, c->attrs[i].value);
	return mdk_buf_steal(&b);
}

static int edit_attributes(const struct mdk_modify_req *req, struct mdk_config *c,
			   struct mdk_error *e)
{
	int r;

	if (req->addattr) {
		r = mdk_name_check(MDK_NAME_ATTRIBUTE, req->addattr, e);
		if (r < 0)
			return r;
		if (!req->value)
			return mdk_fail(e, "No attribute value provided");
		if (req->has_index && req->index > c->n_attrs) {
			char *hint = attribute_hint(req->uuid, c);
			r = mdk_fail(e, "Attribute index %lu is invalid\n%s", req->index, hint);
			free(hint);
			return r;
		}
		mdk_config_insert_attr(c, req->has_index ? req->index : c->n_attrs, req->addattr,
				       req->value);
	} else if (req->delattr) {
		if (req->has_index && req->index >= c->n_attrs) {
			char *hint = attribute_hint(req->uuid, c);
			r = mdk_fail(e, "Attribute index %lu is invalid\n%s", req->index, hint);
			free(hint);
			return r;
		}
		if (c->n_attrs)
			mdk_config_delete_attr(c, req->has_index ? req->index : c->n_attrs - 1);
	}
	return 0;
}

struct save_ctx {
	const char *parent;
	const char *uuid;
	const struct mdk_config *config;
};

static int save_action(void *data, struct mdk_error *e)
{
	const struct save_ctx *s = data;

	return mdk_store_save(s->parent, s->uuid, s->config, MDK_STORE_REPLACE, e);
}

static int invoke_save(const char *uuid, const char *parent, const struct mdk_config *c,
		       bool force, struct mdk_error *e)
{
	struct save_ctx s = { parent, uuid, c };
	/* before the callouts are asked */
	int r = mdk_store_writable(parent, uuid, e);

	if (r < 0)
		return r;
	struct mdk_callout *callout = mdk_callout_new(uuid, parent, c->type, c);
	r = mdk_callout_invoke(callout, MDK_ACTION_MODIFY, force, save_action, &s, e);
	mdk_callout_free(callout);
	return r;
}

static int modify_stored(const struct mdk_modify_req *req, struct mdk_error *e)
{
	struct mdk_config c = MDK_CONFIG_INIT;
	char *parent = NULL;
	/* read-modify-write: no other mdevkit may change it in between */
	int r = mdk_store_lock(e);
	if (r < 0)
		return r;
	if (req->jsonfile) {
		if (!req->parent) {
			r = mdk_fail(e, "Parent device required to modify device via json file");
			goto out;
		}
		r = mdk_config_read_file(req->jsonfile, "Unable to read file", &c, e);
		if (r < 0)
			goto out;
		parent = mdk_strdup(req->parent);
	} else {
		r = get_defined(req->uuid, req->parent, &parent, &c, e);
		if (r < 0)
			goto out;
		if (req->type)
			mdk_config_set_type(&c, req->type);
		if (req->autostart >= 0)
			c.autostart = req->autostart;
	}
	r = mdk_device_check_names(&c, e);
	if (r < 0)
		goto out;
	r = edit_attributes(req, &c, e);
	if (r < 0)
		goto out;
	r = invoke_save(req->uuid, parent, &c, req->force, e);
out:
	mdk_store_unlock();
	free(parent);
	mdk_config_free(&c);
	return r;
}

/* --live: the running device changes through its callout; with
 * --defined its definition is rewritten from the same file. */
static int modify_live(const struct mdk_modify_req *req, struct mdk_error *e)
{
	struct mdk_mdev m = { "", NULL, NULL };
	struct mdk_config next = MDK_CONFIG_INIT, def = MDK_CONFIG_INIT;
	char *def_parent = NULL;
	int r;

	if (req->type)
		return mdk_fail(e, "'type' cannot be changed on active mdev");
	if (req->autostart == 1)
		return mdk_fail(e, "'auto' cannot be changed on active mdev");
	if (req->autostart == 0)
		return mdk_fail(e, "'manual' cannot be changed on active mdev");
	int found = mdk_sysfs_lookup(req->uuid, &m, e);
	if (found < 0)
		return found;
	if (!found || (req->parent && strcmp(req->parent, m.parent))) {
		if (req->parent)
			r = mdk_fail(e, "Mediated device %s/%s is not active", req->parent, req->uuid);
		else
			r = mdk_fail(e, "Mediated device %s is not active", req->uuid);
		goto out;
	}
	if (!req->jsonfile) {
		r = mdk_fail(e, "'live' option must be used with 'jsonfile' option");
		goto out;
	}
	r = mdk_config_read_file(req->jsonfile, "Unable to read file", &next, e);
	if (r < 0)
		goto out;
	if (strcmp(next.type, m.type)) {
		r = mdk_fail(e, "'type' cannot be changed on active mdev");
		goto out;
	}
	if (req->defined) {
		r = get_defined(req->uuid, m.parent, &def_parent, &def, e);
		if (r == 0)
			r = mdk_store_writable(m.parent, req->uuid, e);
		if (r < 0)
			goto out;
		if (strcmp(def.type, next.type)) {
			r = mdk_fail(e, "'type' of active and defined mdev does not match");
			goto out;
		}
	}
	struct mdk_callout *callout = mdk_callout_new(req->uuid, m.parent, m.type, &next);
	r = mdk_callout_live(callout, &next, e);
	mdk_callout_free(callout);
	if (r == 0 && req->defined)
		r = invoke_save(req->uuid, m.parent, &next, req->force, e);
out:
	free(def_parent);
	mdk_config_free(&def);
	mdk_config_free(&next);
	mdk_mdev_free(&m);
	return r;
}

int mdk_modify(const struct mdk_modify_req *req, struct mdk_error *e)
{
	int r;

	r = mdk_name_check_parent_type(req->parent, req->type, e);
	if (r < 0)
		return r;
	return req->live ? modify_live(req, e) : modify_stored(req, e);
}
