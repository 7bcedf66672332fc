#!/usr/bin/env bats
# udev-rules/70-mdevkit.rules under `udevadm test`, next to mdevctl's
# 60-mdevctl.rules, over a fixture /sys and /etc/mdevctl.d.  Everything runs
# in a private mount namespace: the fixtures are bind-mounted over /sys,
# /etc/mdevctl.d and udev's rule directories, /run is a fresh tmpfs (udevadm
# test writes its database there).  `udevadm test` runs IMPORT and PROGRAM but
# never RUN; the RUN lines it prints are what udevd would execute.  The rule
# is the one make writes, with the default paths, and again from a
# `make install` with every path under /opt/x (OPT_X), its programs built for
# those paths and /opt/x mounted in the namespace.
load ../lib/helpers
load ../lib/gvt

A1=11111111-1111-4111-8111-111111111111
A2=22222222-2222-4222-8222-222222222222
M3=33333333-3333-4333-8333-333333333333
START="run: '/bin/systemctl --no-block start mdevkit-parent@mtty.service'"
RELOAD="run: '/bin/systemctl --no-block reload-or-restart mdevkit-parent@mtty.service'"
STOP="run: '/bin/systemctl --no-block stop mdevkit-parent@mtty.service'"
MDEVCTL_RULES=$(pkg-config --variable=udevdir udev)/rules.d/60-mdevctl.rules

setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	make_top BUILD="$BATS_FILE_TMPDIR/build" units
	make_top -j2 BUILD="$BATS_FILE_TMPDIR/build-x" DESTDIR="$BATS_FILE_TMPDIR/dest-x" \
		"${OPT_X[@]}" install > /dev/null
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a private mount namespace"
	[ -f "$MDEVCTL_RULES" ] || skip "mdevctl's $MDEVCTL_RULES is missing (tests/deps.sh check)"
	[ -x "$MDEVKIT_UDEV" ] || fail "$MDEVKIT_UDEV is not built"
	T=$BATS_TEST_TMPDIR
	cp -a "$FIXTURES/udev/sys" "$T/sys"
	# git keeps no empty directories
	mkdir -p "$T/sys/bus/mdev/devices" "$T/udevlib/rules.d" "$T/empty" "$T/etc" "$T/etc-work" \
		"$T/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-1/devices" \
		"$T/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-2/devices"
	cp "$BATS_FILE_TMPDIR/build/udev-rules/70-mdevkit.rules" "$MDEVCTL_RULES" "$T/udevlib/rules.d/"
	cp "$MDEVKIT_UDEV" "$T/udevlib/mdevkit-udev"
	mk_root "$T/root"
	write_def "$ROOT" mtty "$A1" '{"mdev_type":"mtty-2","start":"auto","attrs":[]}'
	write_def "$ROOT" mtty "$A2" '{"mdev_type":"mtty-1","start":"auto","attrs":[]}'
	write_def "$ROOT" mtty "$M3" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
}

# udev_test ACTION DEVPATH [UEVENT-LINE]: `udevadm test` of one event.  The
# extra uevent line (MDEV_STATE=...) goes into the device's uevent file, which
# is where udevadm test takes the kernel's properties from.  With $T/x (from
# use_opt_x) it is mounted as /opt/x.  /etc is an overlay whose upper layer,
# $T/etc, holds /etc/mdevkit.
udev_test() {
	local action=$1 devpath=$2
	printf '%s\n' "${3:-}" > "$T/sys$devpath/uevent"
	unshare -m --propagation private -- /bin/sh -c '
		set -e
		t=$1 action=$2 devpath=$3
		if [ -d "$t/x" ]; then
			mount -t tmpfs tmpfs /opt
			mkdir /opt/x
			mount --bind "$t/x" /opt/x
		fi
		mount --bind "$t/sys" /sys
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$t/etc,workdir=$t/etc-work" /etc
		mount --bind "$t/root/etc/mdevctl.d" /etc/mdevctl.d
		for d in /lib/udev /usr/lib/udev /usr/local/lib/udev; do
			[ ! -d "$d" ] || mount --bind "$t/udevlib" "$d"
		done
		[ ! -d /etc/udev/rules.d ] || mount --bind "$t/empty" /etc/udev/rules.d
		mount -t tmpfs tmpfs /run
		# NODE=vfio/N: a private /dev holding that node (and /dev/null), its
		# group and mode shown after the test ("node: GROUP MODE")
		if [ -n "$4" ]; then
			mount -t tmpfs tmpfs /dev
			mknod -m 0666 /dev/null c 1 3
			mkdir -p "/dev/${4%/*}"
			mknod -m 0600 "/dev/$4" c 511 "${4##*/}"
		fi
		# the fixture is a plain directory, not sysfs
		SYSTEMD_DEVICE_VERIFY_SYSFS=0 udevadm test --action="$action" "$devpath"
		[ -z "$4" ] || stat -c "node: %G %a" "/dev/$4"
	' sh "$T" "$action" "$devpath" "${NODE:-}" 2>&1
}

