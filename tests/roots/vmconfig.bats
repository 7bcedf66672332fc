#!/usr/bin/env bats
# `mdevkit xml` (mdevkit-xml) and `mdevkit qemu-args`: the guest
# configuration of GVT-g V5_4 and V5_8 vGPUs, an NVIDIA-like vGPU, mtty
# and vfio-ap devices, for every libvirt version boundary and for QEMU's
# property lists; libvirt's own tools and the installed QEMU accept it.
load ../lib/helpers
load ../lib/gvt

GOLDEN=$FIXTURES/golden/vmconfig
# the bulk of the tests run mdevkit-xml directly: under the memcheck pass
# it is the wrapper, while `mdevkit xml` would exec the native one
XML=$BUILD/mdevkit-xml
NODE=/dev/dri/by-path/pci-$GVT_P-render

setup() {
	mk_root
	gvt_fixture "$ROOT" 1024
	mkdir -p "$ROOT/dev/dri/by-path"
	: > "$ROOT$NODE"
	write_def "$ROOT" $GVT_P $U1 '{"mdev_type":"i915-GVTg_V5_4","start":"manual"}'
	write_def "$ROOT" $GVT_P $U2 '{"mdev_type":"i915-GVTg_V5_8","start":"auto"}'
}

# vendor_parent PARENT TYPE API: a registered parent with one type
vendor_parent() {
	local d=$ROOT/sys/devices/$1
	mkdir -p "$d/mdev_supported_types/$2/devices"
	echo "$3" > "$d/mdev_supported_types/$2/device_api"
	echo 4 > "$d/mdev_supported_types/$2/available_instances"
	ln -sfn "../../devices/$1" "$ROOT/sys/class/mdev_bus/$1"
}

# golden NAME: the output is the golden file's, stderr is empty
assert_golden() {
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat "$GOLDEN/$1")"
}

@test "xml: V5_4 for each libvirt version from 4.6 to 9.0, the pieces in the form each takes" {
	local v
	for v in 4.6 5.9 5.10 8.1 8.2 9.0; do
		run --separate-stderr "$XML" -u $U1 --libvirt-version $v
		assert_golden "v5_4-libvirt-$v.xml"
	done
	# what each boundary changes
	run diff "$GOLDEN/v5_4-libvirt-8.1.xml" "$GOLDEN/v5_4-libvirt-5.10.xml"
	assert_success
	run diff "$GOLDEN/v5_4-libvirt-8.2.xml" "$GOLDEN/v5_4-libvirt-9.0.xml"
	assert_success
	run grep -c '^<qemu:override\|ramfb="on"\|driver=vfio-pci-nohotplug\|<gl rendernode' \
		"$GOLDEN/v5_4-libvirt-4.6.xml"
	assert_output 1
}

@test "xml: libvirt 4.5 gets one error line naming the version a display needs" {
	run --separate-stderr "$XML" -u $U1 --libvirt-version 4.5
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "Error: libvirt 4.5.0 cannot give the vGPU a display: display='on' needs libvirt 4.6 or later; upgrade libvirt, or use --headless"
	# a headless vGPU does not need 4.6
	run --separate-stderr "$XML" -u $U1 --libvirt-version 4.5.0 --headless
	assert_success
	assert_line '  <qemu:arg value="device.ua-mdev-11111111-0000-4000-8000-000000000001.x-igd-opregion=on"/>'
	run --separate-stderr "$XML" -u $U1 --libvirt-version 3.8 --headless
	assert_failure 1
	assert_equal "$stderr" "Error: libvirt 3.8.0 is too old: mdevkit xml names the device by a user alias, which needs libvirt 3.9 or later"
}

