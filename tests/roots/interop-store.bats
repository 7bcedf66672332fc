#!/usr/bin/env bats
# mdevkit and Debian's mdevctl 1.2.0 share the store: the same arguments
# write the same bytes, and each lists the other's definitions as its own.
# mdevctl runs in a private mount namespace over the test root.
load ../lib/helpers

U1=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
U3=33333333-2222-3333-4444-555555555555

setup() {
	command -v mdevctl >/dev/null || fail "mdevctl is not installed (tests/deps.sh check)"
	mk_root "$BATS_TEST_TMPDIR/kit"
	KIT=$ROOT
	mk_root "$BATS_TEST_TMPDIR/ctl"
	CTL=$ROOT
}

# run the same define through both tools; the stores must be identical
same_define() {
	run --separate-stderr env MDEVCTL_ENV_ROOT="$KIT" "$MDEVKIT" define "$@"
	local kit_status=$status kit_out=$output kit_err=$stderr
	run --separate-stderr mdevctl_ns "$CTL" define "$@"
	assert_equal "$kit_status" "$status"
	assert_equal "$kit_out" "$output"
	assert_equal "$kit_err" "$stderr"
	diff -r "$KIT/etc/mdevctl.d" "$CTL/etc/mdevctl.d"
}

@test "define writes the same bytes as mdevctl define" {
	same_define -u "$U1" -p 0000:00:02.0 -t i915-GVTg_V5_4
	same_define -u "$U2" -p 0000:00:02.0 -t i915-GVTg_V5_8 --auto
	same_define -u "$U3" -p matrix -t 'vfio_ap-passthrough'
	same_define -u "$U3" -p 0000:00:02.0 -t "$(printf 'q"b\\sé€😀')" -a
	same_define -u "$U1" -p 0000:00:02.0 -t i915-GVTg_V5_4
	same_define -u "$U1"
	same_define -p 0000:00:02.0
	cmp "$KIT/etc/mdevctl.d/0000:00:02.0/$U1" "$FIXTURES/golden/gvt-auto.json" ||
		cmp <(sed 's/auto/manual/' "$FIXTURES/golden/gvt-auto.json") "$KIT/etc/mdevctl.d/0000:00:02.0/$U1"
}

@test "define --jsonfile writes the same bytes as mdevctl" {
	for json in '{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"5"},{"assign_domain":"0xab"}]}' \
		'{"start":"auto","mdev_type":"i915-GVTg_V5_4"}' \
		'{"mdev_type":"t","start":"manual","attrs":[{"v":"\u0001\b\t\n\f\r\u001f/\"\\é"}],"extra":[1,2]}'; do
		printf '%s' "$json" > "$BATS_TEST_TMPDIR/in.json"
		rm -rf "$KIT/etc/mdevctl.d/p" "$CTL/etc/mdevctl.d/p"
		same_define -u "$U1" -p p --jsonfile "$BATS_TEST_TMPDIR/in.json"
	done
	same_define -u "$U1" -p p --jsonfile "$BATS_TEST_TMPDIR/in.json"
}

@test "modify writes the same bytes as mdevctl modify" {
	for root in "$KIT" "$CTL"; do
		write_def "$root" matrix "$U1" '{"mdev_type":"vfio_ap-passthrough","start":"manual"}'
	done
	for args in "--addattr assign_adapter --value 5" "--addattr assign_domain --value 0xab" \
		"--addattr first --value 0 --index 0" "--auto" "--delattr --index 1" "--manual" "--delattr"; do
		env MDEVCTL_ENV_ROOT="$KIT" "$MDEVKIT" modify -u "$U1" $args
		mdevctl_ns "$CTL" modify -u "$U1" $args
		diff -r "$KIT/etc/mdevctl.d" "$CTL/etc/mdevctl.d"
	done
}

@test "mdevctl lists mdevkit's definitions as its own" {
	export MDEVCTL_ENV_ROOT=$KIT
	"$MDEVKIT" define -u "$U1" -p 0000:00:02.0 -t i915-GVTg_V5_4 -a
	"$MDEVKIT" define -u "$U2" -p matrix -t vfio_ap-passthrough
	"$MDEVKIT" modify -u "$U2" --addattr assign_adapter --value 5
	"$MDEVKIT" define -u "$U3" -p 0000:00:02.0 -t i915-GVTg_V5_8
	for args in "-d" "-d -v" "-d --dumpjson" "-d -p matrix" "-d -u $U2 --dumpjson" "-d -u $U1" "-d -p none"; do
		run mdevctl_ns "$KIT" list $args
		assert_success
		local theirs=$output
		run "$MDEVKIT" list $args
		assert_equal "$output" "$theirs"
	done
}

@test "mdevkit lists mdevctl's definitions exactly as mdevctl does" {
	mdevctl_ns "$CTL" define -u "$U1" -p 0000:00:02.0 -t i915-GVTg_V5_4 -a
	mdevctl_ns "$CTL" define -u "$U2" -p matrix -t vfio_ap-passthrough
	mdevctl_ns "$CTL" modify -u "$U2" --addattr assign_adapter --value 5
	mdevctl_ns "$CTL" modify -u "$U2" --addattr assign_domain --value 0xab
	mdevctl_ns "$CTL" define -u "$U3" -p 0000:00:02.0 -t i915-GVTg_V5_8
	mdevctl_ns "$CTL" define -p 0.0.0314 -t vfio_ccw-io
	for args in "-d" "-d -v" "-d --dumpjson" "-d -p matrix" "-d -u $U2 --dumpjson" "-d -u $U1" \
		"-d -u $U1 -p matrix" "-d -p none --dumpjson"; do
		run --separate-stderr mdevctl_ns "$CTL" list $args
		assert_success
		local theirs=$output their_err=$stderr
		run --separate-stderr env MDEVCTL_ENV_ROOT="$CTL" "$MDEVKIT" list $args
		assert_success
		assert_equal "$output" "$theirs"
		assert_equal "$stderr" "$their_err"
		# byte for byte, trailing newlines included
		cmp <(mdevctl_ns "$CTL" list $args) <(MDEVCTL_ENV_ROOT="$CTL" "$MDEVKIT" list $args)
	done
}

@test "undefine by one tool is seen by the other" {
	mdevctl_ns "$CTL" define -u "$U1" -p p -t t
	MDEVCTL_ENV_ROOT="$CTL" "$MDEVKIT" undefine -u "$U1"
	run mdevctl_ns "$CTL" list -d
	assert_output ""
	MDEVCTL_ENV_ROOT="$CTL" "$MDEVKIT" define -u "$U1" -p p -t t
	mdevctl_ns "$CTL" undefine -u "$U1"
	run env MDEVCTL_ENV_ROOT="$CTL" "$MDEVKIT" list -d
	assert_output ""
}
