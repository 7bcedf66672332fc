#!/usr/bin/env bats
# `mdevkit doctor`, the kernel's side (part B checks) on fixture roots:
# enable-gvt (requested on the command line or in modprobe.d against
# /sys/module/i915/parameters/enable_gvt), kvmgt (in the kernel, loaded,
# loaded at boot), mdev-modules, module-lines (stale lines of the module
# lists, modprobe.d lines that keep GVT-g's modules out).
load ../lib/helpers
load ../lib/gvt
load ../lib/doctor

setup() {
	mk_root
	doctor_host "$ROOT" 1024
	CMDLINE="BOOT_IMAGE=/boot/vmlinuz-$DOCTOR_RELEASE root=/dev/sda1 ro quiet"
}

doctor() {
	run --separate-stderr "$MDEVKIT" doctor "$@"
	assert_equal "$stderr" ""
}

@test "enable-gvt: on, from the command line, from modprobe.d, the dash form" {
	doctor
	assert_success
	assert_equal "$(doctor_lines enable-gvt)" "PASS  enable-gvt      enable_gvt=Y (from the kernel command line)"
	echo "$CMDLINE" > "$ROOT/proc/cmdline"
	mkdir -p "$ROOT/etc/modprobe.d"
	printf '# GVT-g\noptions i915 enable-gvt=1\n' > "$ROOT/etc/modprobe.d/i915.conf"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "PASS  enable-gvt      enable_gvt=Y (from /etc/modprobe.d/i915.conf:2)"
	rm "$ROOT/etc/modprobe.d/i915.conf"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "PASS  enable-gvt      enable_gvt=Y"
}

@test "enable-gvt: not requested anywhere" {
	echo "$CMDLINE" > "$ROOT/proc/cmdline"
	echo N > "$ROOT/sys/module/i915/parameters/enable_gvt"
	doctor
	assert_failure 1
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N: not requested on the kernel command line or in modprobe.d
      fix: add i915.enable_gvt=1 to the kernel command line (Debian: GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) and reboot"
}

@test "enable-gvt: requested 0, requested garbage; the command line wins over modprobe.d" {
	echo N > "$ROOT/sys/module/i915/parameters/enable_gvt"
	mkdir -p "$ROOT/etc/modprobe.d"
	echo 'options i915 enable_gvt=1' > "$ROOT/etc/modprobe.d/i915.conf"
	echo "$CMDLINE i915.enable_gvt=0" > "$ROOT/proc/cmdline"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N: the kernel command line sets enable_gvt=0
      fix: set enable_gvt=1 there and reboot"
	echo "$CMDLINE" > "$ROOT/proc/cmdline"
	echo 'options i915 enable_gvt=maybe' > "$ROOT/etc/modprobe.d/i915.conf"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N: /etc/modprobe.d/i915.conf:1 sets enable_gvt=maybe, which the kernel does not take as a boolean
      fix: write enable_gvt=1 there and reboot"
	run --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -c '.[] | select(.check == "enable-gvt") | [.enable_gvt, .requested, .requested_in]' <<<"$output")" '["N","maybe","/etc/modprobe.d/i915.conf:1"]'
}

@test "enable-gvt: requested but turned off: the generation, GuC, the kernel log, the initramfs" {
	echo N > "$ROOT/sys/module/i915/parameters/enable_gvt"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N although the kernel command line requests enable_gvt=1: the kernel turned GVT-g off
      fix: read the kernel log (dmesg | grep -i gvt) for the reason"
	echo '3,9,9000,-;i915 0000:00:02.0: [drm] Graphics virtualization is not yet supported with GuC submission' >> "$ROOT/dev/kmsg"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N although the kernel command line requests enable_gvt=1: the kernel turned GVT-g off
      fix: GuC submission is on and i915 refuses GVT-g with it (see guc and kernel-log): boot with i915.enable_guc=0"
	echo '6,10,9001,-;i915 0000:00:02.0: [drm] Unsupported device. GVT-g is disabled' > "$ROOT/dev/kmsg"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N although the kernel command line requests enable_gvt=1: the kernel turned GVT-g off
      fix: the kernel log says this device is not supported by GVT-g (see kernel-log): no setting turns it on"
	echo "$CMDLINE" > "$ROOT/proc/cmdline"
	: > "$ROOT/dev/kmsg"
	mkdir -p "$ROOT/etc/modprobe.d"
	echo 'options i915 enable_gvt=1' > "$ROOT/etc/modprobe.d/i915.conf"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N although /etc/modprobe.d/i915.conf:1 requests enable_gvt=1: the kernel turned GVT-g off
      fix: i915 was loaded before this line took effect, often from an initramfs with an older copy of modprobe.d: run update-initramfs -u and reboot, or put i915.enable_gvt=1 on the kernel command line"
}

