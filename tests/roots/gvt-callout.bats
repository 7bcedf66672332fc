#!/usr/bin/env bats
# mdevkit-gvt run directly, with mdevctl's exact argv and stdin for every
# event and action, on fixture sysfs trees built by hand: exit codes,
# stdout only for get, every message word for word.
load ../lib/helpers
load ../lib/gvt

setup() {
	mk_root
}

EVENTS_ACTIONS="pre:start pre:stop pre:define pre:undefine pre:modify
post:start post:stop post:define post:undefine post:modify
notify:start notify:stop notify:define notify:undefine notify:modify
get:attributes get:capabilities live:modify"

# ---- the protocol ------------------------------------------------------------

@test "a foreign type exits 2 for every event and action, silently, stdin drained" {
	gvt_fixture "$ROOT" 1024
	for ea in $EVENTS_ACTIONS; do
		for state in none success failure; do
			# 1 MiB of stdin: the writer must not see EPIPE (mdevctl 1.2 would skip us)
			run --separate-stderr bash -c 'head -c 1048576 /dev/zero | "$@"; echo "writer ${PIPESTATUS[0]}"' \
				_ "$MDEVKIT_GVT" -t mtty-1 -e "${ea%:*}" -a "${ea#*:}" -s "$state" -u "$U1" -p mtty
			assert_output "writer 0"
			[ -z "$stderr" ]
		done
		run -2 --separate-stderr callout nvidia-156 "${ea%:*}" "${ea#*:}" none "$U1" 0000:03:00.0 < <(cfg nvidia-156)
		assert_output ""
		[ -z "$stderr" ]
	done
}

@test "a foreign type touches no file" {
	command -v strace >/dev/null || skip "strace is not installed"
	gvt_fixture "$ROOT" 1024
	# (LeakSanitizer cannot run under ptrace)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 run -2 strace -f -qq -e trace=%file,%desc -o "$BATS_TEST_TMPDIR/trace" \
		"$NATIVE/mdevkit-gvt" -t mtty-1 -e pre -a start -s none -u "$U1" -p mtty < <(cfg mtty-1)
	# only the dynamic loader's files, stdin and the exit
	run grep -E "$ROOT|/etc/|/sys/|/run/" "$BATS_TEST_TMPDIR/trace"
	refute_output --regexp '/(sys|run)/|/etc/(mdev|mdevkit)'
}

@test "i915-GVTg_* names that are not GVT-g types are still ours (exit 1 at pre, not 2)" {
	gvt_fixture "$ROOT" 1024
	run -1 --separate-stderr callout i915-GVTg_V5_3 pre define none "$U1" $GVT_P < <(cfg i915-GVTg_V5_3)
	assert_equal "$stderr" "cannot define $U1 (i915-GVTg_V5_3) on $GVT_P: i915-GVTg_V5_3 is not a GVT-g type; pick one of i915-GVTg_V5_8, i915-GVTg_V5_4, i915-GVTg_V5_2, i915-GVTg_V5_1"
	assert_output ""
}

@test "get capabilities answers mdevctl 1.3's offer with every event and action" {
	run -0 --separate-stderr callout i915-GVTg_V5_4 get capabilities none "$U1" $GVT_P <<<"$PROVIDES"
	assert_output '{"supports":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","get","notify","live"]}}'
	[ -z "$stderr" ]
}

@test "get capabilities answers the intersection with what mdevctl provides" {
	run -0 callout i915-GVTg_V5_4 get capabilities none "$U1" $GVT_P \
		<<<'{"provides":{"version":1,"actions":["START","stop","define","undefine","modify","attributes","capabilities","list"],"events":["pre","post","notify","get","future"]}}'
	assert_output '{"supports":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","get","notify"]}}'
	run -0 callout i915-GVTg_V5_4 get capabilities none "$U1" $GVT_P \
		<<<'{"provides":{"version":2,"actions":["start"],"events":[]}}'
	assert_output '{"supports":{"version":2,"actions":["start"],"events":[]}}'
}

