// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/env.h"
#include "mdevkit/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


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

char *mdk_path_root(void)
{
	const char *r = mdk_env_root();

	return mdk_strdup(r[0] ? r : "/");
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

char *mdk_path_definition_temp(const char *uuid, bool in_store)
{
	if (in_store)
		return mdk_asprintf("%s" MDK_STOREDIR "/.%s.mdevkit-tmp", mdk_env_root(), uuid);
	/* beside the store: <dir of the store>/.<its name>.<uuid>.mdevkit-tmp */
	const char *store = MDK_STOREDIR, *name = strrchr(store, '/');
	name = name ? name + 1 : store;
	return mdk_asprintf("%s%.*s.%s.%s.mdevkit-tmp", mdk_env_root(), (int)(name - store), store, name, uuid);
}

char *mdk_path_libvirt_hook_state(const char *domain_uuid)
{
	if (!domain_uuid)
		return rooted("/run/mdevkit/libvirt");
	return mdk_asprintf("%s/run/mdevkit/libvirt/%s", mdk_env_root(), domain_uuid);
}

char *mdk_path_gvt_conf(void)
{
	return rooted(MDK_CONFDIR "/gvt.conf");
}

char *mdk_path_mdevkit_conf(void)
{
	return rooted(MDK_CONFDIR "/mdevkit.conf");
}

char *mdk_path_pve_vm_config(unsigned long vmid)
{
	return mdk_asprintf("%s/etc/pve/qemu-server/%lu.conf", mdk_env_root(), vmid);
}

char *mdk_path_pve_node_vm_config(const char *node, unsigned long vmid)
{
	return mdk_asprintf("%s/etc/pve/nodes/%s/qemu-server/%lu.conf", mdk_env_root(), node, vmid);
}

char *mdk_path_pve_node_vm_dir(const char *node)
{
	return mdk_asprintf("%s/etc/pve/nodes/%s/qemu-server", mdk_env_root(), node);
}

char *mdk_path_pve_local(void)
{
	return rooted("/etc/pve/local");
}

char *mdk_path_pve_mapping_pci(void)
{
	return rooted("/etc/pve/mapping/pci.cfg");
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

char *mdk_path_pci_devices(void)
{
	return rooted("/sys/bus/pci/devices");
}

char *mdk_path_module(const char *module)
{
	return mdk_asprintf("%s/sys/module/%s", mdk_env_root(), module);
}

char *mdk_path_module_param(const char *module, const char *param)
{
	return mdk_asprintf("%s/sys/module/%s/parameters/%s", mdk_env_root(), module, param);
}

char *mdk_path_iommu_groups(void)
{
	return rooted("/sys/kernel/iommu_groups");
}

char *mdk_path_acpi_dmar(void)
{
	return rooted("/sys/firmware/acpi/tables/DMAR");
}

char *mdk_path_proc_cmdline(void)
{
	return rooted("/proc/cmdline");
}

char *mdk_path_osrelease(void)
{
	return rooted("/proc/sys/kernel/osrelease");
}

char *mdk_path_kernel_modules(const char *release, const char *file)
{
	return mdk_asprintf("%s/lib/modules/%s%s%s", mdk_env_root(), release, file ? "/" : "",
			    file ? file : "");
}


char *mdk_path_etc_modules(void)
{
	return rooted("/etc/modules");
}


char *mdk_path_initramfs_modules(void)
{
	return rooted("/etc/initramfs-tools/modules");
}

char *mdk_path_pve(void)
{
	return rooted("/etc/pve");
}

char *mdk_path_udev_rules_dir(size_t i)
{
	return rooted(i == 1 ? "/usr/lib/udev/rules.d" : "/lib/udev/rules.d");
}

char *mdk_path_dev_vfio(const char *name)
{
	return mdk_asprintf("%s/dev/vfio%s%s", mdk_env_root(), name ? "/" : "", name ? name : "");
}

char *mdk_path_dev_dri(void)
{
	return rooted("/dev/dri");
}

char *mdk_path_render_node(const char *pci_address)
{
	return mdk_asprintf("%s/dev/dri/by-path/pci-%s-render", mdk_env_root(), pci_address);
}

char *mdk_path_kmsg(void)
{
	return rooted("/dev/kmsg");
}

const char *mdk_path_unrooted(const char *path)
{
	const char *r = mdk_env_root();
	size_t n = strlen(r);

	if (n && !strncmp(path, r, n) && path[n] == '/')
		return path + n;
	return path;
}

char *mdk_path_conf_dir(enum mdk_conf_kind kind, size_t i)
{
	static const char *const base[] = { "/etc", "/run", "/usr/local/lib", "/usr/lib", "/lib" };

	if (i >= MDK_ARRAY_SIZE(base))
		return NULL;
	return mdk_asprintf("%s%s/%s", mdk_env_root(), base[i],
			    kind == MDK_CONF_MODPROBE ? "modprobe.d" : "modules-load.d");
}

char *mdk_path_in_root(const char *abs)
{
	return mdk_asprintf("%s%s%s", mdk_env_root(), abs[0] == '/' ? "" : "/", abs);
}

char *mdk_path_unit_dir(size_t i)
{
	static const char *const dirs[] = { "/etc/systemd/system", "/lib/systemd/system",
					    "/usr/lib/systemd/system" };

	return i < MDK_ARRAY_SIZE(dirs) ? rooted(dirs[i]) : NULL;
}

char *mdk_path_iommu_group_devices(const char *group)
{
	return mdk_asprintf("%s/sys/kernel/iommu_groups/%s/devices", mdk_env_root(), group);
}

bool mdk_env_is_host_root(void)
{
	return mdk_env_root()[0] == '\0';
}

char *mdk_path_udev_control(void)
{
	return rooted("/run/udev/control");
}

char *mdk_host_path_render_node(const char *pci)
{
	return mdk_asprintf("/dev/dri/by-path/pci-%s-render", pci);
}

char *mdk_host_path_mdev(const char *uuid)
{
	return mdk_asprintf("/sys/bus/mdev/devices/%s", uuid);
}

char *mdk_path_helper(const char *name)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			char *p = mdk_asprintf("%.*s/%s", (int)(slash - self), self, name);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	char *p = mdk_path_libexec(name);
	if (access(p, X_OK) == 0)
		return p;
	free(p);
	return NULL;
}
