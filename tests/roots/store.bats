#!/usr/bin/env bats
# The store: what a scan skips, what a bad file does to the others, and
# that writes are atomic, durable, locked and never torn.
load ../lib/helpers

U1=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
U3=33333333-2222-3333-4444-555555555555
GOOD='{"mdev_type":"t","start":"auto","attrs":[]}'

setup() {
	mk_root
	S=$ROOT/etc/mdevctl.d
}

@test "scan: files, symlinks and fifos at the top level are not parents" {
	write_def "$ROOT" real "$U1" "$GOOD"
	echo readme > "$S/README"
	mkdir -p "$BATS_TEST_TMPDIR/elsewhere"
	printf '%s' "$GOOD" > "$BATS_TEST_TMPDIR/elsewhere/$U2"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$S/linked"
	mkfifo "$S/fifo"
	run --separate-stderr "$MDEVKIT" list -d
	assert_success
	assert_output "$(printf '%s real t auto\n' "$U1")"
	assert_equal "$stderr" ""
}

@test "scan: inside a parent, symlinks, directories and fifos are skipped silently" {
	write_def "$ROOT" p "$U1" "$GOOD"
	printf '%s' "$GOOD" > "$BATS_TEST_TMPDIR/target"
	ln -s "$BATS_TEST_TMPDIR/target" "$S/p/$U2"
	mkdir "$S/p/$U3"
	mkfifo "$S/p/44444444-2222-3333-4444-555555555555"
	run --separate-stderr "$MDEVKIT" list -d
	assert_output "$(printf '%s p t auto\n' "$U1")"
	assert_equal "$stderr" ""
}

@test "scan: names that are not UUIDs are warned about and skipped" {
	write_def "$ROOT" p "$U1" "$GOOD"
	write_def "$ROOT" p notauuid "$GOOD"
	write_def "$ROOT" p "$U2.json" "$GOOD"
	run --separate-stderr "$MDEVKIT" list -d
	assert_output "$(printf '%s p t auto\n' "$U1")"
	assert_equal "$stderr" "$(printf 'Warning: Skipping "%s/p/%s": the file name is not a UUID; only files named after a device'"'"'s UUID are definitions\n' "$S" "$U2.json" "$S" notauuid)"
}

@test "scan: scripts.d is not a parent, even with a UUID-named file in it" {
	write_def "$ROOT" scripts.d "$U1" "$GOOD"
	echo x > "$S/scripts.d/exit0.sh"
	run --separate-stderr "$MDEVKIT" list -d
	assert_output ""
	assert_equal "$stderr" ""
}

@test "scan: other UUID spellings are found and shown canonically" {
	write_def "$ROOT" p "BBBBBBBB-2222-3333-4444-555555555555" "$GOOD"
	write_def "$ROOT" p "{cccccccc-2222-3333-4444-555555555555}" "$GOOD"
	run "$MDEVKIT" list -d
	assert_output "$(printf 'bbbbbbbb-2222-3333-4444-555555555555 p t auto\ncccccccc-2222-3333-4444-555555555555 p t auto\n')"
}

@test "a bad file is reported with its path and reason; the others still load" {
	write_def "$ROOT" p "$U1" "$GOOD"
	write_def "$ROOT" p "$U2" '{"mdev_type":"t"'
	write_def "$ROOT" q "$U3" "$GOOD"
	cp -a "$S" "$BATS_TEST_TMPDIR/before"
	run --separate-stderr "$MDEVKIT" list -d
	assert_success
	assert_output "$(printf '%s p t auto\n%s q t auto\n' "$U1" "$U3")"
	assert_equal "$stderr" "Warning: Skipping definition \"$S/p/$U2\": JSON syntax error at line 1 column 17: unexpected end of data; fix the file or remove it"
	diff -r "$BATS_TEST_TMPDIR/before" "$S"
}

