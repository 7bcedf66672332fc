#!/usr/bin/env bats
# A sysfs that lies: garbage, huge, binary or blocking attribute files and
# broken layouts, in fixture roots.  Every command must end, print one
# message naming the file, and read no more than a bounded amount (the
# FUSE variant is in sysfs-hostile-simfs.bats).
load ../lib/helpers
load ../lib/gvt

BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-60}

U=11111111-2222-3333-4444-555555555555
MT=devices/virtual/mtty/mtty/mdev_supported_types

setup() {
	mk_root
	mtty_fixture "$ROOT"
	AI=$ROOT/sys/$MT/mtty-1/available_instances
	TD=$ROOT/sys/$MT/mtty-1
	# the path mdevkit names: through the class link
	CT=$ROOT/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1
}

# put FILE's content: hostile NAME
hostile() {
	local f=$1
	rm -rf "$f"
	case $2 in
	empty) : >"$f" ;;
	letters) printf 'abc\n' >"$f" ;;
	overflow) printf '99999999999999999999\n' >"$f" ;;
	i32max+1) printf '2147483648\n' >"$f" ;;
	binary) printf '\xff\xfe\x01\n' >"$f" ;;
	nul) printf '3\0003\n' >"$f" ;;
	megabyte) head -c 1048576 /dev/zero | tr '\0' 7 >"$f" ;;
	control) printf '1\033[2J%s\n' "$(printf 'x%.0s' {1..300})" >"$f" ;;
	fifo) mkfifo "$f" ;;
	dir) mkdir "$f" ;;
	zero) ln -s /dev/zero "$f" ;;
	loop) ln -s "${f##*/}" "$f" ;;
	missing) ;;
	esac
}

# one Error: line naming FILE, plus at most the "Caused by" block
one_error() { # FILE
	[ "$(grep -c '^Error: ' <<<"$stderr")" -eq 1 ]
	[[ $stderr == *"\"$1\""* ]]
	[ "$(grep -vc -e '^Error: ' -e '^$' -e '^Caused by:$' -e '^    ' <<<"$stderr")" -eq 0 ]
	[ "${#stderr}" -lt 600 ]
}

@test "available_instances: every kind of garbage fails types and start with one line naming the file" {
	for kind in empty overflow binary nul megabyte fifo zero missing; do
		hostile "$AI" $kind
		run --separate-stderr timeout 20 "$MDEVKIT" types
		echo "types/$kind: $status $stderr"
		[ "$status" -eq 1 ]
		one_error "$CT/available_instances"
		run --separate-stderr timeout 20 "$MDEVKIT" start -u "$U" -p mtty -t mtty-1
		echo "start/$kind: $status $stderr"
		[ "$status" -eq 1 ]
		one_error "$CT/available_instances"
	done
}

@test "available_instances: the reason says what is wrong and the bad value is shown escaped and cut" {
	hostile "$AI" fifo
	run -1 --separate-stderr timeout 20 "$MDEVKIT" types
	assert_equal "$stderr" "Error: Unable to read \"$CT/available_instances\": it is not a regular file, as every sysfs attribute is; remove what was put in its place"
	hostile "$AI" megabyte
	run -1 --separate-stderr "$MDEVKIT" types
	assert_equal "$stderr" "Error: Unable to read \"$CT/available_instances\": it is larger than 65536 bytes, which no sysfs attribute is; check what provides this file"
	hostile "$AI" binary
	run -1 --separate-stderr "$MDEVKIT" types
	assert_equal "$stderr" "Error: Unable to read \"$CT/available_instances\": it is not text (NUL bytes or not UTF-8); check what provides this file"
	hostile "$AI" control
	run -1 --separate-stderr "$MDEVKIT" types
	assert_equal "$stderr" "Error: Unable to parse \"$CT/available_instances\": '1\\x1B[2Jxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a number"
	hostile "$AI" overflow
	run -1 --separate-stderr "$MDEVKIT" types
	assert_equal "$stderr" "Error: Unable to parse \"$CT/available_instances\": '99999999999999999999' is not a number"
	hostile "$AI" i32max+1
	run -1 --separate-stderr "$MDEVKIT" types
	assert_equal "$stderr" "Error: Unable to parse \"$CT/available_instances\": '2147483648' is not a number"
}

