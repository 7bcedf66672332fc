#!/usr/bin/env bats
# `mdevkit doctor` on what runs on the host (part B checks), fixture
# roots: versions (QEMU, libvirt and mdevctl found in PATH under the root,
# asked for --version with a timeout), mdevctl-rule (the programs
# mdevctl's udev rule calls; mdevkit's rule and units), other-creators
# (Proxmox VE VM configs as pve.h reads them, mapping= resolved, NixOS
# kvmgt units, libvirt hooks, against the GVT-g budget with the auto
# definitions).
load ../lib/helpers
load ../lib/gvt
load ../lib/doctor
load ../lib/pve

setup() {
	mk_root
	doctor_host "$ROOT" 1024
	mkdir -p "$ROOT/usr/bin" "$ROOT/bin"
}

doctor() {
	run --separate-stderr "$MDEVKIT" doctor "$@"
	assert_equal "$stderr" ""
}

# program NAME OUTPUT: an executable under $ROOT/usr/bin printing OUTPUT
program() {
	printf '#!/bin/sh\nprintf "%%s\\n" "%s"\n' "$2" > "$ROOT/usr/bin/$1"
	chmod +x "$ROOT/usr/bin/$1"
}

@test "versions: Debian 12's QEMU, libvirt and mdevctl" {
	program qemu-system-x86_64 'QEMU emulator version 7.2.0 (Debian 1:7.2+dfsg-7+deb12u3)'
	program virsh '9.0.0'
	program mdevctl 'mdevctl 1.2.0'
	doctor
	assert_success
	assert_equal "$(doctor_lines versions)" "PASS  versions        QEMU 7.2.0 (/usr/bin/qemu-system-x86_64): has display=on, xres/yres
PASS  versions        libvirt 9.0.0 (/usr/bin/virsh): has display='on', ramfb='on', nodedev-define, qemu:override
PASS  versions        mdevctl 1.2.0 (/usr/bin/mdevctl)"
	run --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -c '[.[] | select(.check == "versions") | [.path, .version]]' <<<"$output")" \
		'[["/usr/bin/qemu-system-x86_64","7.2.0"],["/usr/bin/virsh","9.0.0"],["/usr/bin/mdevctl","1.2.0"]]'
}

@test "versions: old libvirt and QEMU: what they lack; libvirtd when there is no virsh" {
	program qemu-system-x86_64 'QEMU emulator version 3.1.0'
	program libvirtd 'libvirtd (libvirt) 7.0.0'
	doctor
	assert_equal "$(doctor_lines versions)" "NOTE  versions        QEMU 3.1.0 (/usr/bin/qemu-system-x86_64) lacks xres/yres (4.0)
NOTE  versions        libvirt 7.0.0 (/usr/bin/libvirtd) lacks nodedev-define (7.3), qemu:override (8.2)
NOTE  versions        no mdevctl in PATH: libvirt runs mdevctl by name for its mdev devices (virsh nodedev-define, nodedev-start)"
	program qemu-system-x86_64 'QEMU emulator version 2.11.1'
	program libvirtd 'libvirtd (libvirt) 4.5.0'
	doctor
	assert_success
	assert_equal "$(doctor_lines versions)" "WARN  versions        QEMU 2.11.1 (/usr/bin/qemu-system-x86_64) lacks display=on (2.12), xres/yres (4.0)
      fix: upgrade QEMU to 2.12 or later for a vGPU display (display=on)
WARN  versions        libvirt 4.5.0 (/usr/bin/libvirtd) lacks display='on' (4.6), ramfb='on' (5.10), nodedev-define (7.3), qemu:override (8.2)
      fix: upgrade libvirt to 4.6 or later for a vGPU display (<hostdev ... display='on'>)
NOTE  versions        no mdevctl in PATH: libvirt runs mdevctl by name for its mdev devices (virsh nodedev-define, nodedev-start)"
}

