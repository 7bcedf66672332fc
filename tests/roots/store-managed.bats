#!/usr/bin/env bats
# Definitions managed elsewhere: a definition that is a link is read only
# when root manages the whole chain, as NixOS's environment.etc makes it
# (/etc/mdevctl.d/<parent>/<uuid> -> /etc/static/... -> /nix/store/...,
# absolute targets resolved under MDEVCTL_ENV_ROOT as under /).  Every
# other link is skipped silently, as before (the reason at debug level);
# a write to a managed definition, or into a store that is a managed link
# to a read-only directory, is refused with one line before any callout
# runs, and nothing changes.
load ../lib/helpers
load ../lib/callouts

U1=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
U3=33333333-2222-3333-4444-555555555555
DEF='{"mdev_type":"t","start":"auto","attrs":[{"a":"1"}]}'
ETC=/nix/store/aaaa-etc/etc
FIX="in the system configuration (NixOS: services.mdevkit.definitions, then nixos-rebuild switch)"

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (files owned by root and by others)"
	umask 022
	mk_root
	S=$ROOT/etc/mdevctl.d
	W=$BATS_TEST_TMPDIR
	mkdir -p "$ROOT/nix/store"
	# only /nix/store is group-writable, and sticky, as on NixOS
	chmod 1775 "$ROOT/nix/store"
	export LOG=$W/log IN=$W/in
	recording_script "$ROOT/usr/lib/mdevctl/scripts.d/callouts" record
}

# nix_def PARENT UUID [JSON]: the definition as environment.etc makes it;
# the file itself is /nix/store/bbbb-UUID, mode 0444
nix_def() {
	local p=$1 u=$2
	mkdir -p "$S/$p" "$ROOT$ETC/mdevctl.d/$p"
	printf '%s' "${3:-$DEF}" > "$ROOT/nix/store/bbbb-$u"
	chmod 0444 "$ROOT/nix/store/bbbb-$u"
	ln -s "/nix/store/bbbb-$u" "$ROOT$ETC/mdevctl.d/$p/$u"
	[ -L "$ROOT/etc/static" ] || ln -s "$ETC" "$ROOT/etc/static"
	ln -s "/etc/static/mdevctl.d/$p/$u" "$S/$p/$u"
}

# state DIR: every path below DIR with its link target, mode, owner, size
# and modification time, then a checksum of every file's bytes
state() {
	(cd "$1" && find . -printf '%p %l %m %u %s %T@\n' | sort &&
		find . -type f ! -type p -exec md5sum {} + | sort)
}

# not_read UUID REASON: list -d skips the link at U silently, and says
# REASON at debug level
not_read() {
	run --separate-stderr "$MDEVKIT" list -d
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	MDEVKIT_LOG_LEVEL=debug run --separate-stderr "$MDEVKIT" list -d -u "$1"
	assert_success
	assert_output ""
	assert_equal "$stderr" "Debug: Not read: \"$S/p/$1\" is a link that is not managed by root: $2"
}

@test "a chain as environment.etc makes it, into a 1775 /nix/store, is read as a definition" {
	nix_def p "$U1"
	nix_def p "$U2" '{"mdev_type":"t","start":"manual","attrs":[]}'
	write_def "$ROOT" p "$U3" '{"mdev_type":"u","start":"auto","attrs":[]}'
	run --separate-stderr "$MDEVKIT" list -d
	assert_success
	assert_output "$(printf '%s p t auto\n%s p t manual\n%s p u auto' "$U1" "$U2" "$U3")"
	assert_equal "$stderr" ""
	run --separate-stderr "$MDEVKIT" list -d -u "$U1" --dumpjson
	assert_success
	assert_output "$(printf '{\n  "mdev_type": "t",\n  "start": "auto",\n  "attrs": [\n    {\n      "a": "1"\n    }\n  ]\n}')"
}

@test "relative links and .. are followed, never above the root prefix" {
	mkdir -p "$S/p"
	printf '%s' "$DEF" > "$ROOT/nix/store/bbbb-$U1"
	ln -s "../../../nix/store/bbbb-$U1" "$S/p/$U1"
	# as at /, .. of the root is the root
	ln -s "../../../../../../../../nix/store/bbbb-$U1" "$S/p/$U2"
	run --separate-stderr "$MDEVKIT" list -d
	assert_output "$(printf '%s p t auto\n%s p t auto' "$U1" "$U2")"
	assert_equal "$stderr" ""
}

