#!/usr/bin/env bats
# The systemd units as `make install-units` writes them: substitution,
# enablement, `systemd-analyze verify`, and the settings the udev rule and
# mdevkit-units(7) rely on.  Nothing here needs systemd to be running.
load ../lib/helpers

UUID=83b8f4f2-509f-382f-3c1e-e6bfe0fa1001

setup() {
	D=$BATS_TEST_TMPDIR/root
	U=$D/lib/systemd/system
}

# install_units [MAKE-ARGS...]: rules and units into $D, generated in a
# build directory of the test's own
install_units() {
	make_top install-units BUILD="$BATS_TEST_TMPDIR/build" DESTDIR="$D" PREFIX=/usr \
		UDEVDIR=/lib/udev SYSTEMDUNITDIR=/lib/systemd/system "$@"
}

# verify_units DIR: systemd-analyze verify of every unit and instance in DIR
verify_units() {
	local arg
	# FILE:NAME verifies FILE under the name NAME (an instance of a template);
	# a bare argument with a colon would be taken for that syntax
	for arg in mdevkit-boot.service mdevkit-gvt-early.service "mdevkit@.service:mdevkit@$UUID.service" \
		mdevkit-parent@.service:mdevkit-parent@mtty.service \
		mdevkit-parent@.service:mdevkit-parent@0000:00:02.0.service \
		'mdevkit-parent@.service:mdevkit-parent@my\x2dtty.service'; do
		# the man page is checked below, not with the host's man-db
		run --separate-stderr systemd-analyze verify --man=no "$1/$arg"
		assert_success
		assert_output ""
		[ -z "$stderr" ] || fail "$arg: $stderr"
	done
}

# key FILE SECTION KEY: every value of KEY in [SECTION], one a line
key() {
	awk -v s="[$2]" -v k="$3" '
		/^\[/ { in_s = ($0 == s); next }
		in_s && index($0, k "=") == 1 { print substr($0, length(k) + 2) }' "$1"
}

# seconds DURATION: systemd time span ("90", "90s", "2min") in seconds
seconds() {
	case $1 in
	*min) echo $((${1%min} * 60)) ;;
	*s) echo "${1%s}" ;;
	*) echo "$1" ;;
	esac
}

@test "install-units writes the rules, three units and the boot unit's enablement link" {
	run install_units
	assert_success
	assert_file_exists "$D/lib/udev/rules.d/70-mdevkit.rules"
	assert_file_exists "$U/mdevkit-parent@.service"
	assert_file_exists "$U/mdevkit-boot.service"
	assert_file_exists "$U/mdevkit@.service"
	assert_file_exists "$U/mdevkit-gvt-early.service"
	run readlink "$D/etc/systemd/system/multi-user.target.wants/mdevkit-boot.service"
	assert_output /lib/systemd/system/mdevkit-boot.service
	# the GVT-g early start is an opt-in
	assert_not_exist "$D/etc/systemd/system/graphical.target.wants/mdevkit-gvt-early.service"
	run grep -l '@[A-Z_]*@' "$U"/mdevkit*
	assert_failure
	run grep -h '^ExecStart=' "$U/mdevkit-boot.service"
	assert_output "ExecStart=/usr/bin/mdevkit start-parent-mdevs --all --retries 6 --retry-delay 500"
}

@test "ENABLE_BOOT_UNIT=no installs the units without the enablement link" {
	run install_units ENABLE_BOOT_UNIT=no
	assert_success
	assert_file_exists "$U/mdevkit-boot.service"
	assert_not_exist "$D/etc/systemd/system/multi-user.target.wants/mdevkit-boot.service"
}

@test "install-units fails loudly without udev's or systemd's directory" {
	run make_top install-units BUILD="$BATS_TEST_TMPDIR/build" DESTDIR="$D" UDEVDIR= SYSTEMDUNITDIR=/lib/systemd/system
	assert_failure
	assert_output --partial "udev's directory is unknown"
	run make_top install-units BUILD="$BATS_TEST_TMPDIR/build" DESTDIR="$D" UDEVDIR=/lib/udev SYSTEMDUNITDIR=
	assert_failure
	assert_output --partial "systemd's unit directory is unknown"
}