@test "versions: a program that hangs is cut off; one without a version is a NOTE" {
	printf '#!/bin/sh\nexec sleep 60\n' > "$ROOT/usr/bin/qemu-system-x86_64"
	printf '#!/bin/sh\necho "no idea" >&2\nexit 1\n' > "$ROOT/usr/bin/virsh"
	chmod +x "$ROOT/usr/bin/qemu-system-x86_64" "$ROOT/usr/bin/virsh"
	SECONDS=0
	doctor
	[ "$SECONDS" -lt 10 ]
	assert_equal "$(doctor_lines versions)" "NOTE  versions        QEMU /usr/bin/qemu-system-x86_64: no version in its answer to --version (\"\")
NOTE  versions        libvirt /usr/bin/virsh: no version in its answer to --version (\"no idea\")
NOTE  versions        no mdevctl in PATH: libvirt runs mdevctl by name for its mdev devices (virsh nodedev-define, nodedev-start)"
}

@test "mdevctl-rule: Debian 12's rule calls /usr/sbin/mdevctl, which is missing; mdevkit's rule and units cover it" {
	mkdir -p "$ROOT/lib/udev/rules.d"
	cp /usr/lib/udev/rules.d/60-mdevctl.rules "$ROOT/lib/udev/rules.d/" 2>/dev/null ||
		printf '%s\n' "ACTION==\"add\", TEST==\"/etc/mdevctl.d/\$kernel\", RUN+=\"/bin/sh -c '{ /usr/sbin/mdevctl start-parent-mdevs %k 2>&3 | logger -t mdevctl; } 3>&1 1>&2 | logger -t mdevctl -p 2'\"" \
		> "$ROOT/lib/udev/rules.d/60-mdevctl.rules"
	: > "$ROOT/bin/sh"
	chmod +x "$ROOT/bin/sh"
	program mdevctl 'mdevctl 1.2.0'
	doctor
	assert_success
	assert_equal "$(doctor_lines mdevctl-rule)" "WARN  mdevctl-rule    /lib/udev/rules.d/60-mdevctl.rules calls /usr/sbin/mdevctl, which does not exist: auto devices do not start when their parent registers
      fix: install mdevkit's udev rule and units (make install-units, or the mdevkit package), which do it through systemd"
	mkdir -p "$ROOT/usr/lib/udev/rules.d" "$ROOT/lib/systemd/system"
	echo "# mdevkit" > "$ROOT/usr/lib/udev/rules.d/70-mdevkit.rules"
	: > "$ROOT/lib/systemd/system/mdevkit-parent@.service"
	doctor
	assert_equal "$(doctor_lines mdevctl-rule)" "NOTE  mdevctl-rule    /lib/udev/rules.d/60-mdevctl.rules calls /usr/sbin/mdevctl, which does not exist; harmless here: mdevkit's 70-mdevkit.rules and mdevkit-parent@.service start the auto devices instead"
	mkdir -p "$ROOT/usr/sbin"
	ln -s ../bin/mdevctl "$ROOT/usr/sbin/mdevctl"
	doctor
	assert_equal "$(doctor_lines mdevctl-rule)" "PASS  mdevctl-rule    /lib/udev/rules.d/60-mdevctl.rules calls 4 program(s), all present"
}

@test "mdevctl-rule: /etc/udev/rules.d overrides the package's rule; an unreadable rule is a finding" {
	mkdir -p "$ROOT/etc/udev/rules.d" "$ROOT/lib/udev/rules.d"
	echo 'RUN+="/usr/sbin/mdevctl start-parent-mdevs %k"' > "$ROOT/lib/udev/rules.d/60-mdevctl.rules"
	printf '%s\n' '# fixed' 'RUN+="/usr/bin/mdevctl start-parent-mdevs %k", PROGRAM="/bin/true"' > "$ROOT/etc/udev/rules.d/60-mdevctl.rules"
	program mdevctl 'mdevctl 1.2.0'
	doctor
	assert_equal "$(doctor_lines mdevctl-rule)" "WARN  mdevctl-rule    /etc/udev/rules.d/60-mdevctl.rules calls /bin/true, which does not exist: auto devices do not start when their parent registers
      fix: install mdevkit's udev rule and units (make install-units, or the mdevkit package), which do it through systemd"
	rm "$ROOT/etc/udev/rules.d/60-mdevctl.rules"
	mkdir "$ROOT/etc/udev/rules.d/60-mdevctl.rules"
	doctor
	assert_equal "$(doctor_lines mdevctl-rule)" "WARN  mdevctl-rule    cannot read /etc/udev/rules.d/60-mdevctl.rules: File descriptor in bad state
      fix: check that /etc/udev/rules.d/60-mdevctl.rules is the kernel's or the package's file"
}

@test "other-creators: Proxmox VMs with mdev= and the auto definitions fit, snapshots ignored" {
	pve_vm "$ROOT" 101 'boot: order=scsi0\nhostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_4,pcie=1\nmemory: 4096\n[snap1]\nhostpci1: 0000:00:02.0,mdev=i915-GVTg_V5_1\n'
	pve_vm "$ROOT" 102 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_8\nhostpci3: 0000:01:00.0\n'
	write_def "$ROOT" "$GVT_P" "$U1" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	doctor
	assert_equal "$(doctor_lines other-creators)" "NOTE  other-creators  Proxmox VE creates 2 vGPU(s) at VM start: VM 101 hostpci0 i915-GVTg_V5_4 on $GVT_P, VM 102 hostpci0 i915-GVTg_V5_8 on $GVT_P
PASS  other-creators  these and the 1 auto definition(s) of $GVT_P fit its GVT-g budget together (3 vGPUs)"
}

@test "other-creators: mapping= is resolved for this node, and only entries that may use the parent count" {
	# on pve1 the mapping igpu is the iGPU: its V5_4s with the 4 auto
	# definitions do not fit; hostpci2 is on another GPU and not counted
	pve_vm "$ROOT" 101 'hostpci0: mapping=igpu,mdev=i915-GVTg_V5_4\nhostpci1: mapping=igpu,mdev=i915-GVTg_V5_4\nhostpci2: 0000:03:00.0,mdev=nvidia-63\n'
	pve_mapping "$ROOT" 'igpu\n\tmap id=8086:5912,node=pve2,path=0000:00:03.0\n\tmap id=8086:5912,node=pve1,path=0000:00:02.0\n'
	for u in "$U1" "$U2" "$U3" "$U4"; do
		write_def "$ROOT" "$GVT_P" "$u" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	done
	doctor
	assert_equal "$(doctor_lines other-creators)" "NOTE  other-creators  Proxmox VE creates 3 vGPU(s) at VM start: VM 101 hostpci0 i915-GVTg_V5_4 on $GVT_P, VM 101 hostpci1 i915-GVTg_V5_4 on $GVT_P, VM 101 hostpci2 nvidia-63 on 0000:03:00.0
WARN  other-creators  these and the 4 auto definition(s) of $GVT_P do not fit together: 6 vGPUs need 3072 MiB of hidden GM, the GPU has 2688 MiB for vGPUs
      fix: let one of them create the vGPUs, or give them fewer or smaller types: whichever starts last finds no room"
	# on pve2 the same VM asks for 0000:00:03.0, not this parent: nothing to fit
	pve_node "$ROOT" pve2
	mv "$ROOT/etc/pve/nodes/pve1/qemu-server/101.conf" "$ROOT/etc/pve/nodes/pve2/qemu-server/"
	doctor
	assert_equal "$(doctor_lines other-creators)" "NOTE  other-creators  Proxmox VE creates 3 vGPU(s) at VM start: VM 101 hostpci0 i915-GVTg_V5_4 on 0000:00:03.0, VM 101 hostpci1 i915-GVTg_V5_4 on 0000:00:03.0, VM 101 hostpci2 nvidia-63 on 0000:03:00.0"
}

@test "other-creators: Proxmox VMs and auto definitions that do not fit together" {
	for vm in 101 102; do
		pve_vm "$ROOT" "$vm" 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_4\n'
	done
	for u in "$U1" "$U2" "$U3" "$U4"; do
		write_def "$ROOT" "$GVT_P" "$u" '{"mdev_type":"i915-GVTg_V5_4","start":"auto"}'
	done
	doctor
	assert_equal "$(doctor_lines other-creators)" "NOTE  other-creators  Proxmox VE creates 2 vGPU(s) at VM start: VM 101 hostpci0 i915-GVTg_V5_4 on $GVT_P, VM 102 hostpci0 i915-GVTg_V5_4 on $GVT_P
WARN  other-creators  these and the 4 auto definition(s) of $GVT_P do not fit together: 6 vGPUs need 3072 MiB of hidden GM, the GPU has 2688 MiB for vGPUs
      fix: let one of them create the vGPUs, or give them fewer or smaller types: whichever starts last finds no room"
	run --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -c '[.[] | select(.check == "other-creators" and .level == "WARN") | [.vgpus, .auto_definitions]]' <<<"$output")" '[[6,4]]'
}

