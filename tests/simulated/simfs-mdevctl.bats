#!/usr/bin/env bats
# Debian's real mdevctl 1.2.0 over mdevkit-simfs, in a private mount
# namespace (mdevctl_ns): it must see the simulated host as it would see
# the hardware, and its creates, removes and attribute writes must land.

load ../lib/helpers
load ../lib/simfs

setup() {
	mk_root
}

teardown() {
	simfs_teardown
}

@test "mdevctl types: the 1024 MiB Skylake host exactly as on hardware" {
	simfs_mount "$ROOT"
	mdevctl_ns "$ROOT" types > "$BATS_TEST_TMPDIR/types.txt"
	diff -u "$FIXTURES/simfs/mdevctl-1.2-types-gvt-1024.txt" "$BATS_TEST_TMPDIR/types.txt"
}

@test "mdevctl types: counts follow the devices; kernel 5.4 profile has no Name lines" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/kernel-5.4.conf"
	run mdevctl_ns "$ROOT" types
	assert_success
	refute_output --partial "Name:"
	assert_line --index 1 "  i915-GVTg_V5_1"
	assert_line --index 2 "    Available instances: 1"
	assert_line --index 14 "    Available instances: 8"
	printf %s "$(simfs_uuid 1)" > "$(types_of)/i915-GVTg_V5_1/create"
	run mdevctl_ns "$ROOT" types -p "$GVT_PARENT"
	assert_success
	assert_line --index 2 "    Available instances: 0"
	assert_line --index 14 "    Available instances: 0"
}

@test "mdevctl start -p -t creates a device, list shows it, stop removes it" {
	simfs_mount "$ROOT"
	run --separate-stderr mdevctl_ns "$ROOT" start -p "$GVT_PARENT" -t i915-GVTg_V5_4
	assert_success
	assert_equal "$stderr" ""
	local u=$output
	[[ $u =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]
	[ -d "$ROOT/sys/$GVT_DEVPATH/$u" ]
	assert_equal "$(cat "$(types_of)/i915-GVTg_V5_4/available_instances")" 4
	mdevctl_ns "$ROOT" list > "$BATS_TEST_TMPDIR/list.txt"
	assert_equal "$(od -c < "$BATS_TEST_TMPDIR/list.txt")" "$(printf '%s 0000:00:02.0 i915-GVTg_V5_4 manual\n\n' "$u" | od -c)"
	run mdevctl_ns "$ROOT" stop -u "$u"
	assert_success
	[ ! -e "$ROOT/sys/bus/mdev/devices/$u" ]
	assert_equal "$(cat "$(types_of)/i915-GVTg_V5_4/available_instances")" 5
}

@test "mdevctl start -u with a given UUID; list sorted by parent then UUID; both tools see each other's devices" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	local u1 u2 u3
	u1=$(simfs_uuid 2)
	u2=$(simfs_uuid 1)
	u3=$(simfs_uuid 3)
	run mdevctl_ns "$ROOT" start -u "$u1" -p "$GVT_PARENT" -t i915-GVTg_V5_8
	assert_success
	assert_output ""
	run mdevctl_ns "$ROOT" start -u "$u2" -p mtty -t mtty-2
	assert_success
	# made by a shell user, listed by mdevctl
	printf %s "$u3" > "$(types_of)/i915-GVTg_V5_1/create"
	run mdevctl_ns "$ROOT" list
	assert_success
	assert_output "$u1 0000:00:02.0 i915-GVTg_V5_8 manual
$u3 0000:00:02.0 i915-GVTg_V5_1 manual
$u2 mtty mtty-2 manual"
	assert_equal "$(cat "$(types_of mtty)/mtty-2/available_instances")" 11
	run mdevctl_ns "$ROOT" stop -u "$u2"
	assert_success
	run mdevctl_ns "$ROOT" list -p mtty
	assert_success
	assert_output ""
}