@test "available_instances: a negative value is shown and does not stop start, as in mdevctl" {
	echo -5 >"$AI"
	run -0 --separate-stderr "$MDEVKIT" types -p mtty
	assert_line "    Available instances: -5"
	: >"$TD/create"
	run -0 --separate-stderr "$MDEVKIT" start -u "$U" -p mtty -t mtty-1
}

@test "check and start-parent-mdevs: a garbage available_instances is named, nothing hangs" {
	run -0 --separate-stderr "$MDEVKIT" define -u "$U" -p mtty -t mtty-1 --auto
	for kind in letters fifo; do
		hostile "$AI" $kind
		run --separate-stderr timeout 20 "$MDEVKIT" check
		echo "check/$kind: $status $output $stderr"
		[ "$status" -eq 1 ]
		[[ $output$stderr == *"$CT/available_instances"* ]]
		run --separate-stderr timeout 20 "$MDEVKIT" start-parent-mdevs mtty
		echo "start-parent-mdevs/$kind: $status $stderr"
		[ "$status" -eq 1 ]
		[[ $stderr == *"$CT/available_instances"* ]]
		[ "$(grep -c '^Error: ' <<<"$stderr")" -le 1 ]
	done
}

@test "device_api: garbage is the command's error, as a missing one is" {
	for kind in binary megabyte fifo; do
		hostile "$TD/device_api" $kind
		run --separate-stderr timeout 20 "$MDEVKIT" types
		echo "$kind: $status $stderr"
		[ "$status" -eq 1 ]
		one_error "$CT/device_api"
	done
}

@test "name and description: unreadable ones are left out with one warning each, the rest is listed" {
	for kind in binary megabyte dir loop; do
		hostile "$TD/name" $kind
		hostile "$TD/description" $kind
		run --separate-stderr timeout 20 "$MDEVKIT" types --dumpjson
		echo "$kind: $status $stderr"
		[ "$status" -eq 0 ]
		[ "$(grep -c '^Warning: Leaving out the name of mtty-1: Unable to read ' <<<"$stderr")" -eq 1 ]
		[ "$(grep -c '^Warning: Leaving out the description of mtty-1: Unable to read ' <<<"$stderr")" -eq 1 ]
		[ "$(grep -c '' <<<"$stderr")" -eq 2 ]
		[[ $output == *'"available_instances": 24'* ]]
		[[ $output != *'"name"'* ]]
	done
	# text within the bounds is listed as it is, lines joined
	rm -rf "$TD/name" "$TD/description"
	printf 'odd \033 name\n' >"$TD/name"
	printf 'a\nb\n\n' >"$TD/description"
	run -0 --separate-stderr "$MDEVKIT" types -p mtty
	assert_line "    Description: a, b"
}

@test "layout: a type directory without files fails types naming the missing file" {
	mkdir "$ROOT/sys/$MT/mtty-9"
	run -1 --separate-stderr "$MDEVKIT" types
	one_error "$ROOT/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-9/available_instances"
	run -1 --separate-stderr "$MDEVKIT" start -u "$U" -p mtty -t mtty-9
	one_error "$ROOT/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-9/available_instances"
}

@test "layout: symlink loops as types, parents and devices end with a warning or are skipped" {
	ln -s loop-b "$ROOT/sys/$MT/loop-a"
	ln -s loop-a "$ROOT/sys/$MT/loop-b"
	ln -s p-b "$ROOT/sys/class/mdev_bus/p-a"
	ln -s p-a "$ROOT/sys/class/mdev_bus/p-b"
	ln -s "$U" "$ROOT/sys/bus/mdev/devices/$U"
	run --separate-stderr timeout 20 "$MDEVKIT" types
	echo "$status $stderr"
	[ "$status" -eq 0 ]
	assert_line "  mtty-1"
	refute_line --partial "loop-"
	[ "$(grep -c '^Warning: Skipping p-[ab]' <<<"$stderr")" -eq 2 ]
	run -0 --separate-stderr timeout 20 "$MDEVKIT" list
	assert_equal "$stderr" "Warning: Skipping active device $U: Unable to resolve \"$ROOT/sys/bus/mdev/devices/$U\": Too many levels of symbolic links (os error 40)"
	run --separate-stderr timeout 20 "$MDEVKIT" start -u "$U" -p p-a -t x
	[ "$status" -eq 1 ]
	[ "$(grep -c '^Error: ' <<<"$stderr")" -eq 1 ]
}

