#!/usr/bin/env bats
# Real kernel: Debian's kernel under QEMU with the mdev core and the mtty
# sample parent, systemd and udev as PID 1, mdevkit installed with
# `make install DESTDIR=` and Debian's mdevctl next to it.  One boot runs
# every case (tests/vm/guest/mdevkit-vm-test prints what it sees); the tests
# below judge its record.  tests/vm/run.sh builds and caches everything in
# build/vm/ and installs what it needs (root, Debian's archive).
load ../lib/helpers
load ../lib/vm

A=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000a01 # auto, mtty-2
B=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000b02 # auto, mtty-1
C=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000c03 # manual, mtty-1
D=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000d04 # auto, mtty-2, cannot fit
REC=$VM/record.log

setup_file() {
	vm_boot "$VM" mdevkit-vm-test
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (apt-get, debootstrap, QEMU)"
}

teardown() { vm_teardown; }

markers() { vm_markers; }

@test "the guest boots with systemd and udev and runs every case" {
	run markers
	assert_line --regexp "^boot begin kernel=6\.1\."
	assert_line "boot state=running"
	assert_line end
}

@test "make install put the udev helper (a program) in udev's directory" {
	run markers
	assert_line "boot helper=ELF"
}

@test "boot: exactly the two auto devices, the parent's unit active, no mdevkit failure" {
	run markers
	assert_line "case1 devices=$A $B"
	assert_line "case1 type-A=mtty-2 type-B=mtty-1"
	assert_line "case1 parent-unit=active"
	assert_line "case1 boot-unit=active"
	assert_line --regexp "^case1 failed-units="
	refute_line --regexp "^case1 failed-units=.*mdevkit"
	assert_line "case1 mdevkit-errors=0"
	assert_line "case1 udevd-mdevkit-problems=0"
	# the rule imported the helper's properties on the parent
	assert_line --regexp "^case1 udev-properties=.*MDEVKIT_PARENT=1 MDEVKIT_AUTOSTART=2 MDEVKIT_UNIT=mdevkit-parent@mtty.service"
}

@test "re-registration: unregistering stops the unit, registering brings both devices back once" {
	run markers
	assert_line "case2 removed rc=0"
	assert_line "case2 unregistered devices= parent-unit=inactive"
	assert_line "case2 loaded rc=0"
	assert_line "case2 devices=$A $B"
	assert_line "case2 parent-unit=active"
	assert_line "case2 adds-A=1 adds-B=1"
	assert_line "case2 mdevkit-errors=0"
	assert_line --regexp "^timing registration-to-last-device-ms=[0-9]+$"
}

@test "a definition that cannot be created is reported, the others still start" {
	run markers
	assert_line --regexp "^case3 fillers=[0-9]+ free-ports=1$"
	refute_line "case3 restart rc=0"
	assert_line "case3 parent-unit=failed"
	assert_line "case3 A=yes B=yes D=no"
	refute_line "case3 errors-naming-D=0"
	assert_line --regexp "^case3 mdevkit-log: .* mdevkit\[[0-9]+\]: .*$D"
}

@test "mdevkit@<uuid>.service starts the manual device and removes it on stop" {
	run markers
	assert_line "case4 start rc=0 exists=yes type=mtty-1 unit=active"
	assert_line "case4 stop rc=0 exists=no unit=inactive"
}

@test "with a working mdevctl rule too: each device created once, no mdevkit error" {
	run markers
	assert_line "case5 devices=$A $B"
	assert_line "case5 parent-unit=active"
	assert_line "case5 adds-A=1 adds-B=1"
	assert_line "case5 mdevkit-errors=0"
}

@test "mdevkit alone (mdevctl's rule masked): both devices back once, no error" {
	run markers
	assert_line "case6 devices=$A $B"
	assert_line "case6 parent-unit=active"
	assert_line "case6 adds-A=1 adds-B=1"
	assert_line "case6 mdevkit-errors=0"
}

@test "start returns with /dev/vfio/<group> there, udev done: 20 times in a row; no wait without udev" {
	run markers
	assert_line "case8 ready=20/20"
	refute_line --regexp "^case8 stderr: "
	assert_line "case8 no-udev-skipped=1"
}

@test "vfio_group = kvm, vfio_mode = 0660: the node of a defined device has them, that of an undefined one not" {
	run markers
	assert_line "case8 defined-node=kvm 660"
	assert_line "case8 undefined-node=root 600"
}