@test "get capabilities without a readable offer answers everything it handles" {
	for input in '' 'garbage' '{"provides":null}' '{"provides":{"version":2,"actions":"x","events":[]}}'; do
		run -0 callout i915-GVTg_V5_4 get capabilities none "$U1" $GVT_P <<<"$input"
		assert_output '{"supports":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","get","notify","live"]}}'
	done
}

@test "get attributes prints [] and nothing else" {
	run -0 --separate-stderr callout i915-GVTg_V5_4 get attributes none "$U1" $GVT_P < /dev/null
	[ "$output" = "[]" ]
	[ -z "$stderr" ]
	# even on a host where nothing else would work
	run -0 callout i915-GVTg_V5_4 get attributes none "$U1" nosuchparent < /dev/null
	[ "$output" = "[]" ]
}

@test "post, notify and live exit 0 with no output for every action and state" {
	for ea in $EVENTS_ACTIONS; do
		case $ea in post:* | notify:* | live:*) ;; *) continue ;; esac
		for state in none success failure; do
			run -0 --separate-stderr callout i915-GVTg_V5_1 "${ea%:*}" "${ea#*:}" "$state" "$U1" nosuchparent < <(cfg i915-GVTg_V5_1 auto '[{"x":"y"}]')
			assert_output ""
			[ -z "$stderr" ]
		done
	done
	# notify of 1.3 has no stdin
	run -0 --separate-stderr callout i915-GVTg_V5_4 notify start success "$U1" $GVT_P < /dev/null
	assert_output ""
}

@test "pre stop and pre undefine have nothing to check" {
	for a in stop undefine; do
		run -0 --separate-stderr callout i915-GVTg_V5_1 pre $a none "$U1" nosuchparent < <(cfg i915-GVTg_V5_1)
		assert_output ""
		[ -z "$stderr" ]
	done
}

@test "unknown events and actions are nothing to do (exit 0)" {
	run -0 --separate-stderr callout i915-GVTg_V5_4 pre test none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_output ""
	run -0 --separate-stderr callout i915-GVTg_V5_4 later start none "$U1" $GVT_P < /dev/null
	assert_output ""
	[ -z "$stderr" ]
}

@test "the six options come in any order, each exactly once" {
	gvt_fixture "$ROOT" 1024
	run -0 --separate-stderr "$MDEVKIT_GVT" -p $GVT_P -u "$U1" -s none -a start -e pre -t i915-GVTg_V5_4 < <(cfg i915-GVTg_V5_4)
	[ -z "$stderr" ]
	run -1 --separate-stderr "$MDEVKIT_GVT" -t i915-GVTg_V5_4 -e pre -a start -s none -p $GVT_P < /dev/null
	assert_equal "$stderr" "cannot check the arguments: -u is missing; mdevctl passes -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT, each once"
	run -1 --separate-stderr "$MDEVKIT_GVT" -t i915-GVTg_V5_4 -t i915-GVTg_V5_4 -e pre -a start -s none -u "$U1" -p $GVT_P < /dev/null
	assert_equal "$stderr" "cannot check the arguments: -t is given twice; mdevctl passes -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT, each once"
	run -1 --separate-stderr "$MDEVKIT_GVT" -t i915-GVTg_V5_4 --event pre < /dev/null
	assert_equal "$stderr" "cannot check the arguments: unexpected argument \"--event\"; mdevctl passes -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT, each once"
	run -1 --separate-stderr "$MDEVKIT_GVT" -t i915-GVTg_V5_4 -e < /dev/null
	assert_equal "$stderr" "cannot check the arguments: -e has no value; mdevctl passes -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT, each once"
	run -1 "$MDEVKIT_GVT" < /dev/null
	# a foreign type wins over broken arguments
	run -2 --separate-stderr "$MDEVKIT_GVT" -t mtty-1 -x < /dev/null
	[ -z "$stderr" ]
}

# ---- pre: the parent ---------------------------------------------------------------

