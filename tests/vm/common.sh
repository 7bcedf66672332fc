# Shared by the tests/vm scripts: where things live, logging, apt.
# Sourced, not run.

TOP=${MDEVKIT_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${MDEVKIT_BUILD:-$TOP/build}
# the cache; `make clean` removes it with the rest of build/
VM=${MDEVKIT_VM_DIR:-$TOP/build/vm}
HERE=$(cd "$(dirname "$0")" && pwd)
SUITE=${SUITE:-bookworm}
# One boot's choices (tests/README.md, "Booting the guest"): its output
# directory (overlay, guest.cpio, console.log, record.log, times.txt), the
# layers on top of the base (rootfs.sh) and the guest-side test program
# (a file of tests/vm/guest/) that the guest runs once and powers off.
OUT=${MDEVKIT_VM_OUT:-$VM}
LAYERS=${MDEVKIT_VM_LAYERS:-}
GUEST_TEST=${MDEVKIT_VM_TEST:-mdevkit-vm-test}
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

log() { printf 'vm: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# stage NAME CMD...: run CMD, append its wall time to $OUT/times.txt
stage() {
	_name=$1
	shift
	_t0=$(date +%s.%N)
	"$@"
	awk -v n="$_name" -v a="$_t0" -v b="$(date +%s.%N)" \
		'BEGIN { printf "%-28s %7.1f s\n", n, b - a }' >> "$OUT/times.txt"
}

APT="apt-get -o DPkg::Lock::Timeout=600 -y -q --no-install-recommends"

# need_pkgs PKG...: install the packages that are missing
need_pkgs() {
	_missing=
	for _p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$_p" 2>/dev/null |
			grep -q '^install ok installed$' || _missing="$_missing $_p"
	done
	[ -z "$_missing" ] && return 0
	log "installing$_missing"
	apt_lists
	# shellcheck disable=SC2086
	$APT install $_missing > "$VM/apt-install.log" 2>&1 ||
		die "apt-get install$_missing failed, see $VM/apt-install.log"
}

# apt_lists: make sure apt knows Debian's kernel packages
apt_lists() {
	apt-cache show linux-image-amd64 > /dev/null 2>&1 ||
		apt-get -o DPkg::Lock::Timeout=600 -q update > "$VM/apt-update.log" 2>&1 ||
		die "apt-get update failed, see $VM/apt-update.log"
}

# the first Debian archive this machine's apt uses
apt_mirror() {
	{
		grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
		grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}'
	} | grep -v -- '-security' | head -1
}

# the kernel Debian's linux-image-amd64 points at: sets KPKG KVER KMAJ KDEBVER
kernel_names() {
	apt_lists
	KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
	[ -n "$KPKG" ] || die "no linux-image-amd64 in apt's lists"
	KVER=${KPKG#linux-image-}
	KMAJ=$(echo "$KVER" | cut -d. -f1-2)
	KDEBVER=$(apt-cache policy "$KPKG" | awk '/Candidate:/ {print $2}')
}

# key_matches FILE KEY: FILE holds exactly KEY (a cache stamp)
key_matches() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
