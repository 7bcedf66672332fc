#!/usr/bin/env bats
# `mdevkit doctor` (part A checks) on fixture roots: the iGPU and its
# generation, GuC submission, the parent and its types, aperture and GGTT,
# available_instances against the model and the budget bars, the auto
# definitions, the IOMMU, /dev/vfio and memlock, the render node; text,
# -q, --dumpjson, exit codes, unreadable files as findings.
load ../lib/helpers
load ../lib/gvt
load ../lib/doctor

setup() {
	mk_root
}

# the findings of one check, text lines with their fix lines
check_lines() {
	awk -v c="$1" '/^(PASS|NOTE|WARN|FAIL)  / { on = ($2 == c) } /^$/ { on = 0 } on' <<<"$output"
}

@test "doctor: a healthy Kaby Lake host passes every check and shows the budget" {
	doctor_host "$ROOT" 1024
	doctor_vgpu "$ROOT" "$U1" i915-GVTg_V5_4 3
	run -0 --separate-stderr "$MDEVKIT" doctor
	assert_equal "$stderr" ""
	assert_output "PASS  igpu            8086:5912 Kaby Lake at $GVT_P: GVT-g capable
PASS  enable-gvt      enable_gvt=Y (from the kernel command line)
PASS  guc             enable_guc=0: GuC off
PASS  kvmgt           kvmgt is loaded, and /etc/modules-load.d/kvmgt.conf:1 loads it at boot
PASS  mdev-modules    mdev, vfio and vfio_iommu_type1 are in the kernel
PASS  module-lines    1 module line(s) read at boot, each naming a module of kernel 6.1.0-13-amd64; no modprobe.d line keeps GVT-g's modules out
PASS  parent          $GVT_P is registered with the mdev core: 4 types (i915-GVTg_V5_1, i915-GVTg_V5_2, i915-GVTg_V5_4, i915-GVTg_V5_8)
PASS  aperture        aperture 1024 MiB (PCI BAR 2), GGTT 4096 MiB (the default; $ROOT/etc/mdevkit/gvt.conf can set it): on an idle GPU i915-GVTg_V5_8 x7, i915-GVTg_V5_4 x5, i915-GVTg_V5_2 x2, i915-GVTg_V5_1 x1
PASS  available       available_instances agree with the model (1 vGPU running): i915-GVTg_V5_8 5, i915-GVTg_V5_4 4, i915-GVTg_V5_2 2, i915-GVTg_V5_1 1
NOTE  definitions     no auto-start definitions in $ROOT/etc/mdevctl.d: nothing starts at boot
PASS  iommu           IOMMU on: 3 groups in $ROOT/sys/kernel/iommu_groups (ACPI DMAR table present)
PASS  vfio            $ROOT/dev/vfio/vfio (root:root 0666): anyone may open it
PASS  vfio            $ROOT/dev/vfio/3 (root:root 0600): only its owner may open it
PASS  render-node     $ROOT/dev/dri/by-path/pci-$GVT_P-render (root:root 0666): anyone may open it
PASS  kernel-log      2 records read, none of the known GVT-g problem lines
NOTE  versions        no QEMU (qemu-system-x86_64) in PATH
NOTE  versions        no libvirt (virsh, libvirtd) in PATH
NOTE  versions        no mdevctl in PATH: libvirt runs mdevctl by name for its mdev devices (virsh nodedev-define, nodedev-start)
PASS  mdevctl-rule    no 60-mdevctl.rules: nothing of mdevctl's to check
PASS  other-creators  no Proxmox VM with mdev=, no NixOS kvmgt unit, no libvirt hook writing create

GVT-g budget of $GVT_P (= held by the host, # used by vGPUs, . free):
  aperture   [====####........................] host 128, vGPUs 128, free 768 of 1024 MiB
  hidden GM  [====#####.......................] host 384, vGPUs 512, free 2176 of 3072 MiB
  fences     [====####........................] host 4, vGPUs 4, free 24 of 32
  vGPU slots [#####...........................] host 0, vGPUs 1, free 6 of 7"
}

@test "doctor -q: nothing on a healthy host; only WARN and FAIL with their fixes, no bars" {
	doctor_host "$ROOT" 1024
	run -0 --separate-stderr "$MDEVKIT" doctor -q
	assert_output ""
	echo 1 > "$ROOT/sys/module/i915/parameters/enable_guc"
	rm "$ROOT/dev/dri/by-path/pci-$GVT_P-render"
	run -1 --separate-stderr "$MDEVKIT" doctor --quiet
	assert_output "FAIL  guc             enable_guc=1: GuC submission is on, and the kernel refuses GVT-g with it
      fix: boot with i915.enable_guc=0 (kernel command line or options i915 enable_guc=0 in /etc/modprobe.d, then update the initramfs)
WARN  render-node     $ROOT/dev/dri/by-path/pci-$GVT_P-render is missing
      fix: a guest display on the vGPU (display=on) needs the iGPU's render node: load i915 without nomodeset and let udev create /dev/dri/by-path; headless guests need none"
}

@test "doctor --dumpjson: check, level, found, fix and the values, exit status as in text" {
	doctor_host "$ROOT" 1024
	run -0 --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -c '.[0]' <<<"$output")" \
		'{"check":"igpu","level":"PASS","found":"8086:5912 Kaby Lake at 0000:00:02.0: GVT-g capable","fix":null,"address":"0000:00:02.0","vendor":"8086","device":"5912","generation":"Kaby Lake","gen":9}'
	assert_equal "$(jq -c '.[] | select(.check == "aperture") | [.aperture_mib, .ggtt_mib, .ggtt_configured]' <<<"$output")" "[1024,4096,0]"
	assert_equal "$(jq -c '.[] | select(.check == "available") | [.aperture_free_mib, .hidden_free_mib, .fences_free, .slots_free]' <<<"$output")" "[896,2688,28,7]"
	# every object has the four fields; the fix is null exactly when the level is PASS or NOTE
	assert_equal "$(jq '[.[] | select((has("check") and has("level") and has("found") and has("fix")) | not)] | length' <<<"$output")" 0
	assert_equal "$(jq '[.[] | select((.fix == null) != (.level == "PASS" or .level == "NOTE"))] | length' <<<"$output")" 0
	echo 3 > "$ROOT/sys/module/i915/parameters/enable_guc"
	run -1 --separate-stderr "$MDEVKIT" doctor --dumpjson
	python3 -c 'import json, sys; d = json.load(sys.stdin); g = [f for f in d if f["check"] == "guc"][0]; assert g["level"] == "FAIL" and g["enable_guc"] == 3 and g["fix"].startswith("boot with"), g' <<<"$output"
}

@test "doctor: usage errors exit 2, --help exits 0" {
	run -2 --separate-stderr "$MDEVKIT" doctor --bogus
	assert_output ""
	run -2 --separate-stderr "$MDEVKIT" doctor --dumpjson -q
	assert_equal "$stderr" "error: --quiet and --dumpjson cannot be used together

Usage: mdevkit doctor [OPTIONS]

For more information, try '--help'."
	run -2 --separate-stderr "$MDEVKIT" doctor -p ../x
	assert_output ""
	assert_equal "$stderr" "Error: Invalid parent name '../x': it contains '/'; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	run -0 "$MDEVKIT" doctor --help
	assert_line --partial "--quiet"
}

@test "doctor igpu: the generation from the PCI device id" {
	local id want n=0
	while IFS='|' read -r id want; do
		# one lookup is the code path of all: under memcheck a few will do
		[ -z "$MEMCHECK" ] || [ $((n++)) -lt 3 ] || continue
		rm -rf "$ROOT/sys"
		doctor_igpu "$ROOT" "$id"
		run --separate-stderr "$MDEVKIT" doctor
		assert_line "$want"
	done <<-EOF
	1616|PASS  igpu            8086:1616 Broadwell at $GVT_P: GVT-g capable
	1912|PASS  igpu            8086:1912 Skylake at $GVT_P: GVT-g capable
	591c|PASS  igpu            8086:591c Kaby Lake at $GVT_P: GVT-g capable
	3e92|PASS  igpu            8086:3e92 Coffee Lake at $GVT_P: GVT-g capable
	3ea0|PASS  igpu            8086:3ea0 Coffee Lake at $GVT_P: GVT-g capable
	87ca|PASS  igpu            8086:87ca Coffee Lake at $GVT_P: GVT-g capable
	9bc5|PASS  igpu            8086:9bc5 Comet Lake at $GVT_P: GVT-g capable
	5a85|NOTE  igpu            Apollo Lake/Broxton has no Windows guest driver for GVT-g: Linux guests only
	3185|FAIL  igpu            8086:3185 Gemini Lake at $GVT_P: no GVT-g and no other vGPU mechanism
	8a52|FAIL  igpu            8086:8a52 Ice Lake at $GVT_P: no GVT-g and no other vGPU mechanism
	0412|FAIL  igpu            8086:0412 Haswell at $GVT_P: no GVT-g and no other vGPU mechanism
	a780|FAIL  igpu            8086:a780 Raptor Lake at $GVT_P: no GVT-g; this GPU generation uses SR-IOV instead (no sriov_totalvfs: the driver offers none)
	4680|FAIL  igpu            8086:4680 Alder Lake at $GVT_P: no GVT-g; this GPU generation uses SR-IOV instead (no sriov_totalvfs: the driver offers none)
	7d55|FAIL  igpu            8086:7d55 Meteor Lake/Arrow Lake at $GVT_P: no GVT-g; this GPU generation uses SR-IOV instead (no sriov_totalvfs: the driver offers none)
	ffff|WARN  igpu            8086:ffff at $GVT_P: an Intel GPU mdevkit does not know (its table is the kernel's i915 ids of Linux 6.12)
	EOF
	rm -rf "$ROOT/sys"
	doctor_igpu "$ROOT" 5a85
	run -1 "$MDEVKIT" doctor
	assert_line "PASS  igpu            8086:5a85 Apollo Lake/Broxton at $GVT_P: GVT-g capable"
	rm -rf "$ROOT/sys"
	doctor_igpu "$ROOT" 8a52
	run -1 "$MDEVKIT" doctor
	assert_line "      fix: GVT-g needs a Broadwell to Comet Lake iGPU (Core 5th to 10th generation); on this GPU give the whole device to one guest with vfio-pci, or use another host"
	# the checks that only matter for GVT-g stay quiet
	refute_line --regexp '^[A-Z]+  (guc|aperture|available|render-node) '
}

@test "doctor igpu: Tiger Lake hands off to SR-IOV with sriov_totalvfs" {
	doctor_igpu "$ROOT" 9a49
	echo 7 > "$ROOT/sys/$GVT_DEV/sriov_totalvfs"
	run -1 "$MDEVKIT" doctor
	assert_equal "$(check_lines igpu)" "FAIL  igpu            8086:9a49 Tiger Lake at $GVT_P: no GVT-g; this GPU offers SR-IOV instead (sriov_totalvfs 7)
      fix: GVT-g ends with Comet Lake and mdevkit cannot create vGPUs here: create SR-IOV virtual functions (sriov_numvfs) with a driver that supports them and give a VF to the guest with vfio-pci"
	run -1 "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq '.[0].sriov_totalvfs' <<<"$output")" 7
}

@test "doctor igpu: no Intel GPU is a NOTE, not a failure; other parents are listed" {
	run -0 --separate-stderr "$MDEVKIT" doctor
	assert_line "NOTE  igpu            no Intel GPU (no PCI display device of vendor 8086): no GVT-g here"
	assert_line "NOTE  parent          no Intel GPU to check and no registered mdev parent"
	mtty_fixture "$ROOT"
	mkdir -p "$ROOT/sys/bus/pci/devices/0000:00:01.0"
	echo 0x1234 > "$ROOT/sys/bus/pci/devices/0000:00:01.0/vendor"
	echo 0x030000 > "$ROOT/sys/bus/pci/devices/0000:00:01.0/class"
	run -0 --separate-stderr "$MDEVKIT" doctor
	assert_line "NOTE  igpu            no Intel GPU (no PCI display device of vendor 8086): no GVT-g here"
	assert_line "NOTE  parent          no Intel GPU to check; registered mdev parents: mtty (check one with -p PARENT)"
	run -0 --separate-stderr "$MDEVKIT" doctor -p mtty
	assert_line "PASS  parent          mtty is registered with the mdev core: 2 types (mtty-1, mtty-2)"
	assert_line "PASS  available       mtty is not a GVT-g parent; available_instances: mtty-1 24, mtty-2 12"
}

@test "doctor igpu: the driver bound to the iGPU" {
	doctor_host "$ROOT" 1024
	rm "$ROOT/sys/$GVT_DEV/driver"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines igpu)" "PASS  igpu            8086:5912 Kaby Lake at $GVT_P: GVT-g capable
WARN  igpu            no driver is bound to $GVT_P
      fix: load i915 (modprobe i915) and check the kernel log for why it did not bind"
	ln -s ../../bus/pci/drivers/vfio-pci "$ROOT/sys/$GVT_DEV/driver"
	run -0 "$MDEVKIT" doctor
	assert_line "WARN  igpu            $GVT_P is bound to vfio-pci, not i915"
	assert_line "      fix: GVT-g lives in i915: bind $GVT_P to i915 (remove a vfio-pci or driverctl override for it) and reboot"
}

@test "doctor guc: each value of enable_guc, a missing i915, unreadable and bad files" {
	local guc=$ROOT/sys/module/i915/parameters/enable_guc v want
	doctor_host "$ROOT" 1024
	while IFS='|' read -r v want; do
		echo "$v" > "$guc"
		run "$MDEVKIT" doctor
		assert_equal "$(check_lines guc | head -1)" "$want"
	done <<-EOF
	-1|PASS  guc             enable_guc=-1: the platform's default, no GuC submission on this generation
	2|PASS  guc             enable_guc=2: HuC loading only, no GuC submission
	3|FAIL  guc             enable_guc=3: GuC submission is on, and the kernel refuses GVT-g with it
	x|WARN  guc             enable_guc=x is not a number
	EOF
	run -0 "$MDEVKIT" doctor
	assert_line "      fix: check $guc: it should hold i915's enable_guc value"
	rm "$guc"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines guc)" "PASS  guc             i915 has no enable_guc parameter: no GuC submission"
	rm -r "$ROOT/sys/module/i915"
	# enable-gvt FAILs without i915
	run -1 "$MDEVKIT" doctor
	assert_equal "$(check_lines guc)" "NOTE  guc             i915 is not loaded: no enable_guc parameter to read"
	mkdir -p "$ROOT/sys/module/i915/parameters"
	echo Y > "$ROOT/sys/module/i915/parameters/enable_gvt"
	mkdir "$guc"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines guc)" "WARN  guc             cannot read $guc: File descriptor in bad state
      fix: check that $guc is the kernel's or the package's file"
}

@test "doctor parent: not registered, no such device, no types" {
	doctor_host "$ROOT" 1024
	rm -r "$ROOT/sys/$GVT_DEV/mdev_supported_types" "$ROOT/sys/class/mdev_bus/$GVT_P"
	run -1 "$MDEVKIT" doctor
	assert_equal "$(check_lines parent)" "FAIL  parent          $GVT_P is not registered with the mdev core (no $ROOT/sys/class/mdev_bus/$GVT_P/mdev_supported_types): GVT-g is not running
      fix: GVT-g registers the iGPU when i915 runs with enable_gvt=1 and kvmgt is loaded: follow the enable-gvt, guc and kvmgt findings"
	# the aperture is read from PCI all the same
	assert_line --partial "PASS  aperture        aperture 1024 MiB (PCI BAR 2)"
	run -1 "$MDEVKIT" doctor -p nosuch
	assert_equal "$(check_lines parent)" "FAIL  parent          there is no device nosuch
      fix: name a parent listed in /sys/class/mdev_bus (mdevkit types lists them), e.g. 0000:00:02.0"
}

@test "doctor aperture: too small, types hidden by the aperture, no hidden GM, gvt.conf" {
	doctor_host "$ROOT" 128
	run -1 "$MDEVKIT" doctor
	assert_equal "$(check_lines parent)" "FAIL  parent          $GVT_P is registered with the mdev core but offers no types
      fix: GVT-g shows no type when the aperture leaves nothing for vGPUs: follow the aperture finding"
	assert_equal "$(check_lines aperture)" "FAIL  aperture        aperture 128 MiB (PCI BAR 2), GGTT 4096 MiB (the default; $ROOT/etc/mdevkit/gvt.conf can set it): this GPU's aperture is 128 MiB, no more than the 128 MiB the host keeps, so no vGPU fits
      fix: raise \"GPU aperture size\" in firmware setup to at least 192 MiB"
	refute_line --partial "GVT-g budget"

	rm -rf "$ROOT/sys"
	doctor_host "$ROOT" 256
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines aperture)" "PASS  aperture        aperture 256 MiB (PCI BAR 2), GGTT 4096 MiB (the default; $ROOT/etc/mdevkit/gvt.conf can set it): on an idle GPU i915-GVTg_V5_8 x2, i915-GVTg_V5_4 x1
NOTE  aperture        the aperture is too small to show i915-GVTg_V5_2 (it needs 384 MiB), i915-GVTg_V5_1 (it needs 640 MiB); raise \"GPU aperture size\" in firmware setup to 1024 MiB to show all four"

	rm -rf "$ROOT/sys"
	doctor_host "$ROOT" 1024
	mkdir -p "$ROOT/etc/mdevkit"
	echo "ggtt_mib = 1024" > "$ROOT/etc/mdevkit/gvt.conf"
	run -1 "$MDEVKIT" doctor
	assert_equal "$(check_lines aperture)" "FAIL  aperture        aperture 1024 MiB (PCI BAR 2), GGTT 1024 MiB (ggtt_mib in $ROOT/etc/mdevkit/gvt.conf): this GPU's GGTT of 1024 MiB minus its 1024 MiB aperture leaves no hidden GM beyond the 384 MiB the host keeps
      fix: lower \"GPU aperture size\" in firmware setup, or set ggtt_mib in $ROOT/etc/mdevkit/gvt.conf if the GGTT is larger"
	echo "ggtt_mib = lots" > "$ROOT/etc/mdevkit/gvt.conf"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines aperture)" "WARN  aperture        cannot read the GGTT size: $ROOT/etc/mdevkit/gvt.conf:1: ggtt_mib is \"lots\"
      fix: it must be 1024, 2048 or 4096 (the GGTT sizes the GPU can have)"
}