@test "mdevctl start: no available instances, kernel errno, unregistered parent" {
	simfs_mount "$ROOT"
	for i in 1 2 3 4 5 6 7; do printf %s "$(simfs_uuid "$i")" > "$(types_of)/i915-GVTg_V5_8/create"; done
	run --separate-stderr mdevctl_ns "$ROOT" start -p "$GVT_PARENT" -t i915-GVTg_V5_8
	assert_failure
	assert_equal "$stderr" "Error: No available instances of i915-GVTg_V5_8 on 0000:00:02.0"
	for i in 1 2 3 4 5 6 7; do echo 1 > "$ROOT/sys/bus/mdev/devices/$(simfs_uuid "$i")/remove"; done

	simfs_ctl "$ROOT" fail-next-create "$GVT_PARENT" EINVAL
	run --separate-stderr mdevctl_ns "$ROOT" start -u "$(simfs_uuid 9)" -p "$GVT_PARENT" -t i915-GVTg_V5_4
	assert_failure
	assert_equal "$stderr" "Error: Failed to create mdev $(simfs_uuid 9), type i915-GVTg_V5_4 on 0000:00:02.0

Caused by:
    Invalid argument (os error 22)"

	simfs_ctl "$ROOT" unregister "$GVT_PARENT"
	run --separate-stderr mdevctl_ns "$ROOT" start -p "$GVT_PARENT" -t i915-GVTg_V5_4
	assert_failure
	assert_equal "$stderr" "Error: Unable to find parent device '0000:00:02.0'"
	run mdevctl_ns "$ROOT" types
	assert_success
	assert_output ""
}

@test "mdevctl stop of a busy device reports EBUSY and leaves it" {
	simfs_mount "$ROOT"
	local u
	u=$(simfs_uuid 1)
	mdevctl_ns "$ROOT" start -u "$u" -p "$GVT_PARENT" -t i915-GVTg_V5_4
	simfs_ctl "$ROOT" busy "$u"
	run --separate-stderr mdevctl_ns "$ROOT" stop -u "$u"
	assert_failure
	assert_equal "$stderr" "Error: Error removing device $u

Caused by:
    Device or resource busy (os error 16)"
	[ -d "$ROOT/sys/bus/mdev/devices/$u" ]
}

@test "mdevctl define + modify --addattr + start writes the vendor attributes" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/vendor.conf"
	local u p=0000:03:00.0
	u=$(simfs_uuid 7)
	mdevctl_ns "$ROOT" define -u "$u" -p "$p" -t simvendor-small
	mdevctl_ns "$ROOT" modify -u "$u" --addattr=channel --value=12
	mdevctl_ns "$ROOT" modify -u "$u" --addattr=display --value=on
	run --separate-stderr mdevctl_ns "$ROOT" start -u "$u"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(cat "$ROOT/sys/bus/mdev/devices/$u/channel")" 12
	assert_equal "$(cat "$ROOT/sys/bus/mdev/devices/$u/display")" on
	run mdevctl_ns "$ROOT" list -v
	assert_success
	assert_output "$u $p simvendor-small manual (defined)
  Attrs:
    @{0}: {\"channel\":\"12\"}
    @{1}: {\"display\":\"on\"}"
	assert_equal "$(cat "$(types_of "$p")/simvendor-small/available_instances")" 3
}

@test "mdevctl start with a value the vendor rejects: EINVAL, and mdevctl removes the device again" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/vendor.conf"
	local u p=0000:03:00.0
	u=$(simfs_uuid 8)
	mdevctl_ns "$ROOT" define -u "$u" -p "$p" -t simvendor-large
	mdevctl_ns "$ROOT" modify -u "$u" --addattr=display --value=on
	mdevctl_ns "$ROOT" modify -u "$u" --addattr=channel --value=16
	run --separate-stderr mdevctl_ns "$ROOT" start -u "$u"
	assert_failure
	assert_equal "$stderr" "Error: Failed to write 16 to attribute channel

Caused by:
    Invalid argument (os error 22)"
	[ ! -e "$ROOT/sys/bus/mdev/devices/$u" ]
	assert_equal "$(cat "$(types_of "$p")/simvendor-large/available_instances")" 2
	# the events show the create and mdevctl's rollback
	run grep -c "^remove /devices/pci0000:00/0000:00:1c.0/0000:03:00.0/$u " "$ROOT/sys/kernel/mdevkit-simfs/events"
	assert_output 1
}

@test "mdevctl types on mtty and vendor parents: Name lines, Description only where the file exists" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	run mdevctl_ns "$ROOT" types -p mtty
	assert_success
	assert_output "mtty
  mtty-1
    Available instances: 24
    Device API: vfio-pci
    Name: Single port serial
  mtty-2
    Available instances: 12
    Device API: vfio-pci
    Name: Dual port serial"
	run mdevctl_ns "$ROOT" types -p 0000:03:00.0
	assert_success
	assert_output "0000:03:00.0
  simvendor-large
    Available instances: 2
    Device API: vfio-pci
    Name: Simulated large
    Description: instances: 2, attributes: channel display
  simvendor-small
    Available instances: 4
    Device API: vfio-pci
    Name: Simulated small
    Description: instances: 4, attributes: channel display"
}