@test "xml: V5_8 at 1024x768, its type's resolution; --res within it; --domain; SPICE" {
	run --separate-stderr "$XML" -u $U2 --libvirt-version 9.0.0
	assert_golden v5_8-libvirt-9.0.xml
	run --separate-stderr "$XML" -u $U2 --libvirt-version 9.0.0 --res 800x600 --domain vgpu-guest \
		--rom /usr/share/vgabios/vbios_gvt_uefi.rom
	assert_golden v5_8-domain-res-rom.xml
	run --separate-stderr "$XML" -u $U1 --libvirt-version 9.0.0 --graphics spice
	assert_success
	assert_equal "$stderr" ""
	assert_output --partial '<graphics type="spice">
  <listen type="none"/>
  <gl enable="yes" rendernode="/dev/dri/by-path/pci-0000:00:02.0-render"/>
</graphics>
<!-- In <devices>, instead of any other <video>'
	refute_output --partial vnc
}

@test "xml: --headless gives the hostdev and x-igd-opregion; --rom adds romfile, escaped by libxml2" {
	run --separate-stderr "$XML" -u $U1 --libvirt-version 9.0.0 --headless --rom '/roms/a&b"<c>.rom'
	assert_golden v5_4-headless-rom.xml
}

@test "xml: an NVIDIA-like vGPU, mtty and vfio-ap get the hostdev only, with their device API" {
	vendor_parent 0000:01:00.0 nvidia-63 vfio-pci
	vendor_parent matrix vfio_ap-passthrough vfio-ap
	mtty_fixture "$ROOT"
	write_def "$ROOT" 0000:01:00.0 $U3 '{"mdev_type":"nvidia-63","start":"manual"}'
	write_def "$ROOT" matrix $U4 '{"mdev_type":"vfio_ap-passthrough","start":"manual"}'
	write_def "$ROOT" mtty $U5 '{"mdev_type":"mtty-2","start":"manual"}'
	local u model
	for u in $U3:vfio-pci $U4:vfio-ap $U5:vfio-pci; do
		model=${u#*:} u=${u%:*}
		run --separate-stderr "$XML" -u $u --libvirt-version 9.0.0
		assert_success
		assert_equal "$stderr" ""
		assert_output "<!-- In <devices>: the mediated device, named by a user alias -->
<hostdev mode=\"subsystem\" type=\"mdev\" model=\"$model\">
  <source>
    <address uuid=\"$u\"/>
  </source>
  <alias name=\"ua-mdev-$u\"/>
</hostdev>"
	done
	# the same below 4.6, where only a display needs more
	run --separate-stderr "$XML" -u $U5 --libvirt-version 4.5
	assert_success
	# and no display options for them
	run --separate-stderr "$XML" -u $U3 --libvirt-version 9.0.0 --res 800x600
	assert_failure 1
	assert_equal "$stderr" "Error: --res 800x600: only a GVT-g vGPU has a display whose resolution can be set"
	# --rom is for any device
	run --separate-stderr "$XML" -u $U5 --libvirt-version 9.0.0 --rom /roms/x.rom
	assert_success
	assert_line '      <qemu:property name="romfile" type="string" value="/roms/x.rom"/>'
}

@test "xml: a running device without definition, parent and type from sysfs" {
	gvt_running "$ROOT" $U6 i915-GVTg_V5_8
	run --separate-stderr "$XML" -u $U6 --libvirt-version 9.0.0
	assert_success
	assert_line '      <qemu:property name="xres" type="unsigned" value="1024"/>'
	assert_line "  <alias name=\"ua-mdev-$U6\"/>"
}

@test "xml: the type's resolution from the kernel's table when the parent is not registered" {
	rm -rf "$ROOT/sys/$GVT_DEV/mdev_supported_types"
	run --separate-stderr "$XML" -u $U1 --libvirt-version 9.0.0
	assert_golden v5_4-libvirt-9.0.xml
}

@test "xml and qemu-args: bad input gets one line naming it, the reason and the fix" {
	local cmd
	for cmd in "$XML" "$MDEVKIT qemu-args"; do
		run --separate-stderr $cmd -u $U3
		assert_failure 1
		assert_equal "$stderr" "Error: mdev $U3 is neither defined nor running; check the UUID with mdevkit list --defined, or define the device first"
		run --separate-stderr $cmd -u $U1 --res 2560x1600
		assert_failure 1
		assert_equal "$stderr" "Error: --res 2560x1600 is beyond what i915-GVTg_V5_4 shows (at most 1920x1200); give at most 1920x1200, or pick a type with a larger resolution"
		run --separate-stderr $cmd -u $U2 --res 1024x769
		assert_failure 1
		assert_equal "$stderr" "Error: --res 1024x769 is beyond what i915-GVTg_V5_8 shows (at most 1024x768); give at most 1024x768, or pick a type with a larger resolution"
		run --separate-stderr $cmd -u $U1 --res 1024
		assert_failure 1
		assert_equal "$stderr" 'Error: --res "1024" is not WIDTHxHEIGHT (e.g. 1280x1024)'
		run --separate-stderr $cmd -u $U1 --rom vbios.rom
		assert_failure 1
		assert_equal "$stderr" 'Error: --rom "vbios.rom": give an absolute path (QEMU does not run in this directory)'
		run --separate-stderr $cmd -u $U1 --headless --res 800x600
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "error: '--headless' cannot be used with '--res': a headless vGPU has no display"
		run --separate-stderr $cmd -u $U1 --graphics sdl
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "error: invalid value 'sdl' for '--graphics <KIND>': give egl-headless or spice"
		run --separate-stderr $cmd
		assert_failure 2
	done
	run --separate-stderr "$XML" -u $U1 --libvirt-version 9
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "error: invalid value '9' for '--libvirt-version <X.Y>': not a version (e.g. 9.0.0)"
	run --separate-stderr "$MDEVKIT" qemu-args -u $U1 --qemu-version 7.2.x
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "error: invalid value '7.2.x' for '--qemu-version <X.Y>': not a version (e.g. 9.0.0)"
	# defined on two parents and not running: which one is the guest's?
	write_def "$ROOT" mtty $U1 '{"mdev_type":"mtty-1","start":"manual"}'
	run --separate-stderr "$XML" -u $U1 --libvirt-version 9.0
	assert_failure 1
	assert_equal "$stderr" "Error: mdev $U1 is defined on 2 parents (0000:00:02.0, mtty) and not running; start it on the parent the guest uses first"
}

@test "xml: a missing render node is a warning; --rendernode names another" {
	rm "$ROOT$NODE"
	run --separate-stderr "$XML" -u $U1 --libvirt-version 9.0
	assert_success
	assert_equal "$stderr" "Warning: $NODE does not exist (is i915 loaded?): the guest's display needs it, or give --rendernode"
	run --separate-stderr "$XML" -u $U1 --libvirt-version 9.0 --rendernode /dev/dri/renderD129
	assert_success
	assert_equal "$stderr" ""
	assert_line '  <gl rendernode="/dev/dri/renderD129"/>'
}

@test "xml --domain: virt-xml-validate and virsh define (test driver) accept every form" {
	command -v virt-xml-validate || skip "libvirt-clients is not installed (tests/deps.sh check)"
	mtty_fixture "$ROOT"
	write_def "$ROOT" mtty $U5 '{"mdev_type":"mtty-2","start":"manual"}'
	local args f n=0
	for args in "-u $U1 --libvirt-version 9.0" "-u $U1 --libvirt-version 8.1" \
		"-u $U1 --libvirt-version 4.6" "-u $U2 --graphics spice --libvirt-version 9.0" \
		"-u $U1 --headless --libvirt-version 9.0" "-u $U5 --libvirt-version 9.0"; do
		f=$BATS_TEST_TMPDIR/domain$((n++)).xml
		"$XML" $args --domain "guest$n" > "$f"
		run virt-xml-validate "$f" domain
		assert_success
		run virsh -q -c test:///default define "$f"
		assert_success
	done
}

@test "xml: the pieces pasted into a domain validate (the qemu namespace declared where it is used)" {
	command -v virt-xml-validate || skip "libvirt-clients is not installed (tests/deps.sh check)"
	local f=$BATS_TEST_TMPDIR/pasted.xml
	"$XML" -u $U1 --libvirt-version 9.0 > "$BATS_TEST_TMPDIR/pieces"
	{
		echo "<domain type='kvm'><name>p</name><memory>1048576</memory><os><type>hvm</type></os><devices>"
		sed '/<qemu:override/,$d' "$BATS_TEST_TMPDIR/pieces"
		echo "</devices>"
		sed -n '/<qemu:override/,$p' "$BATS_TEST_TMPDIR/pieces"
		echo "</domain>"
	} > "$f"
	run virt-xml-validate "$f" domain
	assert_success
}

@test "xml: the libvirt version from virsh --version, else libvirtd --version, else an error" {
	local bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	printf '#!/bin/sh\necho 8.1.0\n' > "$bin/virsh"
	printf '#!/bin/sh\necho "libvirtd (libvirt) 5.9.0"\n' > "$bin/libvirtd"
	chmod +x "$bin/virsh" "$bin/libvirtd"
	run --separate-stderr env PATH="$bin" "$XML" -u $U1
	assert_golden v5_4-libvirt-8.1.xml
	rm "$bin/virsh"
	run --separate-stderr env PATH="$bin" "$XML" -u $U1
	assert_golden v5_4-libvirt-5.9.xml
	rm "$bin/libvirtd"
	run --separate-stderr env PATH="$bin" "$XML" -u $U1
	assert_failure 1
	assert_equal "$stderr" "Error: cannot tell the libvirt version: neither virsh --version nor libvirtd --version answered; install libvirt-clients or give --libvirt-version"
}

@test "mdevkit xml runs mdevkit-xml beside it; mdevkit itself does not link libxml2" {
	run --separate-stderr "$NATIVE/mdevkit" xml -u $U2 --libvirt-version 9.0.0
	assert_golden v5_8-libvirt-9.0.xml
	run --separate-stderr "$NATIVE/mdevkit" xml --help
	assert_success
	assert_line --index 0 "Usage: mdevkit xml [OPTIONS] --uuid <UUID>"
	run ldd "$NATIVE/mdevkit"
	refute_output --partial libxml2
	run ldd "$NATIVE/mdevkit-xml"
	assert_output --partial libxml2
	# copied alone, it says where it looked
	cp "$NATIVE/mdevkit" "$BATS_TEST_TMPDIR/mdevkit"
	run --separate-stderr "$BATS_TEST_TMPDIR/mdevkit" xml -u $U2
	assert_failure 1
	assert_output ""
	[[ $stderr == "Error: mdevkit-xml is neither beside mdevkit nor at /"*"/libexec/mdevkit/mdevkit-xml; reinstall mdevkit (make install puts it there)" ]]
}

@test "qemu-args: V5_4 with display for QEMU 7.2; V5_8 at its resolution; --res, --rom quoted" {
	run --separate-stderr "$MDEVKIT" qemu-args -u $U1 --qemu-version 7.2.0
	assert_success
	assert_equal "$stderr" ""
	assert_output "-device vfio-pci-nohotplug,id=ua-mdev-$U1,sysfsdev=/sys/bus/mdev/devices/$U1,display=on,ramfb=on,x-igd-opregion=on,xres=1920,yres=1200 \\
-display egl-headless,rendernode=$NODE \\
-vnc 127.0.0.1:0 \\
-vga none"
	run --separate-stderr "$MDEVKIT" qemu-args -u $U2 --qemu-version 7.2.0 --res 800x600 --rom "/roms/it's, a.rom"
	assert_success
	assert_line --index 0 "-device 'vfio-pci-nohotplug,id=ua-mdev-$U2,sysfsdev=/sys/bus/mdev/devices/$U2,display=on,ramfb=on,x-igd-opregion=on,xres=800,yres=600,romfile=/roms/it'\\''s,, a.rom' \\"
	# the shell gives QEMU the words back
	eval "set -- $output"
	assert_equal "$#" 8
	assert_equal "$2" "vfio-pci-nohotplug,id=ua-mdev-$U2,sysfsdev=/sys/bus/mdev/devices/$U2,display=on,ramfb=on,x-igd-opregion=on,xres=800,yres=600,romfile=/roms/it's,, a.rom"
	run --separate-stderr "$MDEVKIT" qemu-args -u $U2 --qemu-version 7.2.0 --graphics spice
	assert_success
	assert_output "-device vfio-pci-nohotplug,id=ua-mdev-$U2,sysfsdev=/sys/bus/mdev/devices/$U2,display=on,ramfb=on,x-igd-opregion=on,xres=1024,yres=768 \\
-spice unix=on,addr=mdevkit-spice.sock,disable-ticketing=on,gl=on,rendernode=$NODE \\
-vga none"
}

@test "qemu-args: --headless and other types get plain vfio-pci and no display" {
	mtty_fixture "$ROOT"
	write_def "$ROOT" mtty $U5 '{"mdev_type":"mtty-2","start":"manual"}'
	run --separate-stderr "$MDEVKIT" qemu-args -u $U1 --qemu-version 7.2.0 --headless
	assert_success
	assert_output "-device vfio-pci,id=ua-mdev-$U1,sysfsdev=/sys/bus/mdev/devices/$U1,x-igd-opregion=on"
	run --separate-stderr "$MDEVKIT" qemu-args -u $U5 --qemu-version 7.2.0
	assert_success
	assert_equal "$stderr" ""
	assert_output "-device vfio-pci,id=ua-mdev-$U5,sysfsdev=/sys/bus/mdev/devices/$U5"
}

@test "qemu-args: what an older QEMU lacks is left out with a warning naming the release that adds it" {
	run --separate-stderr "$MDEVKIT" qemu-args -u $U1 --qemu-version 3.1
	assert_success
	assert_line --index 0 "-device vfio-pci-nohotplug,id=ua-mdev-$U1,sysfsdev=/sys/bus/mdev/devices/$U1,display=on,ramfb=on,x-igd-opregion=on \\"
	assert_equal "$stderr" "Warning: this QEMU has no vfio-pci property xres (QEMU 4.0 adds it): left out
Warning: this QEMU has no vfio-pci property yres (QEMU 4.0 adds it): left out"
	run --separate-stderr "$MDEVKIT" qemu-args -u $U1 --qemu-version 3.0.1
	assert_line --index 0 "-device vfio-pci,id=ua-mdev-$U1,sysfsdev=/sys/bus/mdev/devices/$U1,display=on,x-igd-opregion=on \\"
	[[ $stderr == "Warning: this QEMU has no vfio-pci-nohotplug device (QEMU 3.1 adds it, with ramfb): no picture before the guest's driver loads"$'\n'* ]]
	run --separate-stderr "$MDEVKIT" qemu-args -u $U1 --qemu-version 2.11.0
	assert_line --index 0 "-device vfio-pci,id=ua-mdev-$U1,sysfsdev=/sys/bus/mdev/devices/$U1,x-igd-opregion=on \\"
	[[ $stderr == "Warning: this QEMU has no vfio-pci property display (QEMU 2.12 adds it): left out" ]]
}

@test "qemu-args: the properties from qemu-system-x86_64 -device ...,help, the old listing's form too" {
	local bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	# QEMU 2.11: no vfio-pci-nohotplug, the "driver.name=type" listing
	cat > "$bin/qemu-system-x86_64" <<'EOF'
#!/bin/sh
case $2 in
vfio-pci,help) printf 'vfio-pci.host=str\nvfio-pci.sysfsdev=str\nvfio-pci.x-igd-opregion=bool\nvfio-pci.romfile=str\n' ;;
*) echo "qemu-system-x86_64: -device $2: Device '${2%,help}' not found" >&2; exit 1 ;;
esac
EOF
	chmod +x "$bin/qemu-system-x86_64"
	run --separate-stderr env PATH="$bin" "$MDEVKIT" qemu-args -u $U1
	assert_success
	assert_line --index 0 "-device vfio-pci,id=ua-mdev-$U1,sysfsdev=/sys/bus/mdev/devices/$U1,x-igd-opregion=on \\"
	assert_equal "$stderr" "Warning: this QEMU has no vfio-pci property display (QEMU 2.12 adds it): left out"
	rm "$bin/qemu-system-x86_64"
	run --separate-stderr env PATH="$bin" "$MDEVKIT" qemu-args -u $U1
	assert_failure 1
	assert_equal "$stderr" "Error: cannot tell which vfio-pci properties QEMU has: qemu-system-x86_64 -device vfio-pci,help did not list them; install QEMU (qemu-system-x86) or give --qemu-version"
}

