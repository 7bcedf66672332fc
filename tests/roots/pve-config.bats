#!/usr/bin/env bats
# mdevkit pve-hook on fixture roots: what it reads of a Proxmox VE VM's
# configuration (the current section, hostpciN, both address forms,
# mapping= through pci.cfg for this node), the refusals of the GVT-g
# model with the resource named, malformed lines and settings as one line,
# and the phases it leaves alone.  Creation is in simulated/pve-hook.bats.
load ../lib/helpers
load ../lib/gvt
load ../lib/pve

V=00000000-0000-0000-0000-000000000101
W=00000001-0000-0000-0000-000000000101
CONF=etc/pve/qemu-server/101.conf
LIST="i915-GVTg_V5_8, i915-GVTg_V5_4, i915-GVTg_V5_2"
HIDDEN_V5_1="i915-GVTg_V5_1 needs a GPU aperture of at least 640 MiB and this GPU has 512 MiB; raise \"GPU aperture size\" in firmware setup, or pick a type that fits: $LIST"

setup() {
	mk_root
	pve_node "$ROOT"
}

# the hook's one line on stderr, nothing on stdout, exit $1
hook_says() {
	local rc=$1
	shift
	run --separate-stderr pve_hook 101 pre-start
	assert_equal "$status" "$rc"
	assert_output ""
	assert_equal "$stderr" "$*"
}

@test "pve-hook: phases other than pre-start and post-stop exit 0 at once, whatever the configuration" {
	gvt_fixture "$ROOT" 512
	pve_vm "$ROOT" 101 'this is not a configuration\n'
	for phase in post-start pre-stop some-future-phase; do
		run -0 --separate-stderr pve_hook 101 "$phase"
		assert_output ""
		assert_equal "$stderr" ""
	done
	# post-stop reads nothing for a VM that pve_keep_alive does not name
	run -0 --separate-stderr pve_hook 101 post-stop
	assert_equal "$stderr" ""
}

@test "pve-hook: a VM without mdev= exits 0 and touches nothing, even with a broken mdevkit.conf" {
	gvt_fixture "$ROOT" 512
	mkdir -p "$ROOT/etc/mdevkit"
	echo "pve_keep_alive = ten" > "$ROOT/etc/mdevkit/mdevkit.conf"
	pve_vm "$ROOT" 101 'boot: order=scsi0\n# a description\n#with two lines\nmemory: 4096\nhostpci0: 0000:01:00.0,pcie=1,x-vga=1\nargs: -device foo,bar=baz\n'
	snapshot root "$ROOT"
	hook_says 0 ""
	assert_snapshot_unchanged root "$ROOT"
}

@test "pve-hook: V5_1 on a 512 MiB aperture is refused, naming the aperture; 0000:00:02.0 and 00:02.0 alike" {
	gvt_fixture "$ROOT" 512
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_1\n'
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci0: cannot start $V (i915-GVTg_V5_1) on $GVT_P: $HIDDEN_V5_1"
	pve_vm "$ROOT" 101 'hostpci0: host=00:02.0,mdev=i915-GVTg_V5_1\n'
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci0: cannot start $V (i915-GVTg_V5_1) on $GVT_P: $HIDDEN_V5_1"
	# a slot without function: its one function in /sys/bus/pci/devices
	pve_vm "$ROOT" 101 'hostpci0: mdev=i915-GVTg_V5_1,00:02\n'
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci0: cannot start $V (i915-GVTg_V5_1) on $GVT_P: $HIDDEN_V5_1"
}

@test "pve-hook: hidden GM held by running vGPUs is named with them" {
	gvt_fixture "$ROOT" 1024
	gvt_running "$ROOT" "$U1" i915-GVTg_V5_2
	gvt_running "$ROOT" "$U2" i915-GVTg_V5_2
	gvt_running "$ROOT" "$U3" i915-GVTg_V5_4
	# 2688 MiB of hidden GM for vGPUs, 2560 taken
	pve_vm "$ROOT" 101 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_4\n'
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci0: cannot start $V (i915-GVTg_V5_4) on $GVT_P: not enough hidden GM: it needs 512 MiB, 128 MiB free of 2688 MiB (held by $U1 (i915-GVTg_V5_2), $U2 (i915-GVTg_V5_2), $U3 (i915-GVTg_V5_4)); stop one of them or pick a smaller type"
}

