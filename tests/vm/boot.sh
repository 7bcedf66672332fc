#!/bin/bash
# Boot the guest ($VM/guest.cpio as an initramfs) under QEMU until it powers
# off: console in $VM/console.log, the guest's record (markers and journal)
# from its second serial port in $VM/record.log.
set -eu
. "$(dirname "$0")/common.sh"

need_pkgs qemu-system-x86
timeout_s=${VM_TIMEOUT:-1200}
accel=${ACCEL:-auto}
if [ "$accel" = auto ]; then
	if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; else accel=tcg; fi
fi
case $accel in
kvm) aopts=(-enable-kvm -cpu host) ;;
*) aopts=(-accel tcg) ;;
esac
log "booting the guest ($accel, at most $timeout_s s)"
rm -f "$VM/console.log" "$VM/record.raw" "$VM/record.log"
set +e
timeout "$timeout_s" qemu-system-x86_64 "${aopts[@]}" -m 1536 -smp 2 \
	-display none -no-reboot -monitor none \
	-serial stdio -serial "file:$VM/record.raw" \
	-kernel "$VM/kernel/vmlinuz" -initrd "$VM/guest.cpio" \
	-append "console=ttyS0 panic=-1 quiet loglevel=3" < /dev/null 2>&1 |
	sed -u -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' > "$VM/console.log"
rc=${PIPESTATUS[0]}
set -e
tr -d '\r' < "$VM/record.raw" > "$VM/record.log" 2> /dev/null || true
echo "$accel" > "$VM/accel"
[ "$rc" -eq 0 ] || die "qemu exited with $rc (124: timeout), see $VM/console.log"