@test "other-creators: NixOS kvmgt units and a libvirt hook that writes create" {
	mkdir -p "$ROOT/etc/systemd/system" "$ROOT/etc/libvirt/hooks/qemu.d"
	for u in "$U1" "$U2"; do
		printf '[Service]\nType=oneshot\nExecStart=/nix/store/x-unit-script/bin/start\n# echo %s > /sys/bus/pci/devices/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_8/create\n' "$u" \
			> "$ROOT/etc/systemd/system/kvmgt-$u.service"
	done
	printf '#!/bin/sh\n[ "$2" = prepare ] && echo "$UUID" > "/sys/bus/pci/devices/0000:00:02.0/mdev_supported_types/$TYPE/create"\n' \
		> "$ROOT/etc/libvirt/hooks/qemu"
	printf '#!/bin/sh\necho nothing\n' > "$ROOT/etc/libvirt/hooks/qemu.d/other"
	doctor
	assert_equal "$(doctor_lines other-creators)" "NOTE  other-creators  NixOS kvmgt units create 2 vGPU(s) at boot: kvmgt-$U1.service i915-GVTg_V5_8, kvmgt-$U2.service i915-GVTg_V5_8
NOTE  other-creators  libvirt hooks create vGPUs: /etc/libvirt/hooks/qemu (type unknown)
PASS  other-creators  these and the 0 auto definition(s) of $GVT_P fit its GVT-g budget together (2 vGPUs)"
}