@test "pve-hook: seven running vGPUs leave no vGPU slot" {
	gvt_fixture "$ROOT" 1024
	for u in "$U1" "$U2" "$U3" "$U4" "$U5" "$U6" "$U7"; do
		gvt_running "$ROOT" "$u" i915-GVTg_V5_8
	done
	pve_vm "$ROOT" 101 'hostpci3: 00:02.0,mdev=i915-GVTg_V5_8\n'
	local held="$U1 (i915-GVTg_V5_8), $U2 (i915-GVTg_V5_8), $U3 (i915-GVTg_V5_8), $U4 (i915-GVTg_V5_8), $U5 (i915-GVTg_V5_8), $U6 (i915-GVTg_V5_8), $U7 (i915-GVTg_V5_8)"
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci3: cannot start 00000003-0000-0000-0000-000000000101 (i915-GVTg_V5_8) on $GVT_P: not enough vGPU slots: it needs 1, 0 free of 7 (held by $held); stop one of them"
}

@test "pve-hook: two hostpci entries of one VM are counted together; a VM opens one GVT-g vGPU" {
	gvt_fixture "$ROOT" 512
	# each fits on its own (384 MiB of aperture for vGPUs), not both
	pve_vm "$ROOT" 101 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_2\nhostpci1: 0000:00:02.0,mdev=i915-GVTg_V5_2\n'
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci0, hostpci1: cannot start $V (i915-GVTg_V5_2) and $W (i915-GVTg_V5_2) on $GVT_P: not enough aperture: they need 512 MiB, 384 MiB free of 384 MiB (held by nothing); a VM can use only one GVT-g vGPU: keep one of them"
	pve_vm "$ROOT" 101 'hostpci1: 00:02.0,mdev=i915-GVTg_V5_4\nhostpci0: 00:02.0,mdev=i915-GVTg_V5_8\n'
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci0, hostpci1: cannot start $V (i915-GVTg_V5_8) and $W (i915-GVTg_V5_4) on $GVT_P: a VM can use only one GVT-g vGPU and this one has 2 (the kernel refuses to open a second vGPU for the same VM: File exists); keep one of them"
}

@test "pve-hook: only the current configuration counts, not [snapshot], [PENDING] or [special:...] sections" {
	gvt_fixture "$ROOT" 512
	pve_vm "$ROOT" 101 'memory: 2048\nparent: before\n\n[before]\nhostpci0: 00:02.0,mdev=i915-GVTg_V5_1\nsnaptime: 1700000000\n[PENDING]\nhostpci1: 00:02.0,mdev=i915-GVTg_V5_1\n[special:cloudinit]\nhostpci2: 00:02.0,mdev=i915-GVTg_V5_1\nnot even a line\n'
	hook_says 0 ""
	pve_vm "$ROOT" 101 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_1\n[before]\nhostpci0: 00:02.0,mdev=i915-GVTg_V5_8\n'
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci0: cannot start $V (i915-GVTg_V5_1) on $GVT_P: $HIDDEN_V5_1"
}

@test "pve-hook: mapping= is resolved through pci.cfg for this node (/etc/pve/local)" {
	gvt_fixture "$ROOT" 512
	pve_vm "$ROOT" 101 'hostpci0: mapping=igpu,mdev=i915-GVTg_V5_1\n'
	pve_mapping "$ROOT" '# comment\nother\n\tmap id=10de:1eb8,node=pve1,path=0000:01:00.0\n\nigpu\n\tdescription the iGPU\n\tmap id=8086:1912,node=pve2,path=0000:00:03.0\n\tmap id=8086:1912,node=pve1,path=0000:00:02.0,iommugroup=0\n\tmdev 1\n'
	hook_says 1 "mdevkit pve-hook: VM 101 hostpci0: cannot start $V (i915-GVTg_V5_1) on $GVT_P: $HIDDEN_V5_1"
	# on node pve2 the mapping names a device that is no GVT-g parent: Proxmox's business
	pve_node "$ROOT" pve2
	pve_vm "$ROOT" 101 'hostpci0: mapping=igpu,mdev=i915-GVTg_V5_1\n'
	hook_says 0 ""
	pve_node "$ROOT" pve3
	pve_vm "$ROOT" 101 'hostpci0: mapping=igpu,mdev=i915-GVTg_V5_1\n'
	hook_says 1 "mdevkit pve-hook: $ROOT/$CONF:1: hostpci0: mapping igpu in $ROOT/etc/pve/mapping/pci.cfg has no device on node pve3; add this node's device to it under Datacenter, Resource Mappings"
	pve_vm "$ROOT" 101 'hostpci0: mapping=gpu2,mdev=i915-GVTg_V5_1\n'
	hook_says 1 "mdevkit pve-hook: $ROOT/$CONF:1: hostpci0: $ROOT/etc/pve/mapping/pci.cfg has no mapping gpu2; add it under Datacenter, Resource Mappings, or give hostpci a host= address"
	pve_mapping "$ROOT" 'gpu2\n\tmap node=pve3,path=00:02.0\n'
	hook_says 1 "mdevkit pve-hook: $ROOT/$CONF:1: hostpci0: $ROOT/etc/pve/mapping/pci.cfg:2: map of gpu2: path \"00:02.0\" is not a PCI address such as 0000:00:02.0 (several joined by ';'); fix it under Datacenter, Resource Mappings"
}