@test "pre refuses a parent that is not registered" {
	for a in define modify start; do
		run -1 --separate-stderr callout i915-GVTg_V5_4 pre $a none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4 auto)
		assert_equal "$stderr" "cannot $a $U1 (i915-GVTg_V5_4) on $GVT_P: $GVT_P is not registered for mdev (it has no mdev_supported_types); boot with i915.enable_gvt=1 and load kvmgt, or pick a registered parent"
		assert_output ""
	done
}

@test "pre refuses a registered parent that is not i915 GVT-g" {
	mtty_fixture "$ROOT"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" mtty < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_4) on mtty: mtty is not an i915 GVT-g parent; pick the Intel GPU's parent (usually 0000:00:02.0)"
}

@test "pre refuses a parent name that would escape sysfs" {
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre define none "$U1" ../../etc < <(cfg i915-GVTg_V5_4)
	assert_output ""
	assert_equal "$(echo "$stderr" | wc -l)" 1
	assert_equal "${stderr%%: *}" "cannot define $U1 (i915-GVTg_V5_4) on ../../etc"
}

@test "pre refuses a GPU whose aperture leaves nothing for vGPUs (128 MiB)" {
	gvt_fixture "$ROOT" 128
	run -1 --separate-stderr callout i915-GVTg_V5_8 pre define none "$U1" $GVT_P < <(cfg i915-GVTg_V5_8)
	assert_equal "$stderr" "cannot define $U1 (i915-GVTg_V5_8) on $GVT_P: this GPU's aperture is 128 MiB, no more than the 128 MiB the host keeps, so no vGPU fits; raise \"GPU aperture size\" in firmware setup to at least 192 MiB"
}

@test "pre refuses a host whose GGTT leaves no hidden GM" {
	gvt_fixture "$ROOT" 2048
	mkdir -p "$ROOT/etc/mdevkit"
	echo "ggtt_mib = 2048" > "$ROOT/etc/mdevkit/gvt.conf"
	run -1 --separate-stderr callout i915-GVTg_V5_8 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_8)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_8) on $GVT_P: this GPU's GGTT of 2048 MiB minus its 2048 MiB aperture leaves no hidden GM beyond the 384 MiB the host keeps; lower \"GPU aperture size\" in firmware setup, or set ggtt_mib in $ROOT/etc/mdevkit/gvt.conf if the GGTT is larger"
}

@test "pre refuses when the aperture cannot be read, naming the file" {
	gvt_fixture "$ROOT" 1024
	rm "$ROOT/sys/$GVT_DEV/resource"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_4) on $GVT_P: cannot learn the GPU aperture of $GVT_P: Unable to read \"$ROOT/sys/bus/pci/devices/$GVT_P/resource\": No such file or directory (os error 2); check that the parent is an Intel GPU with GVT-g enabled"
	printf 'garbage\n' > "$ROOT/sys/$GVT_DEV/resource"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_4) on $GVT_P: cannot learn the GPU aperture from \"$ROOT/sys/bus/pci/devices/$GVT_P/resource\": it has no line for BAR 2; check that the parent is an Intel GPU with GVT-g enabled"
}

# ---- pre: the type ------------------------------------------------------------------

@test "pre refuses a type of the other GPU generation" {
	gvt_fixture "$ROOT" 1024
	run -1 --separate-stderr callout i915-GVTg_V4_8 pre define none "$U1" $GVT_P < <(cfg i915-GVTg_V4_8)
	assert_equal "$stderr" "cannot define $U1 (i915-GVTg_V4_8) on $GVT_P: i915-GVTg_V4_8 is a type of generation 8 GPUs (Broadwell) and this GPU shows i915-GVTg_V5_* types; pick i915-GVTg_V5_8"
	mk_root "$BATS_TEST_TMPDIR/bdw"
	gvt_fixture "$ROOT" 1024 8
	run -1 --separate-stderr callout i915-GVTg_V5_2 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_2)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_2) on $GVT_P: i915-GVTg_V5_2 is a type of generation 9 and later GPUs and this GPU (Broadwell) shows i915-GVTg_V4_* types; pick i915-GVTg_V4_2"
	run -0 --separate-stderr callout i915-GVTg_V4_2 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V4_2)
	[ -z "$stderr" ]
}

