#!/usr/bin/env bats
# Many writers at once: 16 mdevkit and mdevctl 1.2.0 processes on the same
# and on different UUIDs, and start-parent-mdevs racing with itself the way
# udev's add and change events make it.  Every file parses afterwards, and
# no mdevkit writer's change is lost.  mdevctl writes without a lock, so a
# change of its own, or one of mdevkit's, can be overwritten by a stale copy
# it read before: the counts are reported, not asserted.
load ../lib/helpers
load ../lib/simfs

U1=11111111-2222-3333-4444-555555555555
GOOD='{"mdev_type":"t","start":"manual","attrs":[]}'

setup() {
	command -v mdevctl >/dev/null || fail "mdevctl is not installed (tests/deps.sh check)"
	mk_root
	S=$ROOT/etc/mdevctl.d
	W=$BATS_TEST_TMPDIR
}

teardown() {
	simfs_teardown
}

# wait for every pid in $pids; count the failures in $failed
wait_all() {
	local p
	failed=0
	for p in "${pids[@]}"; do
		wait "$p" || failed=$((failed + 1))
	done
}

# every definition file in the store parses as JSON
assert_all_parse() {
	local f
	for f in "$S"/*/*; do
		[ "${f##*/}" != callouts ] && [ "${f##*/}" != notifiers ] || continue
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" ||
			fail "$f does not parse: $(cat "$f")"
	done
}

@test "16 mdevkit modify --addattr of one definition: all 16 attributes land" {
	write_def "$ROOT" p "$U1" "$GOOD"
	pids=()
	for i in $(seq 1 16); do
		"$MDEVKIT" modify -u "$U1" --addattr "a$i" --value "$i" 2> "$W/err.$i" &
		pids+=($!)
	done
	wait_all
	assert_equal "$failed" 0
	assert_equal "$(cat "$W"/err.*)" ""
	assert_all_parse
	run "$MDEVKIT" list -d -v
	for i in $(seq 1 16); do
		assert_output --partial "{\"a$i\":\"$i\"}"
	done
}

@test "16 defines of different UUIDs on a new parent, half by mdevctl: all land" {
	pids=()
	for i in $(seq 1 16); do
		u=$(printf '%08x-2222-3333-4444-555555555555' "$i")
		if ((i % 2)); then
			"$MDEVKIT" define -u "$u" -p newparent -t "t$i" 2> "$W/err.$i" &
		else
			mdevctl_ns "$ROOT" define -u "$u" -p newparent -t "t$i" 2> "$W/err.$i" &
		fi
		pids+=($!)
	done
	wait_all
	assert_equal "$failed" 0
	assert_equal "$(cat "$W"/err.*)" ""
	assert_all_parse
	run "$MDEVKIT" list -d
	assert_equal "${#lines[@]}" 16
	for i in $(seq 1 16); do
		assert_line "$(printf '%08x-2222-3333-4444-555555555555' "$i") newparent t$i manual"
	done
	run mdevctl_ns "$ROOT" list -d
	assert_equal "${#lines[@]}" 16
}

@test "8 mdevkit and 8 mdevctl modify one definition: it always parses; what mdevctl loses is counted" {
	write_def "$ROOT" p "$U1" "$GOOD"
	pids=()
	for i in $(seq 1 8); do
		"$MDEVKIT" modify -u "$U1" --addattr "kit$i" --value "$i" 2> "$W/kit.$i" &
		pids+=($!)
		mdevctl_ns "$ROOT" modify -u "$U1" --addattr "ctl$i" --value "$i" 2> "$W/ctl.$i" &
		pids+=($!)
	done
	wait_all
	assert_all_parse
	run --separate-stderr "$MDEVKIT" list -d -v
	assert_success
	assert_equal "$stderr" ""
	local kit ctl
	kit=$(grep -o '"kit[0-9]*"' <<< "$output" | wc -l)
	ctl=$(grep -o '"ctl[0-9]*"' <<< "$output" | wc -l)
	echo "# one definition, 8 mdevkit + 8 mdevctl writers: $kit mdevkit and $ctl mdevctl attributes kept, $failed writers failed" >&3
	cat "$W"/kit.* "$W"/ctl.* | sort | uniq -c | sed 's/^/#   /' >&3
	# mdevkit's changes can only be lost to mdevctl's unlocked rewrites
	[ "$kit" -ge 1 ]
}

@test "16 writers, mdevkit and mdevctl, over 4 UUIDs on 2 parents: every file parses" {
	for i in 1 2 3 4; do
		write_def "$ROOT" "p$((i % 2))" "$i$i$i$i$i$i$i$i-2222-3333-4444-555555555555" "$GOOD"
	done
	pids=()
	for i in $(seq 1 16); do
		u=$((i % 4 + 1))
		u=$u$u$u$u$u$u$u$u-2222-3333-4444-555555555555
		case $((i % 4)) in
		0) "$MDEVKIT" modify -u "$u" --addattr "k$i" --value "$i" ;;
		1) "$MDEVKIT" modify -u "$u" --auto ;;
		2) mdevctl_ns "$ROOT" modify -u "$u" --addattr "c$i" --value "$i" ;;
		3) "$MDEVKIT" modify -u "$u" --addattr "k$i" --value "$i" ;;
		esac 2> "$W/err.$i" &
		pids+=($!)
	done
	wait_all
	assert_all_parse
	run --separate-stderr "$MDEVKIT" list -d
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_equal "$stderr" ""
	# a UUID only mdevkit wrote keeps every change
	run "$MDEVKIT" list -d -v -u 44444444-2222-3333-4444-555555555555
	for i in 3 7 11 15; do
		assert_output --partial "{\"k$i\":\"$i\"}"
	done
}

@test "start-parent-mdevs racing with itself: each auto device is created once, all runs exit 0" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	local uuids=()
	for i in 1 2 3 4 5 6; do
		u=$(simfs_uuid "$i")
		uuids+=("$u")
		write_def "$ROOT" mtty "$u" '{"mdev_type":"mtty-1","start":"auto"}'
	done
	write_def "$ROOT" mtty "$(simfs_uuid 7)" '{"mdev_type":"mtty-1","start":"manual"}'
	simfs_ctl "$ROOT" clear-events
	pids=()
	for i in 1 2 3 4; do
		"$MDEVKIT" start-parent-mdevs mtty > "$W/out.$i" 2> "$W/err.$i" &
		pids+=($!)
	done
	wait_all
	assert_equal "$failed" 0
	assert_equal "$(cat "$W"/err.* "$W"/out.*)" ""
	for u in "${uuids[@]}"; do
		assert_equal "$(grep -c "^add .*/$u " "$ROOT/sys/kernel/mdevkit-simfs/events")" 1
	done
	assert_equal "$(ls "$ROOT/sys/bus/mdev/devices" | sort | tr '\n' ' ')" "${uuids[*]} "
}