@test "pve-hook: a non-GVT-g parent with mdev= is left to Proxmox" {
	gvt_fixture "$ROOT" 512
	mkdir -p "$ROOT/sys/devices/pci0000:00/0000:01:00.0/mdev_supported_types/nvidia-63"
	ln -s ../../devices/pci0000:00/0000:01:00.0 "$ROOT/sys/class/mdev_bus/0000:01:00.0"
	pve_vm "$ROOT" 101 'hostpci0: 01:00.0,mdev=nvidia-63\nhostpci1: 0000:02:00.0,mdev=foo-1\n'
	snapshot root "$ROOT"
	hook_says 0 ""
	assert_snapshot_unchanged root "$ROOT"
}

@test "pve-hook: malformed configuration lines give one line with file:line, the reason and the fix" {
	gvt_fixture "$ROOT" 512
	local f=$ROOT/$CONF q="(qm config 101 shows what Proxmox reads)"
	pve_vm "$ROOT" 101 'memory: 2048\nhostpci0 00:02.0\n'
	hook_says 1 "mdevkit pve-hook: $f:2: \"hostpci0 00:02.0\" is not a Proxmox configuration line (\"key: value\", a '#' comment or a [section]); fix or remove it"
	pve_vm "$ROOT" 101 'hostpci16: 00:02.0,mdev=i915-GVTg_V5_4\n'
	hook_says 1 "mdevkit pve-hook: $f:1: \"hostpci16\" is not a key Proxmox VE has; the PCI devices are hostpci0 to hostpci15"
	pve_vm "$ROOT" 101 'hostpci1: 00:02.0,mdev=i915-GVTg_V5_4\nhostpci1: 00:02.0\n'
	hook_says 1 "mdevkit pve-hook: $f:2: hostpci1 is given twice (first on line 1); remove one of them"
	pve_vm "$ROOT" 101 'hostpci0: 00:02.0,mapping=igpu,mdev=i915-GVTg_V5_4\n'
	hook_says 1 "mdevkit pve-hook: $f:1: hostpci0: it has both host and mapping; keep one $q"
	pve_vm "$ROOT" 101 'hostpci0: mdev=i915-GVTg_V5_4\n'
	hook_says 1 "mdevkit pve-hook: $f:1: hostpci0: it has neither host nor mapping; give the PCI address (host=0000:00:02.0) or a mapping $q"
	pve_vm "$ROOT" 101 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_4,mdev=i915-GVTg_V5_8\n'
	hook_says 1 "mdevkit pve-hook: $f:1: hostpci0: mdev is given twice $q"
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_4,colour=red\n'
	hook_says 1 "mdevkit pve-hook: $f:1: hostpci0: \"colour\" is not a key of hostpci; the keys are host, mapping, mdev, rombar, romfile, pcie, x-vga, legacy-igd, driver and the -id keys $q"
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0,mdev=\n'
	hook_says 1 "mdevkit pve-hook: $f:1: hostpci0: \"mdev=\" has an empty value $q"
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0,mdev=../../x\n'
	hook_says 1 "mdevkit pve-hook: $f:1: hostpci0: mdev \"../../x\" is not an mdev type name such as i915-GVTg_V5_4 $q"
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0;0000:00:02.1,mdev=i915-GVTg_V5_4\n'
	hook_says 1 "mdevkit pve-hook: $f:1: hostpci0 names 2 PCI functions (0000:00:02.0;0000:00:02.1) and has mdev=; Proxmox creates an mdev on one function only: name it, e.g. 0000:00:02.0"
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:2.0,mdev=i915-GVTg_V5_4\n'
	hook_says 1 "mdevkit pve-hook: $f:1: hostpci0: host \"0000:00:2.0\" is not a PCI address such as 0000:00:02.0 or 00:02.0 (lower-case hex, several joined by ';') $q"
	printf 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_4\n\0' > "$f"
	hook_says 1 "mdevkit pve-hook: $f: contains a NUL byte; it is not a Proxmox VM configuration"
	rm "$f"
	hook_says 1 "mdevkit pve-hook: VM 101 has no configuration at \"$ROOT/etc/pve/nodes/pve1/qemu-server/101.conf\"; is it a VM of this node (qm list)?"
}

