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
load helpers

U1=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
U3=33333333-2222-3333-4444-555555555555

setup() {
	command -v strace >/dev/null || fail "strace is not installed (tests/deps.sh check)"
	command -v mdevctl >/dev/null || fail "mdevctl is not installed (tests/deps.sh check)"
	mk_root
	S=$ROOT/etc/mdevctl.d
	W=$BATS_TEST_TMPDIR
	write_def "$ROOT" p "$U2" '{"mdev_type":"other","start":"manual","attrs":[{"x":"1"}]}'
	write_def "$ROOT" q "$U3" '{"mdev_type":"third","start":"auto","attrs":[]}'
	printf '%s' '{"mdev_type":"from-json","start":"auto","attrs":[{"j":"2"},{"k":"3"}]}' > "$W/in.json"
	# LeakSanitizer cannot run under ptrace
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
}

# "MD5  ./PATH" of every file in the store (the top directory and the
# parents p and q), sorted: a store state in one string, made with two
# processes, as each kill point runs it
sums() {
	(cd "$1" && shopt -s nullglob && md5sum ./.[!.]* ./[pq]/* ./[pq]/.[!.]*)
}

# what both tools list (and warn), to compare a state against the old and
# new one
listings() {
	"$MDEVKIT" list -d --dumpjson 2>&1
	echo "== mdevctl"
	mdevctl_ns "$ROOT" list -d --dumpjson 2>&1
}

# sweep ARGS...: kill `mdevkit ARGS` before each of its system calls
# (the loop counter has a name of its own: bats' functions set a global i)
sweep() {
	local old="$W/old" new="$W/new" tmp=".$U1.mdevkit-tmp"
	local -a names
	local -A seen=() nth=() was=() will=()
	local call n k name sum f status before first=1 state points=0 leftovers=0

	cp -a "$S" "$old"
	listings > "$W/list.old"
	# the complete run, traced: its system calls in order, and the new store
	strace -f -qq -o "$W/trace" "$MDEVKIT" "$@"
	cp -a "$S" "$new"
	listings > "$W/list.new"
	rm -rf "$S" && cp -a "$old" "$S"
	before=$(sums "$old")
	state=$before
	while read -r sum f; do was[$f]=$sum; done <<< "$before"
	while read -r sum f; do will[$f]=$sum; done < <(sums "$new")
	mapfile -t names < <(sed -E 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/' "$W/trace")
	n=${#names[@]}
	if nm -D "$MDEVKIT" | grep -q __asan_init; then
		first=$(grep -n -F -m1 "$S" "$W/trace" | cut -d: -f1)
	fi
	for ((call = 1; call <= n; call++)); do
		name=${names[call - 1]}
		k=$((${nth[$name]:-0} + 1))
		nth[$name]=$k
		# killed before its exec, a program has not run at all
		((call >= first)) && [ "$name" != execve ] || continue
		points=$((points + 1))
		# the store as it was (most kill points leave it so: no copy then)
		if [ "$state" != "$before" ]; then
			rm -rf "$S" && cp -a "$old" "$S"
		fi
		status=0
		strace -f -qq -o /dev/null -e "inject=$name:signal=SIGKILL:when=$k" "$MDEVKIT" "$@" 2>/dev/null || status=$?
		[ "$status" -eq 137 ] || fail "call $call ($name #$k) of mdevkit $*: not killed (status $status)"
		# every file is the old or the new version; only our leftover is extra
		state=$(sums "$S")
		while read -r sum f; do
			if [ "$f" = "./$tmp" ]; then
				leftovers=$((leftovers + 1))
			elif [ "${was[$f]:-}" != "$sum" ] && [ "${will[$f]:-}" != "$sum" ]; then
				fail "call $call ($name #$k): $f is neither the old nor the new version: $(cat "$S/$f")"
			fi
		done <<< "$state"
		for f in "./p/$U2" "./q/$U3"; do
			[[ $state == *"${was[$f]}  $f"* ]] || fail "call $call ($name #$k): $f was changed or lost"
		done
		if [ -n "${was[./p/$U1]:-}" ] && [ -n "${will[./p/$U1]:-}" ]; then
			[[ $state == *"  ./p/$U1"* ]] || fail "call $call ($name #$k): the definition was lost"
		fi
		# each distinct store state: what both tools list, and the next save
		[ -z "${seen[$state]:-}" ] || continue
		seen[$state]=1
		listings > "$W/list"
		cmp -s "$W/list" "$W/list.old" || cmp -s "$W/list" "$W/list.new" ||
			fail "call $call ($name #$k): the listing is neither the old nor the new one: $(cat "$W/list")"
		if [ -e "$S/p/$U1" ]; then
			run --separate-stderr "$MDEVKIT" modify -u "$U1" --addattr next --value 1
		else
			run --separate-stderr "$MDEVKIT" define -u "$U1" -p p -t t
		fi
		assert_success
		assert_equal "$stderr" ""
		[ ! -e "$S/$tmp" ] || fail "call $call ($name #$k): the next save left $tmp behind"
		state=saved
	done
	echo "# mdevkit $1: $n system calls, $points kill points, $leftovers left a temporary file, ${#seen[@]} distinct states" >&3
	rm -rf "$old" "$new"
}

@test "define killed at every system call" {
	sweep define -u "$U1" -p p -t t
}

@test "modify --addattr killed at every system call" {
	write_def "$ROOT" p "$U1" '{"mdev_type":"t","start":"manual","attrs":[{"a":"0"}]}'
	sweep modify -u "$U1" --addattr b --value 1
}

@test "modify --jsonfile killed at every system call" {
	write_def "$ROOT" p "$U1" '{"mdev_type":"t","start":"manual","attrs":[{"a":"0"}]}'
	sweep modify -u "$U1" -p p --jsonfile "$W/in.json"
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
	# why mdevkit keeps its temporary files in the store's top directory
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
