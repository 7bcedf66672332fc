#!/usr/bin/env bats
# `mdevkit doctor` on the simulated kernel: the iGPU, parent, aperture and
# available_instances checks against the simulator's GVT-g accounting
# (the kernel's formula), with vGPUs created and removed through it, and a
# parent that unregisters.
load ../lib/helpers
load ../lib/simfs

# Exit statuses are not asserted where the simulated root lacks the
# kernel's side of a host (modules, command line): those checks may FAIL.

setup() {
	mk_root
}

teardown() {
	simfs_teardown
}

# the findings of one check
check_lines() {
	awk -v c="$1" '/^(PASS|NOTE|WARN|FAIL)  / { on = ($2 == c) } /^$/ { on = 0 } on' <<<"$output"
}

@test "doctor on the simulated Skylake host: the model agrees with the kernel as vGPUs come and go" {
	simfs_mount "$ROOT"
	run --separate-stderr "$MDEVKIT" doctor
	assert_equal "$stderr" ""
	assert_line "PASS  igpu            8086:1912 Skylake at $GVT_PARENT: GVT-g capable"
	assert_line "PASS  parent          $GVT_PARENT is registered with the mdev core: 4 types (i915-GVTg_V5_1, i915-GVTg_V5_2, i915-GVTg_V5_4, i915-GVTg_V5_8)"
	assert_line "PASS  available       available_instances agree with the model (0 vGPUs running): i915-GVTg_V5_8 7, i915-GVTg_V5_4 5, i915-GVTg_V5_2 2, i915-GVTg_V5_1 1"
	"$MDEVKIT" start -u "$(simfs_uuid 1)" -p $GVT_PARENT -t i915-GVTg_V5_2
	"$MDEVKIT" start -u "$(simfs_uuid 2)" -p $GVT_PARENT -t i915-GVTg_V5_8
	run --separate-stderr "$MDEVKIT" doctor
	assert_line "PASS  available       available_instances agree with the model (2 vGPUs running): i915-GVTg_V5_8 3, i915-GVTg_V5_4 2, i915-GVTg_V5_2 1, i915-GVTg_V5_1 0"
	assert_line "  aperture   [====##########..................] host 128, vGPUs 320, free 576 of 1024 MiB"
	assert_line "  vGPU slots [#########.......................] host 0, vGPUs 2, free 5 of 7"
	"$MDEVKIT" stop -u "$(simfs_uuid 1)"
	run --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -c '.[] | select(.check == "available") | [.level, .slots_free, .aperture_free_mib]' <<<"$output")" '["PASS",6,832]'
	simfs_ctl "$ROOT" unregister $GVT_PARENT
	run -1 --separate-stderr "$MDEVKIT" doctor -q
	assert_equal "$(check_lines parent)" "FAIL  parent          $GVT_PARENT is not registered with the mdev core (no $ROOT/sys/class/mdev_bus/$GVT_PARENT/mdev_supported_types): GVT-g is not running
      fix: GVT-g registers the iGPU when i915 runs with enable_gvt=1 and kvmgt is loaded: follow the enable-gvt, guc and kvmgt findings"
}

@test "doctor on a simulated Broadwell with a 512 MiB aperture: V4 names, a type hidden by the aperture" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/broadwell-512.conf"
	run --separate-stderr "$MDEVKIT" doctor
	assert_line "PASS  igpu            8086:1616 Broadwell at $GVT_PARENT: GVT-g capable"
	assert_line --regexp '^PASS  aperture        aperture 512 MiB \(PCI BAR 2\), GGTT 4096 MiB \(.*\): on an idle GPU i915-GVTg_V4_8 x6, i915-GVTg_V4_4 x3, i915-GVTg_V4_2 x1$'
	assert_line "NOTE  aperture        the aperture is too small to show i915-GVTg_V4_1 (it needs 640 MiB); raise \"GPU aperture size\" in firmware setup to 1024 MiB to show all four"
	assert_line "PASS  available       available_instances agree with the model (0 vGPUs running): i915-GVTg_V4_8 6, i915-GVTg_V4_4 3, i915-GVTg_V4_2 1"
}