@test "pve-hook: a bad mdevkit.conf line gives its one line and the VM does not start" {
	gvt_fixture "$ROOT" 512
	mkdir -p "$ROOT/etc/mdevkit"
	printf 'vfio_group = kvm\npve_keep_alive = 101 ten\n' > "$ROOT/etc/mdevkit/mdevkit.conf"
	pve_vm "$ROOT" 101 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_4\n'
	hook_says 1 "mdevkit pve-hook: $ROOT/etc/mdevkit/mdevkit.conf:2: pve_keep_alive is \"101 ten\"; it must be Proxmox VMIDs (100 to 999999999) separated by spaces, or \"all\""
	run -1 --separate-stderr pve_hook 101 post-stop
	assert_equal "$stderr" "mdevkit pve-hook: $ROOT/etc/mdevkit/mdevkit.conf:2: pve_keep_alive is \"101 ten\"; it must be Proxmox VMIDs (100 to 999999999) separated by spaces, or \"all\""
}

@test "pve-hook: usage errors exit 2" {
	run -2 --separate-stderr pve_hook 99 pre-start
	assert_equal "$(head -1 <<<"$stderr")" "error: invalid VMID '99': Proxmox VE's VMIDs are 100 to 999999999"
	run -2 --separate-stderr pve_hook 101
	assert_equal "$(head -2 <<<"$stderr")" "error: the following required arguments were not provided:
  <VMID> <PHASE>"
	run -2 --separate-stderr pve_hook 101 pre-start extra
	assert_equal "$(head -1 <<<"$stderr")" "error: unexpected argument 'extra' found"
	run -0 pve_hook --help
	assert_line "Usage: mdevkit pve-hook <VMID> <PHASE>"
}

@test "pve-hook: the hookscript make install writes execs mdevkit pve-hook with Proxmox's arguments" {
	run -0 make -s -n -C "$TOP" install DESTDIR=/pkg PREFIX=/usr
	assert_line "install -D -m 0755 build/contrib/proxmox/mdevkit-hook /pkg/usr/share/mdevkit/mdevkit-hook"
	run -0 make -s -n -C "$TOP" install DESTDIR=/pkg PREFIX=/opt/x
	assert_line "install -D -m 0755 build/contrib/proxmox/mdevkit-hook /pkg/opt/x/share/mdevkit/mdevkit-hook"
	assert_line --regexp "@MDEVKIT_BIN@[|]/opt/x/bin/mdevkit[|]g' .*contrib/proxmox/mdevkit-hook[.]in > "
	# the template as make fills it in, with this build's mdevkit
	local hook=$BATS_TEST_TMPDIR/mdevkit-hook
	sed -e "s|@MDEVKIT_BIN@|$MDEVKIT|g" "$TOP/contrib/proxmox/mdevkit-hook.in" > "$hook"
	chmod 0755 "$hook"
	assert_equal "$(grep -vc '^#' "$hook")" 1
	gvt_fixture "$ROOT" 512
	pve_vm "$ROOT" 101 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_1\n'
	run -0 --separate-stderr "$hook" 101 post-start
	run -1 --separate-stderr "$hook" 101 pre-start
	assert_equal "$stderr" "mdevkit pve-hook: VM 101 hostpci0: cannot start $V (i915-GVTg_V5_1) on $GVT_P: $HIDDEN_V5_1"
}