@test "pre refuses a type the aperture hides, saying which aperture it needs" {
	gvt_fixture "$ROOT" 512
	for a in define modify start; do
		run -1 --separate-stderr callout i915-GVTg_V5_1 pre $a none "$U1" $GVT_P < <(cfg i915-GVTg_V5_1 auto)
		assert_equal "$stderr" "cannot $a $U1 (i915-GVTg_V5_1) on $GVT_P: i915-GVTg_V5_1 needs a GPU aperture of at least 640 MiB and this GPU has 512 MiB; raise \"GPU aperture size\" in firmware setup, or pick a type that fits: i915-GVTg_V5_8, i915-GVTg_V5_4, i915-GVTg_V5_2"
		assert_output ""
	done
	mk_root "$BATS_TEST_TMPDIR/small"
	gvt_fixture "$ROOT" 256
	run -1 --separate-stderr callout i915-GVTg_V5_2 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_2)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_2) on $GVT_P: i915-GVTg_V5_2 needs a GPU aperture of at least 384 MiB and this GPU has 256 MiB; raise \"GPU aperture size\" in firmware setup, or pick a type that fits: i915-GVTg_V5_8, i915-GVTg_V5_4"
}

@test "pre refuses a type that cannot start even on an idle GPU" {
	gvt_fixture "$ROOT" 2048
	run -1 --separate-stderr callout i915-GVTg_V5_1 pre define none "$U1" $GVT_P < <(cfg i915-GVTg_V5_1)
	assert_equal "$stderr" "cannot define $U1 (i915-GVTg_V5_1) on $GVT_P: i915-GVTg_V5_1 needs 2048 MiB of hidden GM and this GPU has 1664 MiB for vGPUs even with none running; pick a smaller type, or lower \"GPU aperture size\" in firmware setup to 1024 MiB"
}

@test "pre refuses attributes: GVT-g vGPUs have none" {
	gvt_fixture "$ROOT" 1024
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre define none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4 manual '[{"weight":"4"}]')
	assert_equal "$stderr" "cannot define $U1 (i915-GVTg_V5_4) on $GVT_P: GVT-g vGPUs have no attributes and 1 is given (weight); remove it from the definition"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4 manual '[{"a":"1"},{"b":"2"}]')
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_4) on $GVT_P: GVT-g vGPUs have no attributes and 2 are given (a, b); remove them from the definition"
}

@test "pre accepts a fitting device silently" {
	gvt_fixture "$ROOT" 512
	for a in define modify start; do
		run -0 --separate-stderr callout i915-GVTg_V5_2 pre $a none "$U1" $GVT_P < <(cfg i915-GVTg_V5_2 auto)
		assert_output ""
		[ -z "$stderr" ]
	done
}

# ---- pre start: what is running ---------------------------------------------------------

@test "pre start refuses an 8th vGPU, naming the seven that hold the slots" {
	gvt_fixture "$ROOT" 1024
	local held=""
	for u in $U1 $U2 $U3 $U4 $U5 $U6 $U7; do
		gvt_running "$ROOT" "$u" i915-GVTg_V5_8
		held+="${held:+, }$u (i915-GVTg_V5_8)"
	done
	run -1 --separate-stderr callout i915-GVTg_V5_8 pre start none "$U8" $GVT_P < <(cfg i915-GVTg_V5_8)
	assert_equal "$stderr" "cannot start $U8 (i915-GVTg_V5_8) on $GVT_P: not enough vGPU slots: it needs 1, 0 free of 7 (held by $held); stop one of them"
	assert_output ""
}

