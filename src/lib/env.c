// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/env.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

/* Build-time paths: make passes -DMDK_<NAME> from its variables of the
 * same name (Makefile, PATHS_c); these defaults are make's own, for builds
 * that compile this file without them (fuzz targets). */
#ifndef MDK_STOREDIR
#define MDK_STOREDIR "/etc/mdevctl.d"
#endif
#ifndef MDK_CONFDIR
#define MDK_CONFDIR "/etc/mdevkit"
#endif
#ifndef MDK_MDEVCTL_LIBDIR
#define MDK_MDEVCTL_LIBDIR "/usr/lib/mdevctl"
#endif
#ifndef MDK_LIBEXECDIR
#define MDK_LIBEXECDIR "/usr/libexec/mdevkit"
#endif

static char *root;

/* The root prefix without a trailing slash ("" for "/"). */
static const char *mdk_env_root(void)
{
	if (!root) {
		const char *e = getenv("MDEVCTL_ENV_ROOT");
		size_t n = e ? strlen(e) : 0;
		while (n && e[n - 1] == '/')
			n--;
		root = n ? mdk_strndup(e, n) : mdk_strdup("");
	}
	return root;
}

void mdk_env_reset(void)
{
	free(root);
	root = NULL;
}

static char *rooted(const char *abs)
{
	return mdk_asprintf("%s%s", mdk_env_root(), abs);
}

char *mdk_path_store(void)
{
	return rooted(MDK_STOREDIR);
}

char *mdk_path_store_parent(const char *parent)
{
	return mdk_asprintf("%s" MDK_STOREDIR "/%s", mdk_env_root(), parent);
}

char *mdk_path_definition(const char *parent, const char *uuid)
{
	return mdk_asprintf("%s" MDK_STOREDIR "/%s/%s", mdk_env_root(), parent, uuid);
}

char *mdk_path_definition_temp(const char *uuid)
{
	return mdk_asprintf("%s" MDK_STOREDIR "/.%s.mdevkit-tmp", mdk_env_root(), uuid);
}

char *mdk_path_gvt_conf(void)
{
	return rooted(MDK_CONFDIR "/gvt.conf");
}

char *mdk_path_mdevkit_conf(void)
{
	return rooted(MDK_CONFDIR "/mdevkit.conf");
}

char *mdk_path_script_dir(enum mdk_script_kind kind, size_t i)
{
	static const char *const base[MDK_SCRIPT_DIRS] = {
		MDK_MDEVCTL_LIBDIR "/scripts.d",
		MDK_STOREDIR "/scripts.d",
	};
	const char *sub = kind == MDK_SCRIPTS_CALLOUTS ? "callouts" : "notifiers";

	return mdk_asprintf("%s%s/%s", mdk_env_root(), base[i < MDK_SCRIPT_DIRS ? i : 0], sub);
}

char *mdk_path_libexec(const char *program)
{
	return mdk_asprintf("%s/%s", MDK_LIBEXECDIR, program);
}

char *mdk_path_mdev_bus(void)
{
	return rooted("/sys/class/mdev_bus");
}

char *mdk_path_parent(const char *parent)
{
	return mdk_asprintf("%s/sys/class/mdev_bus/%s", mdk_env_root(), parent);
}

char *mdk_path_parent_types(const char *parent)
{
	return mdk_asprintf("%s/sys/class/mdev_bus/%s/mdev_supported_types",
			    mdk_env_root(), parent);
}

char *mdk_path_type(const char *parent, const char *type)
{
	return mdk_asprintf("%s/sys/class/mdev_bus/%s/mdev_supported_types/%s",
			    mdk_env_root(), parent, type);
}

char *mdk_path_type_attr(const char *parent, const char *type, const char *file)
{
	return mdk_asprintf("%s/sys/class/mdev_bus/%s/mdev_supported_types/%s/%s",
			    mdk_env_root(), parent, type, file);
}

char *mdk_path_mdev_devices(void)
{
	return rooted("/sys/bus/mdev/devices");
}

char *mdk_path_mdev(const char *uuid)
{
	return mdk_asprintf("%s/sys/bus/mdev/devices/%s", mdk_env_root(), uuid);
}

char *mdk_path_mdev_attr(const char *uuid, const char *attr)
{
	return mdk_asprintf("%s/sys/bus/mdev/devices/%s/%s", mdk_env_root(), uuid, attr);
}

char *mdk_path_pci_attr(const char *parent, const char *file)
{
	return mdk_asprintf("%s/sys/bus/pci/devices/%s/%s", mdk_env_root(), parent, file);
}

char *mdk_path_from_devpath(const char *devpath)
{
	if (mdk_str_has_prefix(devpath, "/sys/"))
		devpath += 4;
	return mdk_asprintf("%s/sys%s%s", mdk_env_root(), devpath[0] == '/' ? "" : "/", devpath);
}
