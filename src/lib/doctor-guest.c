// SPDX-License-Identifier: LGPL-2.1-or-later
/* What guests need from the host: checks "iommu" (the DMAR table and
 * iommu_groups), "vfio" (/dev/vfio/vfio, the group nodes of running
 * mdevs, who may open them, the memlock limit) and "render-node" (the
 * iGPU's render node for a GL display). */
#include "doctor-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/sysfs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int mdk_doctor_check_iommu(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	char *groups = mdk_path_iommu_groups(), *dmar = mdk_path_acpi_dmar(), *pve = mdk_path_pve();
	char **names = NULL;
	size_t n = 0;
	struct stat st;
	struct mdk_doctor_finding *f = NULL;

	(void)ctx;
	int rc = mdk_list_dir(groups, &names, &n);
	bool has_dmar = access(dmar, F_OK) == 0;
	bool proxmox = stat(pve, &st) == 0 && S_ISDIR(st.st_mode);
	if (rc < 0 && rc != -ENOENT) {
		mdk_doctor_unreadable(r, "iommu", groups, -rc);
	} else if (n) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, "iommu", "IOMMU on: %zu groups in %s%s", n,
				   groups, has_dmar ? " (ACPI DMAR table present)" : "");
		mdk_doctor_value_int(f, "iommu_groups", (long long)n);
	} else {
		const char *why = has_dmar ? "the firmware has a DMAR table but the kernel did not "
					     "turn the IOMMU on"
					   : "no ACPI DMAR table: VT-d is off in firmware setup or absent";
		if (proxmox) {
			f = mdk_doctor_add(r, MDK_DOCTOR_FAIL, "iommu",
					   "no IOMMU groups (%s); Proxmox VE (%s) refuses to start a VM "
					   "with a hostpci device, mdev ones too, without an IOMMU",
					   why, pve);
			mdk_doctor_fix(f, "%sboot with intel_iommu=on", has_dmar ? ""
				       : "turn on VT-d in firmware setup and ");
		} else {
			f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, "iommu",
					   "no IOMMU groups (%s); GVT-g under libvirt or QEMU does not "
					   "need one (KVMGT pins guest memory itself)", why);
		}
		mdk_doctor_value_int(f, "iommu_groups", 0);
	}
	if (f)
		mdk_doctor_value_int(f, "dmar", has_dmar);
	mdk_strv_free(names);
	free(groups);
	free(dmar);
	free(pve);
	return 0;
}

/* "root:kvm 0660" */
static char *owner_text(const struct stat *st)
{
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);
	char u[32], g[32];

	snprintf(u, sizeof(u), "%u", (unsigned)st->st_uid);
	snprintf(g, sizeof(g), "%u", (unsigned)st->st_gid);
	return mdk_asprintf("%s:%s %04o", pw ? pw->pw_name : u, gr ? gr->gr_name : g,
			    (unsigned)(st->st_mode & 07777));
}

/* Who may open a node, in words. */
static const char *who(const struct stat *st)
{
	if ((st->st_mode & 06) == 06)
		return "anyone may open it";
	if ((st->st_mode & 060) == 060)
		return "its owner and group may open it";
	return "only its owner may open it";
}

/* One device node: present, a character device, who may open it.
 * Returns the finding. */
static struct mdk_doctor_finding *say_node(struct mdk_doctor_report *r, const char *check,
					   const char *path, const char *missing_fix,
					   const char *access_fix)
{
	struct stat st;
	struct mdk_doctor_finding *f;

	if (stat(path, &st) < 0) {
		int err = errno;
		if (err != ENOENT)
			return mdk_doctor_unreadable(r, check, path, err);
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, check, "%s is missing", path);
		mdk_doctor_fix(f, "%s", missing_fix);
		mdk_doctor_value_str(f, "path", path);
		return f;
	}
	char *owner = owner_text(&st);
	if (!S_ISCHR(st.st_mode)) {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, check, "%s is not a character device (%s)",
				   path, owner);
		mdk_doctor_fix(f, "remove it and reload the module that creates it");
	} else if (geteuid() != 0 && access(path, R_OK | W_OK) != 0) {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, check,
				   "%s (%s): %s, and you (uid %u) may not", path, owner, who(&st),
				   (unsigned)geteuid());
		mdk_doctor_fix(f, "%s", access_fix);
	} else {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, check, "%s (%s): %s", path, owner, who(&st));
	}
	mdk_doctor_value_str(f, "path", path);
	mdk_doctor_value_int(f, "uid", st.st_uid);
	mdk_doctor_value_int(f, "gid", st.st_gid);
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.st_mode & 07777));
	mdk_doctor_value_str(f, "mode", mode);
	free(owner);
	return f;
}