@test "pre start names the binding resource, what is free, what is needed and who holds it" {
	gvt_fixture "$ROOT" 1024
	gvt_running "$ROOT" "$U1" i915-GVTg_V5_1
	gvt_running "$ROOT" "$U2" i915-GVTg_V5_8
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U8" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U8 (i915-GVTg_V5_4) on $GVT_P: not enough hidden GM: it needs 512 MiB, 256 MiB free of 2688 MiB (held by $U1 (i915-GVTg_V5_1), $U2 (i915-GVTg_V5_8)); stop one of them or pick a smaller type"
	mk_root "$BATS_TEST_TMPDIR/ap"
	gvt_fixture "$ROOT" 512
	gvt_running "$ROOT" "$U1" i915-GVTg_V5_2
	gvt_running "$ROOT" "$U2" i915-GVTg_V5_8
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U8" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U8 (i915-GVTg_V5_4) on $GVT_P: not enough aperture: it needs 128 MiB, 64 MiB free of 384 MiB (held by $U1 (i915-GVTg_V5_2), $U2 (i915-GVTg_V5_8)); stop one of them, pick a smaller type, or raise \"GPU aperture size\" in firmware setup"
	run -0 --separate-stderr callout i915-GVTg_V5_8 pre start none "$U8" $GVT_P < <(cfg i915-GVTg_V5_8)
	[ -z "$stderr" ]
}

@test "pre start does not count the device itself when it already runs" {
	gvt_fixture "$ROOT" 1024
	gvt_running "$ROOT" "$U1" i915-GVTg_V5_1
	run -0 --separate-stderr callout i915-GVTg_V5_1 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_1)
	[ -z "$stderr" ]
}

@test "the kernel's available_instances decides when it disagrees with the model" {
	gvt_fixture "$ROOT" 1024
	gvt_running "$ROOT" "$U1" i915-GVTg_V5_4
	gvt_set_avail "$ROOT" i915-GVTg_V5_4 0
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U8" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U8 (i915-GVTg_V5_4) on $GVT_P: the kernel shows no available instance of i915-GVTg_V5_4 although the model expects 4 with a 4096 MiB GGTT; stop a running vGPU, or set ggtt_mib in $ROOT/etc/mdevkit/gvt.conf to this GPU's GGTT size"
	# the other way round: the model says no, the kernel says yes
	mk_root "$BATS_TEST_TMPDIR/other"
	gvt_fixture "$ROOT" 1024
	gvt_running "$ROOT" "$U1" i915-GVTg_V5_1
	gvt_set_avail "$ROOT" i915-GVTg_V5_2 1
	run -0 --separate-stderr callout i915-GVTg_V5_2 pre start none "$U8" $GVT_P < <(cfg i915-GVTg_V5_2)
	assert_equal "$stderr" "warning: start $U8 (i915-GVTg_V5_2) on $GVT_P: the model expects not enough hidden GM with a 4096 MiB GGTT but the kernel shows 1 available instances of i915-GVTg_V5_2; set ggtt_mib in $ROOT/etc/mdevkit/gvt.conf to this GPU's GGTT size"
}

@test "with no vGPU running, a model/kernel mismatch is a warning that names the GGTT" {
	# the kernel's numbers of a 2 GiB GGTT, the model's default of 4 GiB
	gvt_fixture "$ROOT" 1024 9 2048
	run -0 --separate-stderr callout i915-GVTg_V5_8 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_8)
	assert_equal "$stderr" "warning: start $U1 (i915-GVTg_V5_8) on $GVT_P: the kernel shows 1 available instances of i915-GVTg_V5_8 and the model expects 7 with a 4096 MiB GGTT; set ggtt_mib = 2048 in $ROOT/etc/mdevkit/gvt.conf"
	mkdir -p "$ROOT/etc/mdevkit"
	printf '# this GPU has GGMS = 2\nggtt_mib = 2048   # MiB\n' > "$ROOT/etc/mdevkit/gvt.conf"
	run -0 --separate-stderr callout i915-GVTg_V5_8 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_8)
	[ -z "$stderr" ]
	# and then V5_2 cannot start at all
	run -1 --separate-stderr callout i915-GVTg_V5_2 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_2)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_2) on $GVT_P: i915-GVTg_V5_2 needs 1024 MiB of hidden GM and this GPU has 640 MiB for vGPUs even with none running; pick a smaller type, or lower \"GPU aperture size\" in firmware setup to 512 MiB"
}