@test "enable-gvt: an Ice Lake GPU with enable_gvt requested: nothing turns it on" {
	rm -rf "$ROOT/sys"
	mk_root
	doctor_host "$ROOT" 1024 8a52
	echo N > "$ROOT/sys/module/i915/parameters/enable_gvt"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N although the kernel command line requests enable_gvt=1: the kernel turned GVT-g off
      fix: nothing turns GVT-g on for Ice Lake (see igpu): this GPU has no vGPU mechanism at all"
}

@test "enable-gvt: i915 not loaded, i915 without GVT-g, a built-in i915 with a modprobe.d line" {
	rm "$ROOT/sys/module/i915/parameters/enable_gvt"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      i915 has no enable_gvt parameter: this kernel was built without GVT-g (CONFIG_DRM_I915_GVT)
      fix: boot a kernel built with CONFIG_DRM_I915_GVT=y and CONFIG_DRM_I915_GVT_KVMGT=m (Debian's and Ubuntu's are)"
	rm -r "$ROOT/sys/module/i915"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      i915 is not loaded: GVT-g is part of it
      fix: load it (modprobe i915) and read the kernel log if that fails"
	mkdir -p "$ROOT/sys/module/i915/parameters" "$ROOT/etc/modprobe.d"
	echo N > "$ROOT/sys/module/i915/parameters/enable_gvt"
	echo kernel/drivers/gpu/drm/i915/i915.ko > "$ROOT/lib/modules/$DOCTOR_RELEASE/modules.builtin"
	echo "$CMDLINE" > "$ROOT/proc/cmdline"
	echo 'options i915 enable_gvt=1' > "$ROOT/etc/modprobe.d/i915.conf"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "FAIL  enable-gvt      enable_gvt=N: /etc/modprobe.d/i915.conf:1 asks for it, but i915 is built into this kernel and takes no modprobe.d options
      fix: add i915.enable_gvt=1 to the kernel command line (Debian: GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) and reboot"
}

@test "enable-gvt, kvmgt: no Intel iGPU, nothing said (igpu says it)" {
	rm -rf "$ROOT/sys/bus/pci" "$ROOT/sys/devices"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" ""
	assert_equal "$(doctor_lines kvmgt)" ""
	assert_equal "$(doctor_lines mdev-modules)" "PASS  mdev-modules    mdev, vfio and vfio_iommu_type1 are in the kernel"
}

