#!/usr/bin/env bats
# mdevkit pve-hook over the simulated kernel: the vGPUs of a Proxmox VE VM
# are created with Proxmox's UUIDs where qemu-server looks for them,
# through callouts; pve_keep_alive keeps them across VM restarts.
load ../lib/helpers
load ../lib/simfs
load ../lib/pve

U0=$(pve_uuid 101 0)
DEV=devices/pci0000:00/0000:00:02.0

setup() {
	mk_root
	simfs_mount "$ROOT"
	pve_node "$ROOT"
}

teardown() {
	simfs_teardown
}

# what qemu-server's pci_create_mdev_device looks at: the UUID's directory
# under the parent's PCI device and the type its mdev_type link names
proxmox_sees() {
	local d=$ROOT/sys/bus/pci/devices/$GVT_PARENT/$1
	[ -d "$d" ] || { echo "none"; return; }
	t=$(readlink "$d/mdev_type")
	echo "${t##*/}"
}

@test "pve-hook: a VM that fits gets its vGPU with Proxmox's UUID, through the callouts; nothing is defined" {
	pve_vm "$ROOT" 101 'name: win\nhostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_4,pcie=1\n'
	cat > "$ROOT/etc/mdevctl.d/scripts.d/callouts/log" <<-EOF
	#!/bin/sh
	echo "\$*" >> "$BATS_TEST_TMPDIR/callouts"
	EOF
	chmod +x "$ROOT/etc/mdevctl.d/scripts.d/callouts/log"
	snapshot etc "$ROOT/etc"
	run -0 --separate-stderr pve_hook 101 pre-start
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$U0" 00000000-0000-0000-0000-000000000101
	assert_equal "$(proxmox_sees "$U0")" i915-GVTg_V5_4
	assert_equal "$(cat "$BATS_TEST_TMPDIR/callouts")" \
"-t i915-GVTg_V5_4 -e get -a capabilities -s none -u $U0 -p $GVT_PARENT
-t i915-GVTg_V5_4 -e pre -a start -s none -u $U0 -p $GVT_PARENT
-t i915-GVTg_V5_4 -e post -a start -s success -u $U0 -p $GVT_PARENT"
	rm "$BATS_TEST_TMPDIR/callouts"
	assert_snapshot_unchanged etc "$ROOT/etc"
	# Proxmox restarts the VM without removing it (a crash): still fine
	run -0 --separate-stderr pve_hook 101 pre-start
	assert_equal "$stderr" ""
}

@test "pve-hook: the vGPUs of other VMs count: hidden GM runs out" {
	pve_vm "$ROOT" 102 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_2\n'
	pve_vm "$ROOT" 103 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_2\n'
	pve_vm "$ROOT" 104 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_2\n'
	run -0 pve_hook 102 pre-start
	run -0 pve_hook 103 pre-start
	# 2688 MiB hidden GM for vGPUs, 2 x 1024 taken, 640 left
	run -1 --separate-stderr pve_hook 104 pre-start
	assert_output ""
	assert_equal "$stderr" "mdevkit pve-hook: VM 104 hostpci0: cannot start $(pve_uuid 104 0) (i915-GVTg_V5_2) on $GVT_PARENT: not enough hidden GM: it needs 1024 MiB, 640 MiB free of 2688 MiB (held by $(pve_uuid 102 0) (i915-GVTg_V5_2), $(pve_uuid 103 0) (i915-GVTg_V5_2)); stop one of them or pick a smaller type"
	assert_equal "$(proxmox_sees "$(pve_uuid 104 0)")" none
}

