#!/usr/bin/env bats
# Real kernel with the real libvirt and QEMU (the libvirt layer): what
# libvirt's QEMU driver makes of `mdevkit xml --domain` (virsh
# domxml-to-native qemu-argv), and a QEMU started with the `mdevkit
# qemu-args --headless` options of a running mtty device, which QMP's
# query-pci lists.  One boot runs tests/vm/guest/mdevkit-vm-vmconfig; the
# tests below judge its record.
load ../lib/helpers

A=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000a01 # auto, mtty-2, up since boot
G=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000e07 # an i915-GVTg_V5_4 definition
VM=${MDEVKIT_VM_DIR:-$TOP/build/vm}
OUT=$VM/vmconfig
REC=$OUT/record.log
NODE=/dev/dri/by-path/pci-0000:00:02.0-render

setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	# MDEVKIT_VM_REUSE=1: judge the last boot again without booting
	if [ "${MDEVKIT_VM_REUSE:-}" != 1 ] || [ ! -s "$REC" ]; then
		MDEVKIT_TOP=$TOP MDEVKIT_BUILD=$BUILD MDEVKIT_VM_OUT=$OUT MDEVKIT_VM_LAYERS=libvirt \
			MDEVKIT_VM_TEST=mdevkit-vm-vmconfig "$TOP/tests/vm/run.sh" 3>&- || {
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

@test "the guest has libvirt 9.0 and QEMU 7.2, and the mtty device is up" {
	run markers
	assert_line --regexp "^boot begin kernel=6\.1\."
	assert_line "boot state=running"
	assert_line --regexp "^versions virsh=9\.0\.0 qemu=QEMU emulator version 7\.2\."
	assert_line "mtty running=yes"
	assert_line end
}

@test "libvirt's QEMU driver: the mtty hostdev keeps its alias as QEMU's id and gets romfile from <qemu:override>" {
	run markers
	assert_line "mtty xml rc=0 stderr="
	refute_line --partial "mtty error:"
	assert_line "mtty arg: -device='{\"driver\":\"vfio-pci\",\"id\":\"ua-mdev-$A\",\"sysfsdev\":\"/sys/bus/mdev/devices/$A\",\"display\":\"off\",\"bus\":\"pci.2\",\"addr\":\"0x0\",\"romfile\":\"/run/test.rom\"}'"
}

@test "libvirt's QEMU driver: a GVT-g vGPU gets vfio-pci-nohotplug with display, ramfb, x-igd-opregion, xres, yres and egl-headless on the render node" {
	run markers
	assert_line "gvt xml rc=0 stderr=Warning: $NODE does not exist (is i915 loaded?): the guest's display needs it, or give --rendernode|"
	refute_line --partial "gvt error:"
	assert_line "gvt arg: -device='{\"driver\":\"vfio-pci-nohotplug\",\"id\":\"ua-mdev-$G\",\"sysfsdev\":\"/sys/bus/mdev/devices/$G\",\"display\":\"on\",\"ramfb\":true,\"bus\":\"pci.2\",\"addr\":\"0x0\",\"x-igd-opregion\":true,\"xres\":1920,\"yres\":1200}'"
	assert_line "gvt arg: -display=egl-headless,rendernode=$NODE"
	assert_line "gvt arg: -vnc=127.0.0.1:0,audiodev=audio1"
}

@test "libvirt's QEMU driver: the legacy form for libvirt 8.1 is -set on the alias; --headless keeps x-igd-opregion only" {
	run markers
	refute_line --partial "legacy error:"
	# libvirt 9.0 passes -device as JSON, which -set cannot reach (the
	# comment before <qemu:commandline> says so; tests/roots/vmconfig.bats
	# shows QEMU refusing it)
	assert_line "legacy arg: -device='{\"driver\":\"vfio-pci-nohotplug\",\"id\":\"ua-mdev-$G\",\"sysfsdev\":\"/sys/bus/mdev/devices/$G\",\"display\":\"on\",\"ramfb\":true,\"bus\":\"pci.2\",\"addr\":\"0x0\"}'"
	assert_line "legacy arg: -set=device.ua-mdev-$G.x-igd-opregion=on"
	assert_line "legacy arg: -set=device.ua-mdev-$G.xres=1920"
	assert_line "legacy arg: -set=device.ua-mdev-$G.yres=1200"
	refute_line --partial "headless error:"
	assert_line "headless arg: -device='{\"driver\":\"vfio-pci\",\"id\":\"ua-mdev-$G\",\"sysfsdev\":\"/sys/bus/mdev/devices/$G\",\"display\":\"off\",\"bus\":\"pci.2\",\"addr\":\"0x0\",\"x-igd-opregion\":true}'"
	refute_line --regexp "^headless arg: -(display=egl|vnc)"
}

@test "QEMU with the --headless options of the running mtty device opens it: query-pci lists it" {
	run markers
	assert_line "qemu-args rc=0 stderr="
	assert_line "qemu-args line: -device vfio-pci,id=ua-mdev-$A,sysfsdev=/sys/bus/mdev/devices/$A"
	# mtty has no reset, which QEMU says (twice) and goes on
	assert_line --regexp '^qemu rc=0 stderr=(qemu-system-x86_64: vfio: Cannot reset device [0-9a-f-]+, no available reset mechanism\.\|)*$'
	assert_line "qemu query-pci: \"qdev_id\":\"ua-mdev-$A\""
}
