#!/usr/bin/env bats
# `mdevkit doctor` on the simulated host: the simulator serves /sys (PCI
# ids, i915's enable_gvt and enable_guc, loaded modules, the mdev parent)
# and tests/simfs/host-files.sh writes the rest (command line, module
# lists and modules.dep, the kernel log, /dev).  A healthy Skylake host,
# and the same host after an old recipe turned GuC submission on.
load ../lib/helpers
load ../lib/simfs
load ../lib/doctor

setup() {
	mk_root
}

teardown() {
	simfs_teardown
}

@test "doctor on the simulated healthy host: the kernel's side passes, exit 0" {
	simfs_host_files "$ROOT" healthy
	simfs_mount "$ROOT"
	run -0 --separate-stderr "$MDEVKIT" doctor
	assert_equal "$stderr" ""
	assert_equal "$(doctor_lines enable-gvt)" "PASS  enable-gvt      enable_gvt=Y (from the kernel command line)"
	assert_equal "$(doctor_lines kvmgt)" "PASS  kvmgt           kvmgt is loaded, and /etc/modules-load.d/kvmgt.conf:1 loads it at boot"
	assert_equal "$(doctor_lines mdev-modules)" "PASS  mdev-modules    mdev, vfio and vfio_iommu_type1 are in the kernel"
	assert_equal "$(doctor_lines module-lines)" "PASS  module-lines    1 module line(s) read at boot, each naming a module of kernel 6.1.0-13-amd64; no modprobe.d line keeps GVT-g's modules out"
	assert_equal "$(doctor_lines kernel-log)" "PASS  kernel-log      2 records read, none of the known GVT-g problem lines"
	assert_line "PASS  guc             enable_guc=0: GuC off"
	run -0 --separate-stderr "$MDEVKIT" doctor -q
	assert_output ""
}

@test "doctor on the simulated GuC host: turned off and why, kvmgt's No such device, stale lines, exit 1" {
	simfs_host_files "$ROOT" guc-on
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/guc-on.conf"
	run -1 --separate-stderr "$MDEVKIT" doctor
	assert_equal "$stderr" ""
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N although the kernel command line requests enable_gvt=1: the kernel turned GVT-g off
      fix: GuC submission is on and i915 refuses GVT-g with it (see guc and kernel-log): boot with i915.enable_guc=0"
	assert_equal "$(doctor_lines kvmgt)" "FAIL  kvmgt           kvmgt is not loaded: without it the iGPU has no mdev types
      fix: turn enable_gvt on first (see enable-gvt): until then 'modprobe kvmgt' fails with \"could not insert 'kvmgt': No such device\"; then add kvmgt to /etc/modules-load.d/kvmgt.conf"
	assert_equal "$(doctor_lines module-lines)" "WARN  module-lines    /etc/modules:3 names vfio_mdev: it was merged into mdev in Linux 5.16
      fix: remove line 3 of /etc/modules: systemd-modules-load.service fails at every boot because of it
WARN  module-lines    /etc/modules:4 names exngt: it was never part of the kernel (an early GVT-g recipe)
      fix: remove line 4 of /etc/modules: systemd-modules-load.service fails at every boot because of it"
	assert_equal "$(doctor_lines kernel-log)" "FAIL  kernel-log      \"i915 0000:00:02.0: Graphics virtualization is not yet supported with GuC submission\": i915 turned GVT-g off because GuC submission is on
      fix: boot with i915.enable_guc=0 (kernel command line, or options i915 enable_guc=0 in /etc/modprobe.d and update-initramfs -u)"
	assert_line --partial "FAIL  guc             enable_guc=3"
}
