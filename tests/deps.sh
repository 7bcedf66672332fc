#!/bin/sh
# Install what mdevkit needs on Debian 12, as root.  Idempotent: packages
# already present are not touched, and apt is not run when nothing is missing.
#
#   tests/deps.sh build    compiler and libraries
#   tests/deps.sh demo     build + the FUSE simulator
#   tests/deps.sh check    demo + everything the three test tiers need
#   tests/deps.sh bench    check + benchmark tools
set -eu
build="make gcc libc6-dev pkg-config uuid-dev libjson-c-dev libudev-dev libxml2-dev udev systemd"
demo="$build libfuse3-dev fuse3"
# man page lint and the bash completion tests
docs="mandoc man-db groff-base bash-completion"
check="$demo $docs bats bats-support bats-assert bats-file parallel mdevctl valgrind strace util-linux time
 qemu-system-x86 debootstrap cpio kmod bc xz-utils ca-certificates
 linux-headers-amd64 build-essential debhelper dpkg-dev lintian clang libclang-rt-14-dev
 libvirt-clients libvirt-daemon-system nix-bin jq python3"
bench="$check hyperfine"
case "${1:-check}" in
build) want=$build ;;
demo) want=$demo ;;
check) want=$check ;;
bench) want=$bench ;;
*) echo "usage: tests/deps.sh build|demo|check|bench" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "tests/deps.sh: missing packages:$missing; run this script as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
