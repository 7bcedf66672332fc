# Shared by every bats file of tests/ (roots/, simulated/, vm/):
# `load ../lib/helpers`.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

TOP=${MDEVKIT_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${MDEVKIT_BUILD:-$TOP/build}
MDEVKIT=$BUILD/mdevkit
MDEVKIT_GVT=$BUILD/mdevkit-gvt
MDEVKIT_UDEV=$BUILD/mdevkit-udev
SIMFS=$BUILD/mdevkit-simfs
# the programs themselves, for strace: in a tests/valgrind-build directory
# $BUILD holds scripts running valgrind, whose own syscalls strace would see
NATIVE=$BUILD
# MEMCHECK=1: the programs run under memcheck, at some 0.4 s of CPU per
# start; a sweep of hundreds of runs may then batch its cases into fewer
# runs (each case still checked)
MEMCHECK=
[ -d "$BUILD/native" ] && NATIVE=$BUILD/native MEMCHECK=1
FIXTURES=$TOP/tests/fixtures

# mk_root [DIR]: an empty host tree for MDEVCTL_ENV_ROOT: the store, both
# callout and notifier directories, and an mdev-less /sys.  Exports ROOT and
# MDEVCTL_ENV_ROOT.
mk_root() {
	ROOT=${1:-$BATS_TEST_TMPDIR/root}
	mkdir -p "$ROOT/etc/mdevctl.d/scripts.d/callouts" \
		"$ROOT/etc/mdevctl.d/scripts.d/notifiers" \
		"$ROOT/usr/lib/mdevctl/scripts.d/callouts" \
		"$ROOT/usr/lib/mdevctl/scripts.d/notifiers" \
		"$ROOT/sys/class/mdev_bus" "$ROOT/sys/bus/mdev/devices"
	export ROOT MDEVCTL_ENV_ROOT=$ROOT
}

# mdevctl_ns ROOT ARGS...: Debian's mdevctl 1.2.0 inside a private mount
# namespace where ROOT/sys is /sys and ROOT/etc/mdevctl.d is /etc/mdevctl.d.
# 1.2.0 has no MDEVCTL_ENV_ROOT; this is the only way to point it elsewhere.
mdevctl_ns() {
	local root=$1
	shift
	unshare -m --propagation private -- /bin/sh -c '
		r=$1; shift
		mount --bind "$r/sys" /sys &&
		mount --bind "$r/etc/mdevctl.d" /etc/mdevctl.d &&
		exec env -u MDEVCTL_ENV_ROOT mdevctl "$@"' sh "$root" "$@"
}

# write_def ROOT PARENT UUID JSON: a definition file with exact bytes
write_def() {
	mkdir -p "$1/etc/mdevctl.d/$2"
	printf '%s' "$4" > "$1/etc/mdevctl.d/$2/$3"
}

# snapshot NAME DIR [full]: what is below DIR, into $BATS_TEST_TMPDIR/.snapNAME,
# to prove with assert_snapshot_unchanged that nothing was written there:
# the sorted paths, without bats' separate-stderr files and the snapshots
# (DIR may hold them); with "full" each path with its size and modification
# time, then the bytes of the files directly in DIR
snapshot() {
	local out=$BATS_TEST_TMPDIR/.snap$1 dir=$2
	if [ "${3:-}" = full ]; then
		(cd "$dir" && find . -printf '%p %s %T@\n' | sort && cat ./*) > "$out"
	else
		find "$dir" ! -name 'separate-stderr-*' ! -name '.snap*' | sort > "$out"
	fi
}

# assert_snapshot_unchanged NAME DIR [full]: DIR is as `snapshot NAME` saw it
assert_snapshot_unchanged() {
	snapshot after "$2" "${3:-}"
	diff "$BATS_TEST_TMPDIR/.snap$1" "$BATS_TEST_TMPDIR/.snapafter"
}

# OPT_X: make variables that put every path mdevkit installs to or calls
# under /opt/x, as a NixOS derivation puts them under its store path
OPT_X=(PREFIX=/opt/x SYSCONFDIR=/opt/x/etc MDEVCTL_LIBDIR=/opt/x/lib/mdevctl
	UDEVDIR=/opt/x/lib/udev SYSTEMDUNITDIR=/opt/x/lib/systemd/system
	BASHCOMPLETIONSDIR=/opt/x/share/bash-completion/completions
	SYSTEMCTL=/opt/x/bin/systemctl SYSTEMD_ESCAPE=/opt/x/bin/systemd-escape
	UDEVADM=/opt/x/bin/udevadm MDEVKIT_UDEV_BIN=/opt/x/lib/udev/mdevkit-udev)

# make_top ARGS...: the project's Makefile, quietly, without the variables
# of a make that may be running the tests (make check)
make_top() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP" "$@"; }
