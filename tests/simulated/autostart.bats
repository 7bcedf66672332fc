#!/usr/bin/env bats
# start-parent-mdevs: every auto definition of a parent, idempotent, with
# bounded retries for a parent or driver that is not ready yet.
load ../lib/helpers
load ../lib/simfs

A1=11111111-1111-4111-8111-111111111111
A2=22222222-2222-4222-8222-222222222222
M3=33333333-3333-4333-8333-333333333333
GVT=0000:00:02.0

setup() {
	mk_root
}

teardown() {
	simfs_teardown
}

running() {
	ls "$ROOT/sys/bus/mdev/devices" | sort | tr '\n' ' '
}

@test "auto devices start, manual ones do not; a second run changes nothing and succeeds" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	write_def "$ROOT" mtty "$A2" '{"mdev_type":"mtty-1","start":"auto"}'
	write_def "$ROOT" mtty "$M3" '{"mdev_type":"mtty-1","start":"manual"}'
	run --separate-stderr "$MDEVKIT" start-parent-mdevs mtty
	assert_success
	assert_output ""
	assert_equal "$(running)" "$A1 $A2 "
	run --separate-stderr "$MDEVKIT" start-parent-mdevs mtty
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(running)" "$A1 $A2 "
}

@test "a device already running with the same parent and type runs no callout" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	printf '#!/bin/sh\necho "$@" >> "%s/calls"\ncat > /dev/null\n' "$BATS_TEST_TMPDIR" \
		> "$ROOT/usr/lib/mdevctl/scripts.d/callouts/log"
	chmod +x "$ROOT/usr/lib/mdevctl/scripts.d/callouts/log"
	"$MDEVKIT" start-parent-mdevs mtty
	assert_equal "$(grep -c ' -e pre -a start ' "$BATS_TEST_TMPDIR/calls")" 1
	assert_equal "$(grep -c ' -e post -a start -s success ' "$BATS_TEST_TMPDIR/calls")" 1
	: > "$BATS_TEST_TMPDIR/calls"
	run "$MDEVKIT" start-parent-mdevs mtty
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/calls")" ""
}

@test "a device running with another type is a failure, reported; the others start" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	write_def "$ROOT" mtty "$A2" '{"mdev_type":"mtty-1","start":"auto"}'
	printf '{"mdev_type":"mtty-1","start":"manual"}' > "$BATS_TEST_TMPDIR/other.json"
	"$MDEVKIT" start -u "$A1" -p mtty --jsonfile "$BATS_TEST_TMPDIR/other.json"
	run --separate-stderr "$MDEVKIT" start-parent-mdevs mtty
	assert_failure 1
	assert_equal "$stderr" "Error: Cannot start auto device $A1 (mtty-2) on mtty: Device exists with different type"
	assert_equal "$(running)" "$A1 $A2 "
}

@test "started devices are logged at level info" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	run --separate-stderr env MDEVKIT_LOG_LEVEL=info "$MDEVKIT" start-parent-mdevs mtty
	assert_success
	assert_equal "$stderr" "Started $A1 (mtty-2) on mtty"
}

@test "a parent that registers late is retried with backoff and then started" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/unregistered.conf"
	write_def "$ROOT" "$GVT" "$A1" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	"$MDEVKIT" start-parent-mdevs --retries 8 --retry-delay 100 "$GVT" \
		> "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	# let it fail at least once, then register the parent
	for _ in $(seq 1 100); do
		grep -q 'trying again' "$BATS_TEST_TMPDIR/err" && break
		sleep 0.1
	done
	simfs_ctl "$ROOT" register "$GVT"
	wait "$pid"
	assert_equal "$(running)" "$A1 "
	run cat "$BATS_TEST_TMPDIR/err"
	assert_line --index 0 "Cannot start $A1 (i915-GVTg_V5_4) on $GVT yet: Unable to find parent device '$GVT'; trying again"
	refute_line --partial "Error"
}

@test "a driver that refuses for now is retried" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	simfs_ctl "$ROOT" fail-next-create mtty EAGAIN
	run --separate-stderr "$MDEVKIT" start-parent-mdevs --retries 2 --retry-delay 10 mtty
	assert_success
	assert_equal "${stderr_lines[0]}" "Cannot start $A1 (mtty-2) on mtty yet: Failed to create mdev $A1, type mtty-2 on mtty: Resource temporarily unavailable (os error 11); trying again"
	assert_equal "$(running)" "$A1 "
}

@test "retries are bounded; then the device is reported and the exit status is 1" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/unregistered.conf"
	write_def "$ROOT" "$GVT" "$A1" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	run --separate-stderr "$MDEVKIT" start-parent-mdevs --retries 3 --retry-delay 10 "$GVT"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 4
	assert_equal "$(grep -c 'trying again$' <<<"$stderr")" 3
	assert_equal "${stderr_lines[3]}" "Error: Cannot start auto device $A1 (i915-GVTg_V5_4) on $GVT: Unable to find parent device '$GVT'"
}

