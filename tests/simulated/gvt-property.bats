#!/usr/bin/env bats
# Property: the GVT-g model (gvt.h, through mdevkit-unit) and the simulated
# kernel (mdevkit-simfs) are two independent implementations of spec
# gvt-g.md §2-3.  For random hosts and random sets of types created one by
# one, the model's "does it fit" agrees with create (ENOSPC exactly when
# the model says it does not fit), and after every step the model's
# available_instances equals the kernel's files.  The seed is printed on
# failure; MDEVKIT_PROPERTY_SEED replays a run.
load ../lib/helpers
load ../lib/simfs
load ../lib/gvt

setup() {
	mk_root
}

teardown() {
	simfs_teardown
}

# try_create UUID TYPE: "ok" or the errno text of the write
try_create() {
	local dir
	dir=$(simfs_types "$ROOT")/$2
	if ( printf '%s' "$1" > "$dir/create" ) 2>"$BATS_TEST_TMPDIR/err"; then
		echo ok
	else
		sed -e 's/.*: //' "$BATS_TEST_TMPDIR/err"
	fi
}

remove_all() {
	local d
	for d in "$ROOT"/sys/bus/mdev/devices/*; do
		[ -e "$d" ] || continue
		printf 1 > "$d/remove"
	done
}

# one host shape, TRIALS random sets
trials() {
	local a=$1 ggtt=$2 gen=$3 kernel=$4 n=$5 seed=${MDEVKIT_PROPERTY_SEED:-$RANDOM}
	local visible=() t k step used want got uuid created=0 refused=0
	echo "# seed $seed (A=$a T=$ggtt gen $gen kernel $kernel)"
	RANDOM=$seed
	gvt_scenario "$BATS_TEST_TMPDIR/host.conf" "$a" "$ggtt" "$gen" "$kernel"
	simfs_mount "$ROOT" "$BATS_TEST_TMPDIR/host.conf"
	while read -r t k; do
		[ "$k" = - ] || visible+=("$t")
	done < <("$UNIT" gvt-avail "$gen" "$a" "$ggtt")
	# the types the kernel shows are the ones the model shows
	run -0 ls "$(simfs_types "$ROOT")"
	assert_output "$(printf '%s\n' "${visible[@]}" | sort)"
	for ((trial = 0; trial < n; trial++)); do
		used=()
		for ((step = 0; step < 1 + RANDOM % 9; step++)); do
			t=${visible[RANDOM % ${#visible[@]}]}
			uuid=$(simfs_uuid $((trial * 100 + step + 1)))
			if "$UNIT" gvt-fit "$gen" "$a" "$ggtt" "${used[@]}" -- "$t" > /dev/null; then
				want=ok
			else
				want="No space left on device"
			fi
			got=$(try_create "$uuid" "$t")
			if [ "$got" != "$want" ]; then
				echo "trial $trial: after ${used[*]:-nothing}, create $t: model says '$want', kernel says '$got'"
				return 1
			fi
			if [ "$got" = ok ]; then
				used+=("$t")
				created=$((created + 1))
			else
				refused=$((refused + 1))
			fi
			if [ "$kernel" = 6.1 ]; then
				run -0 simfs_avail "$ROOT"
				assert_output "$("$UNIT" gvt-avail "$gen" "$a" "$ggtt" "${used[@]}" | grep -v ' -$' | sort)"
			fi
		done
		remove_all
	done
	echo "# $created created, $refused refused with ENOSPC"
	# both outcomes were exercised
	[ "$created" -gt 0 ] && [ "$refused" -gt 0 ]
}

@test "property: 1024 MiB aperture, 4 GiB GGTT (Skylake, 6.1)" { trials 1024 4096 9 6.1 25; }
@test "property: 512 MiB aperture, 4 GiB GGTT (6.1)" { trials 512 4096 9 6.1 25; }
@test "property: 256 MiB aperture, 4 GiB GGTT (Broadwell names, 6.1)" { trials 256 4096 8 6.1 15; }
@test "property: 2048 MiB aperture, 4 GiB GGTT (6.1)" { trials 2048 4096 9 6.1 20; }
@test "property: 1024 MiB aperture, 2 GiB GGTT (6.1)" { trials 1024 2048 9 6.1 15; }
@test "property: 640 MiB aperture (not a power of two), 4 GiB GGTT (6.1)" { trials 640 4096 9 6.1 20; }
@test "property: 384 MiB aperture, kernel 5.4 (create only)" { trials 384 4096 9 5.4 20; }
