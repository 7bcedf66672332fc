#!/usr/bin/env bats
# `mdevkit check`: do the auto definitions of each parent fit the hardware?
# (GVT-g budget with the smallest fitting aperture; generic counts for
# other parents; unregistered parents skipped), text and --dumpjson; the
# summary for the udev helper and the per-type details for `types --gvt`.
load ../lib/helpers
load ../lib/gvt

setup() {
	mk_root
}

@test "check: GVT-g auto definitions that fit" {
	gvt_fixture "$ROOT" 1024
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_4 auto)"
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_2 auto)"
	write_def "$ROOT" $GVT_P "$U3" "$(cfg i915-GVTg_V5_1 manual)"
	run -0 --separate-stderr "$MDEVKIT" check
	assert_output "$GVT_P: fits (2 auto definitions)
  GVT-g: aperture 1024 MiB, GGTT 4096 MiB, smallest aperture that fits them: 512 MiB
  $U1 i915-GVTg_V5_2
  $U2 i915-GVTg_V5_4"
	[ -z "$stderr" ]
}

@test "check: GVT-g auto definitions that do not fit, why, and the smallest aperture" {
	gvt_fixture "$ROOT" 512
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_2 auto)"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_4 auto)"
	write_def "$ROOT" $GVT_P "$U3" "$(cfg i915-GVTg_V5_4 auto)"
	run -1 "$MDEVKIT" check
	assert_output "$GVT_P: does not fit: not enough aperture: they need 512 MiB and the GPU has 384 MiB for vGPUs; make some of them manual or pick smaller types, or set \"GPU aperture size\" in firmware setup to 1024 MiB
  GVT-g: aperture 512 MiB, GGTT 4096 MiB, smallest aperture that fits them: 1024 MiB
  $U1 i915-GVTg_V5_2
  $U2 i915-GVTg_V5_4
  $U3 i915-GVTg_V5_4"
}

@test "check: definitions that cannot start on their own are listed with the reason" {
	gvt_fixture "$ROOT" 512
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_1 auto)"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V4_4 auto)"
	write_def "$ROOT" $GVT_P "$U3" "$(cfg i915-GVTg_V5_8 auto '[{"x":"1"}]')"
	write_def "$ROOT" $GVT_P "$U4" "$(cfg i915-GVTg_V5_8 auto)"
	run -1 "$MDEVKIT" check -p $GVT_P
	assert_output "$GVT_P: does not fit: 3 of 4 auto definitions cannot start on this GPU; fix or undefine the definitions listed below
  GVT-g: aperture 512 MiB, GGTT 4096 MiB, no aperture fits them
  $U1 i915-GVTg_V5_1: i915-GVTg_V5_1 needs a GPU aperture of at least 640 MiB and this GPU has 512 MiB; raise \"GPU aperture size\" in firmware setup, or pick a type that fits: i915-GVTg_V5_8, i915-GVTg_V5_4, i915-GVTg_V5_2
  $U2 i915-GVTg_V4_4: i915-GVTg_V4_4 is a type of generation 8 GPUs (Broadwell) and this GPU shows i915-GVTg_V5_* types; pick i915-GVTg_V5_4
  $U3 i915-GVTg_V5_8: GVT-g vGPUs have no attributes and 1 is given (x); remove it from the definition
  $U4 i915-GVTg_V5_8"
}

@test "check: no aperture fits, and the model/kernel disagreement is a warning" {
	gvt_fixture "$ROOT" 1024 9 2048
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_1 auto)"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_1 auto)"
	run -1 "$MDEVKIT" check
	assert_output "$GVT_P: does not fit: not enough aperture: they need 1024 MiB and the GPU has 896 MiB for vGPUs; make some of them manual or pick smaller types
  GVT-g: aperture 1024 MiB, GGTT 4096 MiB, no aperture fits them
  $U1 i915-GVTg_V5_1
  $U2 i915-GVTg_V5_1
  warning: the kernel shows 1 available instances of i915-GVTg_V5_8 and the model expects 7 with a 4096 MiB GGTT; set ggtt_mib = 2048 in $ROOT/etc/mdevkit/gvt.conf"
	mkdir -p "$ROOT/etc/mdevkit"
	echo "ggtt_mib = 2048" > "$ROOT/etc/mdevkit/gvt.conf"
	run -1 "$MDEVKIT" check
	assert_line --index 1 "  GVT-g: aperture 1024 MiB, GGTT 2048 MiB (from gvt.conf), no aperture fits them"
	refute_output --partial warning
}

