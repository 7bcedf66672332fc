#!/bin/bash
# tests/simfs/host-files.sh ROOT PROFILE: the plain files of a simulated
# host that `mdevkit doctor` reads beside the simulator's /sys (which
# mdevkit-simfs serves at ROOT/sys: PCI ids, module parameters, loaded
# modules).  PROFILE:
#
#   healthy   Debian 12's kernel 6.1.0-13-amd64 with kvmgt, mdev and vfio
#             in its modules.dep; i915.enable_gvt=1 on the command line;
#             kvmgt in /etc/modules-load.d; a kernel log of harmless
#             records; /dev/vfio/vfio and the iGPU's render node
#   guc-on    the same host after an old recipe: i915.enable_guc=3 on the
#             command line (the scenario's enable_gvt = no, enable_guc = 3
#             is what the kernel made of it), the GuC line in the kernel
#             log, and /etc/modules naming modules that are gone
#
# Writes only below ROOT; device nodes only when run as root.
set -eu
root=$1 profile=$2
release=6.1.0-13-amd64
mods=$root/lib/modules/$release

case $profile in healthy | guc-on) ;; *)
	echo "host-files.sh: unknown profile '$profile'; use healthy or guc-on" >&2
	exit 2 ;;
esac

mkdir -p "$root/proc/sys/kernel" "$mods" "$root/etc/modules-load.d" "$root/dev/dri/by-path"
echo "$release" > "$root/proc/sys/kernel/osrelease"
cmdline="BOOT_IMAGE=/boot/vmlinuz-$release root=/dev/sda1 ro quiet intel_iommu=on i915.enable_gvt=1"
[ "$profile" = healthy ] || cmdline="$cmdline i915.enable_guc=3"
echo "$cmdline" > "$root/proc/cmdline"
printf '%s\n' 'kernel/drivers/gpu/drm/i915/i915.ko: kernel/drivers/gpu/drm/drm.ko' \
	'kernel/drivers/gpu/drm/i915/kvmgt.ko: kernel/drivers/vfio/mdev/mdev.ko kernel/drivers/vfio/vfio.ko' \
	'kernel/drivers/vfio/mdev/mdev.ko: kernel/drivers/vfio/vfio.ko' \
	'kernel/drivers/vfio/vfio.ko:' 'kernel/drivers/vfio/vfio_iommu_type1.ko: kernel/drivers/vfio/vfio.ko' \
	'kernel/drivers/vfio/vfio_virqfd.ko:' 'kernel/drivers/block/loop.ko:' > "$mods/modules.dep"
: > "$mods/modules.builtin"
echo kvmgt > "$root/etc/modules-load.d/kvmgt.conf"
printf '%s\n' "6,1,1000,-;Linux version $release" \
	'6,2,2000,-;i915 0000:00:02.0: [drm] Finished loading DMC firmware' > "$root/dev/kmsg"
if [ "$profile" = guc-on ]; then
	printf '%s\n' '# /etc/modules: kernel modules to load at boot time.' 'kvmgt' 'vfio_mdev' 'exngt' \
		> "$root/etc/modules"
	printf '%s\n' '3,3,2100,-;i915 0000:00:02.0: Graphics virtualization is not yet supported with GuC submission' \
		' SUBSYSTEM=pci' ' DEVICE=+pci:0000:00:02.0' >> "$root/dev/kmsg"
fi
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p "$root/dev/vfio"
	[ -e "$root/dev/vfio/vfio" ] || mknod -m 0666 "$root/dev/vfio/vfio" c 10 196
	[ -e "$root/dev/dri/renderD128" ] || mknod -m 0666 "$root/dev/dri/renderD128" c 226 128
	ln -sfn ../renderD128 "$root/dev/dri/by-path/pci-0000:00:02.0-render"
fi
