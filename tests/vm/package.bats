#!/usr/bin/env bats
# The Debian package and `make install`/`make uninstall`.  The package is
# built from a copy of the tree in a temporary directory (dpkg-buildpackage
# writes into the parent of the tree it builds), then installed into the
# guest's base root (tests/vm/rootfs.sh) with chroot: no /proc, /sys or /run
# of the host in there, and the definitions are the chroot's own.
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
	assert_line --regexp '^Depends: .*libjson-c'
	assert_line "Recommends: mdevctl"
	refute_line --regexp '^(Conflicts|Breaks):'
	assert_file_executable "$SRC/build/deb/mdevkit"
	assert_file_not_exists "$SRC/build/deb/mdevkit-simfs"
	assert_file_not_exists "$SRC/build/deb/mdevkit-unit"
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
	make_in_copy uninstall DESTDIR="$d" PREFIX=/usr
	run find "$d" ! -type d
	assert_output ""

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
	# as debian/rules installs: the boot unit is enabled by deb-systemd-helper
	make_in_copy install DESTDIR="$d" PREFIX=/usr ENABLE_BOOT_UNIT=no
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
}

@test "the package installs into a Debian 12 root, works there, and a purge keeps the definitions" {
	local r=$BATS_TEST_TMPDIR/root f
	# built by the real-kernel tier; its staleness (package list) is that
	# tier's concern: any Debian 12 base with mdevkit's libraries will do
	[ -f "$VM/base.cpio" ] || MDEVKIT_TOP=$TOP MDEVKIT_BUILD=$BUILD "$TOP/tests/vm/rootfs.sh" 3>&-
	mkdir "$r"
	(cd "$r" && cpio -idm --quiet) < "$VM/base.cpio"
	cp "$DEB" "$r/tmp/mdevkit.deb"
	run chroot "$r" dpkg -i /tmp/mdevkit.deb
	assert_success

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
