# Bats helpers for tests that run over mdevkit-simfs, the simulated mdev
# sysfs (tests/simfs/README.md).  In a .bats file:
#
#   load ../lib/helpers
#   load ../lib/simfs
#   setup()    { mk_root; simfs_mount "$ROOT"; }     # or with a scenario file
#   teardown() { simfs_teardown; }
#
# simfs_mount ROOT [SCENARIO]   mount at ROOT/sys (built-in Skylake host when
#                               no scenario); returns once it answers
# simfs_umount ROOT             unmount, wait for the daemon, fail if its log
#                               shows a sanitizer report
# simfs_teardown                unmount everything this test mounted, then
#                               fail if any mount is left under the test's
#                               directory (and remove it: lazy unmount, kill)
# simfs_track ROOT              have teardown unmount ROOT too (for mounts
#                               started by hand, e.g. --foreground)
# simfs_wait ROOT [PID]         wait until ROOT/sys answers (generous limit;
#                               gives up early when process PID died)
# simfs_mounted ROOT            true while ROOT/sys is a simfs mount
# simfs_ctl ROOT ARGS...        mdevkit-simfs ctl ROOT ARGS...
# simfs_scenario FILE TEXT      write a scenario file (TEXT as printf %b)
# gvt_scenario FILE APERTURE [GGTT] [GENERATION] [KERNEL]
#                               a one-parent GVT-g host
# simfs_host_files ROOT PROFILE what `mdevkit doctor` reads outside /sys
#                               (tests/simfs/host-files.sh: healthy, guc-on)
# simfs_uuid N                  a fixed, valid UUID numbered N
# simfs_avail ROOT [PARENT]     "<type> <available_instances>" lines, sorted
# simfs_types ROOT [PARENT]     the type directory of PARENT (path)
# types_of [PARENT]             the same for $ROOT
#
# Never touches the real /sys: every mount lives under the caller's ROOT.

SIMFS_SCENARIOS=$TOP/tests/simfs/scenarios
GVT_PARENT=0000:00:02.0
GVT_DEVPATH=devices/pci0000:00/0000:00:02.0
SIMFS_FSTYPE=fuse.mdevkit-simfs

# The internals below avoid subshells and external commands: a loaded CI
# machine pays tens of milliseconds per fork, in every test's teardown.

# where this test records what it mounted (one root per line)
_simfs_list() {
	_SIMFS_LIST=${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:?}}/.simfs-mounts
}

# _SIMFS_REAL: ROOT made absolute and canonical without touching ROOT/sys
# (a hung daemon would block any access below it)
_simfs_real() {
	local old=$PWD
	if cd -P -- "$1" 2> /dev/null; then
		_SIMFS_REAL=${PWD%/}
		cd -- "$old" || return 1
	else
		_SIMFS_REAL=${1%/}
	fi
}

