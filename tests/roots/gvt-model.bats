#!/usr/bin/env bats
# The pure GVT-g model (gvt.h) against spec/gvt-g.md §2: type visibility,
# the kernel's available_instances formula (the §2.5 tables), fit of sets,
# the binding resource, host rejection and the smallest fitting aperture.
load ../lib/helpers

UNIT=$BUILD/mdevkit-unit

avail() { run -0 "$UNIT" gvt-avail "$@"; }

# one row of §2.5: A, then V5_8 V5_4 V5_2 V5_1 ("-" = type absent)
row() {
	local a=$1
	shift
	avail 9 "$a" 4096
	assert_output "i915-GVTg_V5_8 $1
i915-GVTg_V5_4 $2
i915-GVTg_V5_2 $3
i915-GVTg_V5_1 $4"
}

@test "§2.5: A = 128 MiB shows no type" { row 128 - - - -; }
@test "§2.5: A = 192 MiB shows V5_8 only" { row 192 1 - - -; }
@test "§2.5: A = 256 MiB" { row 256 2 1 - -; }
@test "§2.5: A = 384 MiB" { row 384 4 2 1 -; }
@test "§2.5: A = 512 MiB" { row 512 6 3 1 -; }
@test "§2.5: A = 640 MiB shows all four" { row 640 7 4 2 1; }
@test "§2.5: A = 1024 MiB (the expected real listing)" { row 1024 7 5 2 1; }
@test "§2.5: A = 2048 MiB: V5_1 present with 0 available" { row 2048 4 3 1 0; }

@test "visibility stops at the first type that does not fit (boundaries)" {
	avail 9 255 4096
	assert_line "i915-GVTg_V5_8 1"
	assert_line "i915-GVTg_V5_4 -"
	avail 9 639 4096
	assert_line "i915-GVTg_V5_2 1"
	assert_line "i915-GVTg_V5_1 -"
}

@test "generation 8 names the types i915-GVTg_V4_*" {
	avail 8 1024 4096
	assert_output "i915-GVTg_V4_8 7
i915-GVTg_V4_4 5
i915-GVTg_V4_2 2
i915-GVTg_V4_1 1"
}

@test "after allocation, A = 1024: 1 x V5_4" {
	avail 9 1024 4096 i915-GVTg_V5_4
	assert_output "i915-GVTg_V5_8 5
i915-GVTg_V5_4 4
i915-GVTg_V5_2 2
i915-GVTg_V5_1 1"
}

@test "after allocation, A = 1024: 1 x V5_1" {
	avail 9 1024 4096 i915-GVTg_V5_1
	assert_output "i915-GVTg_V5_8 1
i915-GVTg_V5_4 1
i915-GVTg_V5_2 0
i915-GVTg_V5_1 0"
}

@test "after allocation, A = 1024: 5 x V5_4 leaves nothing" {
	avail 9 1024 4096 i915-GVTg_V5_4 i915-GVTg_V5_4 i915-GVTg_V5_4 i915-GVTg_V5_4 i915-GVTg_V5_4
	assert_output "i915-GVTg_V5_8 0
i915-GVTg_V5_4 0
i915-GVTg_V5_2 0
i915-GVTg_V5_1 0"
}

@test "after allocation, A = 512: 6 x V5_8 leaves nothing" {
	avail 9 512 4096 i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8
	assert_output "i915-GVTg_V5_8 0
i915-GVTg_V5_4 0
i915-GVTg_V5_2 0
i915-GVTg_V5_1 -"
}

@test "a 2 GiB GGTT with A = 1024: 1, 1, 0, 0, all four present" {
	avail 9 1024 2048
	assert_output "i915-GVTg_V5_8 1
i915-GVTg_V5_4 1
i915-GVTg_V5_2 0
i915-GVTg_V5_1 0"
}