@test "layout: mdev_supported_types that is a file, a FIFO or a loop: the parent is skipped with a warning" {
	local types=$ROOT/sys/devices/virtual/mtty/mtty/mdev_supported_types
	rm -rf "$types"
	for kind in letters fifo loop; do
		hostile "$types" $kind
		run -0 --separate-stderr timeout 20 "$MDEVKIT" types
		assert_equal "$stderr" "Warning: Skipping mtty: it is not registered for mdev support"
		run -1 --separate-stderr timeout 20 "$MDEVKIT" start -u "$U" -p mtty -t mtty-1
		[ "$(grep -c '' <<<"$stderr")" -eq 1 ]
	done
}

@test "layout: type and parent names with control characters or bad UTF-8 are skipped with a warning, never printed" {
	local bad
	bad=$(printf 'ty\xffpe\033[31m')
	mkdir "$ROOT/sys/$MT/$bad"
	mkdir -p "$ROOT/sys/devices/virtual/mtty/mtty/$U"
	ln -s "../mdev_supported_types/$bad" "$ROOT/sys/devices/virtual/mtty/mtty/$U/mdev_type"
	ln -s "../../../devices/virtual/mtty/mtty/$U" "$ROOT/sys/bus/mdev/devices/$U"
	ln -s ../../devices/virtual/mtty/mtty "$ROOT/sys/class/mdev_bus/$(printf 'p\033]0;x\a')"
	run -0 --separate-stderr "$MDEVKIT" types
	assert_equal "$stderr" "Warning: Skipping an entry of \"$ROOT/sys/class/mdev_bus\": Invalid parent name: it contains a control character; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0
Warning: Skipping an entry of \"$ROOT/sys/class/mdev_bus/mtty/mdev_supported_types\": Invalid mdev type name: it contains a control character; use a type name listed by 'mdevkit types', e.g. i915-GVTg_V5_4"
	[[ $output != *$'\033'* ]]
	run -0 --separate-stderr "$MDEVKIT" list --dumpjson
	assert_output "[]"
	assert_equal "$stderr" "Warning: Skipping active device $U: Unable to resolve \"$ROOT/sys/bus/mdev/devices/$U\": Invalid mdev type name: it contains a control character; use a type name listed by 'mdevkit types', e.g. i915-GVTg_V5_4"
}

# ---- GVT-g: resource and description --------------------------------------------------

# fresh_gvt_sys: $ROOT/sys replaced by a GVT-g host with a 1024 MiB
# aperture; D its device directory, RES its resource file through the bus
# link, DESC the description of i915-GVTg_V5_4, and a copy of the good
# resource file for resource_with
fresh_gvt_sys() {
	rm -rf "$ROOT/sys"
	mkdir -p "$ROOT/sys"
	gvt_fixture "$ROOT" 1024
	D=$ROOT/sys/$GVT_DEV
	RES=$ROOT/sys/bus/pci/devices/$GVT_P/resource
	DESC=$D/mdev_supported_types/i915-GVTg_V5_4/description
	cp "$D/resource" "$BATS_TEST_TMPDIR/resource.good"
}

# resource_with KIND: the BAR 2 line (or the whole file) replaced
resource_with() {
	local good=$BATS_TEST_TMPDIR/resource.good
	case $1 in
	short) printf '0x1 0x2 0x3\n' >"$D/resource" ;;
	empty) : >"$D/resource" ;;
	letters) { head -2 "$good"; echo "zz yy xx"; } >"$D/resource" ;;
	overflow) { head -2 "$good"; echo "0x0000004000000000 0x1ffffffffffffffff 0x0"; } >"$D/resource" ;;
	wrap) { head -2 "$good"; echo "0x0 0xffffffffffffffff 0x0"; } >"$D/resource" ;;
	backwards) { head -2 "$good"; echo "0x0000004000000000 0x0000003000000000 0x0"; } >"$D/resource" ;;
	unassigned) { head -2 "$good"; echo "0x0 0x0 0x0"; } >"$D/resource" ;;
	trailing) { head -2 "$good"; echo "0x0000004000000000 0x000000403fffffff 0x0 0x0"; } >"$D/resource" ;;
	*) hostile "$D/resource" "$1" ;;
	esac
}

