#!/usr/bin/env bats
# The Debian package and `make install`/`make uninstall`.  The package is
# built from a copy of the tree in a temporary directory (dpkg-buildpackage
# writes into the parent of the tree it builds), then installed into the
# guest's base root with the libvirt layer (tests/vm/rootfs.sh libvirt) with
# chroot: no /proc, /sys or /run of the host in there, and the definitions
# are the chroot's own.
load ../lib/helpers

VM=${MDEVKIT_VM_DIR:-$TOP/build/vm}
U=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e0d0e01

# elapsed SINCE: seconds since the date +%s.%N value SINCE
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	local t0 src=$BATS_FILE_TMPDIR/src
	mkdir "$src"
	tar -C "$TOP" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
	t0=$(date +%s.%N)
	# make check's own variables must not reach the package's make
	(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		nice dpkg-buildpackage -us -uc -b) > "$BATS_FILE_TMPDIR/build.log" 2>&1 || {
		echo "# dpkg-buildpackage failed; the end of its output:" >&2
		tail -30 "$BATS_FILE_TMPDIR/build.log" >&2
		return 1
	}
	echo "# package build: $(elapsed "$t0") s" >&3
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (chroot, dpkg -i into a root)"
	SRC=$BATS_FILE_TMPDIR/src
	DEB=$(echo "$BATS_FILE_TMPDIR"/mdevkit_*_*.deb)
	DEB_MDEVCTL=$(echo "$BATS_FILE_TMPDIR"/mdevkit-mdevctl_*_all.deb)
}

# make_in_copy ARGS...: the Makefile of the copy, with the package's binaries
make_in_copy() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SRC" BUILD=build/deb "$@"; }

# deb_entries DEB / tree_entries DIR: one line per entry, "d PATH" for a
# directory, "MODE PATH" for a file, "MODE PATH -> TARGET" for a link
deb_entries() {
	dpkg-deb -c "$1" | awk '{ p = $6; sub(/^\.\//, "", p); sub(/\/$/, "", p); if (p == "") next
		t = substr($1, 1, 1)
		if (t == "d") print "d " p; else if (t == "l") print $1 " " p " -> " $8; else print $1 " " p }'
}
tree_entries() {
	(cd "$1" && find . -mindepth 1 -printf '%M %P %l\n') | awk '{ t = substr($1, 1, 1)
		if (t == "d") print "d " $2; else if (t == "l") print $1 " " $2 " -> " $3; else print $1 " " $2 }'
}

@test "debian/changelog names the version in VERSION" {
	run dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version
	assert_success
	assert_output "$(cat "$TOP/VERSION")"
}

@test "dpkg-buildpackage builds the mdevkit package and only the installed programs" {
	assert_file_exists "$DEB"
	run dpkg-deb -f "$DEB" Package Version Depends Recommends Conflicts Breaks
	assert_line "Package: mdevkit"
	assert_line "Version: $(cat "$TOP/VERSION")"
	# json-c and libuuid are linked in statically (Makefile: STATIC_LIBS);
	# the udev helper links libudev, the hook and mdevkit-xml libxml2
	assert_line --regexp '^Depends: .*libudev1'
	assert_line --regexp '^Depends: .*libxml2'
	refute_line --regexp '^Depends: .*(libjson-c|libuuid)'
	assert_line "Recommends: mdevctl"
	refute_line --regexp '^(Conflicts|Breaks):'
	assert_file_executable "$SRC/build/deb/mdevkit"
	assert_file_executable "$SRC/build/deb/mdevkit-libvirt-hook"
	assert_file_not_exists "$SRC/build/deb/mdevkit-simfs"
	assert_file_not_exists "$SRC/build/deb/mdevkit-unit"
}