@test "fit: seven V5_8 fit on 1024 MiB, the eighth needs a vGPU slot" {
	local seven=(i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8 i915-GVTg_V5_8)
	run -0 "$UNIT" gvt-fit 9 1024 4096 -- "${seven[@]}"
	assert_output "fits"
	run -1 "$UNIT" gvt-fit 9 1024 4096 "${seven[@]}" -- i915-GVTg_V5_8
	assert_output "does not fit: vGPU slots need 1 free 0 pool 7"
}

@test "fit: the binding resource is named with need, free and pool" {
	run -1 "$UNIT" gvt-fit 9 1024 4096 i915-GVTg_V5_1 -- i915-GVTg_V5_2
	assert_output "does not fit: hidden GM need 1024 free 640 pool 2688"
	run -1 "$UNIT" gvt-fit 9 512 4096 -- i915-GVTg_V5_2 i915-GVTg_V5_4 i915-GVTg_V5_8
	assert_output "does not fit: aperture need 448 free 384 pool 384"
	run -1 "$UNIT" gvt-fit 9 2048 4096 -- i915-GVTg_V5_1
	assert_output "does not fit: hidden GM need 2048 free 1664 pool 1664"
	run -1 "$UNIT" gvt-fit 9 512 4096 -- i915-GVTg_V5_1
	assert_output "hidden i915-GVTg_V5_1"
}

@test "fit of a set agrees with available_instances after each step" {
	# 5 x V5_4 on 1024: available goes 5,4,3,2,1, then the sixth does not fit
	local used=()
	for n in 5 4 3 2 1; do
		run -0 "$UNIT" gvt-avail 9 1024 4096 "${used[@]}"
		assert_line "i915-GVTg_V5_4 $n"
		run -0 "$UNIT" gvt-fit 9 1024 4096 "${used[@]}" -- i915-GVTg_V5_4
		used+=(i915-GVTg_V5_4)
	done
	run -1 "$UNIT" gvt-fit 9 1024 4096 "${used[@]}" -- i915-GVTg_V5_4
	assert_output "does not fit: hidden GM need 512 free 128 pool 2688"
}

@test "hosts with wrapping pools are rejected with the reason and the fix" {
	run -1 "$UNIT" gvt-host-check 128 4096
	assert_output 'this GPU'"'"'s aperture is 128 MiB, no more than the 128 MiB the host keeps, so no vGPU fits; raise "GPU aperture size" in firmware setup to at least 192 MiB'
	run -1 "$UNIT" gvt-host-check 64 4096
	assert_output --partial "aperture is 64 MiB"
	run -1 "$UNIT" gvt-host-check 2048 2048
	assert_output "this GPU's GGTT of 2048 MiB minus its 2048 MiB aperture leaves no hidden GM beyond the 384 MiB the host keeps; lower \"GPU aperture size\" in firmware setup, or set ggtt_mib in /etc/mdevkit/gvt.conf if the GGTT is larger"
	run -1 "$UNIT" gvt-host-check 3712 4096
	run -0 "$UNIT" gvt-host-check 3584 4096
	run -0 "$UNIT" gvt-host-check 256 4096
}

@test "smallest aperture that fits a set" {
	run -0 "$UNIT" gvt-min-aperture 4096 i915-GVTg_V5_1
	assert_output 1024
	run -0 "$UNIT" gvt-min-aperture 4096 i915-GVTg_V5_8
	assert_output 256
	run -0 "$UNIT" gvt-min-aperture 4096 i915-GVTg_V5_4 i915-GVTg_V5_4 i915-GVTg_V5_4
	assert_output 512
	run -0 "$UNIT" gvt-min-aperture 4096 i915-GVTg_V5_2 i915-GVTg_V5_2 i915-GVTg_V5_4
	assert_output 1024
	# two V5_1 need 4096 MiB hidden GM: no aperture gives that with 4 GiB GGTT
	run -0 "$UNIT" gvt-min-aperture 4096 i915-GVTg_V5_1 i915-GVTg_V5_1
	assert_output 0
	# with a 2 GiB GGTT: one V5_2 fits at 512, two never do
	run -0 "$UNIT" gvt-min-aperture 2048 i915-GVTg_V5_2
	assert_output 512
	run -0 "$UNIT" gvt-min-aperture 2048 i915-GVTg_V5_2 i915-GVTg_V5_2
	assert_output 0
	run -0 "$UNIT" gvt-min-aperture 2048 i915-GVTg_V5_4
	assert_output 256
}