# use_opt_x: the rule and the programs of the /opt/x install in place of the
# default ones, the fixture's definitions in its store /opt/x/etc/mdevctl.d,
# and /opt/x/bin holding the host's systemctl and systemd-escape (what a
# system built that way has)
use_opt_x() {
	cp -a "$BATS_FILE_TMPDIR/dest-x/opt/x" "$T/x"
	cp "$T/x/lib/udev/rules.d/70-mdevkit.rules" "$T/udevlib/rules.d/"
	rm "$T/udevlib/mdevkit-udev"
	ln -s "$(command -v systemctl)" "$T/x/bin/systemctl"
	ln -s "$(command -v systemd-escape)" "$T/x/bin/systemd-escape"
	cp -a "$ROOT/etc/mdevctl.d/mtty" "$T/x/etc/mdevctl.d/"
}

# the RUN lines udevd would execute, in order
runs() { grep "^run: " <<<"$output" || true; }
# every trace of our rules acting: a rule line applied, a property, a RUN
ours() { grep -E "70-mdevkit\.rules:[0-9]|mdevkit-udev|MDEVKIT_|^run: .*mdevkit" <<<"$output" || true; }

@test "rules file parses cleanly" {
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=registered
	assert_success
	assert_output --partial "Reading rules file: "
	refute_output --regexp "70-mdevkit.rules.*(Invalid|invalid|ignoring|dropping|unknown|Unknown)"
}

@test "change+registered: imports the helper and reloads-or-starts the parent's unit after mdevctl" {
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=registered
	assert_success
	assert_output --partial "Importing properties from results of 'mdevkit-udev'"
	assert_line MDEVKIT_PARENT=1
	assert_line MDEVKIT_AUTOSTART=2
	assert_line MDEVKIT_UNIT=mdevkit-parent@mtty.service
	run runs
	assert_line --index 0 --partial "/usr/sbin/mdevctl start-parent-mdevs mtty"
	assert_line --index 1 "$RELOAD"
	assert_equal "${#lines[@]}" 2
}

@test "add (coldplug): the same hand-off" {
	run udev_test add /devices/virtual/mtty/mtty
	assert_success
	assert_line MDEVKIT_AUTOSTART=2
	run runs
	assert_line --index 1 "$START"
	assert_equal "${#lines[@]}" 2
}

@test "coldplug only starts the unit; a registration never plainly restarts it" {
	# a start of an active unit is a no-op: coldplug leaves it alone
	run udev_test add /devices/virtual/mtty/mtty
	refute_output --regexp "run: .*mdevkit-parent@.*(restart|reload)"
	# a registration must act even while the unregistration's stop job is
	# queued (a start would merge with it and run nothing), and must not
	# kill a start that is running (a restart would): reload-or-restart
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=registered
	refute_output --regexp "run: .*systemctl --no-block (start|restart) mdevkit-parent@"
	assert_line "$RELOAD"
}

@test "change+unregistered: only stops the unit (it has no ExecStop), imports nothing" {
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=unregistered
	assert_success
	refute_output --partial "mdevkit-udev"
	refute_output --partial "MDEVKIT_"
	# mdevctl's rules ignore unregistration too
	run runs
	assert_output "$STOP"
}

@test "change without MDEV_STATE: nothing" {
	run udev_test change /devices/virtual/mtty/mtty
	assert_success
	run ours
	assert_output ""
}

@test "other actions on the parent: nothing" {
	for action in remove bind unbind move online offline; do
		run udev_test "$action" /devices/virtual/mtty/mtty MDEV_STATE=registered
		assert_success
		run ours
		assert_output ""
	done
}

@test "the parent's module and driver (same name): nothing" {
	mkdir -p "$T/sys/module/mtty" "$T/sys/bus/mdev/drivers/mtty"
	for devpath in /module/mtty /bus/mdev/drivers/mtty; do
		run udev_test add "$devpath"
		assert_success
		assert_line ACTION=add
		run ours
		assert_output ""
	done
}

@test "parent with only manual definitions: helper runs, no hand-off" {
	rm "$ROOT/etc/mdevctl.d/mtty/$A1" "$ROOT/etc/mdevctl.d/mtty/$A2"
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=registered
	assert_success
	assert_line MDEVKIT_AUTOSTART=0
	refute_output --partial "run: '/bin/systemctl"
}