@test "other-creators: an unreadable or malformed Proxmox VM config is a warning with pve.h's reason" {
	pve_node "$ROOT"
	mkdir "$ROOT/etc/pve/qemu-server/100.conf"
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_4\nthis is not a configuration\n'
	pve_vm "$ROOT" 102 'hostpci0: mapping=gpu2,mdev=i915-GVTg_V5_4\n'
	pve_vm "$ROOT" 103 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_8\n'
	doctor
	assert_success
	assert_equal "$(doctor_lines other-creators)" "WARN  other-creators  Unable to read \"$ROOT/etc/pve/qemu-server/100.conf\": File descriptor in bad state (os error 77)
      fix: correct it as the line says; until then doctor does not count that VM's vGPUs
WARN  other-creators  $ROOT/etc/pve/qemu-server/101.conf:2: \"this is not a configuration\" is not a Proxmox configuration line (\"key: value\", a '#' comment or a [section]); fix or remove it
      fix: correct it as the line says; until then doctor does not count that VM's vGPUs
WARN  other-creators  $ROOT/etc/pve/qemu-server/102.conf:1: hostpci0: hostpci has mapping=gpu2 and there is no \"$ROOT/etc/pve/mapping/pci.cfg\"; add the mapping under Datacenter, Resource Mappings
      fix: correct it as the line says; until then doctor does not count that VM's vGPUs
NOTE  other-creators  Proxmox VE creates 1 vGPU(s) at VM start: VM 103 hostpci0 i915-GVTg_V5_8 on $GVT_P
PASS  other-creators  these and the 0 auto definition(s) of $GVT_P fit its GVT-g budget together (1 vGPUs)"
}
