#!/bin/bash
# The real-kernel tier, host side: kernel and mtty, base root and layers (all
# cached in $VM), mdevkit installed on top, one boot running every case of
# the guest test.  Leaves $OUT/record.log (the guest's markers and journal)
# for the bats file, wall times in $OUT/times.txt and the guest's timing
# markers in $OUT/timing.txt.  Run as root.  MDEVKIT_VM_OUT, _LAYERS and
# _TEST choose the boot (common.sh, tests/README.md).
set -eu
. "$(dirname "$0")/common.sh"

[ "$(id -u)" -eq 0 ] || die "run as root (apt-get, debootstrap)"
mkdir -p "$VM" "$OUT"
: > "$OUT/times.txt"
t0=$(date +%s.%N)
stage "kernel and mtty.ko" "$HERE/kernel.sh"
# shellcheck disable=SC2086
stage "base root${LAYERS:+ and $LAYERS}" "$HERE/rootfs.sh" $LAYERS
stage "mdevkit overlay" "$HERE/overlay.sh"
stage "boot and test" "$HERE/boot.sh"
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%-28s %7.1f s\n", "total", b - a }' >> "$OUT/times.txt"
{
	echo "# guest: kernel $(cat "$VM/kernel/version"), 2 vCPUs, QEMU $(cat "$OUT/accel")"
	sed -n 's/^MDEVKIT-VM \(timing[^ ]*\) /\1 /p' "$OUT/record.log"
} > "$OUT/timing.txt"
cat "$OUT/times.txt" "$OUT/timing.txt" >&2
