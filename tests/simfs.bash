# Bats helpers for tests that run over mdevkit-simfs, the simulated mdev
# sysfs (tests/simfs/README.md).  In a .bats file:
#
#   load helpers
#   load simfs
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
# simfs_mounted ROOT            true while ROOT/sys is a simfs mount
# simfs_ctl ROOT ARGS...        mdevkit-simfs ctl ROOT ARGS...
# simfs_scenario FILE TEXT      write a scenario file (TEXT as printf %b)
# gvt_scenario FILE APERTURE [GGTT] [GENERATION] [KERNEL]
#                               a one-parent GVT-g host
# simfs_uuid N                  a fixed, valid UUID numbered N
# simfs_avail ROOT [PARENT]     "<type> <available_instances>" lines, sorted
# simfs_types ROOT [PARENT]     the type directory of PARENT (path)
#
# Never touches the real /sys: every mount lives under the caller's ROOT.

SIMFS_SCENARIOS=$TOP/tests/simfs/scenarios
GVT_PARENT=0000:00:02.0
GVT_DEVPATH=devices/pci0000:00/0000:00:02.0
SIMFS_FSTYPE=fuse.mdevkit-simfs

# where this test records what it mounted (one root per line)
_simfs_list() {
	echo "${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:?}}/.simfs-mounts"
}

# ROOT made absolute and canonical without touching ROOT/sys (a hung
# daemon would block any access below it)
_simfs_real() {
	local dir
	dir=$(cd "$1" 2>/dev/null && pwd -P) || dir=$1
	echo "${dir%/}"
}

_simfs_log() {
	echo "$(_simfs_real "$1").simfs.log"
}

# "MOUNTPOINT FSTYPE SOURCE" of every mount, from /proc/self/mountinfo
# (read directly: findmnt may stat the mount point, which hangs on a hung
# daemon); mount points keep mountinfo's \040-style escapes
_simfs_mounts() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { print $5, $(i + 1), $(i + 2); break } }' \
		/proc/self/mountinfo
}

# "FSTYPE SOURCE" of the visible mount at ROOT/sys, nothing if none
_simfs_at() {
	local mp
	mp="$(_simfs_real "$1")/sys"
	mp=${mp// /\\040}
	# ENVIRON, not -v: awk would undo the \040 escapes of a -v value
	_simfs_mounts | MP=$mp awk '$1 == ENVIRON["MP"] { last = $2 " " $3 } END { if (last != "") print last }'
}

simfs_mounted() {
	local at
	at=$(_simfs_at "$1")
	[ "${at%% *}" = "$SIMFS_FSTYPE" ]
}

simfs_mount() {
	local root=$1 scenario=${2:-} log
	mkdir -p "$root"
	log=$(_simfs_log "$root")
	# recorded first, so teardown cleans up even after a half-done mount
	_simfs_real "$root" >> "$(_simfs_list)"
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
	local root real mp src pid rc=0
	root=$1
	real=$(_simfs_real "$root")
	mp=$real/sys
	if simfs_mounted "$root"; then
		src=$(_simfs_at "$root")
		pid=${src##*:}
		if ! "$SIMFS" umount "$root"; then
			rc=1
			echo "simfs_umount: $mp did not unmount cleanly; detaching it" >&2
			umount -l "$mp" 2>/dev/null || true
			if [[ $pid =~ ^[0-9]+$ ]]; then
				kill -KILL "$pid" 2>/dev/null || true
			fi
		fi
	fi
	_simfs_log_clean "$(_simfs_log "$root")" || rc=1
	if [ -f "$(_simfs_list)" ]; then
		grep -vxF "$real" "$(_simfs_list)" > "$(_simfs_list).new" || true
		mv "$(_simfs_list).new" "$(_simfs_list)"
	fi
	return $rc
}

simfs_teardown() {
	local list root rc=0 dir target fstype src pid
	list=$(_simfs_list)
	if [ -f "$list" ]; then
		while read -r root; do
			[ -n "$root" ] || continue
			simfs_umount "$root" || rc=1
		done < <(sort -u "$list")
		rm -f "$list"
	fi
	# last resort: anything of ours still mounted under this test's dir
	dir=$(_simfs_real "${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:?}}")
	while read -r target fstype src; do
		[ "$fstype" = "$SIMFS_FSTYPE" ] || continue
		case $target in "$dir"/*) ;; *) continue ;; esac
		echo "simfs_teardown: $target was left mounted; detaching it" >&2
		umount -l "$target" 2>/dev/null || true
		pid=${src##*:}
		if [[ $pid =~ ^[0-9]+$ ]]; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
		rc=1
	done < <(_simfs_mounts)
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

simfs_avail() {
	local dir t
	dir=$(simfs_types "$1" "${2:-}")
	for t in "$dir"/*/; do
		[ -d "$t" ] || continue
		t=${t%/}
		echo "${t##*/} $(cat "$t/available_instances")"
	done | sort
}
