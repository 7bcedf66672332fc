#!/usr/bin/env bats
# Debian's mdevctl 1.2.0, in a private mount namespace over the simulated
# kernel, runs mdevkit-gvt from /etc/mdevctl.d/scripts.d/callouts (the only
# directory 1.2 searches) and obeys it; then the same cases through mdevkit,
# which searches /usr/lib/mdevctl/scripts.d/callouts first.
load ../lib/helpers
load ../lib/simfs
load ../lib/gvt

setup() {
	command -v mdevctl >/dev/null || skip "mdevctl is not installed"
	mk_root
	ln -s "$MDEVKIT_GVT" "$ROOT/etc/mdevctl.d/scripts.d/callouts/mdevkit-gvt"
	ln -s "$MDEVKIT_GVT" "$ROOT/usr/lib/mdevctl/scripts.d/callouts/mdevkit-gvt"
}

teardown() {
	simfs_teardown
}

host() { # APERTURE
	gvt_scenario "$BATS_TEST_TMPDIR/host.conf" "$1"
	simfs_mount "$ROOT" "$BATS_TEST_TMPDIR/host.conf"
}

events_of() { # UUID: the simulated kernel's uevents that name it
	grep -F "$1" "$ROOT/sys/kernel/mdevkit-simfs/events" || true
}

V51_512="i915-GVTg_V5_1 needs a GPU aperture of at least 640 MiB and this GPU has 512 MiB; raise \"GPU aperture size\" in firmware setup, or pick a type that fits: i915-GVTg_V5_8, i915-GVTg_V5_4, i915-GVTg_V5_2"

# ---- mdevctl 1.2.0 --------------------------------------------------------------

@test "mdevctl define --auto of V5_1 on a 512 MiB host is refused with mdevkit-gvt's message and writes nothing" {
	host 512
	run -1 --separate-stderr mdevctl_ns "$ROOT" define -u "$U1" -p $GVT_P -t i915-GVTg_V5_1 --auto
	assert_equal "$stderr" "mdevkit-gvt: cannot define $U1 (i915-GVTg_V5_1) on $GVT_P: $V51_512
Error: callout script \"/etc/mdevctl.d/scripts.d/callouts/mdevkit-gvt\" failed with return code 1"
	assert_output ""
	assert_file_not_exists "$ROOT/etc/mdevctl.d/$GVT_P/$U1"
	# and without -u: no UUID printed, nothing written
	run -1 --separate-stderr mdevctl_ns "$ROOT" define -p $GVT_P -t i915-GVTg_V5_1 --auto
	assert_output ""
	run find "$ROOT/etc/mdevctl.d" -type f
	assert_output ""
}

@test "mdevctl define of a fitting type succeeds, and mdevctl start creates it" {
	host 512
	run -0 --separate-stderr mdevctl_ns "$ROOT" define -u "$U1" -p $GVT_P -t i915-GVTg_V5_2 --auto
	[ -z "$stderr" ]
	assert_file_exists "$ROOT/etc/mdevctl.d/$GVT_P/$U1"
	run -0 --separate-stderr mdevctl_ns "$ROOT" start -u "$U1"
	[ -z "$stderr" ]
	run -0 mdevctl_ns "$ROOT" list
	assert_output "$U1 $GVT_P i915-GVTg_V5_2 auto (defined)"
	# a second auto V5_2 would not fit at boot next to it
	run -1 --separate-stderr mdevctl_ns "$ROOT" define -u "$U2" -p $GVT_P -t i915-GVTg_V5_2 --auto
	assert_equal "${stderr%%$'\n'*}" "mdevkit-gvt: cannot define $U2 (i915-GVTg_V5_2) on $GVT_P: the auto definitions of $GVT_P ($U1 (i915-GVTg_V5_2), $U2 (i915-GVTg_V5_2)) would not fit together at boot: not enough aperture: they need 512 MiB and the GPU has 384 MiB for vGPUs; make some of them manual or pick smaller types, or set \"GPU aperture size\" in firmware setup to 1024 MiB"
	assert_file_not_exists "$ROOT/etc/mdevctl.d/$GVT_P/$U2"
}

@test "mdevctl start of an 8th vGPU is refused before any sysfs write" {
	host 1024
	for u in $U1 $U2 $U3 $U4 $U5 $U6 $U7; do
		run -0 mdevctl_ns "$ROOT" start -u "$u" -p $GVT_P -t i915-GVTg_V5_8
	done
	run -1 --separate-stderr mdevctl_ns "$ROOT" start -u "$U8" -p $GVT_P -t i915-GVTg_V5_8
	assert_equal "$stderr" "mdevkit-gvt: cannot start $U8 (i915-GVTg_V5_8) on $GVT_P: not enough vGPU slots: it needs 1, 0 free of 7 (held by $U1 (i915-GVTg_V5_8), $U2 (i915-GVTg_V5_8), $U3 (i915-GVTg_V5_8), $U4 (i915-GVTg_V5_8), $U5 (i915-GVTg_V5_8), $U6 (i915-GVTg_V5_8), $U7 (i915-GVTg_V5_8)); stop one of them
Error: callout script \"/etc/mdevctl.d/scripts.d/callouts/mdevkit-gvt\" failed with return code 1"
	# the kernel never saw the UUID: no create was written
	run events_of "$U8"
	assert_output ""
	run events_of "$U7"
	assert_output --partial "add"
	assert_file_not_exists "$ROOT/sys/bus/mdev/devices/$U8"
}

