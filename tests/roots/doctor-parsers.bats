#!/usr/bin/env bats
# The parsers `mdevkit doctor` reads the host with, through mdevkit-unit:
# the kernel log in /dev/kmsg's record format (kmsg.h, streamed in fixed
# memory), the kernel command line and modprobe.d as the kernel and kmod
# read them, the module lists read at boot, modules.dep and
# modules.builtin of the running release (modconf.h).
load ../lib/helpers

UNIT=$BUILD/mdevkit-unit

setup() {
	mk_root
}

@test "kmsg: records, dictionary lines skipped, flags with caller, a last line without newline" {
	mkdir -p "$ROOT/dev"
	printf '%s\n' '6,1,100,-;i915 0000:00:02.0: [drm] Unsupported device. GVT-g is disabled' \
		' SUBSYSTEM=pci' ' DEVICE=+pci:0000:00:02.0' \
		'12,2,200,c,caller=T1;kvmgt: golden_hw_state failed with error -2' > "$ROOT/dev/kmsg"
	printf '3,3,300,-;no newline' >> "$ROOT/dev/kmsg"
	run -0 "$UNIT" kmsg
	assert_output '0 6 1 100 i915 0000:00:02.0: [drm] Unsupported device. GVT-g is disabled
1 4 2 200 kvmgt: golden_hw_state failed with error -2
0 3 3 300 no newline
records 3 continuations 2 malformed 0 overlong 0 overwritten 0'
}

@test "kmsg: lines that are not records are counted, not fatal" {
	mkdir -p "$ROOT/dev"
	printf '%s\n' 'garbage' ',,,;' '6,x,1,-;bad sequence' '99999999999999999999999,1,1,-;too big' \
		'6,7;two numbers' '' '6,8,9,-;' > "$ROOT/dev/kmsg"
	run -0 "$UNIT" kmsg
	assert_output '0 6 8 9 
records 1 continuations 0 malformed 6 overlong 0 overwritten 0'
}

@test "kmsg: a line longer than 16 KiB is skipped, the next record is read" {
	mkdir -p "$ROOT/dev"
	{ printf '6,1,1,-;'; head -c 20000 /dev/zero | tr '\0' x; printf '\n6,2,2,-;after\n'; } > "$ROOT/dev/kmsg"
	run -0 "$UNIT" kmsg
	assert_output '0 6 2 2 after
records 1 continuations 0 malformed 0 overlong 1 overwritten 0'
}

@test "kmsg: 100 MB of log in a few MB of memory" {
	mkdir -p "$ROOT/dev"
	yes '6,12345,1234567,-;gvt: fail to alloc high gm space from host' | head -n 1700000 > "$ROOT/dev/kmsg"
	[ "$(stat -c %s "$ROOT/dev/kmsg")" -ge 100000000 ]
	run -0 /usr/bin/time -f 'maxrss %M' "$UNIT" kmsg -c
	assert_line 'records 1700000 continuations 0 malformed 0 overlong 0 overwritten 0'
	local rss
	rss=$(sed -n 's/^maxrss //p' <<< "$output")
	# ASan's shadow memory and valgrind's own take tens of MB whatever we do
	[ -n "$MEMCHECK" ] || [[ $BUILD == */asan ]] || [ "$rss" -lt 8000 ] || fail "max RSS $rss KB"
}

@test "kmsg: a FIFO with no writer ends at once instead of waiting" {
	mkdir -p "$ROOT/dev"
	mkfifo "$ROOT/dev/kmsg"
	run -0 timeout 10 "$UNIT" kmsg
	assert_output 'records 0 continuations 0 malformed 0 overlong 0 overwritten 0'
}

@test "kmsg: an unreadable log is one line naming the file" {
	run -1 "$UNIT" kmsg
	assert_output 'Unable to read the kernel log "/dev/kmsg"'
	mkdir -p "$ROOT/dev/kmsg"
	run -1 "$UNIT" kmsg
	assert_output 'Unable to read the kernel log "/dev/kmsg"'
}

