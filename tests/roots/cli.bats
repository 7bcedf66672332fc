#!/usr/bin/env bats
# The command line: help, version, usage errors (exit 2), option forms.
load ../lib/helpers

U=11111111-2222-3333-4444-555555555555

setup() {
	mk_root
}

@test "--version and -V" {
	run "$MDEVKIT" --version
	assert_success
	assert_output "mdevkit $(cat "$TOP/VERSION")"
	run "$MDEVKIT" -V
	assert_output "mdevkit $(cat "$TOP/VERSION")"
}

@test "--help lists every command; no command is a usage error" {
	run "$MDEVKIT" --help
	assert_success
	for c in define undefine modify start stop list types check start-parent-mdevs; do
		assert_output --partial "  $c "
	done
	run --separate-stderr "$MDEVKIT"
	assert_failure 2
	assert_output ""
	run --separate-stderr "$MDEVKIT" frobnicate
	assert_failure 2
	assert_regex "$stderr" "^error: unrecognized subcommand 'frobnicate'"
}

@test "every command has --help, also after other options" {
	for c in define undefine modify start stop list types check start-parent-mdevs; do
		run "$MDEVKIT" "$c" --help
		assert_success
		assert_output --partial "Usage: mdevkit $c "
	done
	run "$MDEVKIT" define -u nonsense --help
	assert_success
}

@test "libvirt's probe 'modify --defined --live --jsonfile b --help' exits 0" {
	run "$MDEVKIT" modify --defined --live --jsonfile b --help
	assert_success
}

@test "usage errors exit 2 with 'error:' on stderr and nothing on stdout" {
	for args in "define" "define -u $U -p p --jsonfile f -t t" "define -u $U -p p --jsonfile f -a" \
		"undefine" "stop" "start" "start -p p --jsonfile f -t t" "modify -u $U" \
		"modify -u $U --auto --manual" "modify -u $U --addattr a" "modify -u $U --value v --auto" \
		"modify -u $U --delattr --value v" "modify -u $U --auto -i 1" "modify -u $U --live --auto" \
		"modify -u $U --live --jsonfile f -t t" "modify -u $U --jsonfile f -t t" \
		"modify -u $U --delattr -i x" "list --bogus" "list -u" "list -d -d" "types extra" \
		"start-parent-mdevs" "start-parent-mdevs --all p" "start-parent-mdevs p --retries many"; do
		run --separate-stderr "$MDEVKIT" $args
		assert_equal "$status" 2
		assert_output ""
		assert_regex "$stderr" "^error: "
		assert_regex "$stderr" "For more information, try '--help'\.\$"
	done
}

@test "an invalid UUID is a usage error" {
	run --separate-stderr "$MDEVKIT" list -u not-a-uuid
	assert_failure 2
	assert_regex "$stderr" "^error: invalid value 'not-a-uuid' for '--uuid <UUID>': not a UUID"
}

@test "UUIDs in every form mdevctl accepts, written canonically" {
	for u in 11111111-2222-3333-4444-555555555555 11111111222233334444555555555555 \
		'{11111111-2222-3333-4444-555555555555}' urn:uuid:11111111-2222-3333-4444-555555555555 \
		11111111-2222-3333-4444-555555555555 AAAAAAAA-2222-3333-4444-555555555555; do
		rm -rf "$ROOT/etc/mdevctl.d/p"
		run "$MDEVKIT" define -u "$u" -p p -t t
		assert_success
		run ls "$ROOT/etc/mdevctl.d/p"
		assert_output --regexp '^(11111111|aaaaaaaa)-2222-3333-4444-555555555555$'
	done
	for u in '{11111111222233334444555555555555}' URN:UUID:11111111-2222-3333-4444-555555555555 \
		1111-1111-2222-3333-4444555555555555 11111111-2222-3333-4444-55555555555G ' 11111111222233334444555555555555'; do
		run "$MDEVKIT" define -u "$u" -p p -t t
		assert_failure 2
	done
}

@test "options: --opt=value, -o value, -ovalue, -o=value and flag clusters" {
	run "$MDEVKIT" define --uuid="$U" --parent=p --type=t
	assert_success
	run "$MDEVKIT" list -d -u "$U"
	assert_output "$(printf '%s p t manual\n' "$U")"
	run "$MDEVKIT" list -du"$U" --dumpjson
	assert_success
	assert_output --partial '"mdev_type": "t"'
	run "$MDEVKIT" list -d -u="$U"
	assert_output "$(printf '%s p t manual\n' "$U")"
}

@test "define prints a generated UUID and nothing else" {
	run --separate-stderr "$MDEVKIT" define -p p -t t
	assert_success
	assert_regex "$output" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
	assert_equal "$stderr" ""
	run "$MDEVKIT" define -u "$U" -p p -t t
	assert_output ""
}