@test "refused: a link, a directory or the file owned by someone else" {
	nix_def p "$U1"
	chown -h nobody "$ROOT/etc/static"
	not_read "$U1" "\"/etc/static\" is owned by uid $(id -u nobody), not root"
	chown -h root "$ROOT/etc/static"
	chown nobody "$ROOT/nix/store/aaaa-etc"
	not_read "$U1" "\"/nix/store/aaaa-etc\" is owned by uid $(id -u nobody), not root"
	chown root "$ROOT/nix/store/aaaa-etc"
	chown nobody "$ROOT/nix/store/bbbb-$U1"
	not_read "$U1" "\"/nix/store/bbbb-$U1\" is owned by uid $(id -u nobody), not root"
	chown nobody "$ROOT/etc"
	not_read "$U1" "\"/etc\" is owned by uid $(id -u nobody), not root"
	chown root "$ROOT/etc" "$ROOT/nix/store/bbbb-$U1"
	run "$MDEVKIT" list -d
	assert_output "$U1 p t auto"
}

@test "refused: a directory or the file writable by group or others, unless a sticky directory" {
	nix_def p "$U1"
	chmod g+w "$ROOT/nix/store/aaaa-etc"
	not_read "$U1" "\"/nix/store/aaaa-etc\" is writable by group or others"
	chmod g-w,o+w "$ROOT/nix/store/aaaa-etc"
	not_read "$U1" "\"/nix/store/aaaa-etc\" is writable by group or others"
	chmod o-w "$ROOT/nix/store/aaaa-etc"
	chmod 0664 "$ROOT/nix/store/bbbb-$U1"
	not_read "$U1" "\"/nix/store/bbbb-$U1\" is writable by group or others"
	chmod 0444 "$ROOT/nix/store/bbbb-$U1"
	# the root prefix counts as / does
	chmod g+w "$ROOT"
	not_read "$U1" "\"/\" is writable by group or others"
	chmod g-w "$ROOT"
	chmod 1777 "$ROOT/nix/store/aaaa-etc"
	run "$MDEVKIT" list -d
	assert_output "$U1 p t auto"
}

@test "refused: a loop, a dangling link, a link to a fifo, a device or a directory, a path too deep" {
	mkdir -p "$S/p"
	ln -s /etc/loop1 "$ROOT/etc/loop2"
	ln -s /etc/loop2 "$ROOT/etc/loop1"
	ln -s /etc/loop1 "$S/p/$U1"
	not_read "$U1" "more than 40 links on the way (a loop?)"
	rm "$S/p/$U1"
	ln -s /nix/store/nowhere "$S/p/$U1"
	not_read "$U1" "\"/nix/store/nowhere\" does not exist"
	mkfifo "$ROOT/nix/store/fifo"
	ln -sfn /nix/store/fifo "$S/p/$U1"
	not_read "$U1" "\"/nix/store/fifo\" is not a regular file"
	mknod "$ROOT/nix/store/zero" c 1 5
	ln -sfn /nix/store/zero "$S/p/$U1"
	not_read "$U1" "\"/nix/store/zero\" is not a regular file"
	mkdir -m 0755 "$ROOT/nix/store/dir"
	ln -sfn /nix/store/dir "$S/p/$U1"
	not_read "$U1" "\"/nix/store/dir\" is a directory"
	printf '%s' "$DEF" > "$ROOT/nix/store/file"
	ln -sfn /nix/store/file/more "$S/p/$U1"
	not_read "$U1" "\"/nix/store/file\" is not a directory"
	# the fifo was never opened for reading: a writer would still block
	[ -p "$ROOT/nix/store/fifo" ]
	# one directory open per level, 256 at most
	deep=$(printf 'd/%.0s' {1..300})
	mkdir -p "$ROOT/nix/store/$deep"
	ln -sfn "/nix/store/${deep}x" "$S/p/$U1"
	not_read "$U1" "more than 256 directories deep"
}

@test "a managed link that is not named like a UUID is skipped silently, as every link was" {
	nix_def p "$U1"
	ln -s "/etc/static/mdevctl.d/p/$U1" "$S/p/notauuid"
	run --separate-stderr "$MDEVKIT" list -d
	assert_output "$U1 p t auto"
	assert_equal "$stderr" ""
}