@test "a definition truncated at every byte offset is skipped; the others list" {
	full=$(cat "$FIXTURES/golden/ap-attrs.json")
	write_def "$ROOT" p "$U1" "$GOOD"
	write_def "$ROOT" p "$U3" "$GOOD"
	if [ -n "$MEMCHECK" ]; then
		# one run over every truncation at once, each its own file
		for ((off = 0; off < ${#full}; off++)); do
			printf '%s' "${full:0:off}" > "$S/p/$(printf 'dddddddd-0000-4000-8000-%012d' "$off")"
		done
		run --separate-stderr "$MDEVKIT" list -d
		assert_success
		assert_output "$(printf '%s p t auto\n%s p t auto\n' "$U1" "$U3")"
		assert_equal "$(grep -c "^Warning: Skipping definition \"$S/p/dddddddd-0000-4000-8000-[0-9]*\": .*; fix the file or remove it\$" <<<"$stderr")" "${#full}"
		assert_equal "$(wc -l <<<"$stderr")" "${#full}"
		for ((off = 0; off < ${#full}; off++)); do
			cmp <(printf '%s' "${full:0:off}") "$S/p/$(printf 'dddddddd-0000-4000-8000-%012d' "$off")"
		done
		return
	fi
	for ((off = 0; off < ${#full}; off++)); do
		printf '%s' "${full:0:off}" > "$S/p/$U2"
		run --separate-stderr "$MDEVKIT" list -d
		assert_success
		assert_output "$(printf '%s p t auto\n%s p t auto\n' "$U1" "$U3")"
		assert_regex "$stderr" "^Warning: Skipping definition \"$S/p/$U2\": .*; fix the file or remove it\$"
		cmp <(printf '%s' "${full:0:off}") "$S/p/$U2"
	done
}

@test "save: new files are 0644 whatever the umask; the parent directory 0755" {
	umask 077
	"$MDEVKIT" define -u "$U1" -p p -t t
	assert_equal "$(stat -c %a "$S/p/$U1")" 644
	assert_equal "$(stat -c %a "$S/p")" 755
}

@test "save: a rewritten file keeps its mode and owner" {
	"$MDEVKIT" define -u "$U1" -p p -t t
	chmod 0600 "$S/p/$U1"
	chown 1234:5678 "$S/p/$U1"
	"$MDEVKIT" modify -u "$U1" --auto
	assert_equal "$(stat -c '%a %u %g' "$S/p/$U1")" "600 1234 5678"
	assert_equal "$(cat "$S/p/$U1")" "$(cat "$FIXTURES/golden/gvt-auto.json" | sed 's/i915-GVTg_V5_4/t/')"
}

@test "save: written through a temporary file and rename, with fsync" {
	command -v strace || skip "strace is not installed"
	"$MDEVKIT" define -u "$U1" -p p -t t
	# LeakSanitizer cannot run under ptrace
	run env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -e trace=openat,rename,renameat,renameat2,link,linkat,fsync,flock \
		"$NATIVE/mdevkit" modify -u "$U1" --auto
	assert_success
	# beside the store, outside the directories libvirt watches
	assert_output --regexp "openat\(AT_FDCWD, \"$ROOT/etc/\.mdevctl\.d\.$U1\.mdevkit-tmp\", O_WRONLY\|O_CREAT\|O_EXCL"
	assert_output --regexp "fsync\("
	assert_output --regexp "rename(at2?)?\(.*\"$ROOT/etc/\.mdevctl\.d\.$U1\.mdevkit-tmp\".*\"$S/p/$U1\""
	assert_output --regexp "flock\([0-9]+, LOCK_EX\|LOCK_NB\)"
	refute_output --regexp "openat\(AT_FDCWD, \"$S/p/$U1\", O_WRONLY"
}

@test "save: a store on a file system of its own (EXDEV, EROFS) gets the temporary file in its top directory" {
	command -v strace || skip "strace is not installed"
	"$MDEVKIT" define -u "$U1" -p p -t t
	local call args uuid
	for call in rename:EXDEV renameat2:EXDEV openat:EROFS; do
		args=(modify -u "$U1" --auto) uuid=$U1
		[ "${call%%:*}" != renameat2 ] || args=(define -u "$U2" -p p -t t) uuid=$U2
		# the call on the file beside the store fails; the save goes on in
		# the store's top directory
		run env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -o /dev/null \
			-P "$ROOT/etc/.mdevctl.d.$uuid.mdevkit-tmp" -e "inject=${call%%:*}:error=${call#*:}:when=1" \
			"$NATIVE/mdevkit" "${args[@]}"
		assert_success
		assert_file_not_exists "$ROOT/etc/.mdevctl.d.$uuid.mdevkit-tmp"
		assert_file_not_exists "$S/.$uuid.mdevkit-tmp"
	done
	run "$MDEVKIT" list -d
	assert_output "$U1 p t auto
$U2 p t manual"
}

@test "save: define renames with RENAME_NOREPLACE, and links where the file system cannot" {
	command -v strace || skip "strace is not installed"
	local opts=ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	run env "$opts" strace -f -qq -e trace=renameat2,link "$NATIVE/mdevkit" define -u "$U1" -p p -t t
	assert_success
	assert_output --regexp "renameat2\(AT_FDCWD, \"$ROOT/etc/\.mdevctl\.d\.$U1\.mdevkit-tmp\", AT_FDCWD, \"$S/p/$U1\", RENAME_NOREPLACE\) = 0"
	refute_output --regexp "link\("
	run env "$opts" strace -f -qq -e trace=renameat2,link -e inject=renameat2:error=EINVAL:when=1 \
		"$NATIVE/mdevkit" define -u "$U2" -p p -t t
	assert_success
	assert_output --regexp "link\(\"$ROOT/etc/\.mdevctl\.d\.$U2\.mdevkit-tmp\", \"$S/p/$U2\"\) = 0"
	assert_file_not_exists "$ROOT/etc/.mdevctl.d.$U2.mdevkit-tmp"
	run "$MDEVKIT" list -d
	assert_output "$U1 p t manual
$U2 p t manual"
}

@test "save: define never replaces a file another tool created meanwhile" {
	"$MDEVKIT" define -u "$U1" -p p -t t
	run --separate-stderr "$MDEVKIT" define -u "$U1" -p p -t other
	assert_failure 1
	assert_equal "$stderr" "Error: Device $U1 on p already defined"
	assert_equal "$(cat "$S/p/$U1")" "$(printf '{\n  "mdev_type": "t",\n  "start": "manual",\n  "attrs": []\n}')"
}

@test "8 concurrent defines with distinct UUIDs all land" {
	pids=()
	for i in 1 2 3 4 5 6 7 8; do
		"$MDEVKIT" define -u "$i$i$i$i$i$i$i$i-2222-3333-4444-555555555555" -p newparent -t "t$i" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	run "$MDEVKIT" list -d
	assert_equal "${#lines[@]}" 8
	for i in 1 2 3 4 5 6 7 8; do
		assert_line "$i$i$i$i$i$i$i$i-2222-3333-4444-555555555555 newparent t$i manual"
	done
	run ls -A "$S/newparent"
	assert_equal "${#lines[@]}" 8
}

@test "concurrent modifies of one definition lose no change" {
	"$MDEVKIT" define -u "$U1" -p p -t t
	pids=()
	for i in 1 2 3 4 5 6 7 8; do
		"$MDEVKIT" modify -u "$U1" --addattr "a$i" --value "$i" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	run "$MDEVKIT" list -d -v
	for i in 1 2 3 4 5 6 7 8; do
		assert_output --partial "{\"a$i\":\"$i\"}"
	done
}

@test "SIGKILL of a writer never leaves a torn or empty definition" {
	"$MDEVKIT" define -u "$U1" -p p -t t
	old=$(cat "$S/p/$U1")
	# the killed writers check no leaks: a SIGKILL during LeakSanitizer's
	# exit-time scan leaves "Unable to get registers from thread" in its log
	local nolsan=ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	# under memcheck a kill within 9 ms lands in valgrind's start-up, before
	# mdevkit runs: a few rounds check the listings, the plain and ASan
	# passes do the 60 that hit the writes
	local rounds=60
	[ -z "$MEMCHECK" ] || rounds=6
	for i in $(seq 1 "$rounds"); do
		env "$nolsan" "$MDEVKIT" modify -u "$U1" --addattr "attr$i" --value "v$i" &
		pid=$!
		sleep "0.00$((RANDOM % 9))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		env "$nolsan" "$MDEVKIT" define -u "$U2" -p p -t t >/dev/null 2>&1 &
		pid=$!
		sleep "0.00$((RANDOM % 9))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		# every visible definition is complete: it parses and ends in "}"
		run --separate-stderr "$MDEVKIT" list -d --dumpjson
		assert_success
		assert_equal "$stderr" ""
		[ "$(tail -c 1 "$S/p/$U1")" = "}" ]
		if [ -e "$S/p/$U2" ]; then
			[ "$(tail -c 1 "$S/p/$U2")" = "}" ]
			"$MDEVKIT" undefine -u "$U2"
		fi
	done
}

@test "undefine removes only the file; the parent directory stays" {
	"$MDEVKIT" define -u "$U1" -p p -t t
	run "$MDEVKIT" undefine -u "$U1"
	assert_success
	assert_file_not_exists "$S/p/$U1"
	assert_dir_exists "$S/p"
}

@test "undefine removes every parent's definition unless --parent" {
	"$MDEVKIT" define -u "$U1" -p p -t t
	"$MDEVKIT" define -u "$U1" -p q -t t
	"$MDEVKIT" define -u "$U1" -p r -t t
	"$MDEVKIT" undefine -u "$U1" -p q
	assert_file_exists "$S/p/$U1"
	assert_file_not_exists "$S/q/$U1"
	"$MDEVKIT" undefine -u "$U1"
	assert_file_not_exists "$S/p/$U1"
	assert_file_not_exists "$S/r/$U1"
	run --separate-stderr "$MDEVKIT" undefine -u "$U1"
	assert_failure 1
	assert_equal "$stderr" "Error: No devices match the specified uuid"
}

@test "a missing store is an empty store; define creates it" {
	rm -rf "$ROOT/etc"
	run --separate-stderr "$MDEVKIT" list -d
	assert_success
	assert_output ""
	run "$MDEVKIT" define -u "$U1" -p p -t t
	assert_success
	assert_file_exists "$S/p/$U1"
}