@test "check: other parents by counts, unregistered parents skipped, exit status" {
	gvt_fixture "$ROOT" 1024
	mtty_fixture "$ROOT"
	write_def "$ROOT" mtty "$U1" "$(cfg mtty-2 auto)"
	write_def "$ROOT" mtty "$U2" "$(cfg mtty-3 auto)"
	write_def "$ROOT" matrix "$U3" "$(cfg vfio_ap-passthrough auto)"
	write_def "$ROOT" $GVT_P "$U4" "$(cfg i915-GVTg_V5_4 auto)"
	run -1 "$MDEVKIT" check
	assert_output "$GVT_P: fits (1 auto definition)
  GVT-g: aperture 1024 MiB, GGTT 4096 MiB, smallest aperture that fits them: 256 MiB
  $U4 i915-GVTg_V5_4
matrix: not registered for mdev, 1 auto definition not checked
  $U3 vfio_ap-passthrough
mtty: does not fit: 1 of 2 auto definitions cannot start on this parent; fix or undefine the definitions listed below
  $U1 mtty-2
  $U2 mtty-3: mtty has no type mtty-3; pick a type that \`mdevkit types -p mtty\` lists"
	rm "$ROOT/etc/mdevctl.d/mtty/$U2"
	run -0 "$MDEVKIT" check
	run -0 "$MDEVKIT" check -p matrix
	assert_output "matrix: not registered for mdev, 1 auto definition not checked
  $U3 vfio_ap-passthrough"
	run -0 "$MDEVKIT" check -p nosuch
	assert_output "nosuch: not registered for mdev, 0 auto definitions not checked"
	# counts: 12 mtty-2 fit an idle mtty (24 ports), 13 do not
	echo 1 > "$ROOT/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-2/available_instances"
	write_def "$ROOT" mtty "$U2" "$(cfg mtty-2 auto)"
	run -1 "$MDEVKIT" check -p mtty
	assert_output "mtty: does not fit: 1 of 2 auto definitions cannot start on this parent; fix or undefine the definitions listed below
  $U1 mtty-2
  $U2 mtty-2: it is auto definition 2 of mtty-2 and mtty offers 1 when idle; make it manual or pick another type"
}

@test "check --dumpjson" {
	gvt_fixture "$ROOT" 512
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_1 auto)"
	write_def "$ROOT" matrix "$U3" "$(cfg vfio_ap-passthrough auto)"
	run -1 "$MDEVKIT" check --dumpjson
	assert_output "{
  \"fits\": false,
  \"parents\": [
    {
      \"parent\": \"$GVT_P\",
      \"status\": \"does-not-fit\",
      \"gvt\": true,
      \"aperture_mib\": 512,
      \"ggtt_mib\": 4096,
      \"ggtt_configured\": false,
      \"min_aperture_mib\": 1024,
      \"reason\": \"1 of 1 auto definitions cannot start on this GPU; fix or undefine the definitions listed below\",
      \"warning\": null,
      \"definitions\": [
        {
          \"uuid\": \"$U1\",
          \"type\": \"i915-GVTg_V5_1\",
          \"problem\": \"i915-GVTg_V5_1 needs a GPU aperture of at least 640 MiB and this GPU has 512 MiB; raise \\\"GPU aperture size\\\" in firmware setup, or pick a type that fits: i915-GVTg_V5_8, i915-GVTg_V5_4, i915-GVTg_V5_2\"
        }
      ]
    },
    {
      \"parent\": \"matrix\",
      \"status\": \"not-registered\",
      \"gvt\": false,
      \"reason\": null,
      \"warning\": null,
      \"definitions\": [
        {
          \"uuid\": \"$U3\",
          \"type\": \"vfio_ap-passthrough\",
          \"problem\": null
        }
      ]
    }
  ]
}"
	rm -r "$ROOT/etc/mdevctl.d/$GVT_P" "$ROOT/etc/mdevctl.d/matrix"
	run -0 "$MDEVKIT" check --dumpjson
	assert_output '{
  "fits": true,
  "parents": []
}'
}

@test "check: usage errors and a GVT-g parent whose facts cannot be read" {
	run -2 "$MDEVKIT" check --bogus
	run -0 "$MDEVKIT" check --help
	gvt_fixture "$ROOT" 1024
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_4 auto)"
	rm "$ROOT/sys/$GVT_DEV/resource"
	run -1 "$MDEVKIT" check
	assert_output "$GVT_P: cannot tell: cannot learn the GPU aperture of $GVT_P: Unable to read \"$ROOT/sys/bus/pci/devices/$GVT_P/resource\": No such file or directory (os error 2); check that the parent is an Intel GPU with GVT-g enabled
  $U1 i915-GVTg_V5_4"
}

@test "summary for the udev helper" {
	gvt_fixture "$ROOT" 512
	mtty_fixture "$ROOT"
	write_def "$ROOT" $GVT_P "$U1" "$(cfg i915-GVTg_V5_2 auto)"
	write_def "$ROOT" $GVT_P "$U2" "$(cfg i915-GVTg_V5_4 manual)"
	run -0 "$UNIT" check-summary $GVT_P
	assert_output "registered=1 gvt=1 aperture_mib=512 n_auto=1 fits=1"
	write_def "$ROOT" $GVT_P "$U3" "$(cfg i915-GVTg_V5_2 auto)"
	run -0 "$UNIT" check-summary $GVT_P
	assert_output "registered=1 gvt=1 aperture_mib=512 n_auto=2 fits=0"
	run -0 "$UNIT" check-summary mtty
	assert_output "registered=1 gvt=0 aperture_mib=0 n_auto=0 fits=1"
	run -0 "$UNIT" check-summary matrix
	assert_output "registered=0 gvt=0 aperture_mib=0 n_auto=0 fits=0"
}

@test "per-type GVT-g details for types --gvt" {
	gvt_fixture "$ROOT" 1024
	gvt_running "$ROOT" "$U1" i915-GVTg_V5_4
	run -0 "$UNIT" gvt-details $GVT_P i915-GVTg_V5_4
	assert_output "    GVT-g share: 128 MiB aperture, 512 MiB hidden GM, 4 fences, 1 vGPU slot
    GVT-g free: 768 of 896 MiB aperture, 2176 of 2688 MiB hidden GM, 24 of 28 fences, 6 of 7 vGPU slots (aperture 1024 MiB, GGTT 4096 MiB)
    GVT-g limit: 4 more, then hidden GM runs out"
	mtty_fixture "$ROOT"
	run -0 "$UNIT" gvt-details mtty mtty-1
	assert_output "(not GVT-g)"
}