@test "systemd-analyze verify is clean for every unit and instance, with the opt-ins on" {
	# verify wants the ExecStart binaries to exist: point BINDIR into $D
	run install_units BINDIR="$D/usr/bin"
	assert_success
	mkdir -p "$D/usr/bin"
	if [ -x "$MDEVKIT" ]; then
		cp "$MDEVKIT" "$D/usr/bin/mdevkit"
	else
		printf '#!/bin/sh\nexit 0\n' > "$D/usr/bin/mdevkit"
		chmod +x "$D/usr/bin/mdevkit"
	fi
	# the opt-in enabled as `systemctl enable` does it
	mkdir -p "$D/etc/systemd/system/graphical.target.wants"
	ln -s "$U/mdevkit-gvt-early.service" "$D/etc/systemd/system/graphical.target.wants/"
	verify_units "$U"
}

@test "every path under /opt/x (OPT_X): units that run only what is there, and systemd-analyze verify accepts them" {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a private mount namespace"
	# the units part of make install, with the variable set udev-rules.bats
	# installs everything with
	run make_top install-units BUILD="$BATS_TEST_TMPDIR/build" DESTDIR="$D" "${OPT_X[@]}"
	assert_success
	x=$D/opt/x
	assert_equal "$(key "$x/lib/systemd/system/mdevkit-boot.service" Service ExecStartPre)" \
		"-/opt/x/bin/udevadm settle --timeout=60"
	assert_equal "$(key "$x/lib/systemd/system/mdevkit@.service" Service ExecStop)" \
		"/opt/x/bin/mdevkit stop --not-running-ok -u %i"
	run readlink "$x/etc/systemd/system/multi-user.target.wants/mdevkit-boot.service"
	assert_output /opt/x/lib/systemd/system/mdevkit-boot.service
	# a path outside /opt/x: /usr/..., /bin/... after anything that cannot
	# end a path component
	run grep -rnE '(^|[^[:alnum:]_.+-])/(usr|bin|sbin|lib|etc)/' "$x/lib/systemd/system"
	assert_output ""
	# what the units run must exist where they say: /opt/x in a private
	# mount namespace, with the host's udevadm in it
	mkdir -p "$x/bin"
	cp "$MDEVKIT" "$x/bin/mdevkit" 2>/dev/null || printf '#!/bin/sh\nexit 0\n' > "$x/bin/mdevkit"
	chmod +x "$x/bin/mdevkit"
	ln -s "$(command -v udevadm)" "$x/bin/udevadm"
	# verify skips commands whose failure is ignored (ExecStartPre=-...)
	for exe in $(awk '/^Exec[A-Za-z]*=/ { sub(/^[^=]*=[-@:+!]*/, ""); print $1 }' "$x"/lib/systemd/system/mdevkit*); do
		[[ $exe == /opt/x/* ]] || fail "a unit runs $exe, outside /opt/x"
		assert_file_executable "$D$exe"
	done
	run unshare -m --propagation private -- bash -c '
		set -e
		mount -t tmpfs tmpfs /opt
		mkdir /opt/x
		mount --bind "$1" /opt/x
		for u in /opt/x/lib/systemd/system/mdevkit*; do
			systemd-analyze verify --man=no "$u:$(basename "${u/@./@0000:00:02.0.}")"
		done' sh "$x" 2>&1
	assert_success
	assert_output ""
}

@test "every Documentation= page is in man/" {
	run install_units
	for u in "$U"/mdevkit*; do
		for doc in $(key "$u" Unit Documentation); do
			[[ $doc =~ ^man:([^\(]+)\(([0-9])\)$ ]] || fail "$u: $doc"
			assert_file_exists "$TOP/man/${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
		done
	done
}

@test "mdevkit-parent@: oneshot, active while registered, removes nothing on stop, retries fit the timeout" {
	run install_units
	u=$U/mdevkit-parent@.service
	assert_equal "$(key "$u" Service Type)" oneshot
	assert_equal "$(key "$u" Service RemainAfterExit)" yes
	assert_equal "$(key "$u" Service ExecStop)" ""
	assert_equal "$(key "$u" Service SyslogIdentifier)" mdevkit
	assert_equal "$(key "$u" Unit StartLimitIntervalSec)" 0
	exec=$(key "$u" Service ExecStart)
	[[ $exec =~ ^/usr/bin/mdevkit\ start-parent-mdevs\ --retries\ ([0-9]+)\ --retry-delay\ ([0-9]+)\ %I$ ]] ||
		fail "ExecStart: $exec"
	# backoff from D ms doubling N times sleeps D*(2^N-1) ms; leave half the
	# timeout for the creates themselves
	sleep_ms=$((BASH_REMATCH[2] * ((1 << BASH_REMATCH[1]) - 1)))
	timeout_s=$(seconds "$(key "$u" Service TimeoutStartSec)")
	((sleep_ms / 1000 * 2 <= timeout_s)) || fail "retries sleep ${sleep_ms} ms, timeout ${timeout_s} s"
	run key "$u" Unit Before
	assert_output --partial mdevkit-boot.service
	assert_output --partial libvirtd.service
	# NVIDIA's vGPU manager first, where it exists (ordering only)
	assert_equal "$(key "$u" Unit After)" nvidia-vgpu-mgr.service
	assert_equal "$(key "$u" Unit Wants)$(key "$u" Unit Requires)" ""
	# a registration while active reloads: the same run again
	assert_equal "$(key "$u" Service ExecReload)" "$exec"
}

@test "mdevkit-gvt-early (opt-in): the GVT-g parent's auto devices before the display manager, only when registered" {
	run install_units
	u=$U/mdevkit-gvt-early.service
	assert_equal "$(key "$u" Service Type)" oneshot
	assert_equal "$(key "$u" Install WantedBy)" graphical.target
	assert_equal "$(key "$u" Unit ConditionPathIsDirectory)" /sys/bus/pci/devices/0000:00:02.0/mdev_supported_types
	run key "$u" Unit Before
	for s in display-manager.service mdevkit-boot.service mdevkit-parent@0000:00:02.0.service libvirtd.service; do
		assert_output --partial "$s"
	done
	run key "$u" Unit After
	assert_output --partial systemd-modules-load.service
	exec=$(key "$u" Service ExecStart)
	[[ $exec =~ ^/usr/bin/mdevkit\ start-parent-mdevs\ --retries\ ([0-9]+)\ --retry-delay\ ([0-9]+)\ 0000:00:02.0$ ]] ||
		fail "ExecStart: $exec"
	# the display manager waits for it: a few seconds at most
	sleep_ms=$((BASH_REMATCH[2] * ((1 << BASH_REMATCH[1]) - 1)))
	((sleep_ms <= 5000)) || fail "retries sleep ${sleep_ms} ms"
}

@test "mdevkit-boot: after coldplug, before libvirt and its guests, wanted by multi-user.target" {
	run install_units
	u=$U/mdevkit-boot.service
	assert_equal "$(key "$u" Service Type)" oneshot
	assert_equal "$(key "$u" Install WantedBy)" multi-user.target
	run key "$u" Unit After
	assert_output --partial systemd-udev-trigger.service
	assert_output --partial nvidia-vgpu-mgr.service
	run key "$u" Service ExecStartPre
	assert_output --regexp "udevadm settle"
	run key "$u" Unit Before
	for s in libvirtd.service virtqemud.service libvirt-guests.service; do
		assert_output --partial "$s"
	done
	exec=$(key "$u" Service ExecStart)
	[[ $exec =~ --retries\ ([0-9]+)\ --retry-delay\ ([0-9]+) ]] || fail "ExecStart: $exec"
	sleep_ms=$((BASH_REMATCH[2] * ((1 << BASH_REMATCH[1]) - 1)))
	timeout_s=$(seconds "$(key "$u" Service TimeoutStartSec)")
	# settle's own timeout comes first
	((sleep_ms / 1000 * 2 + 60 <= timeout_s)) || fail "retries sleep ${sleep_ms} ms, timeout ${timeout_s} s"
}

@test "mdevkit@: starts and stops one device by UUID and stays active in between" {
	run install_units
	u=$U/mdevkit@.service
	assert_equal "$(key "$u" Service Type)" oneshot
	assert_equal "$(key "$u" Service RemainAfterExit)" yes
	assert_equal "$(key "$u" Service ExecStart)" "/usr/bin/mdevkit start --running-ok -u %i"
	assert_equal "$(key "$u" Service ExecStop)" "/usr/bin/mdevkit stop --not-running-ok -u %i"
	run key "$u" Unit After
	assert_output --partial mdevkit-boot.service
}
