// SPDX-License-Identifier: LGPL-2.1-or-later
/* The guest configuration of one mdev, from the store, sysfs and the
 * GVT-g model: which device, whether it has a display, at what
 * resolution, on which render node. */
#include "mdevkit/vmconfig.h"

#include "mdevkit/env.h"
#include "mdevkit/gvt.h"
#include "mdevkit/log.h"
#include "mdevkit/names.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void mdk_vmconfig_free(struct mdk_vmconfig *vm)
{
	free(vm->parent);
	free(vm->type);
	free(vm->model);
	free(vm->rom);
	free(vm->rendernode);
	free(vm->sysfsdev);
	free(vm->alias);
	memset(vm, 0, sizeof(*vm));
}

/* parent and type: the running device's, else its one definition's */
static int find_device(const char *uuid, struct mdk_vmconfig *vm, struct mdk_error *e)
{
	struct mdk_mdev m;
	int r = mdk_sysfs_lookup(uuid, &m, e);

	if (r < 0)
		return r;
	if (r > 0) {
		vm->parent = m.parent;
		vm->type = m.type;
		return 0;
	}
	struct mdk_defs defs = MDK_DEFS_INIT;
	r = mdk_store_scan(NULL, uuid, &defs, e);
	if (r < 0)
		return r;
	if (defs.n == 0)
		r = mdk_fail(e, "mdev %s is neither defined nor running; check the UUID with "
				"mdevkit list --defined, or define the device first", uuid);
	else if (defs.n > 1)
		r = mdk_fail(e, "mdev %s is defined on %zu parents (%s, %s%s) and not running; "
				"start it on the parent the guest uses first", uuid, defs.n,
			     defs.v[0].parent, defs.v[1].parent, defs.n > 2 ? ", ..." : "");
	else if (!defs.v[0].config.type)
		r = mdk_fail(e, "the definition %s has no mdev_type", defs.v[0].path);
	else {
		vm->parent = mdk_strdup(defs.v[0].parent);
		vm->type = mdk_strdup(defs.v[0].config.type);
	}
	mdk_defs_free(&defs);
	return r;
}

/* One line of a type's file, or NULL when the type's directory is not
 * there (parent not registered); a file that cannot be read is an error. */
static int type_file(const struct mdk_vmconfig *vm, const char *file, char **text,
		     struct mdk_error *e)
{
	*text = NULL;
	int r = mdk_sysfs_type_exists(vm->parent, vm->type, e);
	if (r <= 0)
		return r;
	return mdk_sysfs_read_type_attr(vm->parent, vm->type, file, text, e);
}

static int find_model(struct mdk_vmconfig *vm, struct mdk_error *e)
{
	static const char *const models[] = { "vfio-pci", "vfio-ccw", "vfio-ap" };
	char *api;
	int r = type_file(vm, "device_api", &api, e);

	if (r < 0)
		return r;
	if (!api) {
		if (!vm->gvt)
			mdk_warn("%s is not registered on %s: taking its device API to be vfio-pci",
				 vm->type, vm->parent);
		vm->model = mdk_strdup("vfio-pci");
		return 0;
	}
	mdk_strstrip(api);
	for (size_t i = 0; i < MDK_ARRAY_SIZE(models); i++)
		if (!strcmp(api, models[i])) {
			vm->model = api;
			return 0;
		}
	char *shown = mdk_str_excerpt(api, 32);
	r = mdk_fail(e, "%s on %s has device_api \"%s\", which libvirt and QEMU cannot give a "
			"guest (they know vfio-pci, vfio-ccw, vfio-ap)", vm->type, vm->parent, shown);
	free(shown);
	free(api);
	return r;
}

/* The type's resolution: its description's (the kernel's EDID), else the
 * kernel's table when the parent is not registered. */
static int find_resolution(struct mdk_vmconfig *vm, struct mdk_error *e)
{
	unsigned version;
	size_t index;
	char *text;
	int r = type_file(vm, "description", &text, e);

	if (r < 0)
		return r;
	const char *res = NULL;
	struct mdk_gvt_desc d;
	if (text) {
		r = mdk_gvt_parse_description(text, &d, e);
		free(text);
		if (r < 0)
			return mdk_wrap(e, "cannot read the resolution of %s on %s", vm->type, vm->parent);
		res = d.resolution;
	} else if (mdk_gvt_parse_name(vm->type, &version, &index) == 0) {
		res = mdk_gvt_table[index].resolution;
	}
	if (!res || mdk_vm_parse_res(res, &vm->max_w, &vm->max_h) < 0)
		return mdk_fail(e, "%s on %s has no resolution (\"%s\") in its description",
				vm->type, vm->parent, res ? res : "");
	vm->w = vm->max_w;
	vm->h = vm->max_h;
	return 0;
}

