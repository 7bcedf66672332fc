#!/usr/bin/env bats
# `mdevkit doctor`'s kernel-log check on fixture roots: $ROOT/dev/kmsg, a
# plain file of records in /dev/kmsg's format; each known GVT-g line
# explained in one sentence with its fix, repeated lines counted, an
# unreadable log a finding, a FIFO never waited on.
load ../lib/helpers
load ../lib/gvt
load ../lib/doctor

setup() {
	mk_root
	doctor_host "$ROOT" 1024
}

# log LINE...: records with these texts after the healthy host's two
log() {
	local seq=10 t
	for t in "$@"; do
		printf '4,%d,%d,-;%s\n SUBSYSTEM=pci\n' "$seq" "$((seq * 1000))" "$t" >> "$ROOT/dev/kmsg"
		seq=$((seq + 1))
	done
	run --separate-stderr "$MDEVKIT" doctor
	assert_equal "$stderr" ""
}

@test "kernel-log: none of the known lines" {
	log 'i915 0000:00:02.0: [drm] GT0: GuC firmware i915/kbl_guc_70.1.1.bin version 70.1' 'GVT-g is fine'
	assert_success
	assert_equal "$(doctor_lines kernel-log)" "PASS  kernel-log      4 records read, none of the known GVT-g problem lines"
}

@test "kernel-log: Unsupported device" {
	log 'i915 0000:00:02.0: [drm] Unsupported device. GVT-g is disabled'
	assert_failure 1
	assert_equal "$(doctor_lines kernel-log)" "FAIL  kernel-log      \"i915 0000:00:02.0: [drm] Unsupported device. GVT-g is disabled\": i915 does not support GVT-g on this GPU, whatever enable_gvt says
      fix: GVT-g exists on Broadwell to Comet Lake (and Apollo Lake) only; newer GPUs offer SR-IOV instead, if any vGPU at all"
}

@test "kernel-log: GuC submission" {
	log 'i915 0000:00:02.0: Graphics virtualization is not yet supported with GuC submission'
	assert_failure 1
	assert_equal "$(doctor_lines kernel-log)" "FAIL  kernel-log      \"i915 0000:00:02.0: Graphics virtualization is not yet supported with GuC submission\": i915 turned GVT-g off because GuC submission is on
      fix: boot with i915.enable_guc=0 (kernel command line, or options i915 enable_guc=0 in /etc/modprobe.d and update-initramfs -u)"
}

@test "kernel-log: high GM space, counted; the Proxmox keep-alive setting named" {
	log 'gvt: fail to alloc high gm space from host' 'gvt: fail to alloc high gm space from host' 'gvt: fail to alloc high gm space from host'
	assert_success
	assert_equal "$(doctor_lines kernel-log)" "WARN  kernel-log      \"gvt: fail to alloc high gm space from host\" (3 times): a vGPU found no room in hidden graphics memory: the vGPUs are too large or too many, or creating and removing them at every VM start fragmented it
      fix: create the vGPUs once at boot and keep them (start \"auto\"); on Proxmox VE set pve_keep_alive = all (or the VM ids) in /etc/mdevkit/mdevkit.conf to keep Proxmox's vGPUs across VM restarts; or use smaller types"
	run --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -c '.[] | select(.check == "kernel-log") | [.line, .count, .level]' <<<"$output")" '["gvt: fail to alloc high gm space from host",3,"WARN"]'
}

@test "kernel-log: failed to create intel vgpu: -28" {
	log 'gvt: failed to create intel vgpu: -28'
	assert_equal "$(doctor_lines kernel-log)" "WARN  kernel-log      \"gvt: failed to create intel vgpu: -28\": creating a vGPU failed with ENOSPC: aperture, hidden GM, fences or the 7 vGPU slots ran out
      fix: run 'mdevkit check' to see which one; raise the aperture in firmware setup or use smaller types"
}

@test "kernel-log: a handler for a non-tracked mmio" {
	log 'gvt: assign a handler to a non-tracked mmio 4ab8'
	assert_failure 1
	assert_equal "$(doctor_lines kernel-log)" "FAIL  kernel-log      \"gvt: assign a handler to a non-tracked mmio 4ab8\": GVT-g's setup failed in this kernel, a regression first seen in Linux 5.19, and GVT-g is off
      fix: boot a kernel without this regression (an older LTS such as 5.15, or a later stable release)"
}

