#!/usr/bin/env bats
# completion/mdevkit under bash-completion: commands and options from
# mdevkit's --help, parents, types and UUIDs from mdevkit itself over the
# simulated host (a GVT-g iGPU, mtty and a vendor card).
load ../lib/helpers
load ../lib/simfs
load ../lib/docs

GVT=0000:00:02.0
VENDOR=0000:03:00.0
U1=11111111-0000-4000-8000-000000000001  # defined, not running
U2=11111111-0000-4000-8000-000000000002  # running, not defined
U3=11111111-0000-4000-8000-000000000003  # defined and running

# one host for the whole file: the tests only read it, except the last
setup_file() {
	mk_root "$BATS_FILE_TMPDIR/root"
	simfs_mount "$ROOT" "$TOP/tests/simfs/scenarios/mixed.conf"
	"$MDEVKIT" define -u "$U1" -p mtty -t mtty-1
	"$MDEVKIT" start -u "$U2" -p mtty -t mtty-2
	"$MDEVKIT" define -u "$U3" -p "$GVT" -t i915-GVTg_V5_4
	"$MDEVKIT" start -u "$U3"
}

teardown_file() {
	simfs_teardown
}

setup() {
	PATH=$BUILD:$PATH
}

# comp LINE: complete LINE with the cursor at its end, in a fresh bash with
# bash-completion loaded (as an interactive shell has it), splitting words
# as bash does (":" and "=" are word breaks); the candidates, sorted, in
# $out, what the completion wrote to stderr in $comp_stderr
comp() {
	local errfile=$BATS_TEST_TMPDIR/comp.stderr
	out=$(bash --norc --noprofile -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"
		line=$2
		COMP_WORDS=()
		read -ra parts <<<"$line"
		for word in "${parts[@]}"; do
			while [[ $word =~ ^([=:]+|[^=:]+)(.*)$ ]]; do
				COMP_WORDS+=("${BASH_REMATCH[1]}")
				word=${BASH_REMATCH[2]}
			done
		done
		[[ $line != *" " ]] || COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line
		COMP_POINT=${#line}
		COMPREPLY=()
		_mdevkit
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}"
	' comp "$TOP/completion/mdevkit" "$1" 2>"$errfile" | sort)
	comp_stderr=$(cat "$errfile")
}

@test "commands, from mdevkit --help" {
	comp "mdevkit "
	assert_equal "$out" "$("$MDEVKIT" --help | help_commands | sort)"
	comp "mdevkit st"
	assert_equal "$out" "$(printf '%s\n' start start-parent-mdevs stop)"
	comp "mdevkit --"
	assert_equal "$out" "$(printf '%s\n' --help --version)"
}

@test "the options of every command are those its --help prints" {
	local cmd want
	for cmd in $("$MDEVKIT" --help | help_commands); do
		comp "mdevkit $cmd -"
		want=$("$MDEVKIT" "$cmd" --help | help_options | awk '{ print $1; print $2 }' | grep -vx -- - | sort)
		assert_equal "$out" "$want"
	done
	comp "mdevkit list --d"
	assert_equal "$out" "$(printf '%s\n' --defined --dumpjson)"
	comp "lsmdev --v"
	assert_equal "$out" "--verbose"
}

@test "parents: the registered ones, colons and all" {
	comp "mdevkit start -p "
	assert_equal "$out" "$(printf '%s\n' "$GVT" "$VENDOR" mtty)"
	comp "mdevkit types --parent m"
	assert_equal "$out" mtty
	# bash splits at ':'; the candidates are what follows the last one
	comp "mdevkit list -p 0000:00:"
	assert_equal "$out" "02.0"
	comp "mdevkit check --parent=0000:03"
	assert_equal "$out" "03:00.0"
	comp "mdevkit doctor -p m"
	assert_equal "$out" mtty
	comp "mdevkit start-parent-mdevs "
	assert_equal "$out" "$(printf '%s\n' "$GVT" "$VENDOR" mtty)"
}

@test "types: those of the chosen parent, or of every parent" {
	comp "mdevkit start -p mtty -t "
	assert_equal "$out" "$(printf '%s\n' mtty-1 mtty-2)"
	comp "mdevkit define --parent=$GVT --type i915-GVTg_V5_"
	assert_equal "$out" "$(printf 'i915-GVTg_V5_%s\n' 1 2 4 8)"
	comp "mdevkit define -p$VENDOR -t "
	assert_equal "$out" "$("$MDEVKIT" types -p "$VENDOR" | awk '/^  [^ ]/ { print $1 }' | sort)"
	comp "mdevkit start -t "
	assert_equal "$out" "$("$MDEVKIT" types | awk '/^  [^ ]/ { print $1 }' | sort)"
	[ "$(wc -l <<<"$out")" -eq 8 ]
}

@test "UUIDs: defined and running" {
	comp "mdevkit stop -u "
	assert_equal "$out" "$(printf '%s\n' "$U1" "$U2" "$U3")"
	comp "mdevkit modify --uuid 11111111-0000-4000-8000-000000000003"
	assert_equal "$out" "$U3"
}

@test "values that are not names get nothing; --jsonfile gets files" {
	comp "mdevkit start-parent-mdevs --retries "
	assert_equal "$out" ""
	comp "mdevkit modify -u $U1 --addattr "
	assert_equal "$out" ""
	touch "$BATS_TEST_TMPDIR/dev.json"
	comp "mdevkit define -p mtty --jsonfile $BATS_TEST_TMPDIR/dev"
	assert_equal "$out" "$BATS_TEST_TMPDIR/dev.json"
	comp "mdevkit xml -u $U1 --rom $BATS_TEST_TMPDIR/dev"
	assert_equal "$out" "$BATS_TEST_TMPDIR/dev.json"
	comp "mdevkit qemu-args -u $U1 --res "
	assert_equal "$out" ""
}

@test "xml and qemu-args: --graphics offers its kinds, --uuid the devices" {
	comp "mdevkit xml --graphics "
	assert_equal "$out" "$(printf '%s\n' egl-headless spice)"
	comp "mdevkit qemu-args --graphics s"
	assert_equal "$out" spice
	# the same UUIDs as for any other command
	local want
	comp "mdevkit stop -u "
	want=$out
	[ -n "$want" ]
	comp "mdevkit xml -u "
	assert_equal "$out" "$want"
}

@test "silent and empty without a sysfs or without mdevkit" {
	export MDEVCTL_ENV_ROOT=$BATS_TEST_TMPDIR/nothing
	comp "mdevkit start -p "
	assert_equal "$out" ""
	assert_equal "$comp_stderr" ""
	comp "mdevkit stop -u "
	assert_equal "$out" ""
	assert_equal "$comp_stderr" ""
	comp "mdevkit start -t "
	assert_equal "$out" ""
	assert_equal "$comp_stderr" ""
	PATH=/usr/bin:/bin
	comp "mdevkit "
	assert_equal "$out" ""
	assert_equal "$comp_stderr" ""
	comp "mdevkit start -"
	assert_equal "$out" ""
	assert_equal "$comp_stderr" ""
}

@test "a parent that unregisters is no longer offered" {
	simfs_ctl "$ROOT" unregister mtty
	comp "mdevkit start -p "
	assert_equal "$out" "$(printf '%s\n' "$GVT" "$VENDOR")"
}

@test "make install puts the completion where bash-completion looks, or BASHCOMPLETIONSDIR" {
	local want
	want=$(pkg-config --variable=completionsdir bash-completion)
	[ -n "$want" ]
	# -n: the commands only (nothing is built or installed)
	run make -s -n -C "$TOP" install DESTDIR=/pkg
	assert_success
	assert_line "install -D -m 0644 completion/mdevkit /pkg$want/mdevkit"
	run make -s -n -C "$TOP" install DESTDIR=/pkg BASHCOMPLETIONSDIR=/opt/completions
	assert_line "install -D -m 0644 completion/mdevkit /pkg/opt/completions/mdevkit"
}