@test "type names: the eight names parse, nothing else does" {
	run -0 "$UNIT" gvt-name i915-GVTg_V5_4
	assert_output "V5 index 1: aperture 128 MiB, hidden 512 MiB, fences 4, weight 4, 1920x1200"
	run -0 "$UNIT" gvt-name i915-GVTg_V4_8
	assert_output "V4 index 0: aperture 64 MiB, hidden 384 MiB, fences 4, weight 2, 1024x768"
	for bad in i915-GVTg_V5_3 i915-GVTg_V6_4 i915-GVTg_V5_44 i915-GVTg_V5_ i915-GVTg_ GVTg_V5_4 i915-GVTg_v5_4; do
		run -1 "$UNIT" gvt-name "$bad"
	done
	run -1 "$UNIT" gvt-name i915-GVTg_V5_3
	assert_output "not a GVT-g type (but i915-GVTg_*)"
	run -1 "$UNIT" gvt-name mtty-1
	assert_output "not a GVT-g type"
}

@test "description parser: 5-line (4.12+) and 4-line (4.11) forms" {
	run -0 "$UNIT" gvt-desc <<<$'low_gm_size: 128MB\nhigh_gm_size: 512MB\nfence: 4\nresolution: 1920x1200\nweight: 4'
	assert_output "low 128 high 512 fence 4 resolution 1920x1200 weight 4 entry 1"
	run -0 "$UNIT" gvt-desc <<<$'low_gm_size: 64MB\nhigh_gm_size: 384MB\nfence: 4\nresolution: 1024x768'
	assert_output "low 64 high 384 fence 4 resolution 1024x768 weight none 0 entry 0"
	run -0 "$UNIT" gvt-desc <<<$'low_gm_size: 96MB\nhigh_gm_size: 384MB\nfence: 4\nresolution: 1024x768\nweight: 2'
	assert_output --partial "entry -1"
	run -1 "$UNIT" gvt-desc <<<$'low_gm_size: 128\nhigh_gm_size: 512MB\nfence: 4\nresolution: 1920x1200'
	assert_output 'error: line 1 of a GVT-g description is "low_gm_size: 128", not "low_gm_size: ..."'
	run -1 "$UNIT" gvt-desc <<<$'low_gm_size: 128MB'
	assert_output "error: a GVT-g description has 1 lines, not 4 or 5"
	run -1 "$UNIT" gvt-desc < /dev/null
}

@test "aperture from line 2 of the PCI resource file" {
	res=$'0x00000000f6000000 0x00000000f6ffffff 0x0000000000140204\n0x0000000000000000 0x0000000000000000 0x0000000000000000\n0x00000000e0000000 0x00000000efffffff 0x000000000014220c\n'
	run -0 "$UNIT" gvt-resource <<<"$res"
	assert_output 256
	run -0 "$UNIT" gvt-resource <<<$'0x0 0x0 0x0\n0x0 0x0 0x0\n0x0000004000000000 0x000000403fffffff 0x000000000014220c'
	assert_output 1024
	run -1 "$UNIT" gvt-resource <<<$'0x0 0x0 0x0\n0x0 0x0 0x0\n0x0000000000000000 0x0000000000000000 0x0000000000000000'
	assert_output "error: BAR 2 (the aperture) is not assigned"
	run -1 "$UNIT" gvt-resource <<<$'0x0 0x0 0x0\n0x0 0x0 0x0'
	assert_output "error: it has no line for BAR 2"
	run -1 "$UNIT" gvt-resource <<<$'0x0 0x0 0x0\n0x0 0x0 0x0\nzzz'
	assert_output 'error: its BAR 2 line is not "0x<start> 0x<end> 0x<flags>"'
}