@test "a type description that is not the model's table is a warning" {
	gvt_fixture "$ROOT" 1024
	printf 'low_gm_size: 96MB\nhigh_gm_size: 384MB\nfence: 4\nresolution: 1024x768\nweight: 2\n' \
		> "$ROOT/sys/$GVT_DEV/mdev_supported_types/i915-GVTg_V5_8/description"
	run -0 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "warning: start $U1 (i915-GVTg_V5_4) on $GVT_P: the kernel describes i915-GVTg_V5_8 with 96 MiB aperture, 384 MiB hidden GM and 4 fences, and the model's table with 64 MiB, 384 MiB and 4; the model does not know this kernel's GVT-g types, trust the kernel's available_instances"
}

@test "a type the model expects but the kernel does not show is a warning about the aperture" {
	gvt_fixture "$ROOT" 1024
	rm -r "$ROOT/sys/$GVT_DEV/mdev_supported_types/i915-GVTg_V5_1"
	run -0 --separate-stderr callout i915-GVTg_V5_4 pre define none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "warning: define $U1 (i915-GVTg_V5_4) on $GVT_P: the kernel does not show i915-GVTg_V5_1 but the model shows it with a 1024 MiB aperture; check that line 2 of the GPU's PCI resource file is its aperture (BAR 2)"
}

@test "a broken gvt.conf is named with its line and the fix" {
	gvt_fixture "$ROOT" 1024
	mkdir -p "$ROOT/etc/mdevkit"
	printf 'ggtt_mib = 3000\n' > "$ROOT/etc/mdevkit/gvt.conf"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_4) on $GVT_P: $ROOT/etc/mdevkit/gvt.conf:1: ggtt_mib is \"3000\"; it must be 1024, 2048 or 4096 (the GGTT sizes the GPU can have)"
	printf '\nggt_mib = 2048\n' > "$ROOT/etc/mdevkit/gvt.conf"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_4) on $GVT_P: $ROOT/etc/mdevkit/gvt.conf:2: unknown setting \"ggt_mib\"; the only setting is ggtt_mib"
	printf 'ggtt_mib 2048\n' > "$ROOT/etc/mdevkit/gvt.conf"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_4) on $GVT_P: $ROOT/etc/mdevkit/gvt.conf:1: \"ggtt_mib 2048\" is not \"key = value\"; write \"ggtt_mib = 4096\" or remove the line"
}

# ---- pre define / modify: the auto definitions at boot ------------------------------------

@test "a manual definition that fits only when others are stopped is accepted with a warning" {
	gvt_fixture "$ROOT" 1024
	gvt_running "$ROOT" "$U1" i915-GVTg_V5_1
	run -0 --separate-stderr callout i915-GVTg_V5_2 pre define none "$U8" $GVT_P < <(cfg i915-GVTg_V5_2 manual)
	assert_equal "$stderr" "warning: define $U8 (i915-GVTg_V5_2) on $GVT_P: it fits only when other vGPUs are stopped: not enough hidden GM: it needs 1024 MiB, 640 MiB free of 2688 MiB (held by $U1 (i915-GVTg_V5_1)); stop one of them before starting it"
	assert_output ""
}

