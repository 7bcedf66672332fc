#!/usr/bin/env bats
# A live-looking sysfs that lies: mdevkit-simfs with `ctl override`
# serving garbage, huge or binary attributes, or failing their open with
# EACCES, under the kernel's layout.  Fixture-root variants are in
# sysfs-hostile.bats.
load ../lib/helpers
load ../lib/simfs
load ../lib/gvt

BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-90}

U1=$(simfs_uuid 1)
TYPES=$GVT_DEVPATH/mdev_supported_types
V54=$TYPES/i915-GVTg_V5_4

setup() {
	mk_root
	simfs_mount "$ROOT"
	# what mdevkit names: paths through the class and bus links
	CT=$ROOT/sys/class/mdev_bus/$GVT_PARENT/mdev_supported_types/i915-GVTg_V5_4
	RES=$ROOT/sys/bus/pci/devices/$GVT_PARENT/resource
	B=$BATS_TEST_TMPDIR
	printf '\xff\xfe\x00garbage\n' >"$B/binary"
	head -c 1048576 /dev/zero | tr '\0' 7 >"$B/megabyte"
	printf 'lots\n' >"$B/letters"
}

teardown() {
	simfs_teardown
}

@test "ctl override: bytes from a file, an errno at open, none; it survives creates" {
	simfs_ctl "$ROOT" override "$V54/available_instances" "$B/binary"
	cmp "$B/binary" "$ROOT/sys/$V54/available_instances"
	simfs_ctl "$ROOT" override "$V54/name" "$B/megabyte"
	cmp "$B/megabyte" "$ROOT/sys/$V54/name"
	simfs_ctl "$ROOT" override "$V54/description" EACCES
	run -1 cat "$ROOT/sys/$V54/description"
	assert_output --partial "Permission denied"
	# the model changes, the override stays
	printf %s "$U1" >"$ROOT/sys/$TYPES/i915-GVTg_V5_8/create"
	cmp "$B/binary" "$ROOT/sys/$V54/available_instances"
	simfs_ctl "$ROOT" override "$V54/available_instances" none
	assert_equal "$(cat "$ROOT/sys/$V54/available_instances")" 4
}

@test "ctl override: a path that is no plain attribute, a bad value and none of nothing are one-line errors" {
	run -1 --separate-stderr simfs_ctl "$ROOT" override "$V54/create" "$B/binary"
	assert_equal "$stderr" "mdevkit-simfs ctl: '$V54/create' is not a read-only attribute of this host; give its path under sys without links, e.g. devices/pci0000:00/0000:00:02.0/resource"
	run -1 --separate-stderr simfs_ctl "$ROOT" override "class/mdev_bus/$GVT_PARENT/resource" "$B/binary"
	[[ $stderr == *"is not a read-only attribute of this host"* ]]
	run -1 --separate-stderr simfs_ctl "$ROOT" override "$V54/nothing" "$B/binary"
	[[ $stderr == *"is not a read-only attribute of this host"* ]]
	run -1 --separate-stderr simfs_ctl "$ROOT" override "$V54/name" "$B/missing"
	assert_equal "$stderr" "mdevkit-simfs ctl: cannot read '$B/missing': No such file or directory; give a readable file of at most 16 MiB"
	run -1 --separate-stderr simfs_ctl "$ROOT" override "$V54/name" relative
	assert_equal "$stderr" "mdevkit-simfs ctl: 'relative' is neither an absolute file name nor an errno; write override PATH /FILE, override PATH EACCES or override PATH none"
	run -1 --separate-stderr simfs_ctl "$ROOT" override "$V54/name" none
	assert_equal "$stderr" "mdevkit-simfs ctl: '$V54/name' is not overridden; nothing to do"
	run -1 --separate-stderr simfs_ctl "$ROOT" override "$V54/name"
	[[ $stderr == *"override takes a path and what it reads as"* ]]
}

@test "available_instances: garbage, huge, binary or EACCES fail types and start, check warns, each naming it" {
	run -0 --separate-stderr "$MDEVKIT" define -u "$U1" -p $GVT_PARENT -t i915-GVTg_V5_4 --auto
	local what reason
	for what in letters megabyte binary EACCES; do
		case $what in
		letters) reason="Error: Unable to parse \"$CT/available_instances\": 'lots' is not a number" ;;
		megabyte) reason="Error: Unable to read \"$CT/available_instances\": it is larger than 65536 bytes, which no sysfs attribute is; check what provides this file" ;;
		binary) reason="Error: Unable to read \"$CT/available_instances\": it is not text (NUL bytes or not UTF-8); check what provides this file" ;;
		EACCES) reason="Error: Unable to read \"$CT/available_instances\"" ;;
		esac
		if [ $what = EACCES ]; then
			simfs_ctl "$ROOT" override "$V54/available_instances" EACCES
		else
			simfs_ctl "$ROOT" override "$V54/available_instances" "$B/$what"
		fi
		run -1 --separate-stderr timeout 30 "$MDEVKIT" types
		assert_equal "${stderr%%$'\n'*}" "$reason"
		run -1 --separate-stderr timeout 30 "$MDEVKIT" start -u "$U1"
		assert_equal "${stderr%%$'\n'*}" "$reason"
		# the model decides for GVT-g; the kernel's broken count is a warning
		run -0 --separate-stderr timeout 30 "$MDEVKIT" check
		assert_output --partial "the kernel's available_instances of i915-GVTg_V5_4 cannot be compared with the model: ${reason#Error: }"
	done
	run -1 --separate-stderr "$MDEVKIT" types
	assert_equal "$stderr" "Error: Unable to read \"$CT/available_instances\"

