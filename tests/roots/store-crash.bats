#!/usr/bin/env bats
# Crash consistency: define, modify and undefine are killed with SIGKILL
# before each of their system calls in turn (strace counts injections per
# system call, so the N-th call overall is "the k-th call of its kind").
# After every kill each definition is byte for byte the old or the new
# version, the others are untouched, and a leftover temporary file is no
# definition to mdevkit nor to mdevctl 1.2.0; the next save of that UUID
# succeeds and takes the leftover with it.
#
# The ASan build starts with a few hundred system calls of the sanitizer's
# own; there the sweep begins at the first call that names the store.
load ../lib/helpers
load ../lib/store-crash

@test "define killed at every system call" {
	sweep define -u "$U1" -p p -t t
}

@test "undefine killed at every system call" {
	write_def "$ROOT" p "$U1" '{"mdev_type":"t","start":"manual","attrs":[{"a":"0"}]}'
	sweep undefine -u "$U1"
}

@test "a leftover temporary file is no definition to mdevkit or mdevctl; undefine removes it" {
	write_def "$ROOT" p "$U1" '{"mdev_type":"t","start":"manual","attrs":[]}'
	printf '{"mdev_type":"t","sta' > "$S/.$U1.mdevkit-tmp"
	printf '{"mdev_type":"t","start":"manual"}' > "$S/.$U2.mdevkit-tmp"
	run --separate-stderr "$MDEVKIT" list -d --dumpjson
	assert_success
	assert_equal "$stderr" ""
	local ours=$output
	run --separate-stderr mdevctl_ns "$ROOT" list -d --dumpjson
	assert_success
	assert_equal "$output" "$ours"
	assert_equal "$stderr" ""
	run "$MDEVKIT" undefine -u "$U1"
	assert_success
	assert_file_not_exists "$S/.$U1.mdevkit-tmp"
	# another device's leftover is not ours to remove
	assert_file_exists "$S/.$U2.mdevkit-tmp"
}

@test "a leftover that is a second name of the definition is not written through" {
	# define killed between link() and unlink() leaves exactly this
	write_def "$ROOT" p "$U1" '{"mdev_type":"t","start":"manual","attrs":[]}'
	ln "$S/p/$U1" "$S/.$U1.mdevkit-tmp"
	ln "$S/p/$U1" "$W/old-inode"
	run "$MDEVKIT" modify -u "$U1" --addattr a --value 1
	assert_success
	# the old file was replaced, not rewritten in place
	assert_equal "$(cat "$W/old-inode")" '{"mdev_type":"t","start":"manual","attrs":[]}'
	assert_file_not_exists "$S/.$U1.mdevkit-tmp"
	run "$MDEVKIT" list -d -v
	assert_output --partial '{"a":"1"}'
}

@test "mdevctl 1.2.0 warns about a temporary file inside a parent directory" {
	# why the fallback for a temporary file is the store's top directory
	rm -r "$S/q" "$S/p/$U2"
	write_def "$ROOT" p "$U1" '{"mdev_type":"t","start":"manual","attrs":[]}'
	printf '{}' > "$S/p/.$U1.mdevkit-tmp"
	run --separate-stderr mdevctl_ns "$ROOT" list -d
	assert_success
	assert_output "$U1 p t manual"
	assert_regex "$stderr" "WARN  mdevctl\] Can't determine uuid for file '\.$U1\.mdevkit-tmp'"
	run --separate-stderr "$MDEVKIT" list -d
	assert_output "$U1 p t manual"
	assert_equal "$stderr" ""
}