@test "pve-hook: pve_keep_alive defines the vGPU once, keeps it running and starts it again after Proxmox's removal at stop" {
	mkdir -p "$ROOT/etc/mdevkit"
	echo "pve_keep_alive = 101" > "$ROOT/etc/mdevkit/mdevkit.conf"
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_4\n'
	pve_vm "$ROOT" 102 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_8\n'
	run -0 --separate-stderr pve_hook 101 pre-start
	assert_equal "$stderr" ""
	assert_equal "$(cat "$ROOT/etc/mdevctl.d/$GVT_PARENT/$U0")" '{
  "mdev_type": "i915-GVTg_V5_4",
  "start": "manual",
  "attrs": []
}'
	assert_equal "$(proxmox_sees "$U0")" i915-GVTg_V5_4
	id=$(cat "$ROOT/sys/bus/mdev/devices/$U0/intel_vgpu/vgpu_id")
	# the VM stops: qemu-server's cleanup_pci_devices removes it, then post-stop
	echo 1 > "$ROOT/sys/bus/mdev/devices/$U0/remove"
	run -0 --separate-stderr pve_hook 101 post-stop
	assert_equal "$stderr" ""
	assert_equal "$(proxmox_sees "$U0")" i915-GVTg_V5_4
	# the next start finds it up and changes nothing
	snapshot etc "$ROOT/etc"
	run -0 --separate-stderr pve_hook 101 pre-start
	assert_equal "$stderr" ""
	assert_equal "$(cat "$ROOT/sys/bus/mdev/devices/$U0/intel_vgpu/vgpu_id")" "$id"
	assert_snapshot_unchanged etc "$ROOT/etc"
	# a VM without the setting: created at start, left removed after stop
	run -0 pve_hook 102 pre-start
	echo 1 > "$ROOT/sys/bus/mdev/devices/$(pve_uuid 102 0)/remove"
	run -0 --separate-stderr pve_hook 102 post-stop
	assert_equal "$stderr" ""
	assert_equal "$(proxmox_sees "$(pve_uuid 102 0)")" none
	assert_file_not_exists "$ROOT/etc/mdevctl.d/$GVT_PARENT/$(pve_uuid 102 0)"
}

@test "pve-hook: pve_keep_alive = all; a definition that names another type is refused, not changed" {
	mkdir -p "$ROOT/etc/mdevkit"
	echo "pve_keep_alive = all" > "$ROOT/etc/mdevkit/mdevkit.conf"
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_4\n'
	run -0 pve_hook 101 pre-start
	"$MDEVKIT" stop -u "$U0"
	# the VM's configuration changed its type meanwhile
	pve_vm "$ROOT" 101 'hostpci0: 0000:00:02.0,mdev=i915-GVTg_V5_8\n'
	run -1 --separate-stderr pve_hook 101 pre-start
	assert_equal "$stderr" "mdevkit pve-hook: VM 101 hostpci0: mdevkit's definition of $U0 is i915-GVTg_V5_4 on $GVT_PARENT and the VM asks for i915-GVTg_V5_8 on $GVT_PARENT; remove it ('mdevkit undefine -u $U0') and start the VM again"
	assert_equal "$(proxmox_sees "$U0")" none
	"$MDEVKIT" undefine -u "$U0"
	run -0 pve_hook 101 pre-start
	assert_equal "$(proxmox_sees "$U0")" i915-GVTg_V5_8
}

@test "pve-hook: a callout's refusal is named with the entry; what this start created is taken back; defined non-GVT-g entries are started" {
	simfs_umount "$ROOT"
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	local u1
	u1=$(pve_uuid 101 1)
	pve_vm "$ROOT" 101 'hostpci0: 00:02.0,mdev=i915-GVTg_V5_4\nhostpci1: 0000:03:00.0,mdev=simvendor-small\nhostpci2: 0000:03:00.0,mdev=simvendor-large\n'
	# hostpci1 has a definition: mdevkit starts it; hostpci2 is Proxmox's
	"$MDEVKIT" define -u "$u1" -p 0000:03:00.0 -t simvendor-small
	run -0 --separate-stderr pve_hook 101 pre-start
	assert_equal "$stderr" ""
	assert_equal "$(proxmox_sees "$U0")" i915-GVTg_V5_4
	assert_equal "$(readlink "$ROOT/sys/bus/mdev/devices/$u1/mdev_type" | sed 's|.*/||')" simvendor-small
	assert_file_not_exists "$ROOT/sys/bus/mdev/devices/$(pve_uuid 101 2)"
	"$MDEVKIT" stop -u "$U0"
	"$MDEVKIT" stop -u "$u1"
	# a callout refuses the vendor device, after the vGPU was created
	local c=$ROOT/etc/mdevctl.d/scripts.d/callouts/no-small
	printf '#!/bin/sh\n[ "$2" = simvendor-small ] && [ "$4" = pre ] && { echo "policy: no small ones" >&2; exit 1; }\nexit 0\n' > "$c"
	chmod +x "$c"
	run -1 --separate-stderr pve_hook 101 pre-start
	assert_equal "$stderr" "no-small: policy: no small ones
mdevkit pve-hook: VM 101 hostpci1: cannot start $u1 (simvendor-small) on 0000:03:00.0: Script '\"$c\"' failed with status '1'"
	assert_equal "$(proxmox_sees "$U0")" none
	assert_equal "$(ls "$ROOT/sys/bus/mdev/devices")" ""
}
