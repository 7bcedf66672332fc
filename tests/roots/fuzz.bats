#!/usr/bin/env bats
# A short libFuzzer run of every harness in tests/fuzz/ over its seed
# corpus: nothing may crash, leak, hit undefined behaviour or hang.  The
# harnesses are built by clang with ASan and UBSan into build/fuzz/
# (`make fuzz-build`, part of `make check`), whatever $MDEVKIT_BUILD is;
# tests/run runs this file in the plain pass only.  `make fuzz` runs
# them longer.
load ../lib/helpers

# seconds per target: 12 targets x 12 s, some two and a half minutes in all
FUZZ_TEST_SECONDS=${FUZZ_TEST_SECONDS:-12}

fuzz_target() {
	local t=$1 out=$BATS_TEST_TMPDIR/fuzz
	[ -x "$TOP/build/fuzz/$t" ] || fail "build/fuzz/$t is missing: run 'make fuzz-build'"
	run --separate-stderr "$TOP/tests/fuzz/run" -t "$FUZZ_TEST_SECONDS" -o "$out" "$t"
	# libFuzzer's own report: it ran to the end, found nothing
	local log
	log=$(cat "$out/$t.log")
	if [ "$status" -ne 0 ]; then
		echo "$log" | tail -n 40
	fi
	assert_success
	assert_output --regexp "^$t: exit 0, [0-9]+ runs, [0-9]+ exec/s, cov: [0-9]+ ft: [0-9]+, 0 artifact\\(s\\)"
	[[ $log == *"Done "*" runs in "* ]] || fail "libFuzzer did not finish: $log"
	[[ $log != *"ERROR:"* ]] || fail "libFuzzer or a sanitizer reported an error"
	[[ $log != *"runtime error"* ]] || fail "UBSan reported undefined behaviour"
	[ -z "$(ls -A "$out/artifacts/$t")" ] || fail "crash, leak or timeout inputs left in $out/artifacts/$t"
	# the callout's fixture root is gone
	[ ! -e "$out/tmp" ]
}

@test "fuzz: definition files and --jsonfile input (config)" {
	fuzz_target config
}

@test "fuzz: capabilities and attributes JSON of callouts (callout-json)" {
	fuzz_target callout-json
}

@test "fuzz: mdevkit-gvt's arguments and stdin (callout)" {
	fuzz_target callout
}

@test "fuzz: GVT-g description, PCI resource file and type names (gvt-sysfs)" {
	fuzz_target gvt-sysfs
}

@test "fuzz: the libvirt hook's domain XML (libvirt-domain)" {
	fuzz_target libvirt-domain
}

@test "fuzz: UUIDs and names (names)" {
	fuzz_target names
}

@test "fuzz: mdevkit.conf settings (settings)" {
	fuzz_target settings
}

@test "fuzz: Proxmox VE VM configurations and pci.cfg (pve-config)" {
	fuzz_target pve-config
}

@test "fuzz: the kernel log reader, /dev/kmsg records (kmsg)" {
	fuzz_target kmsg
}

@test "fuzz: kernel command line and modprobe.d (modprobe)" {
	fuzz_target modprobe
}

@test "fuzz: module lists, modules.dep and modules.builtin (modlist)" {
	fuzz_target modlist
}

@test "fuzz: doctor's version lines and udev rule programs (doctor-files)" {
	fuzz_target doctor-files
}

@test "fuzz: versions, --res and QEMU's property listing (vmconfig)" {
	fuzz_target vmconfig
}