static int set_resolution(struct mdk_vmconfig *vm, const char *res, struct mdk_error *e)
{
	unsigned w, h;
	char *shown = mdk_str_excerpt(res, 32);
	int r = 0;

	if (!vm->display)
		r = mdk_fail(e, "--res %s: %s", shown, vm->gvt ? "a --headless vGPU has no display"
				: "only a GVT-g vGPU has a display whose resolution can be set");
	else if (mdk_vm_parse_res(res, &w, &h) < 0)
		r = mdk_fail(e, "--res \"%s\" is not WIDTHxHEIGHT (e.g. 1280x1024)", shown);
	else if (w > vm->max_w || h > vm->max_h)
		r = mdk_fail(e, "--res %ux%u is beyond what %s shows (at most %ux%u); give at most "
				"%ux%u, or pick a type with a larger resolution", w, h, vm->type,
			     vm->max_w, vm->max_h, vm->max_w, vm->max_h);
	else {
		vm->w = w;
		vm->h = h;
	}
	free(shown);
	return r;
}

/* an absolute path without control characters */
static int check_path(const char *opt, const char *path, struct mdk_error *e)
{
	char *shown = mdk_str_excerpt(path, 64);
	int r = 0;

	if (path[0] != '/')
		r = mdk_fail(e, "%s \"%s\": give an absolute path (QEMU does not run in this "
				"directory)", opt, shown);
	else
		for (const char *p = path; *p && r == 0; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				r = mdk_fail(e, "%s \"%s\": the path has a control character", opt, shown);
	free(shown);
	return r;
}

/* the parent's render node, when the parent is a PCI device */
static int find_rendernode(struct mdk_vmconfig *vm, const char *given, struct mdk_error *e)
{
	if (given) {
		int r = check_path("--rendernode", given, e);
		if (r == 0)
			vm->rendernode = mdk_strdup(given);
		return r;
	}
	/* a PCI address: dddd:bb:dd.f */
	const char *p = vm->parent;
	if (strlen(p) != 12 || p[4] != ':' || p[7] != ':' || p[10] != '.' ||
	    strspn(p, "0123456789abcdef:.") != 12)
		return mdk_fail(e, "%s is not a PCI address, so its render node is unknown; "
				"give --rendernode", vm->parent);
	vm->rendernode = mdk_host_path_render_node(p);
	char *rooted = mdk_path_render_node(p);
	if (access(rooted, F_OK) < 0)
		mdk_warn("%s does not exist (is i915 loaded?): the guest's display needs it, "
			 "or give --rendernode", vm->rendernode);
	free(rooted);
	return 0;
}

int mdk_vmconfig_build(const struct mdk_vm_request *req, struct mdk_vmconfig *out,
		       struct mdk_error *e)
{
	struct mdk_vmconfig vm;
	unsigned version;
	size_t index;

	memset(&vm, 0, sizeof(vm));
	snprintf(vm.uuid, sizeof(vm.uuid), "%s", req->uuid);
	vm.graphics = req->graphics;
	int r = find_device(vm.uuid, &vm, e);
	if (r == 0)
		r = mdk_name_check_parent_type(vm.parent, vm.type, e);
	if (r == 0) {
		vm.gvt = mdk_gvt_parse_name(vm.type, &version, &index) == 0;
		vm.display = vm.gvt && !req->headless;
		r = find_model(&vm, e);
	}
	if (r == 0 && vm.gvt)
		r = find_resolution(&vm, e);
	if (r == 0 && req->res)
		r = set_resolution(&vm, req->res, e);
	if (r == 0 && req->rom) {
		r = check_path("--rom", req->rom, e);
		vm.rom = r == 0 ? mdk_strdup(req->rom) : NULL;
	}
	if (r == 0 && req->rendernode && !vm.display)
		r = mdk_fail(e, "--rendernode: %s", vm.gvt ? "a --headless vGPU has no display"
			     : "only a GVT-g vGPU has a display");
	if (r == 0 && vm.display)
		r = find_rendernode(&vm, req->rendernode, e);
	if (r < 0) {
		mdk_vmconfig_free(&vm);
		return r;
	}
	vm.sysfsdev = mdk_host_path_mdev(vm.uuid);
	vm.alias = mdk_asprintf("ua-mdev-%s", vm.uuid);
	*out = vm;
	return 0;
}