Caused by:
    Permission denied (os error 13)"
	# nothing was created on the way
	run -0 --separate-stderr "$MDEVKIT" list
	assert_output ""
}

@test "name, description, device_api: EACCES and garbage as the kernel layout would serve them" {
	simfs_ctl "$ROOT" override "$V54/name" EACCES
	simfs_ctl "$ROOT" override "$V54/description" "$B/megabyte"
	run -0 --separate-stderr timeout 30 "$MDEVKIT" types
	assert_equal "$stderr" "Warning: Leaving out the name of i915-GVTg_V5_4: Unable to read \"$CT/name\": Permission denied (os error 13)
Warning: Leaving out the description of i915-GVTg_V5_4: Unable to read \"$CT/description\": it is larger than 65536 bytes, which no sysfs attribute is; check what provides this file"
	run -0 --separate-stderr gvt_pre_start 30 "$U1"
	assert_equal "$stderr" "warning: start $U1 (i915-GVTg_V5_4) on $GVT_PARENT: the kernel's description of i915-GVTg_V5_4 is not one the model can compare: Unable to read \"$CT/description\": it is larger than 65536 bytes, which no sysfs attribute is; check what provides this file; trust the kernel's available_instances"
	simfs_ctl "$ROOT" override "$V54/device_api" "$B/binary"
	run -1 --separate-stderr timeout 30 "$MDEVKIT" types
	assert_equal "$stderr" "Error: Unable to read \"$CT/device_api\": it is not text (NUL bytes or not UTF-8); check what provides this file"
}

@test "resource: garbage, huge or EACCES make the callout refuse and types --gvt say why" {
	printf '0x0 0x0 0x0\n0x0 0x0 0x0\n0x0000004000000000 0xfffffffffffffffff 0x0\n' >"$B/overflow"
	for what in overflow megabyte binary EACCES; do
		if [ $what = EACCES ]; then
			simfs_ctl "$ROOT" override "$GVT_DEVPATH/resource" EACCES
		else
			simfs_ctl "$ROOT" override "$GVT_DEVPATH/resource" "$B/$what"
		fi
		run -1 --separate-stderr gvt_pre_start 30 "$U1"
		echo "$what: $stderr"
		[ "$(grep -c '' <<<"$stderr")" -eq 1 ]
		[[ $stderr == "cannot start $U1 (i915-GVTg_V5_4) on $GVT_PARENT: cannot learn the GPU aperture "*"\"$RES\""* ]]
		run -0 --separate-stderr timeout 30 "$MDEVKIT" types --gvt
		assert_line --partial "    GVT-g: "
	done
	# through mdevkit start, with the callout installed
	ln -s "$MDEVKIT_GVT" "$ROOT/usr/lib/mdevctl/scripts.d/callouts/mdevkit-gvt"
	run -1 --separate-stderr timeout 30 "$MDEVKIT" start -u "$U1" -p $GVT_PARENT -t i915-GVTg_V5_4
	[ "$(grep -c '' <<<"$stderr")" -eq 2 ]
	[[ $stderr == "mdevkit-gvt: cannot start $U1 (i915-GVTg_V5_4) on $GVT_PARENT: cannot learn the GPU aperture "*"\"$RES\""*"
Error: Script '\"$ROOT/usr/lib/mdevctl/scripts.d/callouts/mdevkit-gvt\"' failed with status '1'" ]]
	run -0 --separate-stderr "$MDEVKIT" list
	assert_output ""
}

@test "memory: 1 MiB attributes everywhere keep types --gvt and the callout small" {
	local t
	for t in "$ROOT/sys/$TYPES"/*/; do
		t=${t%/}
		simfs_ctl "$ROOT" override "$TYPES/${t##*/}/name" "$B/megabyte"
		simfs_ctl "$ROOT" override "$TYPES/${t##*/}/description" "$B/megabyte"
	done
	simfs_ctl "$ROOT" override "$GVT_DEVPATH/resource" "$B/megabyte"
	/usr/bin/time -f %M -o "$B/rss1" "$MDEVKIT" types --gvt >/dev/null 2>&1
	/usr/bin/time -f %M -o "$B/rss2" "$MDEVKIT_GVT" -t i915-GVTg_V5_4 -e pre -a start -s none \
		-u "$U1" -p $GVT_PARENT < <(cfg i915-GVTg_V5_4) >/dev/null 2>&1 || true
	local a b
	a=$(tail -1 "$B/rss1") b=$(tail -1 "$B/rss2")
	echo "# peak RSS KiB over simfs: types --gvt $a, mdevkit-gvt pre start $b" >&3
	[ "$a" -lt 65536 ] && [ "$b" -lt 65536 ]
}
