#!/usr/bin/env bats
# A hostile store: symlinks, fifos, devices, odd names, huge files, bytes
# that are not UTF-8, nesting without end.  Reading never hangs and stays
# small, writing never leaves the store, every refusal is one line, and the
# good definitions are still listed.
load ../lib/helpers
load ../lib/simfs

U1=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
U3=33333333-2222-3333-4444-555555555555
GOOD='{"mdev_type":"t","start":"manual","attrs":[]}'
KEEP="$U1 p t manual"

setup() {
	mk_root
	S=$ROOT/etc/mdevctl.d
	W=$BATS_TEST_TMPDIR
	write_def "$ROOT" p "$U1" "$GOOD"
	mkdir -p "$W/elsewhere"
	printf '%s' "$GOOD" > "$W/elsewhere/$U2"
	printf 'not json' > "$W/elsewhere/target"
}

teardown() {
	simfs_teardown
}

# what is outside the store is as `snapshot before "$W/elsewhere" full` saw it
assert_elsewhere_untouched() {
	assert_snapshot_unchanged before "$W/elsewhere" full
}

# list -d ends (generously bounded), succeeds, shows only the good one
assert_lists_good() {
	run --separate-stderr timeout 60 "$MDEVKIT" list -d
	assert_success
	assert_output "$KEEP"
}

@test "a parent directory that is a symlink is not read and not written through" {
	ln -s "$W/elsewhere" "$S/linked"
	snapshot before "$W/elsewhere" full
	assert_lists_good
	assert_equal "$stderr" ""
	for args in "define -u $U3 -p linked -t t" "modify -u $U2 -p linked --jsonfile $W/elsewhere/$U2"; do
		run --separate-stderr "$MDEVKIT" $args
		assert_failure 1
		assert_equal "$stderr" "Error: \"$S/linked\" is not a directory; move it away so definitions for linked can be stored"
	done
	assert_elsewhere_untouched
}

@test "a definition that is a symlink is skipped, never followed, never written through" {
	ln -s "$W/elsewhere/target" "$S/p/$U2"
	snapshot before "$W/elsewhere" full
	assert_lists_good
	assert_equal "$stderr" ""
	run --separate-stderr "$MDEVKIT" modify -u "$U2" -p p --auto
	assert_failure 1
	run --separate-stderr "$MDEVKIT" define -u "$U2" -p p -t t
	assert_failure 1
	assert_equal "$stderr" "Error: Device $U2 on p already defined"
	# --jsonfile creates or replaces: the symlink itself is replaced
	run --separate-stderr "$MDEVKIT" modify -u "$U2" -p p --jsonfile "$W/elsewhere/$U2"
	assert_success
	[ ! -L "$S/p/$U2" ]
	assert_elsewhere_untouched
}

@test "dangling symlinks, fifos, devices and symlinks to them: nothing hangs, nothing is read" {
	ln -s "$W/nowhere" "$S/p/$U2"
	mkfifo "$S/p/$U3"
	ln -s /dev/zero "$S/p/44444444-2222-3333-4444-555555555555"
	mkfifo "$W/fifo"
	ln -s "$W/fifo" "$S/p/55555555-2222-3333-4444-555555555555"
	mknod "$S/p/66666666-2222-3333-4444-555555555555" c 1 5
	ln -s /dev/zero "$S/zero"
	mkfifo "$S/fifo"
	assert_lists_good
	assert_equal "$stderr" ""
	run --separate-stderr timeout 60 "$MDEVKIT" list -d --dumpjson
	assert_success
	run --separate-stderr timeout 60 "$MDEVKIT" modify -u "$U3" -p p --auto
	assert_failure 1
	run --separate-stderr timeout 60 "$MDEVKIT" undefine -u 44444444-2222-3333-4444-555555555555
	assert_failure 1
	# the fifo was never opened for reading: a writer would still block
	[ -p "$S/p/$U3" ]
}

@test "names with .., /, newlines or 10,000 characters are refused with one line" {
	local long
	long=$(printf '%010000d' 0)
	snapshot before "$W/elsewhere" full
	for parent in .. ../elsewhere "a/b" "$(printf 'a\nb')" "$long"; do
		run --separate-stderr "$MDEVKIT" define -u "$U2" -p "$parent" -t t
		assert_failure 1
		assert_equal "${#stderr_lines[@]}" 1
		assert_regex "$stderr" "^Error: Invalid parent name"
	done
	for attr in .. ../x "a/b" "$(printf 'a\nb')" "$long"; do
		run --separate-stderr "$MDEVKIT" modify -u "$U1" --addattr "$attr" --value 1
		assert_failure 1
		assert_equal "${#stderr_lines[@]}" 1
		assert_regex "$stderr" "^Error: Invalid attribute name"
		printf '{"mdev_type":"t","start":"manual","attrs":[{"%s":"1"}]}' "${attr//$'\n'/\\n}" > "$W/in.json"
		run --separate-stderr "$MDEVKIT" modify -u "$U1" -p p --jsonfile "$W/in.json"
		assert_failure 1
		assert_equal "${#stderr_lines[@]}" 1
		assert_regex "$stderr" "Invalid attribute name"
	done
	for type in .. "a/b" "$(printf 'a\nb')" "$long"; do
		run --separate-stderr "$MDEVKIT" define -u "$U2" -p p -t "$type"
		assert_failure 1
		assert_equal "${#stderr_lines[@]}" 1
		assert_regex "$stderr" "^Error: Invalid mdev type name"
	done
	assert_equal "$(cat "$S/p/$U1")" "$GOOD"
	assert_elsewhere_untouched
	assert_lists_good
}

