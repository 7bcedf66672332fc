#!/usr/bin/env bats
# memcheck over the programs' main paths, stricter than tests/run's
# valgrind pass (which runs every file with definite and indirect leaks,
# errors and fds as findings): here no block may be left at exit at all,
# not even reachable or possibly lost.  It runs the plain build itself
# (valgrind cannot run ASan binaries), so tests/run runs it once.
load ../lib/helpers
load ../lib/simfs

U1=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
GVT=0000:00:02.0

setup() {
	command -v valgrind >/dev/null || fail "valgrind is not installed (tests/deps.sh check)"
	PLAIN=$TOP/build
	mk_root
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
}

teardown() {
	simfs_teardown
}

# vg PROGRAM ARGS...: run under memcheck; fails on any error or leak
vg() {
	local log=$BATS_TEST_TMPDIR/vg.log
	run --separate-stderr valgrind -q --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=all --errors-for-leak-kinds=all --track-fds=yes \
		--log-file="$log" "$@"
	# an fd the program opened and did not close (not one bats passed in)
	local leaked_fd
	leaked_fd=$(awk '/Open file descriptor [0-9]+:/ { fd = $0; getline; if ($0 !~ /inherited from parent/) print fd }' "$log")
	if [ "$status" -eq 99 ] || [ -n "$leaked_fd" ] ||
		grep -qE 'ERROR SUMMARY: [1-9]|definitely|indirectly|still reachable' "$log"; then
		cat "$log" >&3
		fail "valgrind found problems in: $*"
	fi
}

@test "mdevkit: define, modify, list, start, stop, undefine, types, check" {
	vg "$PLAIN/mdevkit" define -u "$U1" -p "$GVT" -t i915-GVTg_V5_4 --auto
	vg "$PLAIN/mdevkit" define -p 0000:03:00.0 -t simvendor-small
	vg "$PLAIN/mdevkit" define -u "$U2" -p 0000:03:00.0 -t simvendor-small
	vg "$PLAIN/mdevkit" modify -u "$U2" --addattr channel --value 3
	vg "$PLAIN/mdevkit" modify -u "$U2" --addattr display --value on --index 0
	vg "$PLAIN/mdevkit" modify -u "$U2" --delattr
	vg "$PLAIN/mdevkit" list -d -v
	vg "$PLAIN/mdevkit" list -d --dumpjson
	vg "$PLAIN/mdevkit" start -u "$U2"
	vg "$PLAIN/mdevkit" start-parent-mdevs "$GVT"
	vg "$PLAIN/mdevkit" start-parent-mdevs --all
	vg "$PLAIN/mdevkit" list -v
	vg "$PLAIN/mdevkit" list --dumpjson -u "$U1"
	vg "$PLAIN/mdevkit" types
	vg "$PLAIN/mdevkit" types --dumpjson
	vg "$PLAIN/mdevkit" types --gvt
	vg "$PLAIN/mdevkit" check
	vg "$PLAIN/mdevkit" check --dumpjson
	vg "$PLAIN/mdevkit" stop -u "$U1"
	vg "$PLAIN/mdevkit" stop -u "$U2"
	vg "$PLAIN/mdevkit" undefine -u "$U2"
}

@test "mdevkit: error paths" {
	write_def "$ROOT" mtty "$U1" '{"mdev_type":"mtty-1","start":"auto","attrs":[{"a":1}]}'
	vg "$PLAIN/mdevkit" list -d
	vg "$PLAIN/mdevkit" define -p ../x -t t
	vg "$PLAIN/mdevkit" define -u "$U2" -p p --jsonfile /nonexistent
	vg "$PLAIN/mdevkit" start -p mtty -t nosuch
	vg "$PLAIN/mdevkit" start -p MTTY -t mtty-1
	vg "$PLAIN/mdevkit" stop -u "$U2"
	vg "$PLAIN/mdevkit" modify -u "$U2" --auto
	vg "$PLAIN/mdevkit" modify -u "$U2" --bogus
	vg "$PLAIN/mdevkit" undefine -u "$U2"
	vg "$PLAIN/mdevkit" frobnicate
	vg "$PLAIN/mdevkit" --help
}

@test "mdevkit with callouts: define, start, stop through mdevkit-gvt and a shell script" {
	ln -s "$PLAIN/mdevkit-gvt" "$ROOT/usr/lib/mdevctl/scripts.d/callouts/mdevkit-gvt"
	printf '#!/bin/sh\ncat > /dev/null\n[ "$2" = mtty-1 ] || exit 2\necho "[{\\"x\\":\\"1\\"}]"\n' \
		> "$ROOT/etc/mdevctl.d/scripts.d/callouts/mtty"
	chmod +x "$ROOT/etc/mdevctl.d/scripts.d/callouts/mtty"
	vg "$PLAIN/mdevkit" define -u "$U1" -p "$GVT" -t i915-GVTg_V5_1 --auto
	vg "$PLAIN/mdevkit" define -p "$GVT" -t i915-GVTg_V5_1 --auto
	vg "$PLAIN/mdevkit" start -u "$U1"
	vg "$PLAIN/mdevkit" start -u "$U2" -p mtty -t mtty-1
	vg "$PLAIN/mdevkit" list -v
	vg "$PLAIN/mdevkit" stop -u "$U2"
	MDEVKIT_CALLOUT_TIMEOUT=1 vg "$PLAIN/mdevkit" stop -u "$U1"
}

@test "mdevkit-gvt and mdevkit-udev" {
	write_def "$ROOT" "$GVT" "$U1" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	local argv="-t i915-GVTg_V5_4 -e pre -a start -s none -u $U2 -p $GVT"
	printf '%s' '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}' > "$BATS_TEST_TMPDIR/in.json"
	vg "$PLAIN/mdevkit-gvt" $argv < "$BATS_TEST_TMPDIR/in.json"
	vg "$PLAIN/mdevkit-gvt" -t mtty-1 -e pre -a start -s none -u "$U2" -p mtty
	vg "$PLAIN/mdevkit-gvt" -t i915-GVTg_V5_4 -e get -a capabilities -s none -u "$U2" -p "$GVT"
	vg "$PLAIN/mdevkit-gvt" -t i915-GVTg_V5_4 -e get -a attributes -s none -u "$U2" -p "$GVT"
	vg "$PLAIN/mdevkit-gvt" -t i915-GVTg_V5_4 -e bogus
	vg "$PLAIN/mdevkit-udev" /devices/pci0000:00/0000:00:02.0
	vg "$PLAIN/mdevkit-udev" /devices/virtual/mtty/mtty
	vg "$PLAIN/mdevkit-udev" /sys/module/mtty
}