@test "parent without definitions: nothing" {
	run udev_test change /devices/virtual/mbochs/mbochs MDEV_STATE=registered
	assert_success
	run ours
	assert_output ""
	run udev_test add /devices/virtual/mbochs/mbochs
	assert_success
	run ours
	assert_output ""
}

@test "device with a definitions directory that is no mdev parent: helper says nothing, no hand-off" {
	mkdir -p "$ROOT/etc/mdevctl.d/gone"
	run udev_test add /devices/virtual/misc/gone
	assert_success
	assert_output --partial "Importing properties from results of 'mdevkit-udev'"
	refute_output --partial "MDEVKIT_"
	refute_output --partial "run: '/bin/systemctl"
}

@test "parent name that needs escaping: one unit name for start and stop" {
	cp -a "$T/sys/devices/virtual/mtty/mtty" "$T/sys/devices/virtual/mtty/my-tty"
	ln -s ../../devices/virtual/mtty/my-tty "$T/sys/class/mdev_bus/my-tty"
	write_def "$ROOT" my-tty "$A1" '{"mdev_type":"mtty-2","start":"auto","attrs":[]}'
	run udev_test change /devices/virtual/mtty/my-tty MDEV_STATE=registered
	assert_line "run: '/bin/systemctl --no-block reload-or-restart mdevkit-parent@my\\x2dtty.service'"
	run udev_test change /devices/virtual/mtty/my-tty MDEV_STATE=unregistered
	assert_line "run: '/bin/systemctl --no-block stop mdevkit-parent@my\\x2dtty.service'"
}

@test "GVT-g parent: the helper's aperture and fit are imported, the hand-off is the same" {
	gvt_fixture "$T" 256
	mkdir -p "$T/sys/bus/pci"
	ln -s ../../../bus/pci "$T/sys/$GVT_DEV/subsystem"
	write_def "$ROOT" "$GVT_P" "$U1" '{"mdev_type":"i915-GVTg_V5_8","start":"auto","attrs":[]}'
	write_def "$ROOT" "$GVT_P" "$U2" '{"mdev_type":"i915-GVTg_V5_8","start":"auto","attrs":[]}'
	run udev_test change "/$GVT_DEV" MDEV_STATE=registered
	assert_success
	assert_line MDEVKIT_AUTOSTART=2
	assert_line MDEVKIT_GVT=1
	assert_line MDEVKIT_GVT_APERTURE_MB=256
	assert_line MDEVKIT_GVT_FITS=1
	assert_line "run: '/bin/systemctl --no-block reload-or-restart mdevkit-parent@0000:00:02.0.service'"
	# two V5_8 fit a 256 MiB aperture, three do not: still handed off, the
	# unit reports what failed
	write_def "$ROOT" "$GVT_P" "$U3" '{"mdev_type":"i915-GVTg_V5_8","start":"auto","attrs":[]}'
	run udev_test add "/$GVT_DEV"
	assert_success
	assert_line MDEVKIT_AUTOSTART=3
	assert_line MDEVKIT_GVT_FITS=0
	assert_line "run: '/bin/systemctl --no-block start mdevkit-parent@0000:00:02.0.service'"
}

@test "make install with every path under /opt/x: a rule that calls only what that install put there" {
	use_opt_x
	# a path outside /opt/x: /usr/..., /bin/..., /etc/... after anything
	# that cannot end a path component
	run grep -rnE '(^|[^[:alnum:]_.+-])/(usr|bin|sbin|lib|etc)/' \
		"$T/x/lib/udev/rules.d" "$T/x/lib/systemd/system"
	assert_output ""
	# the vfio part asks for that install's mdevkit.conf
	run grep -c 'TEST=="/opt/x/etc/mdevkit/mdevkit.conf"' "$T/x/lib/udev/rules.d/70-mdevkit.rules"
	assert_output 1
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=registered
	assert_success
	refute_output --regexp "70-mdevkit.rules.*(Invalid|invalid|ignoring|dropping|unknown|Unknown)"
	assert_output --partial "Importing properties from results of '/opt/x/lib/udev/mdevkit-udev'"
	assert_line MDEVKIT_AUTOSTART=2
	run runs
	assert_line --index 1 "run: '/opt/x/bin/systemctl --no-block reload-or-restart mdevkit-parent@mtty.service'"
	assert_equal "${#lines[@]}" 2
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=unregistered
	assert_success
	run runs
	assert_output "run: '/opt/x/bin/systemctl --no-block stop mdevkit-parent@mtty.service'"
}