@test "odd names in the store: skipped, each with at most one line" {
	mkdir "$S/$(printf 'new\nline')" "$S/$(printf 'bad\377')"
	printf '%s' "$GOOD" > "$S/$(printf 'new\nline')/$U2"
	printf '%s' "$GOOD" > "$S/p/$(printf 'a\nb')"
	printf '%s' "$GOOD" > "$S/p/$(printf '%0255d' 0)"
	printf '%s' "$GOOD" > "$S/p/..$U3"
	assert_lists_good
	assert_equal "${#stderr_lines[@]}" 3
	assert_regex "$stderr" "Warning: Skipping \"$S/p/0{255}\": the file name is not a UUID"
	assert_regex "$stderr" "Warning: Skipping \"$S/p/\.\.$U3\": the file name is not a UUID"
	assert_equal "$(grep -c "^Warning: Skipping a file in \"$S/p\": its name is not a UUID and not printable;" <<< "$stderr")" 1
}

@test "a 100 MB definition is refused in one line; memory stays small" {
	dd if=/dev/zero bs=1M count=100 status=none | tr '\0' ' ' > "$S/p/$U2"
	run --separate-stderr /usr/bin/time -o "$W/rss" -f %M "$MDEVKIT" list -d
	assert_success
	assert_output "$KEEP"
	assert_equal "$stderr" "Warning: Skipping definition \"$S/p/$U2\": the file is larger than 1048576 bytes; fix the file or remove it"
	echo "# peak RSS listing beside a 100 MB definition: $(cat "$W/rss") KiB" >&3
	# far below the file's size (ASan's shadow memory included)
	[ "$(cat "$W/rss")" -lt 65536 ]
	# a sparse one, and one that only claims to be a definition
	truncate -s 100M "$S/p/$U2"
	run --separate-stderr "$MDEVKIT" list -d
	assert_output "$KEEP"
	assert_regex "$stderr" "the file is larger than 1048576 bytes"
	# the reason, then mdevctl's verdict
	run --separate-stderr "$MDEVKIT" modify -u "$U2" --auto
	assert_failure 1
	assert_equal "$stderr" "$(printf '%s\n' \
		"Warning: Skipping definition \"$S/p/$U2\": the file is larger than 1048576 bytes; fix the file or remove it" \
		"Error: Mediated device $U2 is not defined")"
}

@test "bytes that are not UTF-8 and nesting 100,000 deep: one line each, the rest lists" {
	printf '{"mdev_type":"t\377\376","start":"manual"}' > "$S/p/$U2"
	head -c 100000 /dev/zero | tr '\0' '[' > "$S/p/$U3"
	run --separate-stderr /usr/bin/time -o "$W/rss" -f %M "$MDEVKIT" list -d
	assert_success
	assert_output "$KEEP"
	assert_equal "$stderr" "$(printf '%s\n' \
		"Warning: Skipping definition \"$S/p/$U2\": JSON syntax error: the text is not valid UTF-8; fix the file or remove it" \
		"Warning: Skipping definition \"$S/p/$U3\": JSON syntax error at line 1 column 33: nesting too deep; fix the file or remove it")"
	echo "# peak RSS with a 100,000-deep definition: $(cat "$W/rss") KiB" >&3
	printf '{"mdev_type":"t","start":"manual","attrs":[{"a":"\377"}]}' > "$W/in.json"
	run --separate-stderr "$MDEVKIT" modify -u "$U1" -p p --jsonfile "$W/in.json"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 1
	head -c 100000 /dev/zero | tr '\0' '[' > "$W/in.json"
	run --separate-stderr "$MDEVKIT" modify -u "$U1" -p p --jsonfile "$W/in.json"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$(cat "$S/p/$U1")" "$GOOD"
}

@test "list of running devices: a definition replaced by a fifo or a symlink does not hang it" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	write_def "$ROOT" mtty "$U2" '{"mdev_type":"mtty-1","start":"auto"}'
	write_def "$ROOT" mtty "$U3" '{"mdev_type":"mtty-1","start":"auto"}'
	"$MDEVKIT" start -u "$U2"
	"$MDEVKIT" start -u "$U3"
	rm "$S/mtty/$U2" "$S/mtty/$U3"
	mkfifo "$S/mtty/$U2"
	ln -s /dev/zero "$S/mtty/$U3"
	run --separate-stderr timeout 60 "$MDEVKIT" list
	assert_success
	# without a definition that loads, a running device shows as manual
	assert_output "$(printf '%s mtty mtty-1 manual (defined)\n%s mtty mtty-1 manual (defined)' "$U2" "$U3")"
	"$MDEVKIT" stop -u "$U2"
	"$MDEVKIT" stop -u "$U3"
}