@test "a bad managed definition is reported and skipped like a bad file" {
	nix_def p "$U1" '{"mdev_type":"t"'
	nix_def p "$U2"
	run --separate-stderr "$MDEVKIT" list -d
	assert_success
	assert_output "$U2 p t auto"
	assert_equal "$stderr" "Warning: Skipping definition \"$S/p/$U1\": JSON syntax error at line 1 column 17: unexpected end of data; fix the file or remove it"
}

@test "every write to a managed definition is refused with one line, before any callout; nothing changes" {
	nix_def p "$U1"
	printf '%s' '{"mdev_type":"t","start":"manual","attrs":[]}' > "$W/in.json"
	before=$(state "$ROOT")
	local line="Error: Definition \"$S/p/$U1\" is managed elsewhere (a link owned by root into files only root can change, as NixOS's environment.etc makes): change it $FIX"
	for args in "define -u $U1 -p p -t t" "define -u $U1 -p p --jsonfile $W/in.json" \
		"modify -u $U1 --manual" "modify -u $U1 -p p --addattr b --value 2" \
		"modify -u $U1 -p p --jsonfile $W/in.json" "undefine -u $U1" "undefine -u $U1 -p p"; do
		run --separate-stderr "$MDEVKIT" $args
		assert_failure 1
		assert_output ""
		assert_equal "$stderr" "$line"
	done
	assert_file_not_exists "$LOG"
	assert_equal "$(state "$ROOT")" "$before"
	[ -L "$S/p/$U1" ]
}

@test "undefine of a UUID defined twice, once managed: nothing goes" {
	nix_def p "$U1"
	write_def "$ROOT" q "$U1" "$DEF"
	run --separate-stderr "$MDEVKIT" undefine -u "$U1"
	assert_failure 1
	assert_equal "$stderr" "Error: Definition \"$S/p/$U1\" is managed elsewhere (a link owned by root into files only root can change, as NixOS's environment.etc makes): change it $FIX"
	assert_file_exists "$S/q/$U1"
	assert_file_not_exists "$LOG"
}

@test "beside managed definitions, other definitions are written as before" {
	nix_def p "$U1"
	before=$(state "$ROOT/nix")
	run --separate-stderr "$MDEVKIT" define -u "$U2" -p p -t t --auto
	assert_success
	run "$MDEVKIT" modify -u "$U2" --addattr b --value 2
	assert_success
	run "$MDEVKIT" list -d
	assert_output "$(printf '%s p t auto\n%s p t auto' "$U1" "$U2")"
	run "$MDEVKIT" undefine -u "$U2"
	assert_success
	# the callouts ran for these (and for none of the refused writes above)
	assert_file_exists "$LOG"
	assert_equal "$(state "$ROOT/nix")" "$before"
	[ -L "$S/p/$U1" ]
}

@test "a store that is a managed link to a read-only directory: read, and every write refused with one line" {
	# environment.etc with the whole directory: /etc/mdevctl.d is the link.
	# The links are relative here: the store directory itself is reached
	# by path, and the kernel resolves an absolute target from the real /
	local d=$ROOT/nix/store/cccc-mdevctl.d
	mkdir -p "$d/p"
	printf '%s' "$DEF" > "$d/p/$U1"
	chmod 0444 "$d/p/$U1"
	chmod 0555 "$d/p" "$d"
	mv "$S/scripts.d" "$W/scripts.d"
	rmdir "$S"
	ln -s static/mdevctl.d "$S"
	mkdir -p "$ROOT$ETC"
	ln -s ../../cccc-mdevctl.d "$ROOT$ETC/mdevctl.d"
	ln -s "../nix/store/aaaa-etc/etc" "$ROOT/etc/static"
	run --separate-stderr "$MDEVKIT" list -d
	assert_success
	assert_output "$U1 p t auto"
	assert_equal "$stderr" ""
	before=$(state "$ROOT")
	local line="Error: The definitions in \"$S\" are managed elsewhere (the store is a link owned by root to a read-only directory, as NixOS's environment.etc makes): change them $FIX"
	for args in "define -u $U2 -p p -t t" "define -u $U2 -p newparent -t t" "modify -u $U1 --manual" \
		"undefine -u $U1"; do
		run --separate-stderr "$MDEVKIT" $args
		assert_failure 1
		assert_equal "$stderr" "$line"
	done
	assert_equal "$(state "$ROOT")" "$before"
}