@test "define: mdevctl's error texts" {
	run --separate-stderr "$MDEVKIT" define -u "$U"
	assert_failure 1
	assert_equal "$stderr" "Error: No parent specified"
	run --separate-stderr "$MDEVKIT" define -p p
	assert_failure 1
	assert_equal "$stderr" "Error: No type specified"
	"$MDEVKIT" define -u "$U" -p p -t t
	run --separate-stderr "$MDEVKIT" define -u "$U" -p p -t t
	assert_equal "$stderr" "Error: Device $U on p already defined"
	echo '{"mdev_type":"t","start":"auto"}' > "$BATS_TEST_TMPDIR/f.json"
	run --separate-stderr "$MDEVKIT" define -u "$U" -p p --jsonfile "$BATS_TEST_TMPDIR/f.json"
	assert_equal "$stderr" "Error: Cowardly refusing to overwrite existing config for p/$U"
	run --separate-stderr "$MDEVKIT" define -u "$U" --jsonfile /tmp/live.json
	assert_equal "$stderr" 'Error: Parent device required to define device via "/tmp/live.json"'
}

@test "lsmdev is list" {
	ln -s "$MDEVKIT" "$BATS_TEST_TMPDIR/lsmdev"
	"$MDEVKIT" define -u "$U" -p p -t t
	run "$BATS_TEST_TMPDIR/lsmdev" -d
	assert_success
	assert_output "$(printf '%s p t manual\n' "$U")"
	run "$BATS_TEST_TMPDIR/lsmdev" --help
	assert_output --partial "Usage: mdevkit list"
}

@test "list -d: text, verbose and JSON match golden files" {
	write_def "$ROOT" 0000:00:02.0 "$U" "$(cat "$FIXTURES/golden/gvt-auto.json")"
	write_def "$ROOT" matrix 22222222-2222-3333-4444-555555555555 "$(cat "$FIXTURES/golden/ap-attrs.json")"
	"$MDEVKIT" list -d | cmp - "$FIXTURES/golden/list-defined.txt"
	"$MDEVKIT" list -d -v | cmp - "$FIXTURES/golden/list-defined-verbose.txt"
	"$MDEVKIT" list -d --dumpjson | cmp - "$FIXTURES/golden/list-defined.json"
	run "$MDEVKIT" list -d -p matrix
	assert_output "$(printf '22222222-2222-3333-4444-555555555555 matrix vfio_ap-passthrough manual\n')"
	run "$MDEVKIT" list -d -u 33333333-2222-3333-4444-555555555555 --dumpjson
	assert_output "[]"
	run "$MDEVKIT" list -d -p nothing
	assert_output ""
	assert_equal "${#lines[@]}" 0
}

@test "an empty listing prints one blank line, as mdevctl 1.3.0 does" {
	run "$MDEVKIT" list -d
	assert_success
	assert_equal "$("$MDEVKIT" list -d | od -An -c | tr -d ' ')" '\n'
	assert_equal "$("$MDEVKIT" list -d --dumpjson)" "[]"
}

@test "under systemd (JOURNAL_STREAM names stderr) every line has a priority prefix" {
	"$MDEVKIT" define -u "$U" -p p -t t
	err=$BATS_TEST_TMPDIR/err
	: > "$err"
	JOURNAL_STREAM=$(stat -c %d:%i "$err") "$MDEVKIT" define -u "$U" -p p -t t 2>> "$err" || true
	assert_equal "$(cat "$err")" "<3>Error: Device $U on p already defined"
	: > "$err"
	JOURNAL_STREAM=$(stat -c %d:%i "$err") "$MDEVKIT" define -p p --jsonfile /nonexistent 2>> "$err" || true
	assert_equal "$(cat "$err")" "$(printf '<3>Error: Unable to read file "/nonexistent"\n<3>\n<3>Caused by:\n<3>    No such file or directory (os error 2)')"
	write_def "$ROOT" p 22222222-2222-3333-4444-555555555555 '{'
	: > "$err"
	JOURNAL_STREAM=$(stat -c %d:%i "$err") "$MDEVKIT" list -d > /dev/null 2>> "$err"
	assert_regex "$(cat "$err")" '^<4>Warning: Skipping definition '
	# a JOURNAL_STREAM that names another file is not ours: no prefixes
	: > "$err"
	JOURNAL_STREAM=1:1 "$MDEVKIT" define -u "$U" -p p -t t 2>> "$err" || true
	assert_equal "$(cat "$err")" "Error: Device $U on p already defined"
}

@test "stop --not-running-ok: a device that is gone is a success" {
	run --separate-stderr "$MDEVKIT" stop -u "$U"
	assert_failure 1
	assert_equal "$stderr" "Error: Device $U is not running; 'mdevkit list' shows the running devices"
	run --separate-stderr "$MDEVKIT" stop --not-running-ok -u "$U"
	assert_success
	assert_equal "$stderr" ""
}