@test "dpkg-buildpackage builds mdevkit-mdevctl, which depends on mdevkit" {
	assert_file_exists "$DEB_MDEVCTL"
	run dpkg-deb -f "$DEB_MDEVCTL" Package Version Architecture Depends Conflicts Breaks Replaces
	assert_line "Package: mdevkit-mdevctl"
	assert_line "Version: $(cat "$TOP/VERSION")"
	assert_line "Architecture: all"
	assert_line "Depends: mdevkit (>= $(cat "$TOP/VERSION"))"
	refute_line --regexp '^(Conflicts|Breaks|Replaces):'
	# mdevkit itself links libxml2 nowhere but in its hook
	run dpkg-deb -f "$DEB" Depends
	assert_output --regexp 'libxml2'
}

@test "lintian reports no errors on the .changes and the .deb" {
	local t0
	t0=$(date +%s.%N)
	# as root lintian says so on stderr; warnings are listed, not failed on
	run nice lintian "$BATS_FILE_TMPDIR"/mdevkit_*_*.changes
	echo "# lintian: $(elapsed "$t0") s" >&3
	refute_line --regexp '^E: '
	assert_success
}

@test "make uninstall removes every file make install put, with the same variables" {
	local d=$BATS_TEST_TMPDIR/a
	make_in_copy install DESTDIR="$d" PREFIX=/usr
	run find "$d" ! -type d
	assert_line --regexp '/usr/bin/mdevkit$'
	assert_line --regexp '/multi-user.target.wants/mdevkit-boot.service$'
	assert_link_exists "$d/usr/bin/lsmdev"
	assert_link_exists "$d/etc/libvirt/hooks/qemu.d/mdevkit"
	assert_equal "$(readlink "$d/etc/libvirt/hooks/qemu.d/mdevkit")" /usr/sbin/mdevkit-libvirt-hook
	make_in_copy uninstall DESTDIR="$d" PREFIX=/usr
	run find "$d" ! -type d
	assert_output ""

	# an lsmdev that is not ours stays, and is not replaced
	mkdir -p "$d/usr/bin"
	echo mdevctl > "$d/usr/bin/lsmdev"
	make_in_copy install DESTDIR="$d" PREFIX=/usr
	assert_equal "$(cat "$d/usr/bin/lsmdev")" mdevctl
	make_in_copy uninstall DESTDIR="$d" PREFIX=/usr
	run find "$d" ! -type d
	assert_output "$d/usr/bin/lsmdev"
	rm -r "$d"

	# other directories, taken from the same variables; the programs hold
	# some of them (build-time paths), so they are built for these in a
	# build directory of their own (the other tests use build/deb meanwhile)
	d=$BATS_TEST_TMPDIR/b
	local vars=(BUILD=build/deb-opt DESTDIR="$d" PREFIX=/opt/mk UDEVDIR=/usr/lib/udev
		SYSTEMDUNITDIR=/usr/lib/systemd/system SYSCONFDIR=/etc/alt
		MDEVCTL_LIBDIR=/opt/mk/lib/mdevctl BASHCOMPLETIONSDIR=/opt/mk/completions)
	make_in_copy install "${vars[@]}"
	assert_file_executable "$d/opt/mk/bin/mdevkit"
	assert_file_exists "$d/usr/lib/systemd/system/mdevkit-boot.service"
	assert_link_exists "$d/etc/alt/mdevctl.d/scripts.d/callouts/mdevkit-gvt"
	make_in_copy uninstall "${vars[@]}"
	run find "$d" ! -type d
	assert_output ""
}

@test "make install-mdevctl puts two links in /usr/sbin; uninstall-mdevctl removes only links to mdevkit" {
	local d=$BATS_TEST_TMPDIR/a
	make_in_copy install-mdevctl DESTDIR="$d" PREFIX=/usr
	run tree_entries "$d"
	assert_output "d usr
d usr/sbin
lrwxrwxrwx usr/sbin/lsmdev -> /usr/bin/mdevkit
lrwxrwxrwx usr/sbin/mdevctl -> /usr/bin/mdevkit"
	make_in_copy uninstall-mdevctl DESTDIR="$d" PREFIX=/usr
	run find "$d" ! -type d
	assert_output ""
	# someone else's /usr/sbin/mdevctl is no business of uninstall-mdevctl
	ln -s /usr/bin/mdevctl "$d/usr/sbin/mdevctl"
	make_in_copy uninstall-mdevctl DESTDIR="$d" PREFIX=/usr
	assert_link_exists "$d/usr/sbin/mdevctl"
}

