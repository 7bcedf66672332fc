#!/bin/bash
# Boot the guest ($OUT/guest.cpio as an initramfs) under QEMU until it powers
# off: console in $OUT/console.log, the guest's record (markers and journal)
# from its second serial port in $OUT/record.log.
set -eu
. "$(dirname "$0")/common.sh"

need_pkgs qemu-system-x86
timeout_s=${VM_TIMEOUT:-1200}
# the initramfs lives in RAM twice while it unpacks; the layers are large
mem=1536
[ -z "$LAYERS" ] || mem=3072
accel=${ACCEL:-auto}
if [ "$accel" = auto ]; then
	if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; else accel=tcg; fi
fi
case $accel in
kvm) aopts=(-enable-kvm -cpu host) ;;
*) aopts=(-accel tcg) ;;
esac
log "booting the guest ($accel, $mem MiB, at most $timeout_s s)"
# no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer
# check can fail and panic the boot
rm -f "$OUT/console.log" "$OUT/record.raw" "$OUT/record.log"
set +e
timeout "$timeout_s" qemu-system-x86_64 "${aopts[@]}" -m "$mem" -smp 2 \
	-display none -no-reboot -monitor none \
	-serial stdio -serial "file:$OUT/record.raw" \
	-kernel "$VM/kernel/vmlinuz" -initrd "$OUT/guest.cpio" \
	-append "console=ttyS0 panic=-1 quiet loglevel=3 no_timer_check" < /dev/null 2>&1 |
	sed -u -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' > "$OUT/console.log"
rc=${PIPESTATUS[0]}
set -e
tr -d '\r' < "$OUT/record.raw" > "$OUT/record.log" 2> /dev/null || true
echo "$accel" > "$OUT/accel"
[ "$rc" -eq 0 ] || die "qemu exited with $rc (124: timeout), see $OUT/console.log"
