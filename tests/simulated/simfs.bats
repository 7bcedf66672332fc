#!/usr/bin/env bats
# mdevkit-simfs, the simulated mdev sysfs: layout, the kernel's GVT-g
# accounting (spec/gvt-g.md §2.5), create/remove errnos as a shell user
# sees them, mtty and vendor parents, registration, ctl, scenario parsing.

load ../lib/helpers
load ../lib/simfs

setup() {
	mk_root
}

teardown() {
	simfs_teardown
}

# echo TEXT > FILE from bash, the way a user would; errors land in $stderr
sh_echo() {
	run --separate-stderr bash -c 'echo "$1" > "$2"' _ "$1" "$2"
}

# one write of TEXT without newline (what mdevctl does)
sh_printf() {
	run --separate-stderr bash -c 'printf %s "$1" > "$2"' _ "$1" "$2"
}

mount_gvt() { # APERTURE [GGTT] [GEN] [KERNEL]
	gvt_scenario "$BATS_TEST_TMPDIR/host.conf" "$@"
	simfs_mount "$ROOT" "$BATS_TEST_TMPDIR/host.conf"
}

create() { # TYPE UUID [PARENT]
	printf %s "$2" > "$(types_of "${3:-}")/$1/create"
}

# --- layout ----------------------------------------------------------------

@test "default host: the GVT-g parent at the kernel's paths, links relative and resolving" {
	simfs_mount "$ROOT"
	local s=$ROOT/sys dev=$ROOT/sys/$GVT_DEVPATH
	assert_equal "$(readlink "$s/class/mdev_bus/$GVT_PARENT")" "../../devices/pci0000:00/0000:00:02.0"
	assert_equal "$(readlink "$s/bus/pci/devices/$GVT_PARENT")" "../../../devices/pci0000:00/0000:00:02.0"
	assert_equal "$(readlink "$dev/driver")" "../../../bus/pci/drivers/i915"
	assert_equal "$(readlink "$dev/subsystem")" "../../../bus/pci"
	assert_equal "$(realpath "$s/class/mdev_bus/$GVT_PARENT")" "$(realpath "$s")/$GVT_DEVPATH"
	assert_equal "$(realpath "$dev/driver")" "$(realpath "$s")/bus/pci/drivers/i915"
	assert_equal "$(cat "$dev/vendor")" 0x8086
	assert_equal "$(cat "$dev/device")" 0x1912
	assert_equal "$(cat "$dev/class")" 0x030000
	assert_equal "$(cat "$dev/uevent")" "DRIVER=i915
PCI_CLASS=30000
PCI_ID=8086:1912
PCI_SUBSYS_ID=1458:D000
PCI_SLOT_NAME=0000:00:02.0
MODALIAS=pci:v00008086d00001912sv00001458sd0000D000bc03sc00i00"
	ls "$s/kernel/iommu_groups" "$s/bus/mdev/devices" > /dev/null
	assert_equal "$(ls "$(types_of)" | tr '\n' ' ')" "i915-GVTg_V5_1 i915-GVTg_V5_2 i915-GVTg_V5_4 i915-GVTg_V5_8 "
}

@test "resource: BAR 2 on the third line is the aperture, 64-bit BARs leave lines 2 and 4 empty" {
	mount_gvt 512
	local res=$ROOT/sys/bus/pci/devices/$GVT_PARENT/resource
	run cat "$res"
	assert_equal "${#lines[@]}" 13
	assert_line --index 0 "0x00000000f6000000 0x00000000f6ffffff 0x0000000000140204"
	assert_line --index 1 "0x0000000000000000 0x0000000000000000 0x0000000000000000"
	assert_line --index 3 "0x0000000000000000 0x0000000000000000 0x0000000000000000"
	assert_line --index 4 "0x000000000000f000 0x000000000000f03f 0x0000000000040101"
	local start end flags
	read -r start end flags < <(sed -n 3p "$res")
	assert_equal $(((end - start + 1) >> 20)) 512
	assert_equal "$flags" 0x000000000014220c
	assert_equal "$(stat -c %s "$ROOT/sys/$GVT_DEVPATH/resource2")" $((512 << 20))
}

@test "config word 0x50 encodes the GGTT size in GGMS (bits 7:6)" {
	mount_gvt 1024 2048
	local w
	w=$(od -An -tx2 -j 0x50 -N 2 "$ROOT/sys/$GVT_DEVPATH/config" | tr -d ' ')
	assert_equal $(((0x$w >> 6) & 3)) 2
	assert_equal "$(od -An -tx2 -N 2 "$ROOT/sys/$GVT_DEVPATH/config" | tr -d ' ')" 8086
}

@test "type files: modes, device_api, name, the 5-line description" {
	simfs_mount "$ROOT"
	local t
	t=$(types_of)/i915-GVTg_V5_8
	assert_equal "$(stat -c %a "$t/create")" 200
	for f in available_instances device_api name description; do
		assert_equal "$(stat -c %a "$t/$f")" 444
	done
	assert_equal "$(cat "$t/device_api")" vfio-pci
	assert_equal "$(cat "$t/name")" GVTg_V5_8
	# exact bytes, trailing newline included
	assert_equal "$(od -c "$t/description")" "$(printf 'low_gm_size: 64MB\nhigh_gm_size: 384MB\nfence: 4\nresolution: 1024x768\nweight: 2\n' | od -c)"
	assert_equal "$(cat "$(types_of)/i915-GVTg_V5_1/description")" "low_gm_size: 512MB
high_gm_size: 2048MB
fence: 4
resolution: 1920x1200
weight: 16"
	[ -d "$t/devices" ]
}

# --- GVT-g accounting (spec/gvt-g.md §2.5) ----------------------------------

@test "aperture 128 MiB: empty mdev_supported_types" {
	mount_gvt 128
	[ -d "$(types_of)" ]
	assert_equal "$(ls -A "$(types_of)")" ""
}

@test "aperture 256 MiB: V5_8 2, V5_4 1" {
	mount_gvt 256
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_4 1
i915-GVTg_V5_8 2"
}

@test "aperture 512 MiB: V5_8 6, V5_4 3, V5_2 1" {
	mount_gvt 512
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_2 1
i915-GVTg_V5_4 3
i915-GVTg_V5_8 6"
}

