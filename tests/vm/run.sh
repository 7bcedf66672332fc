#!/bin/bash
# The real-kernel tier, host side: kernel and mtty, base root (both cached in
# $VM), mdevkit installed on top, one boot running every case.  Leaves
# $VM/record.log (the guest's markers and journal) for tests/vm/mtty.bats,
# wall times in $VM/times.txt and the measured registration-to-last-device
# time in $VM/timing.txt.  Run as root.
set -eu
. "$(dirname "$0")/common.sh"

[ "$(id -u)" -eq 0 ] || die "run as root (apt-get, debootstrap)"
mkdir -p "$VM"
: > "$VM/times.txt"
t0=$(date +%s.%N)
stage "kernel and mtty.ko" "$HERE/kernel.sh"
stage "base root" "$HERE/rootfs.sh"
stage "mdevkit overlay" "$HERE/overlay.sh"
stage "boot and test" "$HERE/boot.sh"
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%-28s %7.1f s\n", "total", b - a }' >> "$VM/times.txt"
{
	echo "# guest: kernel $(cat "$VM/kernel/version"), 2 vCPUs, QEMU $(cat "$VM/accel")"
	sed -n 's/^MDEVKIT-VM \(timing[^ ]*\) /\1 /p' "$VM/record.log"
} > "$VM/timing.txt"
cat "$VM/times.txt" "$VM/timing.txt" >&2
