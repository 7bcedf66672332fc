# Helpers for `mdevkit doctor` on fixture roots.  `load ../lib/helpers`
# and `load ../lib/gvt` first.
#
# doctor_host ROOT APERTURE [DEVICE]
#       a healthy GVT-g host: gvt_fixture with the PCI ids (8086:DEVICE,
#       default 5912 Kaby Lake), i915's enable_guc=0, /dev/vfio/vfio
#       (0666), the render node, two IOMMU groups and an ACPI DMAR table
#       and doctor_kernel's facts
# doctor_kernel ROOT   the kernel's side of a healthy host: the plain
#       files of tests/simfs/host-files.sh's healthy profile (release
#       6.1.0-13-amd64, modules.dep, i915.enable_gvt=1 on the command line,
#       kvmgt in /etc/modules-load.d, a kernel log of two harmless records)
#       and, in /sys, kvmgt, mdev, vfio and vfio_iommu_type1 loaded and
#       enable_gvt=Y
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
	local root=$1 m
	"$TOP/tests/simfs/host-files.sh" "$root" healthy
	mkdir -p "$root/sys/module/i915/parameters"
	for m in kvmgt mdev vfio vfio_iommu_type1; do
		mkdir -p "$root/sys/module/$m"
		echo live > "$root/sys/module/$m/initstate"
	done
	echo Y > "$root/sys/module/i915/parameters/enable_gvt"
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
