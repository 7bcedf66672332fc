#!/bin/bash
# Debian's kernel for the guest: vmlinuz, the modules the guest needs, and
# the mtty sample mdev parent built out of tree from Debian's linux-source
# of the same version.  Result in $VM/kernel/ (vmlinuz, lib/modules/ ready
# for the guest), rebuilt when Debian's kernel version changes.
set -eu
. "$(dirname "$0")/common.sh"

# one builder at a time: the boots of mtty.bats, libvirt.bats and
# vmconfig.bats ask for the kernel at once when tests/run runs them as
# parallel jobs; the others wait, then find it cached
mkdir -p "$VM"
exec 8> "$VM/kernel.lock"
flock 8

kernel_names
key="$KPKG $KDEBVER $(sha256sum "$0" | cut -c1-16)"
K=$VM/kernel
if key_matches "$K/.key" "$key"; then
	log "kernel $KVER: cached"
	exit 0
fi
log "kernel $KVER ($KDEBVER): fetching and building mtty.ko"
need_pkgs xz-utils gcc make "linux-headers-$KVER"
rm -rf "$K" "$VM/debs"
mkdir -p "$K/mtty" "$VM/debs"
# apt-get download runs as the _apt user
chmod 777 "$VM/debs"
(cd "$VM/debs" && apt-get -q download "$KPKG=$KDEBVER" "linux-source-$KMAJ=$KDEBVER") \
	> "$VM/apt-download.log" 2>&1 || die "apt-get download failed, see $VM/apt-download.log"

# only vmlinuz and a few modules: the package is ~400 MB unpacked
dpkg-deb --fsys-tarfile "$VM/debs/${KPKG}_"*.deb | tar -x -C "$K" --wildcards \
	'./boot/vmlinuz-*' './lib/modules/*/modules.order' './lib/modules/*/modules.builtin*' \
	'./lib/modules/*/kernel/drivers/vfio/*' './lib/modules/*/kernel/fs/autofs/autofs4.ko'
dpkg-deb --fsys-tarfile "$VM/debs/linux-source-${KMAJ}_"*.deb |
	tar -xO "./usr/src/linux-source-$KMAJ.tar.xz" |
	tar -xJ -C "$K/mtty" --strip-components=3 "linux-source-$KMAJ/samples/vfio-mdev/mtty.c"
echo 'obj-m := mtty.o' > "$K/mtty/Kbuild"
make -s -C "/lib/modules/$KVER/build" M="$K/mtty" modules > "$K/mtty/build.log" 2>&1 ||
	die "building mtty.ko failed, see $K/mtty/build.log"
mkdir -p "$K/lib/modules/$KVER/extra"
cp "$K/mtty/mtty.ko" "$K/lib/modules/$KVER/extra/"
need_pkgs kmod
depmod -b "$K" "$KVER"
cp "$K/boot/vmlinuz-$KVER" "$K/vmlinuz"
echo "$KVER" > "$K/version"
rm -rf "$VM/debs"
echo "$key" > "$K/.key"
