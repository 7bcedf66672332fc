#!/bin/bash
# What goes on top of the base root, rebuilt every run (it is small): mdevkit
# installed with `make install DESTDIR=`, the kernel's modules, the
# guest-side test and its unit, the definitions of the test, mtty loaded at
# boot.  Appended to base.cpio (and the layers the boot asks for) as one
# more cpio archive: the kernel unpacks them in order, each over the last.
set -eu
. "$(dirname "$0")/common.sh"

O=$OUT/overlay
rm -rf "$O" "$OUT/overlay.cpio"
mkdir -p "$O"
make_args=(-s -C "$TOP" install DESTDIR="$O" PREFIX=/usr)
[ "$BUILD" -ef "$TOP/build" ] || make_args+=(BUILD="$BUILD")
make "${make_args[@]}" > "$OUT/make-install.log" 2>&1 ||
	die "make install failed, see $OUT/make-install.log"

# `make install-mdevctl` staged aside: guest tests that want mdevkit as
# mdevctl copy it into / when they get there
make -s -C "$TOP" install-mdevctl DESTDIR="$O/usr/local/share/mdevkit-vm/install-mdevctl" \
	PREFIX=/usr > "$OUT/make-install-mdevctl.log" 2>&1 ||
	die "make install-mdevctl failed, see $OUT/make-install-mdevctl.log"

# the kernel's modules (vfio, mdev, autofs4) and mtty, from kernel.sh
cp -a "$VM/kernel/lib" "$O/"

# Entries for /lib, /bin... would replace the base's merged-/usr symlinks with
# directories: move them under /usr as the base has them.
while read -r d; do
	if [ -d "$O/$d" ] && [ ! -L "$O/$d" ]; then
		mkdir -p "$O/usr/$d"
		cp -a "$O/$d/." "$O/usr/$d/"
		rm -rf "${O:?}/$d"
	fi
done < "$VM/base.symlinked-dirs"

G=$HERE/guest
[ -f "$G/$GUEST_TEST" ] || die "no guest test $G/$GUEST_TEST (MDEVKIT_VM_TEST)"
install -D -m 0755 "$G/$GUEST_TEST" "$O/usr/local/sbin/mdevkit-vm-test"
install -D -m 0644 "$G/mdevkit-vm-test.service" "$O/etc/systemd/system/mdevkit-vm-test.service"
mkdir -p "$O/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/mdevkit-vm-test.service "$O/etc/systemd/system/multi-user.target.wants/"
# nothing the test does not need
for u in systemd-firstboot.service apt-daily.timer apt-daily-upgrade.timer \
	e2scrub_all.timer fstrim.timer getty@tty1.service serial-getty@ttyS0.service \
	serial-getty@ttyS1.service; do
	ln -sf /dev/null "$O/etc/systemd/system/$u"
done
echo mdevkit-vm > "$O/etc/hostname"
install -D -m 0644 /dev/stdin "$O/etc/modules-load.d/mtty.conf" <<<"mtty"
# two auto definitions and one manual, on mtty (24 ports)
install -d -m 0755 "$O/etc/mdevctl.d/mtty"
cp "$G"/definitions/* "$O/etc/mdevctl.d/mtty/"
chmod 0644 "$O"/etc/mdevctl.d/mtty/*

# every directory 0755 root: the kernel applies an archive's directory modes
# to directories that already exist
find "$O" -type d -exec chmod 0755 {} +
(cd "$O" && find . -mindepth 1 | cpio -o -H newc -R 0:0 --quiet) > "$OUT/overlay.cpio"
layer_cpios=()
for layer in $LAYERS; do layer_cpios+=("$VM/$layer.cpio"); done
cat "$VM/base.cpio" "${layer_cpios[@]}" "$OUT/overlay.cpio" > "$OUT/guest.cpio"