@test "kvmgt: not loaded (with the 'No such device' explanation), not at boot, not in this kernel, built in" {
	rm -r "$ROOT/sys/module/kvmgt"
	doctor
	assert_failure 1
	assert_equal "$(doctor_lines kvmgt)" "FAIL  kvmgt           kvmgt is not loaded: without it the iGPU has no mdev types
      fix: modprobe kvmgt, and add kvmgt to /etc/modules-load.d/kvmgt.conf so that it loads at boot"
	echo N > "$ROOT/sys/module/i915/parameters/enable_gvt"
	doctor
	assert_equal "$(doctor_lines kvmgt)" "FAIL  kvmgt           kvmgt is not loaded: without it the iGPU has no mdev types
      fix: turn enable_gvt on first (see enable-gvt): until then 'modprobe kvmgt' fails with \"could not insert 'kvmgt': No such device\"; then add kvmgt to /etc/modules-load.d/kvmgt.conf"
	echo Y > "$ROOT/sys/module/i915/parameters/enable_gvt"
	mkdir "$ROOT/sys/module/kvmgt"
	rm "$ROOT/etc/modules-load.d/kvmgt.conf"
	doctor
	assert_success
	assert_equal "$(doctor_lines kvmgt)" "WARN  kvmgt           kvmgt is loaded, but no file read at boot lists it
      fix: add kvmgt to /etc/modules-load.d/kvmgt.conf, or the vGPUs are gone after a reboot"
	echo 'kvmgt' > "$ROOT/etc/modules"
	doctor
	assert_equal "$(doctor_lines kvmgt)" "PASS  kvmgt           kvmgt is loaded, and /etc/modules:1 loads it at boot"
	rm -r "$ROOT/sys/module/kvmgt" "$ROOT/etc/modules"
	sed -i '/kvmgt/d' "$ROOT/lib/modules/$DOCTOR_RELEASE/modules.dep"
	doctor
	assert_equal "$(doctor_lines kvmgt)" "FAIL  kvmgt           kernel 6.1.0-13-amd64 has no kvmgt module (not in its modules.dep or modules.builtin)
      fix: boot a kernel built with CONFIG_DRM_I915_GVT_KVMGT=m (Debian's and Ubuntu's are), or install the modules package of this one"
	echo kernel/drivers/gpu/drm/i915/kvmgt.ko > "$ROOT/lib/modules/$DOCTOR_RELEASE/modules.builtin"
	doctor
	assert_equal "$(doctor_lines kvmgt)" "PASS  kvmgt           kvmgt is built into kernel 6.1.0-13-amd64"
	run --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -c '.[] | select(.check == "kvmgt") | [.release, .state, .loaded]' <<<"$output")" '["6.1.0-13-amd64","builtin",1]'
}

@test "kvmgt: the kernel release or its module lists cannot be read" {
	rm "$ROOT/lib/modules/$DOCTOR_RELEASE/modules.dep" -r "$ROOT/sys/module/kvmgt"
	doctor
	assert_equal "$(doctor_lines kvmgt)" "WARN  kvmgt           kvmgt is not loaded, and the module lists of kernel 6.1.0-13-amd64 cannot be read (see module-lines)
      fix: modprobe kvmgt; if that fails, install this kernel's modules"
	assert_equal "$(doctor_lines module-lines)" "WARN  module-lines    cannot read /lib/modules/6.1.0-13-amd64/modules.dep: No such file or directory
      fix: check that /lib/modules/6.1.0-13-amd64/modules.dep is the kernel's or the package's file
NOTE  module-lines    1 module line(s) read at boot, not checked against the kernel's modules (see above); no modprobe.d line keeps GVT-g's modules out"
	rm "$ROOT/proc/sys/kernel/osrelease"
	doctor
	assert_equal "$(doctor_lines kvmgt)" "WARN  kvmgt           Unable to read the kernel release \"/proc/sys/kernel/osrelease\"
      fix: check /proc: the running kernel's release is needed to find its modules"
}

@test "mdev-modules: missing ones named; built in counts" {
	rm -r "$ROOT/sys/module/mdev" "$ROOT/sys/module/vfio_iommu_type1"
	doctor
	assert_equal "$(doctor_lines mdev-modules)" "WARN  mdev-modules    not in the kernel: mdev, vfio_iommu_type1
      fix: they load with kvmgt (or the mdev driver of another parent); modprobe each of them, and read the kernel log if that fails"
	printf '%s\n' kernel/drivers/vfio/mdev/mdev.ko > "$ROOT/lib/modules/$DOCTOR_RELEASE/modules.builtin"
	doctor
	assert_equal "$(doctor_lines mdev-modules)" "WARN  mdev-modules    not in the kernel: vfio_iommu_type1
      fix: they load with kvmgt (or the mdev driver of another parent); modprobe vfio_iommu_type1, and read the kernel log if that fails"
}