@test "make uninstall leaves the definitions and the shared directories" {
	local d=$BATS_TEST_TMPDIR/a
	make_in_copy install DESTDIR="$d" PREFIX=/usr
	write_def "$d" mtty "$U" '{"mdev_type":"mtty-1","start":"auto","attrs":[]}'
	cp "$d/etc/mdevctl.d/mtty/$U" "$BATS_TEST_TMPDIR/def"
	make_in_copy uninstall DESTDIR="$d" PREFIX=/usr
	cmp "$BATS_TEST_TMPDIR/def" "$d/etc/mdevctl.d/mtty/$U"
	assert_dir_exists "$d/etc/mdevctl.d/scripts.d/callouts"
	assert_dir_exists "$d/usr/lib/mdevctl/scripts.d/callouts"
	run find "$d" ! -type d
	assert_output "$d/etc/mdevctl.d/mtty/$U"
}

@test "the package holds the files make install puts, in the same places" {
	local d=$BATS_TEST_TMPDIR/inst
	# as debian/rules installs: the boot unit is enabled by deb-systemd-helper,
	# lsmdev is Debian's mdevctl's
	make_in_copy install DESTDIR="$d" PREFIX=/usr ENABLE_BOOT_UNIT=no INSTALL_LSMDEV=no
	tree_entries "$d" | sort > "$BATS_TEST_TMPDIR/make"
	# The differences, all Debian's:
	#  - /usr/share/doc/mdevkit: Debian's copyright file and changelog
	#  - man pages: dh_compress gzips them
	deb_entries "$DEB" |
		grep -Ev ' usr/share/doc(/mdevkit)?(/|$)' |
		sed -E 's#^(.* usr/share/man/.*)\.gz$#\1#' | sort > "$BATS_TEST_TMPDIR/deb"
	run diff -u "$BATS_TEST_TMPDIR/make" "$BATS_TEST_TMPDIR/deb"
	assert_success
	assert_output ""
	run grep -c . "$BATS_TEST_TMPDIR/deb"
	[ "$output" -gt 10 ]

	# mdevkit-mdevctl: what make install-mdevctl puts, and Debian's doc;
	# dh_link makes links within /usr relative
	d=$BATS_TEST_TMPDIR/inst-mdevctl
	make_in_copy install-mdevctl DESTDIR="$d" PREFIX=/usr
	tree_entries "$d" | sort > "$BATS_TEST_TMPDIR/make"
	deb_entries "$DEB_MDEVCTL" | grep -Ev ' usr/share(/doc(/mdevkit-mdevctl)?)?(/|$)' |
		sed 's# -> \.\./bin/mdevkit$# -> /usr/bin/mdevkit#' | sort > "$BATS_TEST_TMPDIR/deb"
	run diff -u "$BATS_TEST_TMPDIR/make" "$BATS_TEST_TMPDIR/deb"
	assert_success
	assert_output ""
}