@test "no retries for what waiting cannot fix: no instances, ENOSPC, a callout's refusal" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	for i in 1 2 3 4 5 6 7 8; do
		write_def "$ROOT" "$GVT" "$(simfs_uuid "$i")" '{"mdev_type":"i915-GVTg_V5_8","start":"auto"}'
	done
	run --separate-stderr "$MDEVKIT" start-parent-mdevs --retries 5 --retry-delay 2000 "$GVT"
	assert_failure 1
	refute_output --partial "trying again"
	assert_equal "$stderr" "Error: Cannot start auto device $(simfs_uuid 8) (i915-GVTg_V5_8) on $GVT: No available instances of i915-GVTg_V5_8 on $GVT"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-1","start":"auto"}'
	simfs_ctl "$ROOT" fail-next-create mtty ENOSPC
	run --separate-stderr "$MDEVKIT" start-parent-mdevs --retries 5 --retry-delay 2000 mtty
	assert_failure 1
	assert_equal "$stderr" "Error: Cannot start auto device $A1 (mtty-1) on mtty: Failed to create mdev $A1, type mtty-1 on mtty: No space left on device (os error 28)"
	printf '#!/bin/sh\ncat > /dev/null\necho no >&2\nexit 1\n' > "$ROOT/usr/lib/mdevctl/scripts.d/callouts/refuse"
	chmod +x "$ROOT/usr/lib/mdevctl/scripts.d/callouts/refuse"
	write_def "$ROOT" mtty "$A2" '{"mdev_type":"mtty-1","start":"auto"}'
	run --separate-stderr "$MDEVKIT" start-parent-mdevs --retries 5 --retry-delay 2000 mtty
	assert_failure 1
	refute_output --partial "trying again"
}

@test "an attribute the driver rejects, or the device lacks, is reported at once, not retried" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	V=0000:03:00.0
	write_def "$ROOT" "$V" "$A1" '{"mdev_type":"simvendor-small","start":"auto","attrs":[{"channel":"99"}]}'
	write_def "$ROOT" "$V" "$A2" '{"mdev_type":"simvendor-small","start":"auto","attrs":[{"nosuch":"1"}]}'
	t0=$(date +%s%N)
	run --separate-stderr "$MDEVKIT" start-parent-mdevs --retries 5 --retry-delay 2000 "$V"
	ms=$((($(date +%s%N) - t0) / 1000000))
	assert_failure 1
	refute_output --partial "trying again"
	assert_equal "${stderr_lines[0]}" "Error: Cannot start auto device $A1 (simvendor-small) on $V: Failed to write 99 to attribute channel: Invalid argument (os error 22)"
	assert_equal "${stderr_lines[1]}" "Error: Cannot start auto device $A2 (simvendor-small) on $V: Invalid attribute 'nosuch'"
	assert_equal "${#stderr_lines[@]}" 2
	# the first retry would have come after 2 s
	((ms < 1500)) || fail "took $ms ms"
	assert_equal "$(running)" ""
}

@test "a broken definition is reported; the other auto devices start; exit 0" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	write_def "$ROOT" mtty "$A2" '{"mdev_type":"mtty-2","start":"auto"'
	run --separate-stderr "$MDEVKIT" start-parent-mdevs mtty
	assert_success
	assert_regex "$stderr" "^Warning: Skipping definition \"$ROOT/etc/mdevctl.d/mtty/$A2\": "
	assert_equal "$(running)" "$A1 "
}

@test "--all: every registered parent that has definitions" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto"}'
	write_def "$ROOT" "$GVT" "$A2" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	write_def "$ROOT" 0000:99:00.0 "$M3" '{"mdev_type":"x","start":"auto"}'
	run --separate-stderr "$MDEVKIT" start-parent-mdevs --all
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(running)" "$A1 $A2 "
}

@test "a parent without definitions, or not known at all, is nothing to do" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	run --separate-stderr "$MDEVKIT" start-parent-mdevs mtty
	assert_success
	run --separate-stderr "$MDEVKIT" start-parent-mdevs nosuchparent
	assert_success
	assert_equal "$stderr" ""
}

@test "under systemd the failures reach the journal as errors" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"nosuch","start":"auto"}'
	err=$BATS_TEST_TMPDIR/err
	: > "$err"
	JOURNAL_STREAM=$(stat -c %d:%i "$err") "$MDEVKIT" start-parent-mdevs mtty 2>> "$err" || true
	assert_equal "$(cat "$err")" "<3>Error: Cannot start auto device $A1 (nosuch) on mtty: Parent mtty does not support mdev type nosuch"
}
