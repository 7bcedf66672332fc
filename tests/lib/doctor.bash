# Helpers for `mdevkit doctor` on fixture roots.  `load ../lib/helpers`
# and `load ../lib/gvt` first.
#
# doctor_host ROOT APERTURE [DEVICE]
#       a healthy GVT-g host: gvt_fixture with the PCI ids (8086:DEVICE,
#       default 5912 Kaby Lake), i915's enable_guc=0, /dev/vfio/vfio
#       (0666), the render node, two IOMMU groups and an ACPI DMAR table
#       and doctor_kernel's facts
# doctor_kernel ROOT   the kernel's side of a healthy host: release
#       6.1.0-13-amd64 with kvmgt, mdev, vfio and vfio_iommu_type1 in its
#       modules.dep and loaded, i915.enable_gvt=1 on the command line and
#       enable_gvt=Y, kvmgt in /etc/modules-load.d/kvmgt.conf, a kernel log
#       ($ROOT/dev/kmsg) of two harmless records
# doctor_lines CHECK   the lines of $output (a text run) of one check,
#       its findings with their fix lines
# doctor_igpu ROOT DEVICE   only the PCI device of an Intel GPU (no mdev)
# doctor_node PATH MODE     a character device node (1:3) with that mode
# doctor_vgpu ROOT UUID TYPE GROUP   a running vGPU in IOMMU group GROUP
#       with its /dev/vfio/GROUP node

doctor_node() {
	mkdir -p "$(dirname "$1")"
	rm -f "$1"
	mknod -m "$2" "$1" c 1 3
}

doctor_igpu() {
	local root=$1 dev=$1/sys/$GVT_DEV
	mkdir -p "$dev" "$root/sys/bus/pci/devices" "$root/sys/bus/pci/drivers/i915"
	ln -sfn "../../../$GVT_DEV" "$root/sys/bus/pci/devices/$GVT_P"
	ln -sfn "../../bus/pci/drivers/i915" "$dev/driver"
	echo 0x8086 > "$dev/vendor"
	echo "0x$2" > "$dev/device"
	echo 0x030000 > "$dev/class"
}

doctor_host() {
	local root=$1
	gvt_fixture "$root" "$2"
	doctor_igpu "$root" "${3:-5912}"
	mkdir -p "$root/sys/module/i915/parameters" "$root/sys/kernel/iommu_groups/0" \
		"$root/sys/kernel/iommu_groups/1" "$root/sys/firmware/acpi/tables" \
		"$root/dev/dri/by-path"
	echo 0 > "$root/sys/module/i915/parameters/enable_guc"
	: > "$root/sys/firmware/acpi/tables/DMAR"
	doctor_node "$root/dev/vfio/vfio" 0666
	doctor_node "$root/dev/dri/renderD128" 0666
	ln -sfn ../renderD128 "$root/dev/dri/by-path/pci-$GVT_P-render"
	doctor_kernel "$root"
}

DOCTOR_RELEASE=6.1.0-13-amd64

doctor_kernel() {
	local root=$1 m d=$1/lib/modules/$DOCTOR_RELEASE
	mkdir -p "$root/proc/sys/kernel" "$d" "$root/etc/modules-load.d" "$root/dev" \
		"$root/sys/module/i915/parameters"
	echo "$DOCTOR_RELEASE" > "$root/proc/sys/kernel/osrelease"
	echo "BOOT_IMAGE=/boot/vmlinuz-$DOCTOR_RELEASE root=/dev/sda1 ro quiet intel_iommu=on i915.enable_gvt=1" \
		> "$root/proc/cmdline"
	printf '%s\n' 'kernel/drivers/gpu/drm/i915/i915.ko: kernel/drivers/gpu/drm/drm.ko' \
		'kernel/drivers/gpu/drm/i915/kvmgt.ko: kernel/drivers/vfio/mdev/mdev.ko kernel/drivers/vfio/vfio.ko' \
		'kernel/drivers/vfio/mdev/mdev.ko: kernel/drivers/vfio/vfio.ko' \
		'kernel/drivers/vfio/vfio.ko:' 'kernel/drivers/vfio/vfio_iommu_type1.ko: kernel/drivers/vfio/vfio.ko' \
		'kernel/drivers/vfio/vfio_virqfd.ko:' 'kernel/drivers/block/loop.ko:' > "$d/modules.dep"
	: > "$d/modules.builtin"
	for m in kvmgt mdev vfio vfio_iommu_type1; do
		mkdir -p "$root/sys/module/$m"
		echo live > "$root/sys/module/$m/initstate"
	done
	echo Y > "$root/sys/module/i915/parameters/enable_gvt"
	echo kvmgt > "$root/etc/modules-load.d/kvmgt.conf"
	printf '%s\n' '6,1,1000,-;Linux version 6.1.0-13-amd64' \
		'6,2,2000,-;i915 0000:00:02.0: [drm] Finished loading DMC firmware' > "$root/dev/kmsg"
}

doctor_vgpu() {
	local root=$1
	gvt_running "$root" "$2" "$3"
	mkdir -p "$root/sys/kernel/iommu_groups/$4"
	ln -sfn "../../../../kernel/iommu_groups/$4" "$root/sys/$GVT_DEV/$2/iommu_group"
	doctor_node "$root/dev/vfio/$4" 0600
}

doctor_lines() {
	awk -v c="$1" '/^(PASS|NOTE|WARN|FAIL)  / { on = ($2 == c) } /^$/ { on = 0 } on' <<<"$output"
}
