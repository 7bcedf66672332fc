#!/usr/bin/env bats
# Real kernel with the real libvirt: the guest of mtty.bats plus the libvirt
# layer (Debian 12's libvirtd, virsh and QEMU, tests/vm/rootfs.sh libvirt).
# One boot runs tests/vm/guest/mdevkit-vm-libvirt: virsh's node device
# commands through Debian's mdevctl and again through mdevkit as mdevctl,
# libvirt's refreshes per define, and mdevkit's domain hook with real TCG
# domains.  The tests below judge its record.
load ../lib/helpers
load ../lib/vm

OUT=$VM/libvirt
REC=$OUT/record.log

setup_file() {
	vm_boot "$OUT" mdevkit-vm-libvirt libvirt
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (apt-get, debootstrap, QEMU)"
}

teardown() { vm_teardown; }

markers() { vm_markers; }

@test "the guest boots with libvirtd and QEMU of the libvirt layer" {
	run markers
	assert_line --regexp "^boot begin kernel=6\.1\."
	assert_line "boot state=running"
	assert_line --regexp "^libvirt libvirtd=active version=9\.0\.0$"
	assert_line --regexp "^libvirt qemu=QEMU emulator version 7\.2\."
	assert_line --regexp "^libvirt parents=.*mtty_mtty"
	assert_line end
}

# suite CASE HEX4: the node device commands of one `mdevctl`
suite() {
	local p=$1 u=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e${2}01 v=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e${2}02
	local w=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e${2}03
	local n=mdev_${u//-/_}_mtty
	run markers
	assert_line "$p define: Node device '$n' defined from '/run/def.xml'"
	# the bytes mdevctl writes
	assert_line "$p store={ \\n \" m d e v _ t y p e \" : \" m t t y - 1 \" , \\n \" s t a r t \" : \" m a n u a l \" , \\n \" a t t r s \" : [ ] \\n }"
	assert_line "$p inactive=1"
	assert_line "$p autostart-on rc=0 start=auto"
	assert_line "$p autostart-on info=yes"
	assert_line "$p autostart-off rc=0 start=manual"
	assert_line "$p start: Device $n started"
	assert_line "$p started sysfs=yes type=mtty-1"
	assert_line "$p dumpxml: <parent>mtty_mtty</parent><typeid='mtty-1'/><uuid>$u</uuid><parent_addr>mtty</parent_addr>"
	assert_line "$p destroy: Destroyed node device '$n'"
	assert_line "$p destroyed sysfs=no defined=yes"
	assert_line "$p undefine: Undefined node device '$n'"
	assert_line "$p undefined defined=no"
	assert_line "$p create: Node device mdev_${v//-/_}_mtty created from /run/create.xml"
	assert_line "$p created sysfs=yes defined=no"
	assert_line "$p create-destroy: Destroyed node device 'mdev_${v//-/_}_mtty'"
	assert_line "$p create-destroyed sysfs=no"
	assert_line "$p failing-start: error: Failed to start device mdev_${w//-/_}_mtty|error: internal error: Unable to create mediated device: Error: No available instances of mtty-2 on mtty"
	assert_line "$p failed sysfs=no"
}

@test "virsh's node device commands through Debian's mdevctl (with mdevkit's callout)" {
	run markers
	assert_line "debian mdevctl=mdevctl 1.2.0 sbin=no"
	suite debian d1d1
}

@test "virsh's node device commands through mdevkit as mdevctl (make install-mdevctl)" {
	run markers
	assert_line "mdevkit mdevctl=mdevkit $(cat "$TOP/VERSION")"
	suite mdevkit e2e2
}

@test "with mdevkit as mdevctl, a libvirtd restart keeps listing the definitions" {
	# A, B and C of tests/vm/guest/definitions
	local l="mdev_0b3f1c9e_5a0e_4c47_9d3b_6a1f0e000a01_mtty mdev_0b3f1c9e_5a0e_4c47_9d3b_6a1f0e000b02_mtty mdev_0b3f1c9e_5a0e_4c47_9d3b_6a1f0e000c03_mtty "
	run markers
	assert_line "restart before=$l"
	assert_line "restart after=$l"
}

@test "a define, a modify and an undefine are one libvirt refresh each; the fallback in the store's top directory (EXDEV) still works" {
	run markers
	assert_line "debian refreshes-per-define=1"
	assert_line "mdevkit refreshes-per-define=1"
	assert_line "mdevkit refreshes-per-modify=1"
	assert_line "mdevkit refreshes-per-undefine=1"
	assert_line --regexp "^debian refreshes-per-(modify|undefine)=[0-9]+$"
	assert_line "exdev define: Node device 'mdev_0b3f1c9e_5a0e_4c47_9d3b_6a1f0e0f0f01_mtty' defined from '/run/exdev.xml'"
	assert_line --regexp "^exdev refreshes-per-define=[0-9]+$"
	assert_line --regexp "^exdev store=\{ .* leftovers=00$"
	# the figures, for README
	sed -n 's/^\(debian\|mdevkit\|exdev\) refreshes-per-\([a-z]*\)=/\1 \2 /p' < <(markers) > "$OUT/refreshes.txt"
}

@test "the hook starts an inactive manual mdev for its domain and stops it when the domain goes; an auto one stays up" {
	run markers
	assert_line "hook installed=yes"
	assert_line "hook two before C=no A=yes"
	assert_line "hook two-start: Domain 'two' started"
	assert_line "hook two-state=running C=yes A=yes"
	assert_line "hook two-destroy: Domain 'two' destroyed"
	assert_line "hook two-destroyed C=no A=yes"
}

@test "a device that cannot be created fails virsh start with mdevkit's reason and leaves no device" {
	local f=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e000f06
	run markers
	assert_line "hook full-start: error: Failed to start domain 'full'|error: Hook script execution failed: internal error: Child process (LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /etc/libvirt/hooks/qemu.d/mdevkit full prepare begin -) unexpected exit status 1: mdevkit: domain full cannot start: mediated device $f: No available instances of mtty-2 on mtty"
	assert_line "hook full-state=shut off up=no"
}