@test "an auto definition is refused when the parent's auto definitions would not fit at boot" {
	gvt_fixture "$ROOT" 1024
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_2 auto)"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_4 auto)"
	write_def "$ROOT" $GVT_P "$U3" "$(cfg i915-GVTg_V5_1 manual)"
	write_def "$ROOT" $GVT_P "$U4" "$(cfg i915-GVTg_V5_3 auto)"
	write_def "$ROOT" mtty "$U5" "$(cfg mtty-1 auto)"
	run -1 --separate-stderr callout i915-GVTg_V5_1 pre define none "$U8" $GVT_P < <(cfg i915-GVTg_V5_1 auto)
	assert_equal "$stderr" "cannot define $U8 (i915-GVTg_V5_1) on $GVT_P: the auto definitions of $GVT_P ($U1 (i915-GVTg_V5_2), $U2 (i915-GVTg_V5_4), $U8 (i915-GVTg_V5_1)) would not fit together at boot: not enough hidden GM: they need 3584 MiB and the GPU has 2688 MiB for vGPUs; make some of them manual or pick smaller types"
	assert_output ""
	# the same device as manual is fine (nothing runs)
	run -0 --separate-stderr callout i915-GVTg_V5_1 pre define none "$U8" $GVT_P < <(cfg i915-GVTg_V5_1 manual)
	[ -z "$stderr" ]
	# a smaller type fits with the others
	run -0 --separate-stderr callout i915-GVTg_V5_2 pre define none "$U8" $GVT_P < <(cfg i915-GVTg_V5_2 auto)
	[ -z "$stderr" ]
}

@test "the boot-set refusal names the smallest aperture when one would fit them" {
	gvt_fixture "$ROOT" 512
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_2 auto)"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_4 auto)"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre define none "$U3" $GVT_P < <(cfg i915-GVTg_V5_4 auto)
	assert_equal "$stderr" "cannot define $U3 (i915-GVTg_V5_4) on $GVT_P: the auto definitions of $GVT_P ($U1 (i915-GVTg_V5_2), $U2 (i915-GVTg_V5_4), $U3 (i915-GVTg_V5_4)) would not fit together at boot: not enough aperture: they need 512 MiB and the GPU has 384 MiB for vGPUs; make some of them manual or pick smaller types, or set \"GPU aperture size\" in firmware setup to 1024 MiB"
}

@test "pre modify checks the device as it will be: same uuid replaced, not added" {
	gvt_fixture "$ROOT" 1024
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_1 auto)"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_4 auto)"
	# U1 V5_1 -> V5_2 next to U2: fits (U1's old V5_1 no longer counts)
	run -0 --separate-stderr callout i915-GVTg_V5_2 pre modify none "$U1" $GVT_P < <(cfg i915-GVTg_V5_2 auto)
	[ -z "$stderr" ]
	# U2 V5_4 -> V5_2 next to U1's V5_1: 3072 MiB hidden GM
	run -1 --separate-stderr callout i915-GVTg_V5_2 pre modify none "$U2" $GVT_P < <(cfg i915-GVTg_V5_2 auto)
	assert_equal "$stderr" "cannot modify $U2 (i915-GVTg_V5_2) on $GVT_P: the auto definitions of $GVT_P ($U1 (i915-GVTg_V5_1), $U2 (i915-GVTg_V5_2)) would not fit together at boot: not enough hidden GM: they need 3072 MiB and the GPU has 2688 MiB for vGPUs; make some of them manual or pick smaller types"
	# ... or to manual: accepted
	run -0 --separate-stderr callout i915-GVTg_V5_2 pre modify none "$U2" $GVT_P < <(cfg i915-GVTg_V5_2 manual)
	[ -z "$stderr" ]
	# a modify to a type that cannot exist here is refused
	run -1 --separate-stderr callout i915-GVTg_V4_4 pre modify none "$U2" $GVT_P < <(cfg i915-GVTg_V4_4 manual)
	assert_equal "$stderr" "cannot modify $U2 (i915-GVTg_V4_4) on $GVT_P: i915-GVTg_V4_4 is a type of generation 8 GPUs (Broadwell) and this GPU shows i915-GVTg_V5_* types; pick i915-GVTg_V5_4"
}

# ---- pre: what is on stdin ------------------------------------------------------------------