@test "cmdline: split as the kernel does: quotes group, quotes around a value and an argument go, -- ends" {
	run -0 "$UNIT" cmdline <<< 'BOOT_IMAGE=/vmlinuz root=/dev/sda1  "quiet splash" foo="a b" "bar=c d" x i915.enable-gvt=1 -- i915.enable_gvt=0'
	assert_output '[BOOT_IMAGE]=[/vmlinuz]
[root]=[/dev/sda1]
[quiet splash]
[foo]=[a b]
[bar]=[c d]
[x]
[i915.enable-gvt]=[1]'
}

@test "cmdline: module.param with '-' and '_' alike, the last one wins, init's part ignored" {
	run -0 "$UNIT" cmdline i915 enable_gvt <<< 'i915.enable-gvt=1 i915.enable_gvt=0 i915-enable_gvt=5 -- i915.enable_gvt=1'
	assert_output '0'
	run -0 "$UNIT" cmdline i915 enable_gvt <<< 'i915.enable_gvt'
	assert_output '(no value)'
	run -0 "$UNIT" cmdline i915 enable_gvt <<< 'enable_gvt=1 xi915.enable_gvt=1 i915.enable_gvtx=1'
	assert_output 'not set'
	run -0 "$UNIT" cmdline i915 enable_guc <<< 'i915.enable_guc="0"'
	assert_output '0'
}

@test "modprobe.d: options, blacklist and install lines; comments; '\\' joins lines; files in name order" {
	mkdir -p "$ROOT/etc/modprobe.d" "$ROOT/lib/modprobe.d"
	printf '%s\n' '# GVT-g' 'options i915 enable_gvt=1 enable_guc=0' 'options kvmgt \' '  x="a b"' \
		'  # options i915 enable_gvt=0' 'blacklist nouveau' 'install kvmgt /bin/false' \
		'alias pci:v* i915' 'options' 'options i915' > "$ROOT/etc/modprobe.d/b.conf"
	printf 'options i915 enable_gvt=0\n' > "$ROOT/lib/modprobe.d/a.conf"
	printf 'options i915 enable_gvt=5\n' > "$ROOT/etc/modprobe.d/c.notconf"
	run -0 "$UNIT" modprobe
	assert_output 'options /lib/modprobe.d/a.conf:1 i915 [enable_gvt]=[0]
options /etc/modprobe.d/b.conf:2 i915 [enable_gvt]=[1]
options /etc/modprobe.d/b.conf:2 i915 [enable_guc]=[0]
options /etc/modprobe.d/b.conf:3 kvmgt [x]=[a b]
blacklist /etc/modprobe.d/b.conf:6 nouveau []
install /etc/modprobe.d/b.conf:7 kvmgt [/bin/false]'
	run -0 "$UNIT" modprobe i915 enable-gvt
	assert_output '/etc/modprobe.d/b.conf:2 enable_gvt=1'
}

@test "modprobe.d: a file in /etc hides the same name in /lib and /usr/lib; later names win" {
	mkdir -p "$ROOT/etc/modprobe.d" "$ROOT/lib/modprobe.d" "$ROOT/usr/lib/modprobe.d" "$ROOT/run/modprobe.d"
	printf 'options i915 enable_gvt=1\n' > "$ROOT/lib/modprobe.d/gvt.conf"
	printf 'options i915 enable_gvt=0\n' > "$ROOT/etc/modprobe.d/gvt.conf"
	run -0 "$UNIT" modprobe i915 enable_gvt
	assert_output '/etc/modprobe.d/gvt.conf:1 enable_gvt=0'
	printf 'options i915 enable-gvt=1\n' > "$ROOT/usr/lib/modprobe.d/zz.conf"
	run -0 "$UNIT" modprobe i915 enable_gvt
	assert_output '/usr/lib/modprobe.d/zz.conf:1 enable-gvt=1'
	printf 'options i915 enable_gvt=Y\n' > "$ROOT/run/modprobe.d/zz.conf"
	run -0 "$UNIT" modprobe i915 enable_gvt
	assert_output '/run/modprobe.d/zz.conf:1 enable_gvt=Y'
}

@test "modprobe.d: an unreadable file is a problem, the others are read" {
	mkdir -p "$ROOT/etc/modprobe.d/broken.conf" "$ROOT/lib/modprobe.d"
	printf 'options i915 enable_gvt=1\n' > "$ROOT/lib/modprobe.d/gvt.conf"
	run -0 "$UNIT" modprobe
	assert_output 'options /lib/modprobe.d/gvt.conf:1 i915 [enable_gvt]=[1]
problem /etc/modprobe.d/broken.conf: Is a directory'
}