@test "mdevctl start of a V5_4 that does not fit names what holds the hidden GM" {
	host 1024
	run -0 mdevctl_ns "$ROOT" start -u "$U1" -p $GVT_P -t i915-GVTg_V5_1
	run -0 mdevctl_ns "$ROOT" start -u "$U2" -p $GVT_P -t i915-GVTg_V5_8
	run -1 --separate-stderr mdevctl_ns "$ROOT" start -u "$U3" -p $GVT_P -t i915-GVTg_V5_4
	assert_equal "${stderr%%$'\n'*}" "mdevkit-gvt: cannot start $U3 (i915-GVTg_V5_4) on $GVT_P: not enough hidden GM: it needs 512 MiB, 256 MiB free of 2688 MiB (held by $U1 (i915-GVTg_V5_1), $U2 (i915-GVTg_V5_8)); stop one of them or pick a smaller type"
	run events_of "$U3"
	assert_output ""
}

@test "mdevctl modify to a type that cannot exist here is refused" {
	host 512
	run -0 mdevctl_ns "$ROOT" define -u "$U1" -p $GVT_P -t i915-GVTg_V5_4
	before=$(cat "$ROOT/etc/mdevctl.d/$GVT_P/$U1")
	run -1 --separate-stderr mdevctl_ns "$ROOT" modify -u "$U1" -t i915-GVTg_V5_1
	assert_equal "${stderr%%$'\n'*}" "mdevkit-gvt: cannot modify $U1 (i915-GVTg_V5_1) on $GVT_P: $V51_512"
	assert_equal "$(cat "$ROOT/etc/mdevctl.d/$GVT_P/$U1")" "$before"
}

@test "mdevctl on non-GVT parents is unaffected" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	run -0 --separate-stderr mdevctl_ns "$ROOT" define -u "$U1" -p mtty -t mtty-2 --auto
	[ -z "$stderr" ]
	run -0 --separate-stderr mdevctl_ns "$ROOT" start -u "$U1"
	[ -z "$stderr" ]
	run -0 --separate-stderr mdevctl_ns "$ROOT" start -u "$U2" -p 0000:03:00.0 -t simvendor-small
	[ -z "$stderr" ]
	run -0 --separate-stderr mdevctl_ns "$ROOT" list
	assert_output "$U2 0000:03:00.0 simvendor-small manual
$U1 mtty mtty-2 auto (defined)"
	run -0 mdevctl_ns "$ROOT" stop -u "$U1"
	run -0 mdevctl_ns "$ROOT" undefine -u "$U1"
	assert_file_not_exists "$ROOT/etc/mdevctl.d/mtty/$U1"
}

@test "mdevctl start-parent-mdevs starts the auto definitions mdevkit-gvt accepted" {
	host 1024
	run -0 mdevctl_ns "$ROOT" define -u "$U1" -p $GVT_P -t i915-GVTg_V5_2 --auto
	run -0 mdevctl_ns "$ROOT" define -u "$U2" -p $GVT_P -t i915-GVTg_V5_4 --auto
	run -0 mdevctl_ns "$ROOT" start-parent-mdevs $GVT_P
	run -0 mdevctl_ns "$ROOT" list
	assert_output "$U1 $GVT_P i915-GVTg_V5_2 auto (defined)
$U2 $GVT_P i915-GVTg_V5_4 auto (defined)"
}

# ---- the same cases through mdevkit ----------------------------------------------------

@test "mdevkit define --auto of V5_1 on a 512 MiB host is refused with mdevkit-gvt's message" {
	host 512
	run -1 --separate-stderr "$MDEVKIT" define -u "$U1" -p $GVT_P -t i915-GVTg_V5_1 --auto
	assert_output ""
	[[ "$stderr" == *"mdevkit-gvt: cannot define $U1 (i915-GVTg_V5_1) on $GVT_P: $V51_512"* ]]
	assert_file_not_exists "$ROOT/etc/mdevctl.d/$GVT_P/$U1"
	run -0 --separate-stderr "$MDEVKIT" define -u "$U1" -p $GVT_P -t i915-GVTg_V5_2 --auto
	[ -z "$stderr" ]
	assert_file_exists "$ROOT/etc/mdevctl.d/$GVT_P/$U1"
}

@test "mdevkit start of an 8th vGPU is refused before any sysfs write" {
	host 1024
	for u in $U1 $U2 $U3 $U4 $U5 $U6 $U7; do
		run -0 "$MDEVKIT" start -u "$u" -p $GVT_P -t i915-GVTg_V5_8
	done
	run -1 --separate-stderr "$MDEVKIT" start -u "$U8" -p $GVT_P -t i915-GVTg_V5_8
	[[ "$stderr" == *"mdevkit-gvt: cannot start $U8 (i915-GVTg_V5_8) on $GVT_P: not enough vGPU slots: it needs 1, 0 free of 7 (held by $U1 (i915-GVTg_V5_8), "*"); stop one of them"* ]]
	run events_of "$U8"
	assert_output ""
	run -0 "$MDEVKIT" list
	assert_equal "$(echo "$output" | grep -c i915-GVTg_V5_8)" 7
}

@test "mdevkit on non-GVT parents is unaffected by mdevkit-gvt" {
	simfs_mount "$ROOT" "$SIMFS_SCENARIOS/mixed.conf"
	run -0 --separate-stderr "$MDEVKIT" define -u "$U1" -p mtty -t mtty-2 --auto
	[ -z "$stderr" ]
	run -0 --separate-stderr "$MDEVKIT" start -u "$U1"
	[ -z "$stderr" ]
	run -0 --separate-stderr "$MDEVKIT" start -u "$U2" -p 0000:03:00.0 -t simvendor-small
	[ -z "$stderr" ]
}