# _SIMFS_MOUNTS: "MOUNTPOINT FSTYPE SOURCE" lines of every mount, from
# /proc/self/mountinfo (read directly: findmnt may stat the mount point,
# which hangs on a hung daemon); mount points keep the \040 escapes
_simfs_mounts() {
	local text line i
	local -a f lines
	_SIMFS_MOUNTS=()
	# the whole file in one sequential read: `while read` seeks back after
	# each line, and a seek in mountinfo re-walks a table that parallel
	# tests change meanwhile, so a line could be skipped
	read -r -d '' text < /proc/self/mountinfo || true # ends at EOF, not at a NUL
	mapfile -t lines <<< "$text"
	for line in "${lines[@]}"; do
		read -r -a f <<< "$line"
		for ((i = 6; i < ${#f[@]}; i++)); do
			if [ "${f[i]}" = - ]; then
				_SIMFS_MOUNTS+=("${f[4]} ${f[i + 1]} ${f[i + 2]}")
				break
			fi
		done
	done
}

# _SIMFS_AT: "FSTYPE SOURCE" of the visible mount at ROOT/sys, empty if none
_simfs_at() {
	local mp m
	_simfs_real "$1"
	mp=$_SIMFS_REAL/sys
	mp=${mp// /\\040}
	_SIMFS_AT=
	_simfs_mounts
	for m in "${_SIMFS_MOUNTS[@]}"; do
		# the last one stacked on the mount point is the visible one
		[ "${m%% *}" = "$mp" ] && _SIMFS_AT=${m#* }
	done
	return 0
}

simfs_mounted() {
	_simfs_at "$1"
	[ "${_SIMFS_AT%% *}" = "$SIMFS_FSTYPE" ]
}

simfs_track() {
	_simfs_real "$1"
	_simfs_list
	echo "$_SIMFS_REAL" >> "$_SIMFS_LIST"
}

simfs_wait() {
	local root=$1 pid=${2:-} i
	for ((i = 0; i < 1200; i++)); do
		if simfs_mounted "$root" && [ -e "$root/sys/kernel/mdevkit-simfs/pid" ]; then
			return 0
		fi
		if [ -n "$pid" ] && ! kill -0 "$pid" 2> /dev/null; then
			break
		fi
		sleep 0.1
	done
	echo "simfs_wait: $root/sys did not come up" >&2
	return 1
}

simfs_host_files() {
	"$TOP/tests/simfs/host-files.sh" "$1" "$2"
}

simfs_mount() {
	local root=$1 scenario=${2:-} log
	mkdir -p "$root"
	# recorded first, so teardown cleans up even after a half-done mount
	simfs_track "$root"
	log=$_SIMFS_REAL.simfs.log
	if ! "$SIMFS" mount "$root" ${scenario:+--scenario "$scenario"} --log "$log"; then
		echo "simfs_mount: mounting $root failed; daemon log:" >&2
		cat "$log" >&2 2>/dev/null
		return 1
	fi
}

# the sanitizer or crash reports a daemon may have left in its log
_simfs_log_clean() {
	local log=$1
	[ -s "$log" ] || return 0
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: |Segmentation|Aborted' "$log"; then
		echo "mdevkit-simfs daemon log $log reports errors:" >&2
		cat "$log" >&2
		return 1
	fi
}

simfs_umount() {
	local root=$1 real mp pid line rc=0
	local -a keep=()
	_simfs_at "$root"
	real=$_SIMFS_REAL
	mp=$real/sys
	if [ "${_SIMFS_AT%% *}" = "$SIMFS_FSTYPE" ]; then
		pid=${_SIMFS_AT##*:}
		if ! "$SIMFS" umount "$root"; then
			rc=1
			echo "simfs_umount: $mp did not unmount cleanly; detaching it" >&2
			umount -l "$mp" 2>/dev/null || true
			if [[ $pid =~ ^[0-9]+$ ]]; then
				kill -KILL "$pid" 2>/dev/null || true
			fi
		fi
	fi
	_simfs_log_clean "$real.simfs.log" || rc=1
	_simfs_list
	if [ -f "$_SIMFS_LIST" ]; then
		while read -r line; do
			[ "$line" = "$real" ] || keep+=("$line")
		done < "$_SIMFS_LIST"
		if [ ${#keep[@]} -gt 0 ]; then
			printf '%s\n' "${keep[@]}" > "$_SIMFS_LIST"
		else
			: > "$_SIMFS_LIST"
		fi
	fi
	return $rc
}

simfs_teardown() {
	local root rc=0 dir m target fstype src pid
	local -a roots=()
	_simfs_list
	if [ -f "$_SIMFS_LIST" ]; then
		while read -r root; do
			[ -n "$root" ] && roots+=("$root")
		done < "$_SIMFS_LIST"
		for root in "${roots[@]}"; do
			# listed twice is fine: the second call finds nothing mounted
			simfs_umount "$root" || rc=1
		done
		rm -f "$_SIMFS_LIST"
	fi
	# last resort: anything of ours still mounted under this test's dir
	_simfs_real "${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:?}}"
	dir=$_SIMFS_REAL
	_simfs_mounts
	for m in "${_SIMFS_MOUNTS[@]}"; do
		read -r target fstype src <<< "$m"
		[ "$fstype" = "$SIMFS_FSTYPE" ] || continue
		case $target in "$dir"/*) ;; *) continue ;; esac
		echo "simfs_teardown: $target was left mounted; detaching it" >&2
		umount -l "$target" 2>/dev/null || true
		pid=${src##*:}
		if [[ $pid =~ ^[0-9]+$ ]]; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
		rc=1
	done
	return $rc
}

simfs_ctl() {
	"$SIMFS" ctl "$@"
}

simfs_scenario() {
	printf '%b' "$2" > "$1"
}

gvt_scenario() {
	local file=$1 aperture=$2 ggtt=${3:-4096} gen=${4:-9} kernel=${5:-6.1}
	simfs_scenario "$file" "[host]\nkernel = $kernel\n[gvt $GVT_PARENT]\ngeneration = $gen\naperture = $aperture\nggtt = $ggtt\n"
}

simfs_uuid() {
	printf '%08x-0000-4000-8000-%012x\n' "$1" "$1"
}

simfs_types() {
	echo "$1/sys/class/mdev_bus/${2:-$GVT_PARENT}/mdev_supported_types"
}

types_of() {
	simfs_types "$ROOT" "${1:-}"
}

simfs_avail() {
	local dir t
	dir=$(simfs_types "$1" "${2:-}")
	for t in "$dir"/*/; do
		[ -d "$t" ] || continue
		t=${t%/}
		echo "${t##*/} $(cat "$t/available_instances")"
	done | sort
}