@test "resource: every garbage BAR 2 makes pre start refuse with one line naming the file" {
	fresh_gvt_sys
	for kind in short letters overflow wrap backwards unassigned trailing binary megabyte fifo; do
		resource_with $kind
		run --separate-stderr gvt_pre_start 20 "$U1" < <(cfg i915-GVTg_V5_4)
		echo "$kind: $status $stderr"
		[ "$status" -eq 1 ]
		[ "$(grep -c '' <<<"$stderr")" -eq 1 ]
		[[ $stderr == "cannot start $U1 (i915-GVTg_V5_4) on $GVT_P: cannot learn the GPU aperture "*"\"$RES\": "*"; "* ]]
	done
}

@test "resource: types --gvt and check say what is wrong instead of failing or hanging" {
	fresh_gvt_sys
	run -0 --separate-stderr "$MDEVKIT" define -u "$U1" -p $GVT_P -t i915-GVTg_V5_4 --auto --force
	for kind in overflow fifo; do
		resource_with $kind
		run -0 --separate-stderr timeout 20 "$MDEVKIT" types --gvt
		assert_line --partial "    GVT-g: "
		assert_line --partial "$RES"
		run -1 --separate-stderr timeout 20 "$MDEVKIT" check
		[[ $output == *"$RES"* ]]
	done
}

@test "description: missing, duplicated, overflowing, garbage or huge fields are one warning at pre start" {
	fresh_gvt_sys
	local good
	good=$(cat "$DESC")
	for kind in short dup overflow long megabyte fifo; do
		rm -rf "$DESC"
		case $kind in
		short) printf 'low_gm_size: 128MB\nhigh_gm_size: 512MB\n' >"$DESC" ;;
		dup) printf '%s\nweight: 4\n' "$good" >"$DESC" ;;
		overflow) printf '%s\n' "${good/128MB/99999999999999999999999MB}" >"$DESC" ;;
		letters) printf 'low_gm_size: lotsMB\n%s\n' "$good" >"$DESC" ;;
		long) head -c 60000 /dev/zero | tr '\0' x >"$DESC" ;;
		*) hostile "$DESC" $kind ;;
		esac
		run --separate-stderr gvt_pre_start 20 "$U1" < <(cfg i915-GVTg_V5_4)
		echo "$kind: $status $stderr"
		[ "$status" -eq 0 ]
		[ "$(grep -c '' <<<"$stderr")" -eq 1 ]
		[[ $stderr == "warning: start $U1 (i915-GVTg_V5_4) on $GVT_P: the kernel's description of i915-GVTg_V5_4 is not one the model can compare: "*"; trust the kernel's available_instances" ]]
		[ "${#stderr}" -lt 600 ]
	done
	# no description at all (old kernels) is no news
	rm -f "$DESC"
	run -0 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" ""
}

@test "memory: the worst sysfs (1 MiB files everywhere) keeps types --gvt, check and pre small" {
	fresh_gvt_sys
	run -0 --separate-stderr "$MDEVKIT" define -u "$U1" -p $GVT_P -t i915-GVTg_V5_4 --auto --force
	local t
	for t in "$D"/mdev_supported_types/*/; do
		for f in name description; do hostile "$t$f" megabyte; done
	done
	resource_with megabyte
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss" "$MDEVKIT" types --gvt >/dev/null 2>&1 || true
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss2" "$MDEVKIT" check >/dev/null 2>&1 || true
	gvt_pre_rss() { /usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss3" "$MDEVKIT_GVT" "$@" < <(cfg i915-GVTg_V5_4); }
	gvt_pre_rss -t i915-GVTg_V5_4 -e pre -a start -s none -u "$U1" -p $GVT_P >/dev/null 2>&1 || true
	local a b c
	a=$(tail -1 "$BATS_TEST_TMPDIR/rss") b=$(tail -1 "$BATS_TEST_TMPDIR/rss2") c=$(tail -1 "$BATS_TEST_TMPDIR/rss3")
	echo "# peak RSS KiB: types --gvt $a, check $b, mdevkit-gvt pre start $c" >&3
	# far below the 9 MiB of files offered (ASan's shadow included)
	[ "$a" -lt 65536 ] && [ "$b" -lt 65536 ] && [ "$c" -lt 65536 ]
}
