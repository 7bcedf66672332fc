#!/usr/bin/env bats
# mdevkit-udev: KEY=VALUE lines for mdev parents, nothing for anything else.
load ../lib/helpers
load ../lib/simfs

A1=11111111-1111-4111-8111-111111111111
A2=22222222-2222-4222-8222-222222222222
M3=33333333-3333-4333-8333-333333333333
GVTDEV=/devices/pci0000:00/0000:00:02.0

setup() {
	mk_root
}

teardown() {
	simfs_teardown
}

helper() {
	run --separate-stderr "$MDEVKIT_UDEV" "$@"
	assert_success
	assert_equal "$stderr" ""
}

@test "mtty: parent, auto count, unit; from a syspath or udev's DEVPATH" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	write_def "$ROOT" mtty "$A2" '{"mdev_type":"mtty-1","start":"auto"}'
	write_def "$ROOT" mtty "$M3" '{"mdev_type":"mtty-1","start":"manual"}'
	helper /sys/devices/virtual/mtty/mtty
	assert_output "$(printf 'MDEVKIT_PARENT=1\nMDEVKIT_AUTOSTART=2\nMDEVKIT_UNIT=mdevkit-parent@mtty.service')"
	run --separate-stderr env DEVPATH=/devices/virtual/mtty/mtty ACTION=change MDEV_STATE=registered "$MDEVKIT_UDEV"
	assert_success
	assert_output "$(printf 'MDEVKIT_PARENT=1\nMDEVKIT_AUTOSTART=2\nMDEVKIT_UNIT=mdevkit-parent@mtty.service')"
}

@test "GVT-g parent whose auto definitions fit" {
	simfs_mount "$ROOT"
	write_def "$ROOT" 0000:00:02.0 "$A1" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	write_def "$ROOT" 0000:00:02.0 "$A2" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	helper "/sys$GVTDEV"
	assert_output "$(printf 'MDEVKIT_PARENT=1\nMDEVKIT_AUTOSTART=2\nMDEVKIT_UNIT=mdevkit-parent@0000:00:02.0.service\nMDEVKIT_GVT=1\nMDEVKIT_GVT_APERTURE_MB=1024\nMDEVKIT_GVT_FITS=1')"
}

@test "GVT-g parent whose auto definitions do not fit (512 MiB aperture)" {
	gvt_scenario "$BATS_TEST_TMPDIR/host.conf" 512
	simfs_mount "$ROOT" "$BATS_TEST_TMPDIR/host.conf"
	write_def "$ROOT" 0000:00:02.0 "$A1" '{"mdev_type":"i915-GVTg_V5_2","start":"auto"}'
	write_def "$ROOT" 0000:00:02.0 "$A2" '{"mdev_type":"i915-GVTg_V5_2","start":"auto"}'
	run --separate-stderr "$MDEVKIT_UDEV" --debug "$GVTDEV"
	assert_success
	assert_output "$(printf 'MDEVKIT_PARENT=1\nMDEVKIT_AUTOSTART=2\nMDEVKIT_UNIT=mdevkit-parent@0000:00:02.0.service\nMDEVKIT_GVT=1\nMDEVKIT_GVT_APERTURE_MB=512\nMDEVKIT_GVT_FITS=0')"
	assert_regex "$stderr" "The auto definitions of 0000:00:02.0 do not fit the hardware; 'mdevkit check -p 0000:00:02.0' says why"
}

@test "a parent without definitions has no auto devices" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	helper /devices/pci0000:00/0000:00:1c.0/0000:03:00.0
	assert_output "$(printf 'MDEVKIT_PARENT=1\nMDEVKIT_AUTOSTART=0\nMDEVKIT_UNIT=mdevkit-parent@0000:03:00.0.service')"
}

@test "devices that are not mdev parents: nothing, exit 0" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	for dev in /sys/module/mtty /devices/pci0000:00/0000:00:1c.0 /devices/nosuch /sys/devices "" \
		/sys/class/mdev_bus; do
		helper "$dev"
		assert_output ""
	done
	run --separate-stderr env -u DEVPATH "$MDEVKIT_UDEV"
	assert_success
	assert_output ""
}

@test "an unregistered parent is not a parent" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	simfs_ctl "$ROOT" unregister mtty
	helper /devices/virtual/mtty/mtty
	assert_output ""
}

@test "the unit name is systemd-escaped" {
	mkdir -p "$ROOT/sys/devices/virtual/x/my-parent.1/mdev_supported_types" "$ROOT/sys/class/mdev_bus"
	ln -s ../../devices/virtual/x/my-parent.1 "$ROOT/sys/class/mdev_bus/my-parent.1"
	write_def "$ROOT" my-parent.1 "$A1" '{"mdev_type":"t","start":"auto"}'
	helper /devices/virtual/x/my-parent.1
	assert_line "MDEVKIT_UNIT=$(systemd-escape --template=mdevkit-parent@.service my-parent.1)"
	assert_line 'MDEVKIT_UNIT=mdevkit-parent@my\x2dparent.1.service'
}

@test "a broken definition is skipped; the count covers the good ones" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	write_def "$ROOT" mtty "$A2" '{"mdev_type":"mtty-2","start":"auto"'
	run "$MDEVKIT_UDEV" /devices/virtual/mtty/mtty
	assert_success
	assert_line MDEVKIT_AUTOSTART=1
}

@test "never writes sysfs" {
	command -v strace || fail "strace is not installed (tests/deps.sh check)"
	simfs_mount "$ROOT"
	write_def "$ROOT" 0000:00:02.0 "$A1" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	run env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -e trace=openat,open,creat,write,unlink,rename,mkdir \
		-o "$BATS_TEST_TMPDIR/trace" "$NATIVE/mdevkit-udev" "$GVTDEV"
	assert_success
	# (a mkdir that finds the directory there changes nothing: ASan's runtime
	# checks that the log directory tests/run gave it exists)
	run grep -E 'O_WRONLY|O_RDWR|O_CREAT|unlink|rename|mkdir' "$BATS_TEST_TMPDIR/trace"
	assert_output "$(grep -E '^[0-9]+ +mkdir\(.* = -1 EEXIST ' <<<"$output")"
}

@test "--help, --version, usage errors" {
	run "$MDEVKIT_UDEV" --help
	assert_success
	assert_output --partial "Usage: mdevkit-udev"
	run "$MDEVKIT_UDEV" --version
	assert_output "mdevkit-udev $(cat "$TOP/VERSION")"
	run "$MDEVKIT_UDEV" a b
	assert_failure 2
	run "$MDEVKIT_UDEV" --bogus
	assert_failure 2
}
