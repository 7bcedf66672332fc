#!/usr/bin/env bats
# Ready means ready: start returns once udev has finished the new device's
# vfio group node, at most ready_timeout_sec, then warns; no wait without
# udev.  Under MDEVCTL_ENV_ROOT udev "runs" when ROOT/run/udev/control
# exists, and the node is ROOT/dev/vfio/<group>.  The simulator has no
# netlink: a fake udev here reads its event log and makes the node, or
# never does.
load ../lib/helpers
load ../lib/simfs

C=33333333-3333-4333-8333-333333333333
A1=11111111-1111-4111-8111-111111111111

setup() {
	mk_root
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$C" '{"mdev_type":"mtty-1","start":"manual"}'
	mkdir -p "$ROOT/etc/mdevkit"
}

teardown() {
	[ -z "${FAKE_UDEV:-}" ] || kill "$FAKE_UDEV" 2> /dev/null || true
	simfs_teardown
}

udev_running() {
	mkdir -p "$ROOT/run/udev"
	: > "$ROOT/run/udev/control"
}

# fake_udev: for every mdev add event in the simulator's log, the node of
# the device's group, as udev would make it
fake_udev() {
	(
		events=$ROOT/sys/kernel/mdevkit-simfs/events
		while :; do
			while read -r action path _; do
				[ "$action" = add ] || continue
				g=$(readlink "$ROOT/sys/bus/mdev/devices/${path##*/}/iommu_group") || continue
				mkdir -p "$ROOT/dev/vfio"
				: > "$ROOT/dev/vfio/${g##*/}"
			done < "$events"
			sleep 0.02
		done
	) 3>&- &
	FAKE_UDEV=$!
}

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
# timed_start ARGS...: run mdevkit start ARGS; its wall time in $ms
timed_start() {
	local t0
	t0=$(date +%s%N)
	run --separate-stderr "$MDEVKIT" start "$@"
	ms=$(ms_since "$t0")
}
group_of() { basename "$(readlink "$ROOT/sys/bus/mdev/devices/$1/iommu_group")"; }
timeout_conf() { printf 'ready_timeout_sec = %s\n' "$1" > "$ROOT/etc/mdevkit/mdevkit.conf"; }

@test "without udev start does not wait" {
	timeout_conf 3
	MDEVKIT_LOG_LEVEL=debug timed_start -u "$C"
	assert_success
	assert_equal "$(grep -c 'not waiting for udev: udev is not running' <<<"$stderr")" 1
	refute_output --partial Warning
	((ms < 2500)) || fail "start took $ms ms"
	assert_equal "$(ls "$ROOT/sys/bus/mdev/devices")" "$C"
}

@test "udev never confirms: start waits ready_timeout_sec, warns with the device and what is missing, succeeds" {
	udev_running
	timeout_conf 1
	timed_start -u "$C"
	assert_success
	assert_output ""
	assert_equal "$stderr" "Warning: $C is not ready after 1 s: /dev/vfio/$(group_of "$C") does not exist; a VM may not open it yet"
	((ms >= 1000 && ms < 4000)) || fail "start took $ms ms"
}

@test "udev confirms: start returns once the node is there, without a warning" {
	udev_running
	fake_udev
	timeout_conf 20
	timed_start -u "$C"
	assert_success
	assert_equal "$stderr" ""
	assert_file_exists "$ROOT/dev/vfio/$(group_of "$C")"
	((ms < 10000)) || fail "start took $ms ms"
}

@test "ready_timeout_sec = 0: no wait even with udev running; a bad mdevkit.conf waits the default" {
	udev_running
	timeout_conf 0
	run --separate-stderr "$MDEVKIT" start -u "$C"
	assert_success
	assert_equal "$stderr" ""
	"$MDEVKIT" stop -u "$C"
	printf 'ready_timeot_sec = 1\n' > "$ROOT/etc/mdevkit/mdevkit.conf"
	fake_udev
	run --separate-stderr "$MDEVKIT" start -u "$C"
	assert_success
	assert_equal "${stderr_lines[0]}" "Warning: $ROOT/etc/mdevkit/mdevkit.conf:1: unknown setting \"ready_timeot_sec\"; the settings are vfio_group, vfio_mode, ready_timeout_sec and pve_keep_alive (mdevkit(8), FILES); waiting at most 5 s for udev"
	assert_equal "${#stderr_lines[@]}" 1
}

@test "start-parent-mdevs and a device already running wait too" {
	udev_running
	timeout_conf 1
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	run --separate-stderr "$MDEVKIT" start-parent-mdevs mtty
	assert_success
	assert_equal "$(grep -c "^Warning: $A1 is not ready after 1 s: /dev/vfio/[0-9]* does not exist" <<<"$stderr")" 1
	# already running (mdevkit@.service's --running-ok): udev's record is
	# enough, whenever it was made
	fake_udev
	run --separate-stderr "$MDEVKIT" start --running-ok -u "$A1"
	assert_success
	assert_equal "$stderr" ""
}