@test "doctor aperture: an unreadable resource file is a finding" {
	doctor_host "$ROOT" 1024
	rm "$ROOT/sys/$GVT_DEV/resource"
	mkdir "$ROOT/sys/$GVT_DEV/resource"
	run "$MDEVKIT" doctor
	assert_equal "$(check_lines aperture)" "WARN  aperture        cannot read the aperture (PCI BAR 2): Unable to read \"$ROOT/sys/bus/pci/devices/$GVT_P/resource\": it is not a regular file, as every sysfs attribute is
      fix: remove what was put in its place"
	# the available check cannot model the parent either, and says so
	assert_line --regexp '^WARN  available       cannot model the parent: '
}

@test "doctor available: the host holds aperture (a desktop on the iGPU)" {
	doctor_host "$ROOT" 512
	gvt_set_avail "$ROOT" i915-GVTg_V5_8 3
	gvt_set_avail "$ROOT" i915-GVTg_V5_4 1
	gvt_set_avail "$ROOT" i915-GVTg_V5_2 0
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines available)" "WARN  available       the kernel offers i915-GVTg_V5_8 3, i915-GVTg_V5_4 1, i915-GVTg_V5_2 0 and the model i915-GVTg_V5_8 6, i915-GVTg_V5_4 3, i915-GVTg_V5_2 1: the host holds at least 129 MiB of aperture beyond its 128 MiB (a desktop session on the iGPU)
      fix: start the vGPUs before the display manager (mdevkit's boot unit runs before it), or run the host headless"
	assert_line "  aperture   [================................] host 257, vGPUs 0, free 255 of 512 MiB"
	run -0 "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq '.[] | select(.check == "available") | [.host_extra_aperture_mib, .aperture_free_mib]' -c <<<"$output")" "[129,255]"
}

