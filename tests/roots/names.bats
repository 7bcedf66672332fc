#!/usr/bin/env bats
# Names from input never become paths outside the store or outside a
# device's sysfs directory (mdevctl writes `define -p ../../tmp` to /tmp).
load ../lib/helpers

U=11111111-2222-3333-4444-555555555555

setup() {
	mk_root
	snapshot before "$BATS_TEST_TMPDIR"
}

# nothing was created anywhere: no definition, no directory, no stray file
assert_nothing_written() {
	assert_snapshot_unchanged before "$BATS_TEST_TMPDIR"
}

refused_parent() { # parent reason
	run --separate-stderr "$MDEVKIT" define -u "$U" -p "$1" -t t
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "Error: Invalid parent name '$1': $2; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	assert_nothing_written
}

@test "define -p ../../tmp is refused" {
	refused_parent ../../tmp "it contains '/'"
}

@test "define -p a/b is refused" {
	refused_parent a/b "it contains '/'"
}

@test "define -p .. and -p . are refused" {
	refused_parent .. "it names a directory, not a device"
	refused_parent . "it names a directory, not a device"
}

@test "an empty, overlong or control-character parent is refused without echoing it" {
	run --separate-stderr "$MDEVKIT" define -u "$U" -p "" -t t
	assert_failure 1
	assert_equal "$stderr" "Error: Invalid parent name: it is empty; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	run --separate-stderr "$MDEVKIT" define -u "$U" -p "$(printf 'a\nb')" -t t
	assert_equal "$stderr" "Error: Invalid parent name: it contains a control character; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	run --separate-stderr "$MDEVKIT" define -u "$U" -p "$(printf '%0256d' 0)" -t t
	assert_equal "$stderr" "Error: Invalid parent name: it is longer than 255 bytes; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	run --separate-stderr "$MDEVKIT" define -u "$U" -p "$(printf '\377')" -t t
	assert_equal "$stderr" "Error: Invalid parent name: it is not valid UTF-8; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	assert_nothing_written
}

@test "a type with '/' is refused by define, start and modify" {
	run --separate-stderr "$MDEVKIT" define -u "$U" -p p -t ../create
	assert_failure 1
	assert_equal "$stderr" "Error: Invalid mdev type name '../create': it contains '/'; use a type name listed by 'mdevkit types', e.g. i915-GVTg_V5_4"
	run --separate-stderr "$MDEVKIT" start -u "$U" -p p -t ../create
	assert_failure 1
	assert_equal "$stderr" "Error: Invalid mdev type name '../create': it contains '/'; use a type name listed by 'mdevkit types', e.g. i915-GVTg_V5_4"
	assert_nothing_written
	"$MDEVKIT" define -u "$U" -p p -t t
	run --separate-stderr "$MDEVKIT" modify -u "$U" -t a/b --manual
	assert_failure 1
	assert_equal "$stderr" "Error: Invalid mdev type name 'a/b': it contains '/'; use a type name listed by 'mdevkit types', e.g. i915-GVTg_V5_4"
}

@test "an attribute name with '/' is refused by modify --addattr" {
	"$MDEVKIT" define -u "$U" -p p -t t
	before=$(cat "$ROOT/etc/mdevctl.d/p/$U")
	for name in ../remove a/b .. .; do
		run --separate-stderr "$MDEVKIT" modify -u "$U" --addattr "$name" --value 1
		assert_failure 1
		assert_regex "$stderr" "^Error: Invalid attribute name '.*': .*; use the name of a file in the device's sysfs directory\$"
	done
	assert_equal "$(cat "$ROOT/etc/mdevctl.d/p/$U")" "$before"
}

@test "an attribute name with '/' in a JSON file is refused by define, modify and start" {
	printf '%s' '{"mdev_type":"t","start":"auto","attrs":[{"../../../../tmp/x":"1"}]}' > "$BATS_TEST_TMPDIR/.f"
	snapshot before "$BATS_TEST_TMPDIR"
	for cmd in define start; do
		run --separate-stderr "$MDEVKIT" "$cmd" -u "$U" -p p --jsonfile "$BATS_TEST_TMPDIR/.f"
		assert_failure 1
		assert_equal "$stderr" "Error: Invalid attribute name '../../../../tmp/x': it contains '/'; use the name of a file in the device's sysfs directory"
	done
	run --separate-stderr "$MDEVKIT" modify -u "$U" -p p --jsonfile "$BATS_TEST_TMPDIR/.f"
	assert_failure 1
	assert_nothing_written
}

@test "a stored definition with a bad attribute name is never started" {
	write_def "$ROOT" p "$U" '{"mdev_type":"t","start":"auto","attrs":[{"../remove":"1"}]}'
	snapshot before "$BATS_TEST_TMPDIR"
	run --separate-stderr "$MDEVKIT" start -u "$U"
	assert_failure 1
	assert_equal "$stderr" "Error: Invalid attribute name '../remove': it contains '/'; use the name of a file in the device's sysfs directory"
	assert_nothing_written
}

@test "list, undefine and start-parent-mdevs check --parent too" {
	for cmd in "list -d -p ../x" "undefine -u $U -p ../x" "start-parent-mdevs ../x" "types -p ../x"; do
		run --separate-stderr "$MDEVKIT" $cmd
		assert_failure 1
		assert_equal "$stderr" "Error: Invalid parent name '../x': it contains '/'; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	done
}
