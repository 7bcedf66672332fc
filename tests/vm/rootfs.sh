#!/bin/bash
# The guest's base root: Debian minbase with systemd and udev, Debian's
# mdevctl and the libraries mdevkit links against, packed as an uncompressed
# initramfs (the fastest to unpack under TCG) in $VM/base.cpio.  Rebuilt
# when the package list or this script change.
#
# `rootfs.sh LAYER...` also builds each named layer (see layer_pkgs) in
# $VM/LAYER.cpio: what installing the layer's packages adds to or changes in
# the base, and nothing else.  The kernel unpacks concatenated archives in
# order, so base.cpio + LAYER.cpio + the overlay is the base with the
# packages installed; boots that do not ask for a layer stay as small as
# before.
set -eu
. "$(dirname "$0")/common.sh"

# layer_pkgs LAYER: the packages of a layer (Depends only, as debootstrap
# installs them; it resolves no virtual package, so the providers of
# those are named too)
layer_pkgs() {
	case $1 in
	# libvirtd (libvirtd.service and its sockets, the nodedev and qemu
	# drivers), virsh, and QEMU for tiny TCG domains; polkitd needs a
	# system bus (dbus) and a logind (libpam-systemd)
	libvirt) echo "libvirt-daemon-system libvirt-clients qemu-system-x86 dbus libpam-systemd" ;;
	*) die "unknown layer '$1'; the layers are: libvirt" ;;
	esac
}
for layer in "$@"; do layer_pkgs "$layer" > /dev/null; done

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
	for b in "$BUILD"/mdevkit "$BUILD"/mdevkit-udev "$BUILD"/mdevkit-gvt "$BUILD"/mdevkit-xml; do
		[ -x "$b" ] || continue
		ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// {print $3}'
	done | sort -u | while read -r lib; do
		dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
			dpkg -S "/usr$lib" 2>/dev/null || true
	done | cut -d: -f1 | sort -u | tr '\n' ' '
}

# comma_list WORD...: sorted, without duplicates, joined by commas
comma_list() { echo "$*" | tr ' ' '\n' | grep . | sort -u | tr '\n' ',' | sed 's/,$//'; }

base_pkgs="systemd systemd-sysv udev kmod mdevctl libjson-c5 libuuid1 libudev1 $(lib_pkgs)"
pkgs=$(comma_list "$base_pkgs")
script_key=$(sha256sum "$0" | cut -c1-16)
mirror=${MIRROR:-}

# bootstrap ROOT PKGS LOG: debootstrap minbase with PKGS into ROOT, trimmed
bootstrap() {
	need_pkgs debootstrap cpio
	[ -n "$mirror" ] || mirror=$(apt_mirror)
	[ -n "$mirror" ] || die "no Debian mirror in apt's sources; set MIRROR="
	# a debootstrap killed half-way leaves its /proc mounted in the old tree
	findmnt -rn -o TARGET | grep -F "$1/" | sort -r | xargs -r -n1 umount -l
	rm -rf "$1"
	# one package cache for every root built here, seeded with hard links
	# to apt's own (only read; nothing is seeded across filesystems): the
	# base and a layer's root share most packages, and CI's apt-get has
	# just fetched QEMU and libvirt for the host
	local cache=$VM/debootstrap-cache
	mkdir -p "$cache"
	find /var/cache/apt/archives -maxdepth 1 -name '*.deb' -exec cp -n -l -t "$cache" {} + 2>/dev/null || true
	log "debootstrap $SUITE from $mirror with $2"
	debootstrap --variant=minbase --cache-dir="$cache" --include="$2" "$SUITE" "$1" "$mirror" \
		> "$3" 2>&1 || die "debootstrap failed, see $3"
	# smaller archive, faster boot
	rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/* \
		"$1"/usr/share/locale/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb \
		"$1"/var/lib/apt/lists/*
	# no /etc/initrd-release: systemd boots the initramfs as the real root
	ln -sf /lib/systemd/systemd "$1/init"
}

# pack DIR CPIO: DIR as a newc archive owned by root
pack() {
	(cd "$1" && find . -mindepth 1 | cpio -o -H newc -R 0:0 --quiet) > "$2.tmp"
	mv "$2.tmp" "$2"
}

key="$SUITE $pkgs $script_key"
if key_matches "$VM/base.key" "$key" && [ -f "$VM/base.cpio" ]; then
	log "base root: cached"
else
	R=$VM/root
	rm -f "$VM/base.cpio" "$VM/base.key"
	bootstrap "$R" "$pkgs" "$VM/debootstrap.log"
	pack "$R" "$VM/base.cpio"
	# the overlay is built on top of this tree's layout (merged /usr or not)
	for d in bin sbin lib lib64; do
		[ -L "$R/$d" ] && echo "$d"
	done > "$VM/base.symlinked-dirs" || true
	rm -rf "$R"
	echo "$key" > "$VM/base.key"
fi

for layer in "$@"; do
	lkey="$key $(comma_list "$(layer_pkgs "$layer")")"
	if key_matches "$VM/$layer.key" "$lkey" && [ -f "$VM/$layer.cpio" ]; then
		log "layer $layer: cached"
		continue
	fi
	need_pkgs rsync
	R=$VM/root-$layer B=$VM/root-base L=$VM/layer-$layer
	rm -f "$VM/$layer.cpio" "$VM/$layer.key"
	bootstrap "$R" "$(comma_list "$base_pkgs $(layer_pkgs "$layer")")" "$VM/debootstrap-$layer.log"
	rm -rf "$B" "$L"
	mkdir "$B"
	(cd "$B" && cpio -idm --quiet) < "$VM/base.cpio"
	# what differs from the base by content; directories come along with
	# their modes (the kernel applies an archive's modes to existing ones)
	rsync -a --checksum --compare-dest="$B/" "$R/" "$L/"
	# libvirtd on a machine without networking: no default network to start
	rm -f "$L"/etc/libvirt/qemu/networks/autostart/*
	pack "$L" "$VM/$layer.cpio"
	rm -rf "$R" "$B" "$L"
	echo "$lkey" > "$VM/$layer.key"
done