@test "doctor available: a GGTT that is not the assumed one is named as the assumption" {
	# the kernel's counts are those of a 2048 MiB GGTT; the model assumes 4096
	gvt_fixture "$ROOT" 1024 9 2048
	doctor_host "$ROOT" 1024
	gvt_fixture "$ROOT" 1024 9 2048
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines available)" "WARN  available       the kernel shows 1 available instances of i915-GVTg_V5_8 and the model expects 7 with a 4096 MiB GGTT
      fix: set ggtt_mib = 2048 in $ROOT/etc/mdevkit/gvt.conf"
}

@test "doctor available: the slot limit does not give way to the kernel's count" {
	local i
	doctor_host "$ROOT" 1024
	for i in 1 2 3 4 5 6 7; do
		gvt_running "$ROOT" "11111111-0000-4000-8000-00000000000$i" i915-GVTg_V5_8
	done
	gvt_set_avail "$ROOT" i915-GVTg_V5_8 2
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines available)" "WARN  available       the kernel shows 2 available instances of i915-GVTg_V5_8 but only 0 of GVT-g's 7 vGPU slots are free; the model keeps 0 (the slot limit does not depend on the GGTT size)
      fix: expect at most 0 more vGPUs on this GPU; a create beyond that fails, whatever available_instances says"
	assert_line "  vGPU slots [################################] host 0, vGPUs 7, free 0 of 7"
}