@test "aperture 1024 MiB: V5_8 7, V5_4 5, V5_2 2, V5_1 1" {
	mount_gvt 1024
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_1 1
i915-GVTg_V5_2 2
i915-GVTg_V5_4 5
i915-GVTg_V5_8 7"
}

@test "aperture 2048 MiB: V5_8 4, V5_4 3, V5_2 1, V5_1 present with 0" {
	mount_gvt 2048
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_1 0
i915-GVTg_V5_2 1
i915-GVTg_V5_4 3
i915-GVTg_V5_8 4"
}

@test "1024 MiB, 2 GiB GGTT: 1, 1, 0, 0" {
	mount_gvt 1024 2048
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_1 0
i915-GVTg_V5_2 0
i915-GVTg_V5_4 1
i915-GVTg_V5_8 1"
}

@test "hosts whose pools would wrap show no types (aperture >= GGTT - 384)" {
	mount_gvt 4096 4096
	assert_equal "$(ls -A "$(types_of)")" ""
	simfs_umount "$ROOT"
	mount_gvt 1700 2048
	assert_equal "$(ls -A "$(types_of)")" ""
}

@test "1024 MiB after 1 x V5_4: 5, 4, 2, 1 on every type" {
	simfs_mount "$ROOT"
	create i915-GVTg_V5_4 "$(simfs_uuid 1)"
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_1 1
i915-GVTg_V5_2 2
i915-GVTg_V5_4 4
i915-GVTg_V5_8 5"
}

@test "1024 MiB after 1 x V5_1: 1, 1, 0, 0" {
	simfs_mount "$ROOT"
	create i915-GVTg_V5_1 "$(simfs_uuid 1)"
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_1 0
i915-GVTg_V5_2 0
i915-GVTg_V5_4 1
i915-GVTg_V5_8 1"
}

@test "1024 MiB after 5 x V5_4: all 0, and a 6th fails with ENOSPC" {
	simfs_mount "$ROOT"
	for i in 1 2 3 4 5; do create i915-GVTg_V5_4 "$(simfs_uuid $i)"; done
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_1 0
i915-GVTg_V5_2 0
i915-GVTg_V5_4 0
i915-GVTg_V5_8 0"
	sh_echo "$(simfs_uuid 6)" "$(types_of)/i915-GVTg_V5_4/create"
	assert_failure
	[[ $stderr == *"write error: No space left on device"* ]]
}

@test "7 vGPUs at most: the 8th fails with ENOSPC; IDs 1..7, lowest free reused" {
	simfs_mount "$ROOT"
	for i in 1 2 3 4 5 6 7; do create i915-GVTg_V5_8 "$(simfs_uuid $i)"; done
	for i in 1 2 3 4 5 6 7; do
		assert_equal "$(cat "$ROOT/sys/bus/mdev/devices/$(simfs_uuid $i)/intel_vgpu/vgpu_id")" "$i"
	done
	sh_echo "$(simfs_uuid 8)" "$(types_of)/i915-GVTg_V5_8/create"
	assert_failure
	[[ $stderr == *"No space left on device"* ]]
	echo 1 > "$ROOT/sys/bus/mdev/devices/$(simfs_uuid 3)/remove"
	create i915-GVTg_V5_8 "$(simfs_uuid 9)"
	assert_equal "$(cat "$ROOT/sys/bus/mdev/devices/$(simfs_uuid 9)/intel_vgpu/vgpu_id")" 3
}

@test "the ID pool binds even where the pools would allow more: 512 MiB after 6 x V5_8" {
	mount_gvt 512
	for i in 1 2 3 4 5 6; do create i915-GVTg_V5_8 "$(simfs_uuid $i)"; done
	assert_equal "$(simfs_avail "$ROOT" | awk '{print $2}' | tr '\n' ' ')" "0 0 0 "
	sh_echo "$(simfs_uuid 7)" "$(types_of)/i915-GVTg_V5_8/create"
	assert_failure
	[[ $stderr == *"No space left on device"* ]]
}

@test "generation 8 shows V4 names and a Broadwell device ID" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/broadwell-512.conf"
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V4_2 1
i915-GVTg_V4_4 3
i915-GVTg_V4_8 6"
	assert_equal "$(cat "$(types_of)/i915-GVTg_V4_4/name")" GVTg_V4_4
	assert_equal "$(cat "$ROOT/sys/$GVT_DEVPATH/device")" 0x1616
}

@test "kernel 5.4 profile: no name file, vfio_mdev driver, stored counts without the fence term" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/kernel-5.4.conf"
	local t
	t=$(types_of)
	[ ! -e "$t/i915-GVTg_V5_8/name" ]
	# init value min(low, high) = min(512/64, 3072/384) = 8
	assert_equal "$(cat "$t/i915-GVTg_V5_8/available_instances")" 8
	create i915-GVTg_V5_8 "$(simfs_uuid 1)"
	assert_equal "$(cat "$t/i915-GVTg_V5_8/available_instances")" 6
	assert_equal "$(readlink "$ROOT/sys/bus/mdev/devices/$(simfs_uuid 1)/driver")" "../../../../bus/mdev/drivers/vfio_mdev"
	echo 1 > "$ROOT/sys/bus/mdev/devices/$(simfs_uuid 1)/remove"
	# recomputed with the three-term formula after the remove
	assert_equal "$(cat "$t/i915-GVTg_V5_8/available_instances")" 7
}

@test "kernel 6.1 profile: the same host shows the live three-term count" {
	mount_gvt 640
	assert_equal "$(cat "$(types_of)/i915-GVTg_V5_8/available_instances")" 7
}

