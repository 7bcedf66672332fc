#!/usr/bin/env bats
# The command line: help, version, usage errors (exit 2), option forms,
# values that begin with '-'.
load ../lib/helpers
load ../lib/docs

U=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
U3=33333333-2222-3333-4444-555555555555

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

# ---- values that begin with '-' (issue 19) ------------------------------------------------------

# For each option that takes a value, "COMMAND --LONG" -> the rest of a
# command line that uses it, "@" where the option and its value go.  The
# options come from each command's --help; one missing here fails the test.
declare -gA VALUE_CASES=(
	["define --uuid"]="@ -p p -t t"
	["define --parent"]="-u $U2 @ -t t"
	["define --type"]="-u $U2 -p p @"
	["define --jsonfile"]="-u $U2 -p p @"
	["undefine --uuid"]="@"
	["undefine --parent"]="-u $U3 @"
	["modify --uuid"]="@ --auto"
	["modify --parent"]="-u $U3 @ --auto"
	["modify --type"]="-u $U @ --auto"
	["modify --addattr"]="-u $U @ --value v"
	["modify --index"]="-u $U --delattr @"
	["modify --value"]="-u $U --addattr a @"
	["modify --jsonfile"]="-u $U -p p @"
	["start --uuid"]="@"
	["start --parent"]="@ -t t"
	["start --type"]="-p p @"
	["start --jsonfile"]="-p p @"
	["stop --uuid"]="@"
	["list --uuid"]="-d @"
	["list --parent"]="-d @"
	["types --parent"]="@"
	["check --parent"]="@"
	["doctor --parent"]="@"
	["start-parent-mdevs --retries"]="@ p"
	["start-parent-mdevs --retry-delay"]="@ p"
	["xml --uuid"]="@ --libvirt-version 9.0"
	["xml --res"]="-u $U @ --libvirt-version 9.0"
	["xml --rom"]="-u $U @ --libvirt-version 9.0"
	["xml --rendernode"]="-u $U @ --libvirt-version 9.0"
	["xml --graphics"]="-u $U @ --libvirt-version 9.0"
	["xml --libvirt-version"]="-u $U @"
	["xml --domain"]="-u $U --libvirt-version 9.0 @"
	["qemu-args --uuid"]="@ --qemu-version 7.2"
	["qemu-args --res"]="-u $U @ --qemu-version 7.2"
	["qemu-args --rom"]="-u $U @ --qemu-version 7.2"
	["qemu-args --rendernode"]="-u $U @ --qemu-version 7.2"
	["qemu-args --graphics"]="-u $U @ --qemu-version 7.2"
	["qemu-args --qemu-version"]="-u $U @"
)

# value_options: "COMMAND SHORT LONG" for each option that takes a value,
# from each command's --help ("-" for no short name)
value_options() {
	local cmd
	for cmd in $("$MDEVKIT" --help | help_commands); do
		"$MDEVKIT" "$cmd" --help | help_options | awk -v c="$cmd" '$3 == "v" { print c, $1, $2 }'
	done
}

# twin_root NAME: a fresh root $BATS_TEST_TMPDIR/rNAME (the current
# directory) whose store holds $U (p/t, one attribute) and $U3 under parent
# and type NAME, beside a JSON file called NAME whose type is NAME.  Roots
# for "-zq" and "zq" differ only in that name, so mdevkit must answer the
# same in both but for the name.
twin_root() {
	rm -rf "$BATS_TEST_TMPDIR/r$1"
	mk_root "$BATS_TEST_TMPDIR/r$1"
	write_def "$ROOT" p "$U" '{"mdev_type":"t","start":"manual","attrs":[{"a":"1"}]}'
	write_def "$ROOT" "$1" "$U3" '{"mdev_type":"'"$1"'","start":"manual","attrs":[]}'
	printf '{"mdev_type":"%s","start":"auto","attrs":[]}' "$1" >"$ROOT/$1"
	cd "$ROOT"
}

# store_state [mtime]: every path of the store (with "mtime" its size and
# modification time too), then every file's bytes; the name "-zq" written
# "zq", and in the order of the names so written
store_state() {
	local f fmt='%p\n'
	[ "${1:-}" != mtime ] || fmt='%p %s %T@\n'
	cd "$ROOT/etc/mdevctl.d"
	find . -printf "$fmt" | sed 's/-zq/zq/g' | sort
	find . -type f -printf '%p\n' | sort | while read -r f; do
		printf '%s: %s\n' "$f" "$(cat -- "$f")"
	done | sed 's/-zq/zq/g' | sort
	cd "$ROOT"
}

# outcome ARGS...: mdevkit's exit status, stdout, stderr and the store
# afterwards, with "-zq" written "zq"
outcome() {
	local status=0 out err
	out=$("$MDEVKIT" "$@" 2>"$BATS_TEST_TMPDIR/err") || status=$?
	err=$(cat "$BATS_TEST_TMPDIR/err")
	printf 'status %s\nout %s\nerr %s\n' "$status" "$out" "$err" | sed 's/-zq/zq/g'
	store_state
}