@test "qemu-args: the installed QEMU lists every property it emits and opens the device line up to the missing host device" {
	command -v qemu-system-x86_64 || skip "QEMU is not installed (tests/deps.sh check)"
	run --separate-stderr "$MDEVKIT" qemu-args -u $U1 --rom /roms/vbios.rom
	assert_success
	assert_equal "$stderr" ""
	eval "set -- $output"
	local device=$2 help p
	help=$(qemu-system-x86_64 -device vfio-pci-nohotplug,help)
	for p in $(tr , '\n' <<<"${device#*,}" | cut -d= -f1); do
		[ "$p" = id ] || grep -q "^  $p=" <<<"$help" || fail "QEMU lists no property $p"
	done
	# every property parses: QEMU stops at the device that is not there
	run timeout 60 qemu-system-x86_64 -S -nodefaults -display none -machine pc,accel=tcg -device "$device"
	assert_failure
	assert_output "qemu-system-x86_64: -device $device: vfio /sys/bus/mdev/devices/$U1: no such host device: No such file or directory"
}

# readme_runs: "COMMAND" lines and their output from the code blocks of
# README.md's "Guest display" section, as one "$ command" line followed by
# its output lines
readme_runs() {
	awk '/^## / { on = $0 == "## Guest display"; next }
	on && /^```/ { inblock = !inblock; next }
	on && inblock' "$TOP/README.md"
}

@test "README's Guest display outputs are what mdevkit prints (libvirt 9.0, QEMU 7.2)" {
	local u=6e0c190e-2c3a-4a6b-9d1e-8f1a2b3c4d5e line cmd=() expected="" n=0
	write_def "$ROOT" $GVT_P $u '{"mdev_type":"i915-GVTg_V5_4","start":"manual"}'
	check_run() {
		[ ${#cmd[@]} -gt 0 ] || return 0
		local v=--libvirt-version=9.0
		[ "${cmd[0]}" = qemu-args ] && v=--qemu-version=7.2
		run --separate-stderr "$MDEVKIT" "${cmd[@]}" "$v"
		assert_success
		assert_equal "$stderr" ""
		assert_output "${expected%$'\n'}"
		n=$((n + 1))
	}
	while IFS= read -r line; do
		if [[ $line == '$ mdevkit '* ]]; then
			check_run
			read -ra cmd <<<"${line#\$ mdevkit }"
			expected=""
		else
			expected+=$line$'\n'
		fi
	done < <(readme_runs)
	check_run
	assert_equal "$n" 4
}

@test "the legacy form's warning is true: QEMU refuses -set on a JSON -device, takes it on the classic form" {
	command -v qemu-system-x86_64 || skip "QEMU is not installed (tests/deps.sh check)"
	local set id=ua-mdev-$U1 q=(timeout 60 qemu-system-x86_64 -S -nodefaults -display none -machine pc,accel=tcg)
	set=$("$XML" -u $U1 --libvirt-version 8.1 | sed -n 's/.*<qemu:arg value="\(device\..*x-igd-opregion=on\)"\/>/\1/p')
	assert_equal "$set" "device.$id.x-igd-opregion=on"
	run "${q[@]}" -device "{\"driver\":\"vfio-pci\",\"id\":\"$id\",\"sysfsdev\":\"/sys/bus/mdev/devices/$U1\"}" -set "$set"
	assert_failure
	assert_output "qemu-system-x86_64: -set $set: there is no device \"$id\" defined"
	run "${q[@]}" -device "vfio-pci,id=$id,sysfsdev=/sys/bus/mdev/devices/$U1" -set "$set"
	assert_failure
	assert_output --partial "vfio /sys/bus/mdev/devices/$U1: no such host device"
}