@test "doctor available: a type the kernel hides and the model shows" {
	doctor_host "$ROOT" 1024
	rm -r "$ROOT/sys/$GVT_DEV/mdev_supported_types/i915-GVTg_V5_1"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines available)" "WARN  available       the kernel does not show i915-GVTg_V5_1 but the model shows it with a 1024 MiB aperture
      fix: check that line 2 of the GPU's PCI resource file is its aperture (BAR 2)"
}

@test "doctor definitions: fit, do not fit, a definition of its own, an unregistered parent" {
	doctor_host "$ROOT" 512
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_4 auto)"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines definitions)" "PASS  definitions     $GVT_P: 1 auto definition fits together"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_2 auto)"
	write_def "$ROOT" $GVT_P "$U3" "$(cfg i915-GVTg_V5_4 auto)"
	run -1 "$MDEVKIT" doctor
	assert_equal "$(check_lines definitions)" "FAIL  definitions     $GVT_P: the auto definitions do not fit: not enough aperture: they need 512 MiB and the GPU has 384 MiB for vGPUs
      fix: make some of them manual or pick smaller types, or set \"GPU aperture size\" in firmware setup to 1024 MiB"
	rm "$ROOT/etc/mdevctl.d/$GVT_P/$U2" "$ROOT/etc/mdevctl.d/$GVT_P/$U3"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_3 auto)"
	run -1 "$MDEVKIT" doctor
	assert_line --regexp "^FAIL  definitions     $U2 i915-GVTg_V5_3 on $GVT_P: i915-GVTg_V5_3 is not a GVT-g type\$"
	write_def "$ROOT" mtty "$U4" "$(cfg mtty-1 auto)"
	run -1 "$MDEVKIT" doctor
	assert_equal "$(check_lines definitions | tail -2)" "WARN  definitions     mtty: not registered, so 1 auto definition cannot start
      fix: they start when the parent registers: follow the parent finding, or undefine them"
}

