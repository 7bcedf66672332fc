# The SIGKILL sweep shared by tests/roots/store-crash*.bats:
# `load ../lib/store-crash` after `load ../lib/helpers`.  See
# tests/roots/store-crash.bats for what it proves.
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
	# the temporary file beside the store (where a save writes it) and in
	# its top directory (the fallback when the store is another file system)
	local old="$W/old" new="$W/new" tmp=".$U1.mdevkit-tmp" beside=$ROOT/etc/.mdevctl.d.$U1.mdevkit-tmp
	local -a names
	local -A seen=() nth=() was=() will=()
	local call n k name sum f status before first=1 state points=0 leftovers=0

	cp -a "$S" "$old"
	listings > "$W/list.old"
	# the complete run, traced: its system calls in order, and the new store
	strace -f -qq -o "$W/trace" "$NATIVE/mdevkit" "$@"
	cp -a "$S" "$new"
	listings > "$W/list.new"
	rm -rf "$S" && cp -a "$old" "$S"
	before=$(sums "$old")
	state=$before
	while read -r sum f; do was[$f]=$sum; done <<< "$before"
	while read -r sum f; do will[$f]=$sum; done < <(sums "$new")
	mapfile -t names < <(sed -E 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/' "$W/trace")
	n=${#names[@]}
	# ASan: its start-up is no kill point, nor are the memory calls of its
	# allocator, whose number differs from run to run
	local asan=
	if nm -D "$NATIVE/mdevkit" | grep -q __asan_init; then
		first=$(grep -n -F -m1 "$S" "$W/trace" | cut -d: -f1)
		asan=1
	fi
	for ((call = 1; call <= n; call++)); do
		name=${names[call - 1]}
		k=$((${nth[$name]:-0} + 1))
		nth[$name]=$k
		# killed before its exec, a program has not run at all
		((call >= first)) && [ "$name" != execve ] || continue
		if [ -n "$asan" ]; then
			case $name in mmap | munmap | mprotect | madvise | mremap | brk) continue ;; esac
		fi
		points=$((points + 1))
		# the store as it was (most kill points leave it so: no copy then)
		if [ "$state" != "$before" ]; then
			rm -rf "$S" && cp -a "$old" "$S"
		fi
		status=0
		strace -f -qq -o /dev/null -e "inject=$name:signal=SIGKILL:when=$k" "$NATIVE/mdevkit" "$@" 2>/dev/null || status=$?
		[ "$status" -eq 137 ] || fail "call $call ($name #$k) of mdevkit $*: not killed (status $status)"
		# every file is the old or the new version; only our leftover is extra
		[ ! -e "$beside" ] || leftovers=$((leftovers + 1))
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
		[ ! -e "$beside" ] || [ "$1" = undefine ] || fail "call $call ($name #$k): the next save left $beside behind"
		state=saved
	done
	echo "# mdevkit $1: $n system calls, $points kill points, $leftovers left a temporary file, ${#seen[@]} distinct states" >&3
	rm -rf "$old" "$new"
}

