#!/bin/bash
# The guest's base root: Debian minbase with systemd and udev, Debian's
# mdevctl and the libraries mdevkit links against, packed as an uncompressed
# initramfs (the fastest to unpack under TCG) in $VM/base.cpio.  Rebuilt
# when the package list or this script change.
set -eu
. "$(dirname "$0")/common.sh"

# one builder at a time: mtty.bats (through run.sh) and package.bats may
# ask for the root at once when tests/run runs them as parallel jobs; the
# second waits, then finds it cached
mkdir -p "$VM"
exec 9> "$VM/rootfs.lock"
flock 9

# lib_pkgs: the Debian packages that hold the shared libraries of mdevkit's
# programs, so that the guest runs the binaries built here
lib_pkgs() {
	local b lib
	for b in "$BUILD"/mdevkit "$BUILD"/mdevkit-udev "$BUILD"/mdevkit-gvt; do
		[ -x "$b" ] || continue
		ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// {print $3}'
	done | sort -u | while read -r lib; do
		dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
			dpkg -S "/usr$lib" 2>/dev/null || true
	done | cut -d: -f1 | sort -u | tr '\n' ' '
}

pkgs="systemd systemd-sysv udev kmod mdevctl libjson-c5 libuuid1 libudev1 $(lib_pkgs)"
pkgs=$(echo "$pkgs" | tr ' ' '\n' | grep . | sort -u | tr '\n' ',' | sed 's/,$//')
key="$SUITE $pkgs $(sha256sum "$0" | cut -c1-16)"
if key_matches "$VM/base.key" "$key" && [ -f "$VM/base.cpio" ]; then
	log "base root: cached"
	exit 0
fi
need_pkgs debootstrap cpio
mirror=${MIRROR:-$(apt_mirror)}
[ -n "$mirror" ] || die "no Debian mirror in apt's sources; set MIRROR="
R=$VM/root
# a debootstrap killed half-way leaves its /proc mounted in the old tree
findmnt -rn -o TARGET | grep -F "$R/" | sort -r | xargs -r -n1 umount -l
rm -rf "$R" "$VM/base.cpio" "$VM/base.key"
log "debootstrap $SUITE from $mirror with $pkgs"
debootstrap --variant=minbase --include="$pkgs" "$SUITE" "$R" "$mirror" \
	> "$VM/debootstrap.log" 2>&1 || die "debootstrap failed, see $VM/debootstrap.log"

# smaller archive, faster boot
rm -rf "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/info/* \
	"$R"/usr/share/locale/* "$R"/var/cache/apt/*.bin "$R"/var/lib/apt/lists/*
# no /etc/initrd-release: systemd boots the initramfs as the real root
ln -sf /lib/systemd/systemd "$R/init"
(cd "$R" && find . -mindepth 1 | cpio -o -H newc -R 0:0 --quiet) > "$VM/base.cpio.tmp"
mv "$VM/base.cpio.tmp" "$VM/base.cpio"
# the overlay is built on top of this tree's layout (merged /usr or not)
for d in bin sbin lib lib64; do
	[ -L "$R/$d" ] && echo "$d"
done > "$VM/base.symlinked-dirs" || true
rm -rf "$R"
echo "$key" > "$VM/base.key"
