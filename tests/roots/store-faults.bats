#!/usr/bin/env bats
# A full disk, an I/O error or a read-only store while saving: the old
# definition stays byte for byte, no temporary file is left, the command
# fails with one line naming the file, the reason and a fix.
# The full disk is a tiny tmpfs over the store in a private mount namespace;
# single errors are injected with strace.
load ../lib/helpers

U1=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
OLD='{"mdev_type":"t","start":"manual","attrs":[{"a":"0"}]}'
SPACE="free some space on the file system that holds the store and try again"
READONLY="mount the file system that holds the store read-write and try again"
AS_ROOT="run mdevkit as root"
DISK="check the file system that holds the store (see dmesg) and try again"

setup() {
	mk_root
	S=$ROOT/etc/mdevctl.d
	W=$BATS_TEST_TMPDIR
	write_def "$ROOT" p "$U1" "$OLD"
	cp -a "$S" "$W/before"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
}

# in_store full|ro ARGS...: mdevkit ARGS over a store that is full (a 64 KiB
# tmpfs holding a copy of the store, then filled up) or mounted read-only,
# in a private mount namespace; the store as the command left it is copied
# to $W/after, the fill file left out
in_store() {
	local how=$1
	shift
	rm -rf "$W/after"
	unshare -m --propagation private -- /bin/bash -c '
		how=$1 S=$2 W=$3
		shift 3
		if [ "$how" = full ]; then
			mount -t tmpfs -o size=64k,mode=0755 tmpfs "$S" && cp -a "$W/before/." "$S" || exit 99
			dd if=/dev/zero of="$S/.fill" bs=4k 2>/dev/null
		else
			mount --bind "$S" "$S" && mount -o remount,bind,ro "$S" || exit 99
		fi
		"$@"
		rc=$?
		mkdir "$W/after" && cp -a "$S/." "$W/after" && rm -f "$W/after/.fill"
		exit $rc' sh "$how" "$S" "$W" "$MDEVKIT" "$@"
}

# the store is as it was before, byte for byte, and nothing was added
assert_unchanged() {
	diff -r "$W/before" "${1:-$S}"
}

@test "disk full: modify fails with one line, the old definition stays" {
	run --separate-stderr in_store full modify -u "$U1" --addattr b --value 1
	assert_failure 1
	assert_equal "$stderr" "Error: Unable to save definition \"$S/p/$U1\": No space left on device (os error 28); $SPACE"
	assert_unchanged "$W/after"
}

@test "disk full: define fails with one line, nothing is added" {
	run --separate-stderr in_store full define -u "$U2" -p p -t t
	assert_failure 1
	assert_equal "$stderr" "Error: Unable to save definition \"$S/p/$U2\": No space left on device (os error 28); $SPACE"
	assert_unchanged "$W/after"
}

@test "disk full: modify --jsonfile fails with one line, the old definition stays" {
	printf '{"mdev_type":"t2","start":"auto","attrs":[{"b":"%s"}]}' "$(printf '%0200d' 0)" > "$W/in.json"
	run --separate-stderr in_store full modify -u "$U1" -p p --jsonfile "$W/in.json"
	assert_failure 1
	assert_equal "$stderr" "Error: Unable to save definition \"$S/p/$U1\": No space left on device (os error 28); $SPACE"
	assert_unchanged "$W/after"
}

@test "disk full: undefine still works (removing needs no space)" {
	run --separate-stderr in_store full undefine -u "$U1"
	assert_success
	assert_equal "$stderr" ""
	assert_file_not_exists "$W/after/p/$U1"
}

@test "read-only store: define, modify and undefine fail with one line each; nothing changes" {
	run --separate-stderr in_store ro define -u "$U2" -p p -t t
	assert_failure 1
	assert_equal "$stderr" "Error: Unable to save definition \"$S/p/$U2\": Read-only file system (os error 30); $READONLY"
	run --separate-stderr in_store ro define -u "$U2" -p newparent -t t
	assert_failure 1
	assert_equal "$stderr" "Error: Unable to create directory \"$S/newparent\": Read-only file system (os error 30); $READONLY"
	run --separate-stderr in_store ro modify -u "$U1" --auto
	assert_failure 1
	assert_equal "$stderr" "Error: Unable to save definition \"$S/p/$U1\": Read-only file system (os error 30); $READONLY"
	# undefine reports per definition, then fails, as mdevctl 1.3 does
	run --separate-stderr in_store ro undefine -u "$U1"
	assert_failure 1
	assert_equal "$stderr" "$(printf 'Warning: Undefine of %s on parent p failed with error: Unable to remove definition "%s": Read-only file system (os error 30); %s\nError: Undefine failed' "$U1" "$S/p/$U1" "$READONLY")"
	assert_unchanged
}

# injected ERRNO on the first SYSCALL of mdevkit ARGS...
inject() {
	local call=$1 err=$2
	shift 2
	# (the program itself, not valgrind's wrapper; LeakSanitizer cannot run
	# under ptrace)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run --separate-stderr strace -qq -o /dev/null ${ONLY_PATH:+-P "$ONLY_PATH"} \
		-e "inject=$call:error=$err:when=1" "$NATIVE/mdevkit" "$@"
}

# check_injected CALL ERRNO REASON FIX ARGS...: mdevkit ARGS fails on the
# injected error with one line; the store is as it was
check_injected() {
	local call=$1 err=$2 why=$3 fix=$4 file=$S/p/$U1
	shift 4
	[ "$1" != define ] || file=$S/p/$U2
	inject "$call" "$err" "$@"
	assert_failure 1
	assert_equal "$stderr" "Error: Unable to save definition \"$file\": $why; $fix"
	assert_unchanged
}

@test "injected errors while saving: old definition stays, no temporary file" {
	local call err why fix
	while IFS='|' read -r call err why fix; do
		check_injected "$call" "$err" "$why" "${!fix}" modify -u "$U1" --addattr b --value 1
		check_injected "$call" "$err" "$why" "${!fix}" modify -u "$U1" -p p --jsonfile "$FIXTURES/golden/gvt-auto.json"
		check_injected "$call" "$err" "$why" "${!fix}" define -u "$U2" -p p -t t
	done <<-EOF
		write|ENOSPC|No space left on device (os error 28)|SPACE
		write|EDQUOT|Disk quota exceeded (os error 122)|SPACE
		write|EIO|Input/output error (os error 5)|DISK
		fsync|EIO|Input/output error (os error 5)|DISK
	EOF
	check_injected rename EIO "Input/output error (os error 5)" "$DISK" modify -u "$U1" --auto
	ONLY_PATH=$ROOT/etc/.mdevctl.d.$U1.mdevkit-tmp check_injected openat EACCES "Permission denied (os error 13)" "$AS_ROOT" \
		modify -u "$U1" --auto
	check_injected renameat2 ENOSPC "No space left on device (os error 28)" "$SPACE" define -u "$U2" -p p -t t
}