@test "20 back-to-back re-registrations (modprobe -r; modprobe) each bring the auto devices back" {
	run markers
	assert_line "case9 cycles=20 back=20"
	assert_line "case9 parent-unit=active"
}

# journal_s PATTERN: the monotonic time (s) of the first journal line
# matching PATTERN
journal_s() {
	sed -n '/^MDEVKIT-VM journal-begin/,/^MDEVKIT-VM journal-end/p' "$REC" | grep -m1 -E "$1" |
		awk '{ print substr($0, 2, index($0, "]") - 2) + 0 }'
}

@test "an attribute the driver rejects is reported in under a second, not retried" {
	E=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000e05
	run markers
	assert_line "case10 restart rc=1 E=no"
	assert_line "case10 retries=0"
	assert_line --regexp "^case10 mdevkit-log: .* mdevkit\[[0-9]+\]: Error: Cannot start auto device $E \(mtty-1\) on mtty: Failed to write bogus to attribute uevent: Invalid argument \(os error 22\)$"
	# from the kernel's rejection of the write to mdevkit's error (the
	# rollback and the post callout lie between); retries would add 31.5 s
	rejected=$(journal_s "kernel: mtty $E: uevent: failed to send synthetic uevent")
	reported=$(journal_s "mdevkit\[[0-9]+\]: Error: Cannot start auto device $E")
	[ -n "$rejected" ] && [ -n "$reported" ] || fail "no rejection ($rejected) or report ($reported) in the journal"
	ms=$(awk -v a="$rejected" -v b="$reported" 'BEGIN { printf "%d", (b - a) * 1000 + 0.5 }')
	echo "# rejection to report: $ms ms; unit start to report: $(markers | sed -n 's/^case10 \(unit-start-to-\)\{0,1\}report-ms=//p') ms" >&3
	((ms < 1000)) || fail "reported $ms ms after the rejection"
}

@test "the opt-ins on: the GVT-g early unit is skipped on a host without GVT-g; systemd-analyze verify is clean" {
	run markers
	assert_line "case11 gvt-early=inactive condition=no"
	assert_line "case11 verify rc=0 lines=0"
}

@test "the registration-to-last-device time is in build/vm/timing.txt" {
	run grep -E "^timing registration-to-last-device-ms=[0-9]+$" "$VM/timing.txt"
	assert_success
}

# the lines of one marker key ("case7 doctor: <line>"), without the prefix
marker_lines() { sed -n "/^MDEVKIT-VM journal-begin/q; s/^MDEVKIT-VM $1: //p" "$REC"; }

@test "doctor in the guest: no Intel GPU is a NOTE, mdev and vfio loaded, mtty registered, the real kernel log, exit 0" {
	run markers
	assert_line --regexp "^case7 doctor rc=0 ms=[0-9]+$"
	assert_line "case7 doctor-p rc=0"
	assert_line "case7 doctor-json rc=0 stderr-lines=0"
	run marker_lines "case7 doctor"
	assert_line "NOTE  igpu            no Intel GPU (no PCI display device of vendor 8086): no GVT-g here"
	assert_line "PASS  mdev-modules    mdev, vfio and vfio_iommu_type1 are in the kernel"
	# the real /dev/kmsg: read to its end without waiting, records counted
	assert_line --regexp "^PASS  kernel-log      [1-9][0-9]* records read, none of the known GVT-g problem lines$"
	refute_line --regexp "^FAIL"
	# case 6 masked mdevctl's rule; mdevkit's rule and units are installed
	assert_line "PASS  mdevctl-rule    /etc/udev/rules.d/60-mdevctl.rules masks mdevctl's rule (a link to /dev/null); mdevkit's 70-mdevkit.rules and mdevkit-parent@.service start the auto devices"
	# no i915: the GVT-g module checks say nothing
	refute_line --regexp "^[A-Z]{4}  (enable-gvt|kvmgt) "
	run marker_lines "case7 doctor-p"
	assert_line --regexp "^PASS  parent          mtty is registered with the mdev core: 2 types \\(mtty-1, mtty-2\\)"
	refute_line --regexp "^FAIL"
	# the JSON is whole and says the same
	marker_lines "case7 doctor-json" > "$BATS_TEST_TMPDIR/doctor.json"
	assert_equal "$(jq -r '.[] | select(.check == "kernel-log") | .level' "$BATS_TEST_TMPDIR/doctor.json")" PASS
	assert_equal "$(jq '[.[] | select(.level == "FAIL")] | length' "$BATS_TEST_TMPDIR/doctor.json")" 0
}