@test "make install with every path under /opt/x: the rule and its helper read that store, not /etc/mdevctl.d" {
	use_opt_x
	# the definitions only in /etc/mdevctl.d (mounted there): nothing
	rm -r "$T/x/etc/mdevctl.d/mtty"
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=registered
	assert_success
	run ours
	assert_output ""
	# a directory for the parent, its definitions still in /etc: the helper
	# finds no auto definition in /opt/x/etc/mdevctl.d
	mkdir "$T/x/etc/mdevctl.d/mtty"
	run udev_test change /devices/virtual/mtty/mtty MDEV_STATE=registered
	assert_success
	assert_output --partial "Importing properties from results of '/opt/x/lib/udev/mdevkit-udev'"
	assert_line MDEVKIT_AUTOSTART=0
	refute_output --partial "run: '/opt/x/bin/systemctl"
}

# vfio_group G: an mdev $1 of mtty (mtty-1) in IOMMU group $2 and the
# group's vfio node device, as the kernel lays them out
vfio_group() {
	local u=$1 g=$2 m=$T/sys/devices/virtual/mtty/mtty/$1
	mkdir -p "$m" "$T/sys/kernel/iommu_groups/$g/devices" "$T/sys/devices/virtual/vfio/$g" \
		"$T/sys/class/vfio" "$T/sys/bus/mdev/devices"
	ln -sfn ../mdev_supported_types/mtty-1 "$m/mdev_type"
	ln -sfn "../../../../kernel/iommu_groups/$g" "$m/iommu_group"
	: > "$m/uevent"
	ln -sfn "../../../devices/virtual/mtty/mtty/$u" "$T/sys/bus/mdev/devices/$u"
	ln -sfn "../../../../devices/virtual/mtty/mtty/$u" "$T/sys/kernel/iommu_groups/$g/devices/$u"
	ln -sfn ../../../../class/vfio "$T/sys/devices/virtual/vfio/$g/subsystem"
	echo "511:$g" > "$T/sys/devices/virtual/vfio/$g/dev"
	ln -sfn "../../devices/virtual/vfio/$g" "$T/sys/class/vfio/$g"
}

# vfio_test GROUP: `udevadm test` of the add event of /dev/vfio/GROUP, with
# that node in a private /dev
vfio_test() {
	NODE=vfio/$1 udev_test add "/devices/virtual/vfio/$1" "$(printf 'MAJOR=511\nMINOR=%s\nDEVNAME=vfio/%s' "$1" "$1")"
}

vfio_conf() {
	mkdir -p "$T/etc/mdevkit"
	printf '%s\n' "$@" > "$T/etc/mdevkit/mdevkit.conf"
}

@test "vfio_group/vfio_mode: the node of a defined mdev gets them, whatever its group number" {
	getent group kvm > /dev/null || skip "no kvm group on this host"
	vfio_conf "vfio_group = kvm" "vfio_mode = 0660"
	vfio_group "$M3" 7
	run vfio_test 7
	assert_success
	assert_output --partial "Importing properties from results of 'mdevkit-udev'"
	assert_line "MDEVKIT_MDEV=$M3"
	assert_line MDEVKIT_VFIO_GROUP=kvm
	assert_line MDEVKIT_VFIO_MODE=0660
	assert_line "node: kvm 660"
	# the group number is the kernel's: another one, the same result
	vfio_group "$A2" 12
	run vfio_test 12
	assert_line "MDEVKIT_MDEV=$A2"
	assert_line "node: kvm 660"
}

@test "vfio_group: the node of an mdev without definition, or of no mdev, is untouched" {
	vfio_conf "vfio_group = kvm" "vfio_mode = 0660"
	vfio_group 44444444-4444-4444-8444-444444444444 3
	run vfio_test 3
	assert_success
	refute_output --partial "MDEVKIT_"
	assert_line "node: root 600"
	# a group of a PCI device passed through: no mdev in it
	vfio_group "$M3" 4
	rm "$T/sys/kernel/iommu_groups/4/devices/$M3"
	mkdir -p "$T/sys/devices/pci0000:00/0000:00:1f.0"
	ln -s ../../../../devices/pci0000:00/0000:00:1f.0 "$T/sys/kernel/iommu_groups/4/devices/0000:00:1f.0"
	run vfio_test 4
	assert_success
	refute_output --partial "MDEVKIT_"
	assert_line "node: root 600"
}

@test "no mdevkit.conf, or one without vfio settings: the helper is not run, or says only which mdev" {
	vfio_group "$M3" 5
	run vfio_test 5
	assert_success
	run ours
	assert_output ""
	vfio_conf "ready_timeout_sec = 2"
	run vfio_test 5
	assert_success
	assert_line "MDEVKIT_MDEV=$M3"
	refute_output --partial "MDEVKIT_VFIO_"
	assert_line "node: root 600"
}