@test "module-lines: stale lines of /etc/modules, modules-load.d and initramfs-tools with file:line" {
	sed -i '/vfio_virqfd/d' "$ROOT/lib/modules/$DOCTOR_RELEASE/modules.dep"
	mkdir -p "$ROOT/etc/initramfs-tools" "$ROOT/usr/lib/modules-load.d"
	printf '%s\n' '# /etc/modules' 'kvmgt' 'vfio_mdev' 'loop max_loop=8' > "$ROOT/etc/modules"
	printf '%s\n' 'kvmgt' 'vfio-virqfd' 'exngt' > "$ROOT/etc/modules-load.d/kvmgt.conf"
	printf 'no_such_thing\n' > "$ROOT/usr/lib/modules-load.d/x.conf"
	printf '%s\n' '# initramfs' 'vfio_virqfd' 'kvmgt' > "$ROOT/etc/initramfs-tools/modules"
	doctor
	assert_success
	assert_equal "$(doctor_lines module-lines)" "WARN  module-lines    /etc/modules:3 names vfio_mdev: it was merged into mdev in Linux 5.16
      fix: remove line 3 of /etc/modules: systemd-modules-load.service fails at every boot because of it
WARN  module-lines    /etc/modules-load.d/kvmgt.conf:2 names vfio-virqfd: it was merged into vfio in Linux 6.2
      fix: remove line 2 of /etc/modules-load.d/kvmgt.conf: systemd-modules-load.service fails at every boot because of it
WARN  module-lines    /etc/modules-load.d/kvmgt.conf:3 names exngt: it was never part of the kernel (an early GVT-g recipe)
      fix: remove line 3 of /etc/modules-load.d/kvmgt.conf: systemd-modules-load.service fails at every boot because of it
WARN  module-lines    /usr/lib/modules-load.d/x.conf:1 names no_such_thing: this kernel has no such module
      fix: remove line 1 of /usr/lib/modules-load.d/x.conf: systemd-modules-load.service fails at every boot because of it
WARN  module-lines    /etc/initramfs-tools/modules:2 names vfio_virqfd: it was merged into vfio in Linux 6.2
      fix: remove line 2 of /etc/initramfs-tools/modules, then run update-initramfs -u"
	run --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -c '[.[] | select(.check == "module-lines") | [.file, .line, .module]][0]' <<<"$output")" '["/etc/modules",3,"vfio_mdev"]'
}

@test "module-lines: a module of this kernel is no stale line; blacklist and install lines for GVT-g's modules" {
	printf '%s\n' 'vfio_virqfd' 'loop' > "$ROOT/etc/modules"
	doctor
	assert_equal "$(doctor_lines module-lines)" "PASS  module-lines    3 module line(s) read at boot, each naming a module of kernel 6.1.0-13-amd64; no modprobe.d line keeps GVT-g's modules out"
	mkdir -p "$ROOT/etc/modprobe.d" "$ROOT/lib/modprobe.d"
	printf '%s\n' 'blacklist nouveau' 'blacklist kvmgt' > "$ROOT/etc/modprobe.d/blacklist.conf"
	printf 'install vfio-iommu-type1 /bin/false\n' > "$ROOT/lib/modprobe.d/no.conf"
	doctor
	assert_equal "$(doctor_lines module-lines)" "WARN  module-lines    /etc/modprobe.d/blacklist.conf:2 blacklists kvmgt
      fix: remove the line (GVT-g needs kvmgt), then update-initramfs -u
WARN  module-lines    /lib/modprobe.d/no.conf:1: modprobe vfio-iommu-type1 runs \"/bin/false\" instead of loading it
      fix: remove the line unless that command loads vfio-iommu-type1"
}

@test "module-lines: unreadable module lists and modprobe.d files are findings" {
	mkdir -p "$ROOT/etc/modprobe.d/bad.conf" "$ROOT/etc/modules"
	doctor
	assert_equal "$(doctor_lines module-lines)" "WARN  module-lines    cannot read /etc/modules: Is a directory
      fix: check that /etc/modules is the kernel's or the package's file
WARN  module-lines    cannot read /etc/modprobe.d/bad.conf: Is a directory
      fix: check that /etc/modprobe.d/bad.conf is the kernel's or the package's file
PASS  module-lines    1 module line(s) read at boot, each naming a module of kernel 6.1.0-13-amd64; no modprobe.d line keeps GVT-g's modules out"
}

@test "enable-gvt: an unreadable kernel command line is a finding" {
	rm "$ROOT/proc/cmdline"
	doctor
	assert_equal "$(doctor_lines enable-gvt)" "WARN  enable-gvt      cannot read /proc/cmdline: No such file or directory
      fix: check that /proc/cmdline is the kernel's or the package's file
PASS  enable-gvt      enable_gvt=Y"
}