#define VFIO_ACCESS_FIX "run the guest as root or through libvirt, or let a group open vfio " \
	"nodes (udev rule SUBSYSTEM==\"vfio\", GROUP=\"kvm\", MODE=\"0660\") and add the user to it"

/* The vfio group of a running mdev: the name of its iommu_group link. */
static char *group_of(const char *uuid)
{
	char *path = mdk_path_mdev_attr(uuid, "iommu_group");
	char *name = mdk_doctor_link_name(path);

	free(path);
	return name;
}

static void say_groups(struct mdk_doctor_report *r)
{
	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_mdevs m = MDK_MDEVS_INIT;

	if (mdk_sysfs_active(&m, &e) < 0) {
		mdk_doctor_error(r, "vfio", "cannot list running mdevs", &e);
		return;
	}
	for (size_t i = 0; i < m.n; i++) {
		char *group = group_of(m.v[i].uuid);
		struct mdk_doctor_finding *f;
		if (!group) {
			f = mdk_doctor_add(r, MDK_DOCTOR_WARN, "vfio",
					   "running mdev %s (%s) has no IOMMU group: no vfio driver "
					   "took it", m.v[i].uuid, m.v[i].type);
			mdk_doctor_fix(f, "load the parent's vfio driver (kvmgt for GVT-g; vfio_mdev "
				       "as well before Linux 5.16) and check the kernel log");
		} else {
			char *node = mdk_path_dev_vfio(group);
			f = say_node(r, "vfio", node,
				     "the vfio group node appears when vfio binds the mdev: load "
				     "vfio and vfio_iommu_type1, and check the kernel log", VFIO_ACCESS_FIX);
			mdk_doctor_value_str(f, "group", group);
			free(node);
		}
		mdk_doctor_value_str(f, "uuid", m.v[i].uuid);
		free(group);
	}
	mdk_mdevs_free(&m);
}

static void say_memlock(struct mdk_doctor_report *r)
{
	struct rlimit rl;
	struct mdk_doctor_finding *f;

	if (geteuid() == 0 || getrlimit(RLIMIT_MEMLOCK, &rl) < 0)
		return;
	if (rl.rlim_cur == RLIM_INFINITY) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, "vfio", "memlock limit of uid %u: unlimited",
				   (unsigned)geteuid());
		mdk_doctor_value_int(f, "memlock", -1);
		return;
	}
	unsigned long long mib = (unsigned long long)rl.rlim_cur >> 20;
	if (mib >= 1024) {
		f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, "vfio",
				   "memlock limit of uid %u: %llu MiB: enough for a guest of up to "
				   "that much memory started by this user", (unsigned)geteuid(), mib);
	} else {
		f = mdk_doctor_add(r, MDK_DOCTOR_WARN, "vfio",
				   "memlock limit of uid %u: %llu KiB: a guest this user starts cannot "
				   "pin its memory (vfio_pin_pages failed, RLIMIT_MEMLOCK)",
				   (unsigned)geteuid(), (unsigned long long)rl.rlim_cur >> 10);
		mdk_doctor_fix(f, "raise the memlock limit of the user that runs QEMU above the "
			       "guest's memory (memlock in /etc/security/limits.conf, "
			       "LimitMEMLOCK= in its unit); libvirt raises it itself");
	}
	mdk_doctor_value_int(f, "memlock", (long long)rl.rlim_cur);
}

int mdk_doctor_check_vfio(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	char *container = mdk_path_dev_vfio("vfio");

	(void)ctx;
	say_node(r, "vfio", container,
		 "load vfio and vfio_iommu_type1 (modprobe vfio_iommu_type1); QEMU opens this node "
		 "for every vfio device", VFIO_ACCESS_FIX);
	free(container);
	say_groups(r);
	say_memlock(r);
	return 0;
}

int mdk_doctor_check_render_node(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	if (!ctx->igpu || (ctx->gen && ctx->gen->support > MDK_DOCTOR_GVT_NO_WINDOWS))
		return 0;
	char *node = mdk_path_render_node(ctx->igpu);
	say_node(r, "render-node", node,
		 "a guest display on the vGPU (display=on) needs the iGPU's render node: load i915 "
		 "without nomodeset and let udev create /dev/dri/by-path; headless guests need none",
		 "run the guest as a member of the render group (usermod -aG render USER)");
	free(node);
	return 0;
}