@test "doctor iommu: none is a NOTE for libvirt and QEMU, a FAIL on Proxmox VE" {
	doctor_host "$ROOT" 1024
	rm -r "$ROOT/sys/kernel/iommu_groups"/*
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines iommu)" "NOTE  iommu           no IOMMU groups (the firmware has a DMAR table but the kernel did not turn the IOMMU on); GVT-g under libvirt or QEMU does not need one (KVMGT pins guest memory itself)"
	mkdir -p "$ROOT/etc/pve"
	run -1 "$MDEVKIT" doctor
	assert_equal "$(check_lines iommu)" "FAIL  iommu           no IOMMU groups (the firmware has a DMAR table but the kernel did not turn the IOMMU on); Proxmox VE ($ROOT/etc/pve) refuses to start a VM with a hostpci device, mdev ones too, without an IOMMU
      fix: boot with intel_iommu=on"
	rm "$ROOT/sys/firmware/acpi/tables/DMAR"
	run -1 "$MDEVKIT" doctor
	assert_line "      fix: turn on VT-d in firmware setup and boot with intel_iommu=on"
	rm -r "$ROOT/sys/kernel/iommu_groups"
	echo x > "$ROOT/sys/kernel/iommu_groups"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines iommu)" "WARN  iommu           cannot read $ROOT/sys/kernel/iommu_groups: Not a directory
      fix: check that $ROOT/sys/kernel/iommu_groups is the kernel's or the package's file"
}

@test "doctor vfio: the container and group nodes, missing, not a device, no group" {
	doctor_host "$ROOT" 1024
	doctor_vgpu "$ROOT" "$U1" i915-GVTg_V5_4 3
	rm "$ROOT/dev/vfio/vfio" "$ROOT/dev/vfio/3"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines vfio)" "WARN  vfio            $ROOT/dev/vfio/vfio is missing
      fix: load vfio and vfio_iommu_type1 (modprobe vfio_iommu_type1); QEMU opens this node for every vfio device
WARN  vfio            $ROOT/dev/vfio/3 is missing
      fix: the vfio group node appears when vfio binds the mdev: load vfio and vfio_iommu_type1, and check the kernel log"
	: > "$ROOT/dev/vfio/vfio"
	rm "$ROOT/sys/$GVT_DEV/$U1/iommu_group"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines vfio)" "WARN  vfio            $ROOT/dev/vfio/vfio is not a character device (root:root 0644)
      fix: remove it and reload the module that creates it
WARN  vfio            running mdev $U1 (i915-GVTg_V5_4) has no IOMMU group: no vfio driver took it
      fix: load the parent's vfio driver (kvmgt for GVT-g; vfio_mdev as well before Linux 5.16) and check the kernel log"
}

@test "doctor vfio: a user who may not open the nodes, the memlock limit, unreadable files" {
	doctor_host "$ROOT" 1024
	doctor_vgpu "$ROOT" "$U1" i915-GVTg_V5_4 3
	chmod 0600 "$ROOT/dev/vfio/vfio"
	chmod 0660 "$ROOT/dev/dri/renderD128"
	chmod 0600 "$ROOT/sys/module/i915/parameters/enable_guc"
	chmod o+x "$BATS_RUN_TMPDIR"
	# memcheck's wrapper writes logs another user may not: that user runs
	# the program itself
	local prog=$MDEVKIT
	[ -z "$MEMCHECK" ] || prog=$NATIVE/mdevkit
	run prlimit --memlock=65536 setpriv --reuid=65534 --regid=65534 --clear-groups "$prog" doctor
	assert_equal "$(check_lines vfio)" "WARN  vfio            $ROOT/dev/vfio/vfio (root:root 0600): only its owner may open it, and you (uid 65534) may not
      fix: run the guest as root or through libvirt, or let a group open vfio nodes (udev rule SUBSYSTEM==\"vfio\", GROUP=\"kvm\", MODE=\"0660\") and add the user to it
WARN  vfio            $ROOT/dev/vfio/3 (root:root 0600): only its owner may open it, and you (uid 65534) may not
      fix: run the guest as root or through libvirt, or let a group open vfio nodes (udev rule SUBSYSTEM==\"vfio\", GROUP=\"kvm\", MODE=\"0660\") and add the user to it
WARN  vfio            memlock limit of uid 65534: 64 KiB: a guest this user starts cannot pin its memory (vfio_pin_pages failed, RLIMIT_MEMLOCK)
      fix: raise the memlock limit of the user that runs QEMU above the guest's memory (memlock in /etc/security/limits.conf, LimitMEMLOCK= in its unit); libvirt raises it itself"
	assert_equal "$(check_lines render-node)" "WARN  render-node     $ROOT/dev/dri/by-path/pci-$GVT_P-render (root:root 0660): its owner and group may open it, and you (uid 65534) may not
      fix: run the guest as a member of the render group (usermod -aG render USER)"
	assert_equal "$(check_lines guc)" "WARN  guc             cannot read $ROOT/sys/module/i915/parameters/enable_guc: Permission denied
      fix: run mdevkit doctor as root to read it"
	# raising the limit needs CAP_SYS_RESOURCE, which a container may lack
	[ "$(ulimit -Hl)" = unlimited ] || return 0
	run prlimit --memlock=unlimited setpriv --reuid=65534 --regid=65534 --clear-groups "$prog" doctor
	assert_line "PASS  vfio            memlock limit of uid 65534: unlimited"
	run prlimit --memlock=$((2 << 30)) setpriv --reuid=65534 --regid=65534 --clear-groups "$prog" doctor
	assert_line "NOTE  vfio            memlock limit of uid 65534: 2048 MiB: enough for a guest of up to that much memory started by this user"
}

@test "doctor: an unreadable PCI device list and odd sysfs contents are findings" {
	mkdir -p "$ROOT/sys/bus/pci"
	echo x > "$ROOT/sys/bus/pci/devices"
	run -0 "$MDEVKIT" doctor
	assert_equal "$(check_lines igpu)" "WARN  igpu            cannot read $ROOT/sys/bus/pci/devices: Not a directory
      fix: check that $ROOT/sys/bus/pci/devices is the kernel's or the package's file"
	rm "$ROOT/sys/bus/pci/devices"
	doctor_host "$ROOT" 1024
	printf '0x8086\x1b[2J\n' > "$ROOT/sys/$GVT_DEV/device"
	run -0 "$MDEVKIT" doctor
	assert_line "WARN  igpu            8086:0000 at $GVT_P: an Intel GPU mdevkit does not know (its table is the kernel's i915 ids of Linux 6.12)"
}
