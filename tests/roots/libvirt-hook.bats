#!/usr/bin/env bats
# mdevkit-libvirt-hook, libvirt's qemu hook, on fixture roots: libvirt's
# argv (DOMAIN OPERATION SUB-OPERATION EXTRA) and the domain XML on stdin.
# The real libvirt runs it in tests/vm/libvirt.bats.
load ../lib/helpers
load ../lib/callouts

HOOK=$BUILD/mdevkit-libvirt-hook
DOM=aaaaaaaa-0000-4000-8000-00000000d001
U1=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e0b0001
U2=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e0b0002
U3=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e0b0003
CREATE=

setup() {
	mk_root
	mk_parent 8
	CREATE=$ROOT/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-1/create
	STATE=$ROOT/run/mdevkit/libvirt/$DOM
}

# domain_xml UUID...: a domain with one mdev hostdev per UUID
domain_xml() {
	echo "<domain type='qemu'><name>g</name><uuid>$DOM</uuid><devices>"
	echo "<disk type='file' device='disk'><source file='/x.img'/></disk>"
	for u in "$@"; do
		echo "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='$u'/></source></hostdev>"
	done
	echo "</devices></domain>"
}

# hook OP SUBOP < XML
hook() { "$HOOK" g "$1" "$2" - ; }

@test "a domain without mdevs: nothing started, nothing recorded" {
	write_def "$ROOT" mtty "$U1" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
	run --separate-stderr hook prepare begin < <(domain_xml)
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(cat "$CREATE")" ""
	assert_file_not_exists "$STATE"
}

@test "other operations exit at once without reading the XML" {
	for op in "start begin" "started begin" "stopped end" "migrate begin" "restore begin" "reconnect begin"; do
		# shellcheck disable=SC2086
		run --separate-stderr hook $op < <(echo 'not XML at all')
		assert_success
		assert_equal "$stderr" ""
	done
	assert_equal "$(cat "$CREATE")" ""
}

@test "several mdevs: the defined inactive ones start, running and unknown ones are left alone; release stops the manual ones" {
	write_def "$ROOT" mtty "$U1" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
	write_def "$ROOT" mtty "$U2" '{"mdev_type":"mtty-1","start":"auto","attrs":[]}'
	write_def "$ROOT" mtty "$U3" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
	mk_active "$U3"
	local unknown=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e0b0009
	run --separate-stderr hook prepare begin < <(domain_xml "$U1" "$U2" "$U3" "$unknown" "$U1")
	assert_success
	assert_equal "$stderr" ""
	# the fixture's create file holds the last write: the one of U2
	assert_equal "$(cat "$CREATE")" "$U2"
	run cat "$STATE"
	assert_output "$U1"

	# release: U1 is "running" now (the fixture cannot create it)
	mk_active "$U1"
	run --separate-stderr hook release end < <(domain_xml "$U1" "$U2" "$U3")
	assert_success
	assert_file_not_exists "$STATE"
	# stopped: U1 only (mdevkit wrote 1 into its remove file)
	assert_equal "$(cat "$ROOT/sys/bus/mdev/devices/$U1/remove")" 1
	assert_equal "$(cat "$ROOT/sys/bus/mdev/devices/$U3/remove")" ""
}

@test "an unknown UUID alone: nothing to do, libvirt reports the missing device itself" {
	run --separate-stderr hook prepare begin < <(domain_xml "$U1")
	assert_success
	assert_equal "$stderr" ""
	assert_file_not_exists "$STATE"
}

@test "a device that cannot start fails the prepare with mdevkit's reason, and undoes the others" {
	write_def "$ROOT" mtty "$U1" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
	write_def "$ROOT" mtty "$U2" '{"mdev_type":"mtty-9","start":"manual","attrs":[]}'
	run --separate-stderr hook prepare begin < <(domain_xml "$U1" "$U2")
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "mdevkit: domain g cannot start: mediated device $U2: Parent mtty does not support mdev type mtty-9"
	assert_equal "$(printf '%s\n' "$stderr" | grep -c .)" 1
	assert_file_not_exists "$STATE"
}

@test "malformed XML: one line naming the problem, the start fails" {
	run --separate-stderr hook prepare begin < <(printf '<domain><uuid>%s</uuid><devices>' "$DOM")
	assert_failure 1
	assert_regex "$stderr" "^mdevkit: domain g: the domain XML on stdin is malformed \(line [0-9]+\): .+$"
	run --separate-stderr hook prepare begin < <(echo '<network/>')
	assert_failure 1
	assert_equal "$stderr" "mdevkit: domain g: the XML on stdin is not a libvirt <domain>"
	run --separate-stderr hook prepare begin < <(domain_xml "not-a-uuid")
	assert_failure 1
	assert_equal "$stderr" "mdevkit: domain g: the <hostdev type='mdev'> address uuid='not-a-uuid' is not a UUID: use the UUID of a device in 'mdevkit list -d'"
	# a release has nothing to undo for XML it cannot read
	run --separate-stderr hook release end < <(echo '<domain')
	assert_success
}

@test "entities and DTDs are refused, nothing is fetched" {
	run --separate-stderr hook prepare begin < <(printf '<!DOCTYPE domain [<!ENTITY u "%s">]><domain><uuid>&u;</uuid></domain>' "$DOM")
	assert_failure 1
	assert_equal "$stderr" "mdevkit: domain g: the domain XML has a DOCTYPE; libvirt's never has one"
	run --separate-stderr hook prepare begin < <(printf '<!DOCTYPE domain SYSTEM "http://example.invalid/d.dtd"><domain><uuid>%s</uuid></domain>' "$DOM")
	assert_failure 1
	assert_equal "$stderr" "mdevkit: domain g: the domain XML has a DOCTYPE; libvirt's never has one"
}

@test "huge XML: refused past 4 MiB without reading on; a big domain below it works" {
	run --separate-stderr bash -c "head -c 5000000 /dev/zero | tr '\\0' ' ' | $HOOK g prepare begin -"
	assert_failure 1
	assert_equal "$stderr" "mdevkit: domain g: the domain XML on stdin is larger than 4 MiB"
	write_def "$ROOT" mtty "$U1" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
	{
		echo "<domain><uuid>$DOM</uuid><devices>"
		for i in $(seq 20000); do echo "<disk type='file'><source file='/d$i'/></disk>"; done
		echo "<hostdev mode='subsystem' type='mdev'><source><address uuid='$U1'/></source></hostdev></devices></domain>"
	} > "$BATS_TEST_TMPDIR/big.xml"
	run --separate-stderr hook prepare begin < "$BATS_TEST_TMPDIR/big.xml"
	assert_success
	assert_equal "$(cat "$CREATE")" "$U1"
}

@test "run by hand, it says what it is" {
	run --separate-stderr "$HOOK"
	assert_failure 2
	assert_equal "$stderr" "mdevkit-libvirt-hook: called as mdevkit-libvirt-hook DOMAIN OPERATION SUB-OPERATION EXTRA by libvirt (/etc/libvirt/hooks/qemu.d/mdevkit); it is not a command"
}