@test "kernel-log: vfio_pin_pages and RLIMIT_MEMLOCK, one finding" {
	log 'vfio_pin_pages: RLIMIT_MEMLOCK (67108864) exceeded' 'gvt: vfio_pin_pages failed for gfn 0x1234, ret -14'
	assert_equal "$(doctor_lines kernel-log)" "WARN  kernel-log      \"vfio_pin_pages: RLIMIT_MEMLOCK (67108864) exceeded\" (2 times): guest memory could not be pinned for a vGPU: the memlock limit (RLIMIT_MEMLOCK) of the QEMU process is too low
      fix: run QEMU through libvirt (it raises the limit), or raise it for the user running QEMU: LimitMEMLOCK=infinity in its unit or memlock in /etc/security/limits.conf"
}

@test "kernel-log: golden_hw_state -2 is a harmless NOTE; several kinds in table order" {
	log 'gvt: Direct firmware load for i915/gvt/vid_0x8086_did_0x5912_rid_0x04.golden_hw_state failed with error -2' \
		'gvt: failed to create intel vgpu: -28'
	assert_success
	assert_equal "$(doctor_lines kernel-log)" "WARN  kernel-log      \"gvt: failed to create intel vgpu: -28\": creating a vGPU failed with ENOSPC: aperture, hidden GM, fences or the 7 vGPU slots ran out
      fix: run 'mdevkit check' to see which one; raise the aperture in firmware setup or use smaller types
NOTE  kernel-log      \"gvt: Direct firmware load for i915/gvt/vid_0x8086_did_0x5912_rid_0x04.golden_hw_state failed with error -2\": harmless: GVT-g found no saved register state file in /lib/firmware and reads the state from the GPU instead"
}

@test "kernel-log: escapes in the log stay escaped, a long line is cut" {
	log "gvt: fail to alloc high gm space \\x1b[31m$(head -c 300 /dev/zero | tr '\0' y)"
	run -0 --separate-stderr "$MDEVKIT" doctor --dumpjson
	assert_equal "$(jq -r '.[] | select(.check == "kernel-log") | .line' <<<"$output")" "gvt: fail to alloc high gm space \\x1b[31m$(head -c 119 /dev/zero | tr '\0' y)..."
}

@test "kernel-log: unreadable, a directory, a FIFO without writer" {
	rm "$ROOT/dev/kmsg"
	run -0 --separate-stderr "$MDEVKIT" doctor
	assert_equal "$(doctor_lines kernel-log)" "WARN  kernel-log      cannot read /dev/kmsg: No such file or directory
      fix: check that /dev/kmsg is the kernel's or the package's file"
	mkdir "$ROOT/dev/kmsg"
	run -0 --separate-stderr "$MDEVKIT" doctor
	assert_equal "$(doctor_lines kernel-log)" "WARN  kernel-log      cannot read /dev/kmsg: Is a directory
      fix: check that /dev/kmsg is the kernel's or the package's file"
	rmdir "$ROOT/dev/kmsg"
	mkfifo "$ROOT/dev/kmsg"
	run -0 --separate-stderr timeout 20 "$MDEVKIT" doctor
	assert_equal "$(doctor_lines kernel-log)" "PASS  kernel-log      0 records read, none of the known GVT-g problem lines"
}

@test "kernel-log: 100 MB of log, read in bounded memory" {
	yes '6,12345,1234567,-;i915 0000:00:02.0: [drm] some ordinary line of a busy kernel log' | head -n 1300000 > "$ROOT/dev/kmsg"
	log 'gvt: failed to create intel vgpu: -28'
	[ "$(stat -c %s "$ROOT/dev/kmsg")" -ge 100000000 ]
	run -0 /usr/bin/time -f 'maxrss %M' "$MDEVKIT" doctor -q
	assert_line "WARN  kernel-log      \"gvt: failed to create intel vgpu: -28\": creating a vGPU failed with ENOSPC: aperture, hidden GM, fences or the 7 vGPU slots ran out"
	local rss
	rss=$(sed -n 's/^maxrss //p' <<<"$output")
	[ -n "$MEMCHECK" ] || [[ $BUILD == */asan ]] || [ "$rss" -lt 10000 ] || fail "max RSS $rss KB"
}