@test "the package installs into a Debian 12 root, works there, and a purge keeps the definitions" {
	local r=$BATS_TEST_TMPDIR/root f
	# built by the real-kernel tier; its staleness (package list) is that
	# tier's concern: any Debian 12 base with mdevkit's libraries will do
	# with libvirt: the hook needs libxml2, which libvirt brings
	[ -f "$VM/base.cpio" ] && [ -f "$VM/libvirt.cpio" ] ||
		MDEVKIT_TOP=$TOP MDEVKIT_BUILD=$BUILD "$TOP/tests/vm/rootfs.sh" libvirt 3>&-
	mkdir "$r"
	# cpio stops at an archive's end: one archive at a time, as the kernel does
	(cd "$r" && cpio -idmu --quiet) < "$VM/base.cpio"
	(cd "$r" && cpio -idmu --quiet) < "$VM/libvirt.cpio"
	cp "$DEB" "$r/tmp/mdevkit.deb"
	cp "$DEB_MDEVCTL" "$r/tmp/mdevkit-mdevctl.deb"
	run chroot "$r" dpkg -i /tmp/mdevkit.deb
	assert_success
	assert_equal "$(readlink "$r/etc/libvirt/hooks/qemu.d/mdevkit")" /usr/sbin/mdevkit-libvirt-hook
	assert_file_executable "$r/usr/sbin/mdevkit-libvirt-hook"
	# Debian's mdevctl keeps its names until mdevkit-mdevctl is installed
	run chroot "$r" sh -c 'PATH=/usr/sbin:/usr/bin mdevctl --version'
	assert_output --regexp '^mdevctl '
	run chroot "$r" dpkg -i /tmp/mdevkit-mdevctl.deb
	assert_success
	# libvirtd's PATH
	run chroot "$r" sh -c 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin mdevctl --version'
	assert_output "mdevkit $(cat "$TOP/VERSION")"
	assert_equal "$(readlink -f "$r/usr/sbin/lsmdev")" "$r/usr/bin/mdevkit"
	run chroot "$r" dpkg -r mdevkit-mdevctl
	assert_success
	run chroot "$r" sh -c 'PATH=/usr/sbin:/usr/bin mdevctl --version'
	assert_output --regexp '^mdevctl '
	# nothing of mdevctl's changed (the base root has no docs or man pages)
	run chroot "$r" dpkg -V mdevctl
	refute_output --regexp ' /usr/(bin|sbin|lib)/'
	assert_file_executable "$r/usr/bin/mdevctl"

	run chroot "$r" mdevkit --version
	assert_success
	assert_output "mdevkit $(cat "$TOP/VERSION")"
	# the base root has no man: the Documentation= pages are not looked up
	run chroot "$r" systemd-analyze verify --man=no /lib/systemd/system/mdevkit-boot.service \
		/lib/systemd/system/mdevkit-parent@.service /lib/systemd/system/mdevkit@.service
	assert_success
	assert_output ""
	# enabled the Debian way; the templates are started by name, never enabled
	assert_link_exists "$r/etc/systemd/system/multi-user.target.wants/mdevkit-boot.service"
	run find "$r/etc/systemd/system" -name 'mdevkit*@*'
	assert_output ""
	assert_link_exists "$r/etc/mdevctl.d/scripts.d/callouts/mdevkit-gvt"
	assert_file_executable "$r/usr/lib/mdevctl/scripts.d/callouts/mdevkit-gvt"

	run chroot "$r" mdevkit define -u "$U" -p mtty -t mtty-1
	assert_success
	run chroot "$r" mdevkit list -d
	assert_success
	assert_output "$U mtty mtty-1 manual"
	cp "$r/etc/mdevctl.d/mtty/$U" "$BATS_TEST_TMPDIR/def"

	run chroot "$r" dpkg --purge mdevkit
	assert_success
	cmp "$BATS_TEST_TMPDIR/def" "$r/etc/mdevctl.d/mtty/$U"
	assert_dir_exists "$r/etc/mdevctl.d/scripts.d/callouts"
	for f in $(deb_entries "$DEB" | awk '$1 !~ /^d/ { print $2 }'); do
		[ ! -e "$r/$f" ] && [ ! -L "$r/$f" ] || fail "/$f is still there after the purge"
	done
	[ ! -L "$r/etc/systemd/system/multi-user.target.wants/mdevkit-boot.service" ]
	run chroot "$r" dpkg-query -W mdevkit
	assert_failure
}