@test "module lists: /etc/modules with parameters, modules-load.d, initramfs-tools; Debian's modules.conf link read once" {
	mkdir -p "$ROOT/etc/modules-load.d" "$ROOT/usr/lib/modules-load.d" "$ROOT/etc/initramfs-tools"
	printf '%s\n' '# /etc/modules: kernel modules to load at boot time.' 'kvmgt' '' 'loop max_loop=8' > "$ROOT/etc/modules"
	ln -s ../modules "$ROOT/etc/modules-load.d/modules.conf"
	printf '%s\n' '; systemd comment' '  vfio_virqfd  ' 'a b' > "$ROOT/etc/modules-load.d/gvt.conf"
	printf 'exngt\n' > "$ROOT/usr/lib/modules-load.d/gvt.conf"
	printf 'vfio_mdev\n' > "$ROOT/usr/lib/modules-load.d/old.conf"
	printf '%s\n' '# comment' 'vfio_virqfd' 'i915 enable_gvt=1' > "$ROOT/etc/initramfs-tools/modules"
	run -0 "$UNIT" modlists
	assert_output 'module /etc/modules:2 kvmgt []
module /etc/modules:4 loop [max_loop=8]
module /etc/modules-load.d/gvt.conf:2 vfio_virqfd []
module /etc/modules-load.d/gvt.conf:3 a b []
module /usr/lib/modules-load.d/old.conf:1 vfio_mdev []
module /etc/initramfs-tools/modules:2 vfio_virqfd []
module /etc/initramfs-tools/modules:3 i915 [enable_gvt=1]'
}

@test "kernel modules: modules.dep and modules.builtin of the running release; /sys/module for loaded" {
	mkdir -p "$ROOT/proc/sys/kernel" "$ROOT/lib/modules/6.1.0-13-amd64" "$ROOT/sys/module/vfio" "$ROOT/sys/module/kvmgt"
	echo 6.1.0-13-amd64 > "$ROOT/proc/sys/kernel/osrelease"
	printf '%s\n' 'kernel/drivers/gpu/drm/i915/kvmgt.ko.xz: kernel/drivers/vfio/mdev/mdev.ko.xz' \
		'kernel/drivers/vfio/mdev/mdev.ko.xz:' 'kernel/drivers/vfio/vfio-iommu-type1.ko.zst:' \
		'kernel/drivers/vfio/mdev/mdev.ko.xz:' > "$ROOT/lib/modules/6.1.0-13-amd64/modules.dep"
	printf '%s\n' 'kernel/drivers/vfio/vfio.ko' 'not a module' > "$ROOT/lib/modules/6.1.0-13-amd64/modules.builtin"
	run -0 "$UNIT" kmods kvmgt mdev vfio vfio-iommu-type1 vfio_virqfd
	assert_output 'release 6.1.0-13-amd64: 3 modules, 1 built in
kvmgt module loaded
mdev module
vfio builtin loaded
vfio-iommu-type1 module
vfio_virqfd absent'
}

@test "kernel modules: missing lists are problems; a bad release is refused before it becomes a path" {
	mkdir -p "$ROOT/proc/sys/kernel"
	echo 6.1.0 > "$ROOT/proc/sys/kernel/osrelease"
	run -0 "$UNIT" kmods kvmgt
	assert_output 'release 6.1.0: 0 modules, 0 built in
kvmgt absent
problem /lib/modules/6.1.0/modules.dep: No such file or directory
problem /lib/modules/6.1.0/modules.builtin: No such file or directory'
	echo ../../etc > "$ROOT/proc/sys/kernel/osrelease"
	run -1 "$UNIT" kmods kvmgt
	assert_output "Invalid kernel release name '../../etc': it contains '/'; it should read like 6.1.0-13-amd64 (uname -r)"
	rm "$ROOT/proc/sys/kernel/osrelease"
	run -1 "$UNIT" kmods kvmgt
	assert_output 'Unable to read the kernel release "/proc/sys/kernel/osrelease"'
}