@test "pre refuses stdin that is not a definition, and an invalid UUID" {
	gvt_fixture "$ROOT" 1024
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre define none "$U1" $GVT_P <<<'{"mdev_type":'
	assert_output ""
	assert_equal "${stderr%% (*}" "cannot define $U1"
	assert_equal "${stderr##*; }" "pass the device's definition as mdevctl does"
	run -1 --separate-stderr callout i915-GVTg_V5_4 pre define none not-a-uuid $GVT_P < <(cfg i915-GVTg_V5_4)
	assert_equal "$stderr" "cannot define not-a-uuid (i915-GVTg_V5_4) on $GVT_P: \"not-a-uuid\" is not a UUID; pass the device's UUID with -u"
	run -1 --separate-stderr bash -c 'head -c 2000000 /dev/zero | "$@"' _ "$MDEVKIT_GVT" -t i915-GVTg_V5_4 -e pre -a start -s none -u "$U1" -p $GVT_P
	assert_equal "$stderr" "cannot start $U1 (i915-GVTg_V5_4) on $GVT_P: the device JSON on stdin is larger than 1048576 bytes; pass the device's definition as mdevctl does"
}

@test "pre with empty stdin checks the device as a manual one" {
	gvt_fixture "$ROOT" 512
	run -0 --separate-stderr callout i915-GVTg_V5_2 pre start none "$U1" $GVT_P < /dev/null
	[ -z "$stderr" ]
	run -1 --separate-stderr callout i915-GVTg_V5_1 pre start none "$U1" $GVT_P < /dev/null
	assert_equal "${stderr%%: i915-GVTg_V5_1 needs*}" "cannot start $U1 (i915-GVTg_V5_1) on $GVT_P"
}

@test "never crashes on hostile input" {
	gvt_fixture "$ROOT" 1024
	for input in '' '[]' 'null' '{"mdev_type":1}' '{"mdev_type":"x","start":"auto","attrs":{}}' \
		"$(head -c 3000 /dev/urandom | tr -d '\0')" '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[{"a":"b","c":"d"}]}'; do
		for ea in pre:define pre:modify pre:start get:capabilities post:start; do
			run --separate-stderr callout i915-GVTg_V5_4 "${ea%:*}" "${ea#*:}" none "$U1" $GVT_P <<<"$input"
			[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
			[ "$(printf '%s' "$stderr" | grep -c '')" -le 1 ]
		done
	done
	printf 'garbage\n\n\n' > "$ROOT/sys/$GVT_DEV/mdev_supported_types/i915-GVTg_V5_4/available_instances"
	run --separate-stderr callout i915-GVTg_V5_4 pre start none "$U1" $GVT_P < <(cfg i915-GVTg_V5_4)
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
	run --separate-stderr callout "i915-GVTg_$(printf 'x%.0s' {1..5000})" pre start none "$U1" $GVT_P < /dev/null
	[ "$status" -eq 1 ]
}

@test "arguments with control bytes or invalid UTF-8 are echoed escaped, on one line" {
	# found by tests/fuzz/callout.c (seeds control-chars-in-args, unexpected-argument-cr)
	gvt_fixture "$ROOT" 1024
	run -1 --separate-stderr "$MDEVKIT_GVT" -t $'i915-GVTg_V5_4\rX' -e pre -a define -s none \
		-u $'bad\e[31m' -p $'0000:00:02.0\xff' < /dev/null
	assert_equal "$stderr" 'cannot define bad\x1B[31m (i915-GVTg_V5_4\x0DX) on 0000:00:02.0\xFF: "bad\x1B[31m" is not a UUID; pass the device'"'"'s UUID with -u'
	run -1 --separate-stderr "$MDEVKIT_GVT" -t $'i915-GVTg_V5_4\nX' -e pre -a define -s none \
		-u "$U1" -p $'0000:00:02.0\n\x7f' < /dev/null
	assert_equal "$stderr" "cannot define $U1 (i915-GVTg_V5_4\\x0AX) on 0000:00:02.0\\x0A\\x7F: Invalid parent name: it contains a control character; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	run -1 --separate-stderr "$MDEVKIT_GVT" $'\rt' i915-GVTg_V5_4 -x 1 -e < /dev/null
	assert_equal "$stderr" 'cannot check the arguments: unexpected argument "\x0Dt"; mdevctl passes -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT, each once'
}