# with_option CASE OPTION-WORDS...: the words of CASE with "@" replaced
with_option() {
	local w
	for w in $1; do
		if [ "$w" = @ ]; then
			printf '%s\n' "${@:2}"
		else
			printf '%s\n' "$w"
		fi
	done
}

# all_cases_seen: every VALUE_CASES entry names an option of --help (the
# caller's "seen")
all_cases_seen() {
	local k
	for k in "${!VALUE_CASES[@]}"; do
		[ -n "${seen[$k]-}" ] || fail "VALUE_CASES has '$k', which no --help lists"
	done
}

@test "every option that takes a value: as a separate word, a value that begins with '-' is a usage error" {
	local cmd short long rest form before
	local -a args
	local -A seen=()
	while read -r cmd short long; do
		rest=${VALUE_CASES["$cmd $long"]-}
		[ -n "$rest" ] || fail "no case in VALUE_CASES for '$cmd $long' (it takes a value in --help)"
		seen["$cmd $long"]=1
		for form in "$long" "$short"; do
			[ "$form" != - ] || continue
			twin_root -zq
			before=$(store_state mtime)
			mapfile -t args < <(with_option "$rest" "$form" -zq)
			run --separate-stderr "$MDEVKIT" "$cmd" "${args[@]}"
			echo "mdevkit $cmd ${args[*]}"
			assert_equal "$status" 2
			assert_equal "$output" ""
			assert_regex "${stderr%%$'\n'*}" "^error: a value is required for '$long <[^>]*>', and '-zq' is not one: a value that begins with '-' is given after '=', as '$long=-zq'\$"
			assert_equal "$(grep -c '^error:' <<<"$stderr")" 1
			assert_equal "$(store_state mtime)" "$before"
		done
	done < <(value_options)
	all_cases_seen
}

@test "every option that takes a value: attached, a value that begins with '-' is taken as any other" {
	local cmd short long rest form
	local -a dash plain forms
	local -A seen=()
	while read -r cmd short long; do
		rest=${VALUE_CASES["$cmd $long"]-}
		[ -n "$rest" ] || fail "no case in VALUE_CASES for '$cmd $long' (it takes a value in --help)"
		seen["$cmd $long"]=1
		forms=("$long=")
		[ "$short" = - ] || forms+=("$short" "$short=")
		for form in "${forms[@]}"; do
			mapfile -t dash < <(with_option "$rest" "$form-zq")
			mapfile -t plain < <(with_option "$rest" "${form}zq")
			echo "mdevkit $cmd ${dash[*]}"
			twin_root -zq
			outcome "$cmd" "${dash[@]}" >"$BATS_TEST_TMPDIR/dash"
			twin_root zq
			outcome "$cmd" "${plain[@]}" >"$BATS_TEST_TMPDIR/plain"
			diff "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/dash"
			assert_equal "$(grep -c 'is not one' "$BATS_TEST_TMPDIR/dash")" 0
		done
	done < <(value_options)
	all_cases_seen
}

@test "issue 19's cases: a forgotten value never takes the next word; '-' alone is a value" {
	"$MDEVKIT" define -u "$U" -p p -t t
	snapshot store "$ROOT/etc/mdevctl.d/p" full
	for args in "modify -u $U --addattr channel --value -1" "modify -u $U --addattr -dash --value --value" \
		"define -u $U2 -p -x -t y" "define -u $U2 -p -t TYPE" "define -u $U2 -ap -x -t y" \
		"modify -u $U --addattr a --value --" "modify -u $U --addattr a --value -- -1"; do
		run --separate-stderr "$MDEVKIT" $args
		echo "mdevkit $args"
		assert_failure 2
		assert_output ""
		assert_regex "${stderr%%$'\n'*}" "^error: a value is required for '--(value|addattr|parent) <[^>]*>', and '-[^']*' is not one"
		run ls "$ROOT/etc/mdevctl.d"
		assert_output - <<<$'p\nscripts.d'
		assert_snapshot_unchanged store "$ROOT/etc/mdevctl.d/p" full
	done
	run --separate-stderr "$MDEVKIT" define -u "$U2" -p -t TYPE
	assert_equal "${stderr%%$'\n'*}" "error: a value is required for '--parent <PARENT>', and '-t' is not one: a value that begins with '-' is given after '=', as '--parent=-t'"
	# attached, as mdevctl 1.2.0 takes them; "-" alone is a value
	run "$MDEVKIT" modify -u "$U" --addattr channel --value=-1
	assert_success
	run "$MDEVKIT" modify -u "$U" --addattr=-dash --value -
	assert_success
	run "$MDEVKIT" define -u "$U2" -p=-x -t y
	assert_success
	run "$MDEVKIT" define -u "$U3" -p-x -t y
	assert_success
	run "$MDEVKIT" list -d -v
	assert_output - <<EOF
$U2 -x y manual
$U3 -x y manual
$U p t manual
  Attrs:
    @{0}: {"channel":"-1"}
    @{1}: {"-dash":"-"}

EOF
}
