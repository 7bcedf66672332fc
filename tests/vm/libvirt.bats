#!/usr/bin/env bats
# Real kernel with the real libvirt: the guest of mtty.bats plus the libvirt
# layer (Debian 12's libvirtd, virsh and QEMU, tests/vm/rootfs.sh libvirt).
# One boot runs tests/vm/guest/mdevkit-vm-libvirt: virsh's node device
# commands through Debian's mdevctl and again through mdevkit as mdevctl,
# libvirt's refreshes per define, and mdevkit's domain hook with real TCG
# domains.  The tests below judge its record.
load ../lib/helpers

A=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000a01 # auto, mtty-2, up since boot
C=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000c03 # manual, mtty-1
VM=${MDEVKIT_VM_DIR:-$TOP/build/vm}
OUT=$VM/libvirt
REC=$OUT/record.log

setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	# MDEVKIT_VM_REUSE=1: judge the last boot again without booting
	if [ "${MDEVKIT_VM_REUSE:-}" != 1 ] || [ ! -s "$REC" ]; then
		MDEVKIT_TOP=$TOP MDEVKIT_BUILD=$BUILD MDEVKIT_VM_OUT=$OUT MDEVKIT_VM_LAYERS=libvirt \
			MDEVKIT_VM_TEST=mdevkit-vm-libvirt "$TOP/tests/vm/run.sh" 3>&- || {
			echo "# tests/vm/run.sh failed; the end of $OUT/console.log:" >&2
			tail -40 "$OUT/console.log" >&2 2> /dev/null
			return 1
		}
	fi
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (apt-get, debootstrap, QEMU)"
}

# On the first failure, the guest's markers and journal (once per file).
teardown() {
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ ! -e "$BATS_FILE_TMPDIR/journal-shown" ]; then
		touch "$BATS_FILE_TMPDIR/journal-shown"
		echo "# the guest's record ($REC):"
		cat "$REC"
	fi
}

# the guest's marker lines, without the prefix
markers() { sed -n '/^MDEVKIT-VM journal-begin/q; s/^MDEVKIT-VM //p' "$REC"; }

@test "the guest boots with libvirtd and QEMU of the libvirt layer" {
	run markers
	assert_line --regexp "^boot begin kernel=6\.1\."
	assert_line "boot state=running"
	assert_line --regexp "^libvirt libvirtd=active version=9\.0\.0$"
	assert_line --regexp "^libvirt qemu=QEMU emulator version 7\.2\."
	assert_line --regexp "^libvirt parents=.*mtty_mtty"
	assert_line end
}