@test "every symlink of a populated host resolves inside the mount" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	create i915-GVTg_V5_4 "$(simfs_uuid 1)"
	create i915-GVTg_V5_8 "$(simfs_uuid 2)"
	create mtty-2 "$(simfs_uuid 3)" mtty
	create simvendor-large "$(simfs_uuid 4)" 0000:03:00.0
	local s l n=0 real
	s=$(realpath "$ROOT/sys")
	while IFS= read -r -d '' l; do
		real=$(realpath -e "$l") || fail "$l -> $(readlink "$l") does not resolve"
		[[ $real == "$s"/* ]] || fail "$l resolves outside the mount: $real"
		n=$((n + 1))
	done < <(find "$s" -type l -print0)
	# 4 per PCI parent, 2 for mtty, 3 class links, 8 per device
	assert_equal "$n" $((4 * 2 + 2 + 3 + 8 * 4))
}

# --- create -------------------------------------------------------------------

@test "create: echo (37 bytes) and a single 36-byte write both work; every entry appears" {
	simfs_mount "$ROOT"
	local u1 u2 s=$ROOT/sys
	u1=$(simfs_uuid 1)
	u2=$(simfs_uuid 2)
	sh_echo "$u1" "$(types_of)/i915-GVTg_V5_4/create"
	assert_success
	sh_printf "$u2" "$(types_of)/i915-GVTg_V5_8/create"
	assert_success
	local dev=$s/$GVT_DEVPATH/$u1
	assert_equal "$(readlink "$s/bus/mdev/devices/$u1")" "../../../devices/pci0000:00/0000:00:02.0/$u1"
	assert_equal "$(readlink "$dev/mdev_type")" "../mdev_supported_types/i915-GVTg_V5_4"
	assert_equal "$(readlink "$(types_of)/i915-GVTg_V5_4/devices/$u1")" "../../../$u1"
	assert_equal "$(readlink "$dev/iommu_group")" "../../../../kernel/iommu_groups/0"
	assert_equal "$(readlink "$dev/driver")" "../../../../bus/mdev/drivers/intel_vgpu_mdev"
	assert_equal "$(readlink "$dev/subsystem")" "../../../../bus/mdev"
	assert_equal "$(readlink "$s/$GVT_DEVPATH/$u2/iommu_group")" "../../../../kernel/iommu_groups/1"
	assert_equal "$(cat "$dev/uevent")" "DRIVER=intel_vgpu_mdev"
	assert_equal "$(stat -c %a "$dev/remove")" 200
	# what mdevctl derives: parent = dir holding the device, type = link basename
	local real
	real=$(realpath "$s/bus/mdev/devices/$u1")
	assert_equal "$real" "$(realpath "$s")/$GVT_DEVPATH/$u1"
	assert_equal "$(basename "$(dirname "$real")")" "$GVT_PARENT"
	assert_equal "$(basename "$(realpath "$real/mdev_type")")" i915-GVTg_V5_4
	[ -d "$(realpath "$dev/iommu_group")" ]
	[ -d "$(realpath "$dev/driver")" ]
	[ -L "$s/kernel/iommu_groups/0/devices/$u1" ]
	[ -L "$s/bus/mdev/drivers/intel_vgpu_mdev/$u1" ]
}

@test "create: an upper-case UUID makes a lower-case directory" {
	simfs_mount "$ROOT"
	sh_echo "ABCDEF01-2345-6789-ABCD-EF0123456789" "$(types_of)/i915-GVTg_V5_4/create"
	assert_success
	assert_equal "$(ls "$ROOT/sys/bus/mdev/devices")" "abcdef01-2345-6789-abcd-ef0123456789"
}

@test "create: bad UUIDs and lengths fail with EINVAL" {
	simfs_mount "$ROOT"
	local c
	c=$(types_of)/i915-GVTg_V5_4/create
	# (an empty printf issues no write(): it succeeds on a real kernel too)
	for bad in "hello" "12345678-1234-1234-1234-12345678901" \
		"x12345678-1234-1234-1234-12345678901" "12345678+1234-1234-1234-123456789012" \
		"1234567g-1234-1234-1234-123456789012" "{2345678-1234-1234-1234-12345678901}" \
		"12345678-1234-1234-1234-123456789012xx"; do
		sh_printf "$bad" "$c"
		assert_failure
		[[ $stderr == *"write error: Invalid argument"* ]] || fail "'$bad': $stderr"
	done
	# the 37th byte is not inspected
	sh_printf "12345678-1234-1234-1234-123456789012x" "$c"
	assert_success
	assert_equal "$(ls "$ROOT/sys/bus/mdev/devices")" "12345678-1234-1234-1234-123456789012"
}

@test "create: a duplicate fails with EEXIST, also in upper case and on another type" {
	simfs_mount "$ROOT"
	local u=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
	create i915-GVTg_V5_8 "$u"
	for t in i915-GVTg_V5_8 i915-GVTg_V5_4; do
		sh_echo "$u" "$(types_of)/$t/create"
		assert_failure
		[[ $stderr == *"write error: File exists"* ]]
	done
	sh_echo "${u^^}" "$(types_of)/i915-GVTg_V5_8/create"
	assert_failure
	[[ $stderr == *"File exists"* ]]
}

@test "create: a UUID used on another parent fails with EEXIST" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	local u
	u=$(simfs_uuid 42)
	create mtty-1 "$u" mtty
	sh_echo "$u" "$(types_of)/i915-GVTg_V5_4/create"
	assert_failure
	[[ $stderr == *"File exists"* ]]
	sh_echo "$u" "$(types_of 0000:03:00.0)/simvendor-small/create"
	assert_failure
	[[ $stderr == *"File exists"* ]]
}

@test "create and remove files cannot be opened for reading, read-only ones not for writing (EACCES)" {
	simfs_mount "$ROOT"
	run --separate-stderr cat "$(types_of)/i915-GVTg_V5_4/create"
	assert_failure
	[[ $stderr == *"Permission denied"* ]]
	create i915-GVTg_V5_4 "$(simfs_uuid 1)"
	run --separate-stderr cat "$ROOT/sys/bus/mdev/devices/$(simfs_uuid 1)/remove"
	assert_failure
	[[ $stderr == *"Permission denied"* ]]
	sh_echo 3 "$(types_of)/i915-GVTg_V5_4/available_instances"
	assert_failure
	[[ $stderr == *"Permission denied"* ]]
	sh_echo x "$ROOT/sys/class/mdev_bus/newfile"
	assert_failure
	[[ $stderr == *"Permission denied"* ]]
}

@test "fail-next-create makes the next create on that parent fail with that errno, once" {
	simfs_mount "$ROOT"
	simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" EINVAL
	sh_echo "$(simfs_uuid 1)" "$(types_of)/i915-GVTg_V5_4/create"
	assert_failure
	[[ $stderr == *"Invalid argument"* ]]
	assert_equal "$(ls "$ROOT/sys/bus/mdev/devices")" ""
	sh_echo "$(simfs_uuid 1)" "$(types_of)/i915-GVTg_V5_4/create"
	assert_success
	simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" 5
	sh_echo "$(simfs_uuid 2)" "$(types_of)/i915-GVTg_V5_4/create"
	[[ $stderr == *"Input/output error"* ]]
	simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" ENOSPC
	simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" none
	create i915-GVTg_V5_4 "$(simfs_uuid 3)"
}

# --- remove -------------------------------------------------------------------

@test "remove: 1 removes the device and frees its resources; 0 is a no-op" {
	simfs_mount "$ROOT"
	local u s=$ROOT/sys
	u=$(simfs_uuid 1)
	create i915-GVTg_V5_1 "$u"
	sh_echo 0 "$s/bus/mdev/devices/$u/remove"
	assert_success
	[ -d "$s/$GVT_DEVPATH/$u" ]
	sh_echo 1 "$s/bus/mdev/devices/$u/remove"
	assert_success
	[ ! -e "$s/$GVT_DEVPATH/$u" ]
	[ ! -e "$s/bus/mdev/devices/$u" ]
	[ ! -e "$(types_of)/i915-GVTg_V5_1/devices/$u" ]
	[ ! -e "$s/kernel/iommu_groups/0" ]
	assert_equal "$(cat "$(types_of)/i915-GVTg_V5_1/available_instances")" 1
}

@test "remove: kstrtoul rules: non-numbers fail with EINVAL, 0x1 and +1 remove" {
	simfs_mount "$ROOT"
	local u
	u=$(simfs_uuid 1)
	create i915-GVTg_V5_4 "$u"
	for bad in abc "1 " " 1" 1x -1 08 0x 99999999999999999999999; do
		sh_printf "$bad" "$ROOT/sys/bus/mdev/devices/$u/remove"
		assert_failure
		[[ $stderr == *"write error: Invalid argument"* ]] || fail "'$bad': $stderr"
	done
	printf '0x1' > "$ROOT/sys/bus/mdev/devices/$u/remove"
	[ ! -e "$ROOT/sys/bus/mdev/devices/$u" ]
	create i915-GVTg_V5_4 "$u"
	printf '+1\n' > "$ROOT/sys/bus/mdev/devices/$u/remove"
	[ ! -e "$ROOT/sys/bus/mdev/devices/$u" ]
}

@test "remove: a busy device fails with EBUSY until released" {
	simfs_mount "$ROOT"
	local u
	u=$(simfs_uuid 1)
	create i915-GVTg_V5_4 "$u"
	simfs_ctl "$ROOT" busy "$u"
	sh_echo 1 "$ROOT/sys/bus/mdev/devices/$u/remove"
	assert_failure
	[[ $stderr == *"write error: Device or resource busy"* ]]
	[ -d "$ROOT/sys/bus/mdev/devices/$u" ]
	simfs_ctl "$ROOT" busy "${u^^}" off
	sh_echo 1 "$ROOT/sys/bus/mdev/devices/$u/remove"
	assert_success
}

@test "a write to a file whose device went away fails with ENODEV" {
	simfs_mount "$ROOT"
	local u
	u=$(simfs_uuid 1)
	create i915-GVTg_V5_4 "$u"
	run bash -c 'exec 3> "$1/remove"; echo 1 > "$1/remove"; echo 1 >&3' _ "$ROOT/sys/bus/mdev/devices/$u"
	assert_failure
	assert_output --partial "No such device"
}

# --- mtty and vendor parents --------------------------------------------------

@test "mtty: layout and counts 24/12, 22/11 after one mtty-2, ENOSPC when ports run out" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mtty.conf"
	local s=$ROOT/sys
	assert_equal "$(readlink "$s/class/mdev_bus/mtty")" "../../devices/virtual/mtty/mtty"
	assert_equal "$(readlink "$s/devices/virtual/mtty/mtty/subsystem")" "../../../../class/mtty"
	assert_equal "$(readlink "$s/class/mtty/mtty")" "../../devices/virtual/mtty/mtty"
	assert_equal "$(stat -c %s%a "$s/devices/virtual/mtty/mtty/uevent")" 4096644
	assert_equal "$(cat "$s/devices/virtual/mtty/mtty/uevent")" ""
	assert_equal "$(simfs_avail "$ROOT" mtty)" "mtty-1 24
mtty-2 12"
	local t
	t=$(types_of mtty)
	assert_equal "$(cat "$t/mtty-1/name")" "Single port serial"
	assert_equal "$(cat "$t/mtty-2/name")" "Dual port serial"
	[ ! -e "$t/mtty-1/description" ]
	assert_equal "$(cat "$t/mtty-2/device_api")" vfio-pci
	create mtty-2 "$(simfs_uuid 1)" mtty
	assert_equal "$(simfs_avail "$ROOT" mtty)" "mtty-1 22
mtty-2 11"
	local dev=$s/bus/mdev/devices/$(simfs_uuid 1)
	assert_equal "$(cat "$dev/vendor/sample_mdev_dev")" "This is MDEV $(simfs_uuid 1)"
	assert_equal "$(readlink "$dev/driver")" "../../../../../bus/mdev/drivers/mtty"
	assert_equal "$(readlink "$dev")" "../../../devices/virtual/mtty/mtty/$(simfs_uuid 1)"
	assert_equal "$(basename "$(dirname "$(realpath "$dev")")")" mtty
	for i in $(seq 2 12); do create mtty-2 "$(simfs_uuid "$i")" mtty; done
	assert_equal "$(simfs_avail "$ROOT" mtty)" "mtty-1 0
mtty-2 0"
	sh_echo "$(simfs_uuid 13)" "$t/mtty-1/create"
	assert_failure
	[[ $stderr == *"No space left on device"* ]]
	echo 1 > "$dev/remove"
	create mtty-1 "$(simfs_uuid 13)" mtty
	sh_echo "$(simfs_uuid 14)" "$t/mtty-2/create"
	assert_failure
	[[ $stderr == *"No space left on device"* ]]
	create mtty-1 "$(simfs_uuid 14)" mtty
}

@test "vendor: name, description, fixed counts, ENOSPC past them" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/vendor.conf"
	local t s=$ROOT/sys
	t=$(types_of 0000:03:00.0)
	assert_equal "$(readlink "$s/class/mdev_bus/0000:03:00.0")" "../../devices/pci0000:00/0000:00:1c.0/0000:03:00.0"
	assert_equal "$(simfs_avail "$ROOT" 0000:03:00.0)" "simvendor-large 2
simvendor-small 4"
	assert_equal "$(cat "$t/simvendor-small/name")" "Simulated small"
	assert_equal "$(cat "$t/simvendor-large/description")" "instances: 2
attributes: channel display"
	create simvendor-large "$(simfs_uuid 1)" 0000:03:00.0
	create simvendor-large "$(simfs_uuid 2)" 0000:03:00.0
	assert_equal "$(simfs_avail "$ROOT" 0000:03:00.0)" "simvendor-large 0
simvendor-small 4"
	sh_echo "$(simfs_uuid 3)" "$t/simvendor-large/create"
	assert_failure
	[[ $stderr == *"No space left on device"* ]]
	assert_equal "$(readlink "$s/bus/mdev/devices/$(simfs_uuid 1)/driver")" "../../../../../bus/mdev/drivers/simvendor_mdev"
}

@test "vendor attributes: good values accepted, bad ones rejected with EINVAL" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/vendor.conf"
	local dev
	create simvendor-small "$(simfs_uuid 1)" 0000:03:00.0
	dev=$ROOT/sys/bus/mdev/devices/$(simfs_uuid 1)
	assert_equal "$(stat -c %a "$dev/channel")" 644
	assert_equal "$(cat "$dev/channel")" 0
	assert_equal "$(cat "$dev/display")" off
	for good in 0 7 15; do
		sh_printf "$good" "$dev/channel"
		assert_success
		assert_equal "$(cat "$dev/channel")" "$good"
	done
	sh_echo 3 "$dev/channel"
	assert_success
	assert_equal "$(cat "$dev/channel")" 3
	for bad in 16 -1 abc " 3" 0x3 "3 " 99999999999999999999999; do
		sh_printf "$bad" "$dev/channel"
		assert_failure
		[[ $stderr == *"write error: Invalid argument"* ]] || fail "channel '$bad': $stderr"
	done
	assert_equal "$(cat "$dev/channel")" 3
	sh_printf on "$dev/display"
	assert_success
	assert_equal "$(cat "$dev/display")" on
	sh_echo off "$dev/display"
	assert_success
	for bad in ON yes 1 "on " onn; do
		sh_printf "$bad" "$dev/display"
		assert_failure
		[[ $stderr == *"Invalid argument"* ]] || fail "display '$bad': $stderr"
	done
	assert_equal "$(cat "$dev/display")" off
}

# --- registration -------------------------------------------------------------

@test "unregister removes types, class link and devices (resources freed); register restores" {
	simfs_mount "$ROOT"
	local s=$ROOT/sys u
	u=$(simfs_uuid 1)
	create i915-GVTg_V5_1 "$u"
	simfs_ctl "$ROOT" busy "$u"
	simfs_ctl "$ROOT" unregister "$GVT_PARENT"
	[ ! -e "$s/class/mdev_bus/$GVT_PARENT" ]
	[ ! -e "$s/$GVT_DEVPATH/mdev_supported_types" ]
	[ ! -e "$s/$GVT_DEVPATH/$u" ]
	assert_equal "$(ls -A "$s/bus/mdev/devices")" ""
	[ -d "$s/class/mdev_bus" ]
	[ -f "$s/$GVT_DEVPATH/vendor" ]
	run --separate-stderr simfs_ctl "$ROOT" unregister "$GVT_PARENT"
	assert_failure
	assert_equal "$stderr" "mdevkit-simfs ctl: parent 0000:00:02.0 is already unregistered; nothing to do"
	simfs_ctl "$ROOT" register "$GVT_PARENT"
	assert_equal "$(simfs_avail "$ROOT")" "i915-GVTg_V5_1 1
i915-GVTg_V5_2 2
i915-GVTg_V5_4 5
i915-GVTg_V5_8 7"
	create i915-GVTg_V5_1 "$u"
}

@test "a parent can start unregistered" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/unregistered.conf"
	[ ! -e "$ROOT/sys/class/mdev_bus/$GVT_PARENT" ]
	[ -e "$ROOT/sys/bus/pci/devices/$GVT_PARENT" ]
	[ ! -e "$ROOT/sys/$GVT_DEVPATH/mdev_supported_types" ]
	simfs_ctl "$ROOT" register "$GVT_PARENT"
	[ -L "$ROOT/sys/class/mdev_bus/$GVT_PARENT" ]
	assert_equal "$(cat "$(types_of)/i915-GVTg_V5_4/available_instances")" 5
}

@test "events: the uevents the kernel would send, in order" {
	simfs_mount "$ROOT"
	local u d=/devices/pci0000:00/0000:00:02.0
	u=$(simfs_uuid 1)
	create i915-GVTg_V5_4 "$u"
	echo 1 > "$ROOT/sys/bus/mdev/devices/$u/remove"
	create i915-GVTg_V5_4 "$u"
	simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" EIO
	create i915-GVTg_V5_4 "$(simfs_uuid 2)" 2> /dev/null || true
	simfs_ctl "$ROOT" unregister "$GVT_PARENT"
	simfs_ctl "$ROOT" register "$GVT_PARENT"
	echo change > "$ROOT/sys/$GVT_DEVPATH/uevent"
	assert_equal "$(cat "$ROOT/sys/kernel/mdevkit-simfs/events")" "add $d/$u SUBSYSTEM=mdev
bind $d/$u SUBSYSTEM=mdev DRIVER=intel_vgpu_mdev
unbind $d/$u SUBSYSTEM=mdev DRIVER=intel_vgpu_mdev
remove $d/$u SUBSYSTEM=mdev
add $d/$u SUBSYSTEM=mdev
bind $d/$u SUBSYSTEM=mdev DRIVER=intel_vgpu_mdev
add $d/$(simfs_uuid 2) SUBSYSTEM=mdev
remove $d/$(simfs_uuid 2) SUBSYSTEM=mdev
unbind $d/$u SUBSYSTEM=mdev DRIVER=intel_vgpu_mdev
remove $d/$u SUBSYSTEM=mdev
change $d SUBSYSTEM=pci MDEV_STATE=unregistered
change $d SUBSYSTEM=pci MDEV_STATE=registered
change $d SUBSYSTEM=pci SYNTH_UUID=0"
	simfs_ctl "$ROOT" clear-events
	assert_equal "$(cat "$ROOT/sys/kernel/mdevkit-simfs/events")" ""
	sh_echo bogus "$ROOT/sys/$GVT_DEVPATH/uevent"
	assert_failure
}

@test "kernel 5.4 profile: no bind events, no events for a failed create" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/kernel-5.4.conf"
	local u d=/devices/pci0000:00/0000:00:02.0
	u=$(simfs_uuid 1)
	simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" EINVAL
	create i915-GVTg_V5_4 "$u" 2> /dev/null || true
	create i915-GVTg_V5_4 "$u"
	assert_equal "$(cat "$ROOT/sys/kernel/mdevkit-simfs/events")" "add $d/$u SUBSYSTEM=mdev
bind $d/$u SUBSYSTEM=mdev DRIVER=vfio_mdev"
}

# --- ctl ----------------------------------------------------------------------

@test "ctl: errors are one line and exit non-zero" {
	simfs_mount "$ROOT"
	run --separate-stderr simfs_ctl "$ROOT" register 0000:00:99.0
	assert_failure
	assert_equal "$stderr" "mdevkit-simfs ctl: no parent '0000:00:99.0' in this scenario; use one of: 0000:00:02.0"
	run --separate-stderr simfs_ctl "$ROOT" frobnicate
	assert_failure
	[[ $stderr == "mdevkit-simfs ctl: unknown command 'frobnicate'; commands are: "* ]]
	run --separate-stderr simfs_ctl "$ROOT" busy "$(simfs_uuid 5)"
	assert_failure
	assert_equal "$stderr" "mdevkit-simfs ctl: no mdev $(simfs_uuid 5) exists; create it first"
	run --separate-stderr simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" EWHATEVER
	assert_failure
	[[ $stderr == *"'EWHATEVER' is not an errno"* ]]
	run --separate-stderr simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" 512
	assert_failure
	run --separate-stderr simfs_ctl "$ROOT"
	assert_failure
	run --separate-stderr "$SIMFS" ctl "$BATS_TEST_TMPDIR" register x
	assert_failure
	assert_equal "$stderr" "mdevkit-simfs ctl: $BATS_TEST_TMPDIR/sys is not an mdevkit-simfs mount; mount it first with 'mdevkit-simfs mount $BATS_TEST_TMPDIR'"
	# the ctl file itself fails a bad command with EINVAL, for shell users
	sh_echo "nonsense" "$ROOT/sys/kernel/mdevkit-simfs/ctl"
	assert_failure
	[[ $stderr == *"Invalid argument"* ]]
}

# --- scenarios ----------------------------------------------------------------

@test "scenario: every example file is valid" {
	for f in "$SIMFS_SCENARIOS"/*.conf; do
		run "$SIMFS" check-scenario "$f"
		assert_success
	done
}

@test "scenario: a bad line stops the mount with file:line, reason and fix" {
	local f=$BATS_TEST_TMPDIR/bad.conf
	simfs_scenario "$f" "[gvt 0000:00:02.0]\naperture = 1024\naperature = 512\n"
	run --separate-stderr "$SIMFS" mount "$ROOT" --scenario "$f"
	assert_failure
	assert_equal "$stderr" "mdevkit-simfs: $f:3: unknown key 'aperature' for parent 0000:00:02.0; use one of: generation, aperture, ggtt, device, registered, enable_gvt, enable_guc"
	if simfs_mounted "$ROOT"; then fail "$ROOT/sys is still mounted"; fi
}

@test "scenario: strict parser rejects each kind of mistake" {
	local f=$BATS_TEST_TMPDIR/bad.conf
	while IFS='|' read -r text want; do
		simfs_scenario "$f" "$text"
		run --separate-stderr "$SIMFS" check-scenario "$f"
		assert_failure
		[[ $stderr == "mdevkit-simfs: $f$want"* ]] || fail "for '$text': got '$stderr', want '$want'"
	done <<'EOF'
aperture = 1024\n|:1: aperture = 1024 is outside any section
[gvt 0000:00:02.0]\naperture = big\n|:2: aperture = 'big' is not 1..65536 MiB
[gvt 0000:00:02.0]\naperture = 8192\n|:1: parent 0000:00:02.0: aperture 8192 MiB is larger than the GGTT (4096 MiB)
[gvt 0000:00:02.0]\nggtt = 3000\n|:2: ggtt = '3000' is not a size GGMS can encode
[gvt 0000:00:02.0]\ngeneration = 11\n|:2: generation = '11' is not 8 (Broadwell) or 9
[gvt 0000:00:02.0]\nregistered = maybe\n|:2: registered = 'maybe' is not yes or no
[gvt 0000:00:02.0]\naperture = 512\naperture = 256\n|:3: aperture given twice
[gvt 00:02.0]\n|:1: [gvt 00:02.0] needs a PCI address
[gvt 0000:00:02.0]\n[vendor 0000:00:02.0]\n|:2: parent 0000:00:02.0 is already described at line 1
[gpu 0000:00:02.0]\n|:1: unknown section kind 'gpu'
[gvt 0000:00:02.0\n|:1: section header '[gvt 0000:00:02.0' lacks the closing ']'
[host]\nkernel = 4.10\n|:2: kernel = 4.10 is older than the oldest modelled kernel
[host]\nkernel = six\n|:2: kernel = 'six' is not MAJOR.MINOR
[host]\nflavour = debian\n|:2: unknown key 'flavour' in [host]
[mtty]\n[mtty]\n|:2: parent mtty is already described at line 1
[mtty other]\n|:1: the mtty parent is always named mtty
[vendor 0000:03:00.0]\ntype = small\n|:2: type = 'small' is not 'NAME COUNT'
[vendor 0000:03:00.0]\ntype = sm/all 4\n|:2: type name 'sm/all' is not 1-32 letters
[vendor 0000:03:00.0]\ntype = small 0\n|:2: type small: count '0' is not 1..64
[vendor 0000:03:00.0]\ntype = small 1\ntype = small 2\n|:3: type small given twice
[gvt 0000:00:02.0]\njust words\n|:2: 'just words' is neither [section] nor key = value
[gvt 0000:00:02.0]\naperture =\n|:2: aperture has no value
[gvt 0000:00:02.0]\r\n|:1: carriage return in line
[gvt 0000:00:02.0]\ndevice = 1912\n|:2: device = '1912' is not a PCI device ID
EOF
	run --separate-stderr "$SIMFS" check-scenario "$BATS_TEST_TMPDIR/missing.conf"
	assert_failure
	assert_equal "$stderr" "mdevkit-simfs: $BATS_TEST_TMPDIR/missing.conf: cannot open the scenario: No such file or directory; check the path"
	printf '[gvt 0000:00:02.0]\n\0\n' > "$f"
	run --separate-stderr "$SIMFS" check-scenario "$f"
	assert_failure
	[[ $stderr == *":2: NUL byte in line"* ]]
}

@test "scenario: comments, blank lines, no parents at all" {
	local f=$BATS_TEST_TMPDIR/empty.conf
	simfs_scenario "$f" "# nothing here\n\n  ; nor here\n[host]\nkernel = 6.6\n"
	simfs_mount "$ROOT" "$f"
	assert_equal "$(ls -A "$ROOT/sys/class/mdev_bus")" ""
	assert_equal "$(cat "$ROOT/sys/kernel/mdevkit-simfs/scenario")" "$(cat "$f")"
}

# --- CLI and mounts -----------------------------------------------------------

@test "CLI: --help, --version, usage errors" {
	run "$SIMFS" --help
	assert_success
	assert_output --partial "mdevkit-simfs mount ROOT [--scenario FILE] [--foreground]"
	run "$SIMFS" --version
	assert_success
	assert_output "mdevkit-simfs $(cat "$TOP/VERSION")"
	run --separate-stderr "$SIMFS" mount
	assert_equal "$status" 2
	run --separate-stderr "$SIMFS" bogus
	assert_equal "$status" 2
	assert_equal "$stderr" "mdevkit-simfs: unknown command 'bogus'; see mdevkit-simfs --help"
	run --separate-stderr "$SIMFS" mount "$BATS_TEST_TMPDIR/nonexistent"
	assert_failure
	[[ $stderr == *"nonexistent: No such file or directory; create the root directory first" ]]
}

@test "mount twice, umount of nothing: clear errors, nothing changed" {
	simfs_mount "$ROOT"
	run --separate-stderr "$SIMFS" mount "$ROOT"
	assert_failure
	[[ $stderr == *"is already mounted (fuse.mdevkit-simfs); unmount it first with 'mdevkit-simfs umount $ROOT'" ]]
	simfs_umount "$ROOT"
	run --separate-stderr "$SIMFS" umount "$ROOT"
	assert_failure
	[[ $stderr == *"/sys is not mounted; nothing to unmount" ]]
}

@test "umount waits for the daemon to exit" {
	simfs_mount "$ROOT"
	local src pid
	src=$(awk -v d="$(cd "$ROOT" && pwd -P)/sys" '$5 == d { for (i = 7; i <= NF; i++) if ($i == "-") print $(i + 2) }' /proc/self/mountinfo)
	pid=${src##*:}
	assert_equal "$pid" "$(cat "$ROOT/sys/kernel/mdevkit-simfs/pid")"
	kill -0 "$pid"
	simfs_umount "$ROOT"
	if kill -0 "$pid" 2> /dev/null; then
		assert_equal "$(awk '{print $3}' "/proc/$pid/stat")" Z
	fi
}

@test "two roots mounted at once are independent" {
	local r2=$BATS_TEST_TMPDIR/root2
	mkdir -p "$r2"
	simfs_mount "$ROOT"
	simfs_mount "$r2" "$SIMFS_SCENARIOS/mtty.conf"
	create i915-GVTg_V5_4 "$(simfs_uuid 1)"
	assert_equal "$(ls "$r2/sys/bus/mdev/devices")" ""
	assert_equal "$(ls "$ROOT/sys/class/mdev_bus")" "$GVT_PARENT"
	assert_equal "$(ls "$r2/sys/class/mdev_bus")" mtty
	printf %s "$(simfs_uuid 1)" > "$r2/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1/create"
	simfs_umount "$r2"
	[ -d "$ROOT/sys/bus/mdev/devices/$(simfs_uuid 1)" ]
}

@test "teardown helper cleans up a mount whose daemon was killed" {
	simfs_mount "$ROOT"
	local src
	src=$(awk -v d="$(cd "$ROOT" && pwd -P)/sys" '$5 == d { for (i = 7; i <= NF; i++) if ($i == "-") print $(i + 2) }' /proc/self/mountinfo)
	kill -KILL "${src##*:}"
	run ls "$ROOT/sys"
	assert_failure
	simfs_umount "$ROOT"
	if simfs_mounted "$ROOT"; then fail "$ROOT/sys is still mounted"; fi
}

@test "reads: cat, read_to_string-style loops and repeated preads see the current text" {
	simfs_mount "$ROOT"
	local f
	f=$(types_of)/i915-GVTg_V5_4/available_instances
	assert_equal "$(stat -c %s "$f")" 4096
	assert_equal "$(wc -c < "$f")" 2
	assert_equal "$(dd if="$f" bs=1 2> /dev/null)" 5
	run python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
a = os.pread(fd, 100, 0)
with open(sys.argv[2], "w") as c: c.write(sys.argv[3])
b = os.pread(fd, 100, 0)
print(a.decode().strip(), b.decode().strip())' "$f" "$(types_of)/i915-GVTg_V5_4/create" "$(simfs_uuid 1)"
	assert_success
	assert_output "5 4"
}

# run CMD...; it must fail (but the daemon must live on)
must_fail() {
	if "$@" 2> /dev/null; then
		fail "accepted: $*"
	fi
}

@test "robustness: junk writes fail cleanly and never crash the daemon" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	local c u s=$ROOT/sys
	c=$(types_of)/i915-GVTg_V5_4/create
	u=$(simfs_uuid 1)
	head -c 5000 /dev/zero | tr '\0' 'a' > "$BATS_TEST_TMPDIR/big"
	head -c 5000 /dev/urandom > "$BATS_TEST_TMPDIR/random"
	must_fail dd if="$BATS_TEST_TMPDIR/big" of="$c" bs=5000 count=1
	must_fail dd if=/dev/zero of="$c" bs=36 count=1
	must_fail dd if=/dev/zero of="$c" bs=37 count=1
	create i915-GVTg_V5_4 "$u"
	must_fail dd if="$BATS_TEST_TMPDIR/random" of="$s/kernel/mdevkit-simfs/ctl" bs=5000 count=1
	must_fail bash -c 'printf "busy\0x\n" > "$1"' _ "$s/kernel/mdevkit-simfs/ctl"
	must_fail bash -c 'printf "register a b c d e f g h i j k\n" > "$1"' _ "$s/kernel/mdevkit-simfs/ctl"
	must_fail bash -c 'printf "register\nregister\n" > "$1"' _ "$s/kernel/mdevkit-simfs/ctl"
	must_fail bash -c 'printf "\n" > "$1"' _ "$s/kernel/mdevkit-simfs/ctl"
	must_fail dd if="$BATS_TEST_TMPDIR/random" of="$s/$GVT_DEVPATH/uevent" bs=3000 count=1
	must_fail dd if="$BATS_TEST_TMPDIR/random" of="$s/bus/mdev/devices/$u/remove" bs=3000 count=1
	must_fail dd if="$BATS_TEST_TMPDIR/random" of="$c" bs=37 count=1
	must_fail bash -c 'printf x > "$1"' _ "$s/$GVT_DEVPATH/config"
	must_fail cat "$s/$GVT_DEVPATH/resource2"
	must_fail mkdir "$s/class/x"
	must_fail rm "$s/$GVT_DEVPATH/vendor"
	must_fail rmdir "$s/class/mdev_bus"
	must_fail ln -s x "$s/class/y"
	must_fail mv "$s/$GVT_DEVPATH/vendor" "$s/$GVT_DEVPATH/v2"
	must_fail chmod 777 "$s/$GVT_DEVPATH/vendor"
	must_fail truncate -s 0 "$s/$GVT_DEVPATH/vendor"
	touch "$s/$GVT_DEVPATH/vendor"
	# the 37th byte is not inspected, even when it is a NUL
	printf '%s\0' "$(simfs_uuid 2)" > "$c"
	printf '1\0garbage' > "$s/bus/mdev/devices/$(simfs_uuid 2)/remove"
	find "$s" > /dev/null
	find -L "$s/bus" > /dev/null 2>&1 || true
	cat "$s/kernel/mdevkit-simfs/events" > /dev/null
	assert_equal "$(cat "$(types_of)/i915-GVTg_V5_8/available_instances")" 5
	assert_equal "$(cat "$s/$GVT_DEVPATH/vendor")" 0x8086
}

@test "valgrind: a foreground daemon under memcheck: no errors, no leaks" {
	local simfs=$SIMFS vg out=$BATS_TEST_TMPDIR/valgrind.log
	# valgrind cannot run an ASan binary: use the plain build next to it
	if ldd "$simfs" | grep -q libasan; then
		simfs=$TOP/build/mdevkit-simfs
	fi
	[ -x "$simfs" ] || fail "$simfs missing: run make"
	simfs_track "$ROOT"
	valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--log-file="$out" "$simfs" mount "$ROOT" --foreground \
		--scenario "$SIMFS_SCENARIOS/mixed.conf" > "$BATS_TEST_TMPDIR/fg.out" 2>&1 &
	vg=$!
	simfs_wait "$ROOT" "$vg" || { cat "$out" "$BATS_TEST_TMPDIR/fg.out"; false; }
	local u1 u2 u3 t
	u1=$(simfs_uuid 1)
	u2=$(simfs_uuid 2)
	u3=$(simfs_uuid 3)
	t=$(types_of)
	echo "$u1" > "$t/i915-GVTg_V5_4/create"
	printf %s "$u2" > "$(types_of mtty)/mtty-2/create"
	printf %s "$u3" > "$(types_of 0000:03:00.0)/simvendor-small/create"
	echo 9 > "$ROOT/sys/bus/mdev/devices/$u3/channel"
	echo nope > "$ROOT/sys/bus/mdev/devices/$u3/display" 2> /dev/null || true
	echo bad > "$t/i915-GVTg_V5_4/create" 2> /dev/null || true
	cat "$t"/*/available_instances "$t"/*/description > /dev/null
	find -L "$ROOT/sys/bus" "$ROOT/sys/class" -maxdepth 3 > /dev/null 2>&1 || true
	simfs_ctl "$ROOT" busy "$u1"
	echo 1 > "$ROOT/sys/bus/mdev/devices/$u1/remove" 2> /dev/null || true
	simfs_ctl "$ROOT" fail-next-create mtty ENOMEM
	simfs_ctl "$ROOT" bogus 2> /dev/null || true
	simfs_ctl "$ROOT" unregister "$GVT_PARENT"
	simfs_ctl "$ROOT" register "$GVT_PARENT"
	echo 1 > "$ROOT/sys/bus/mdev/devices/$u2/remove"
	cat "$ROOT/sys/kernel/mdevkit-simfs/events" > /dev/null
	exec 4< "$ROOT/sys/kernel/mdevkit-simfs/scenario"	# left open over the unmount
	"$SIMFS" umount --lazy "$ROOT"
	exec 4<&-
	local rc=0
	wait "$vg" || rc=$?
	if [ "$rc" -ne 0 ]; then
		cat "$out"
		fail "valgrind exit status $rc"
	fi
	grep -q "ERROR SUMMARY: 0 errors" "$out"
}
