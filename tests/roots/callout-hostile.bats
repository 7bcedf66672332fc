#!/usr/bin/env bats
# Callout and notifier scripts that misbehave: hang, flood their output,
# close stdin, crash, are not scripts at all, exit with odd codes or answer
# with garbage.  mdevkit must end, stay small, and say once what happened.
# The well-behaved protocol is in callout.bats.
load ../lib/helpers
load ../lib/callouts

BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-90}

U=11111111-2222-3333-4444-555555555555
P=mtty
T=mtty-1
SUPPORTS='{"supports":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","notify","get","live"]}}'
TIMEOUT_FIX="set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout"

setup() {
	mk_root
	LIB=$ROOT/usr/lib/mdevctl/scripts.d/callouts
	NLIB=$ROOT/usr/lib/mdevctl/scripts.d/notifiers
	LOG=$BATS_TEST_TMPDIR/log
	: >"$LOG"
	export LOG
	# a registered mtty parent whose create makes the device appear is
	# more than a fixture can do: start stops at the create write, which
	# is enough to see the callouts around it
	mk_parent 4 no
}

# no process of process group $1 is left (zombies awaiting reaping aside)
group_gone() {
	local i left
	for ((i = 0; i < 30; i++)); do
		left=$(ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/' | wc -l)
		[ "$left" -eq 0 ] && return 0
		sleep 0.1
	done
	ps -e -o pid=,pgid=,stat=,args= | awk -v g="$1" '$2 == g' >&2
	return 1
}

# peak RSS in KiB of the last `rss ...` command
rss() {
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss" "$@"
}
rss_kib() { tail -1 "$BATS_TEST_TMPDIR/rss"; }

# ---- hung ---------------------------------------------------------------------------------

@test "hung: a pre that never exits is killed with its whole process group after the timeout" {
	callout_script "$LIB" 50-hang '[ $ev = pre ] || exit 0
echo $$ >"$LOG.pgid"
trap "" TERM HUP INT
(trap "" TERM; sleep 300) &
sleep 300 </dev/null >/dev/null 2>&1 &
while :; do sleep 1; done'
	MDEVKIT_CALLOUT_TIMEOUT=1 run -1 --separate-stderr timeout 60 "$MDEVKIT" start -u "$U" -p $P -t $T
	assert_equal "$stderr" "Error: Script \"$LIB/50-hang\" timed out after 1s (event 'pre', action 'start') and was killed; $TIMEOUT_FIX"
	group_gone "$(cat "$LOG.pgid")"
}

@test "hung: a notifier that never exits is killed and warned about at start, define and undefine" {
	callout_script "$NLIB" 50-hang 'echo $$ >>"$LOG.pgid"; exec sleep 300'
	for cmd in "define -u $U -p $P -t $T" "start -u $U" "undefine -u $U"; do
		# shellcheck disable=SC2086
		MDEVKIT_CALLOUT_TIMEOUT=1 run --separate-stderr timeout 60 "$MDEVKIT" $cmd
		echo "$cmd: $status $stderr"
		[ "$(grep -c "^Warning: Script \"$NLIB/50-hang\" timed out after 1s (event 'notify', action '" <<<"$stderr")" -eq 1 ]
	done
	while read -r g; do group_gone "$g"; done <"$LOG.pgid"
}

# ---- floods ---------------------------------------------------------------------------------

@test "flood: 200 MB on stdout and stderr each is read to the end, kept bounded, shown cut with a note" {
	callout_script "$LIB" 50-flood '[ $ev = pre ] || exit 0
yes out | head -c 200000000 &
yes err | head -c 200000000 >&2
wait
exit 0'
	rss "$MDEVKIT" define -u "$U" -p $P -t $T 2>"$BATS_TEST_TMPDIR/err"
	local kib
	kib=$(rss_kib)
	echo "# peak RSS of define with a 2 x 200 MB flood: $kib KiB" >&3
	# the first 64 KiB after the prefix, then one note with the count
	run head -c 100 "$BATS_TEST_TMPDIR/err"
	assert_output "$(printf '50-flood: '; printf 'err\n%.0s' {1..22}; printf er)"
	run tail -n 1 "$BATS_TEST_TMPDIR/err"
	assert_output "Warning: Script \"$LIB/50-flood\" wrote 199934464 more bytes on stderr; only the first 65536 are shown"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/err")" -lt 70000 ]
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
	[ "$kib" -lt 100000 ]
}

@test "flood: a 20 MB capabilities answer is no answer; a 20 MB get-attributes answer is refused" {
	callout_script "$LIB" 50-big '[ $ev = get ] || exit 0
printf "[{\"a\":\""; yes y | head -c 20000000 | tr -d "\n"; printf "\"}]"
exit 0'
	mk_active "$U"
	rss "$MDEVKIT" list -v >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	echo "# peak RSS of list with a 20 MB answer: $(rss_kib) KiB" >&3
	[ "$(rss_kib)" -lt 100000 ]
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line "$U mtty mtty-1 manual"
	run --separate-stderr "$MDEVKIT" define -u "$U"
	assert_failure 1
	assert_equal "$stderr" "Error: Script \"$LIB/50-big\" printed 10000010 bytes on stdout, more than the 1048576 an answer may have; its answer is not used"
}

# ---- stdin ----------------------------------------------------------------------------------

@test "stdin: scripts that close stdin at once get EPIPE, not mdevkit's death (define, start, modify --live)" {
	callout_script "$LIB" 50-deaf 'exec 0<&-
[ $ev-$ac = get-capabilities ] && { echo '"'$SUPPORTS'"'; exit 0; }
echo "$ev-$ac" >>"$LOG"
exit 0'
	head -c 1000000 /dev/zero | tr '\0' v >"$BATS_TEST_TMPDIR/big"
	printf '{"mdev_type":"%s","start":"manual","attrs":[{"blob":"%s"}]}' $T "$(cat "$BATS_TEST_TMPDIR/big")" \
		>"$BATS_TEST_TMPDIR/def.json"
	# SIGPIPE at its default, as under a shell
	run -0 --separate-stderr "$MDEVKIT" define -u "$U" -p $P --jsonfile "$BATS_TEST_TMPDIR/def.json"
	assert_equal "$stderr" ""
	mk_active "$U"
	run -0 --separate-stderr "$MDEVKIT" modify -u "$U" --live --jsonfile "$BATS_TEST_TMPDIR/def.json"
	run -0 cat "$LOG"
	assert_output $'pre-define\npost-define\nlive-modify'
}

# ---- signals --------------------------------------------------------------------------------

@test "signals: a searched script killed by a signal is named with the signal and the next is tried" {
	callout_script "$LIB" 10-segv '[ $ev = pre ] && kill -SEGV $$; exit 2'
	callout_script "$LIB" 20-ok 'echo "$ev-$ac" >>"$LOG"; exit 0'
	run -0 --separate-stderr "$MDEVKIT" define -u "$U" -p $P -t $T
	assert_equal "$stderr" "Warning: callout script \"$LIB/10-segv\" was terminated by a signal (Segmentation fault); trying the next script"
	run cat "$LOG"
	assert_output $'get-capabilities\npre-define\npost-define'
}

@test "signals: a chosen script or a notifier killed by a signal is warned about; the command's result stands" {
	callout_script "$LIB" 50-v '[ $ev-$ac = get-capabilities ] && { echo '"'$SUPPORTS'"'; exit 0; }
[ $ev = post ] && kill -ABRT $$
exit 0'
	callout_script "$NLIB" 50-n 'kill -KILL $$'
	run -0 --separate-stderr "$MDEVKIT" define -u "$U" -p $P -t $T
	assert_equal "$stderr" "Warning: Script \"$LIB/50-v\" was killed by signal 6 (Aborted) at post define; taken as success
Warning: Notifier \"$NLIB/50-n\" was killed by signal 9 (Killed)"
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

# ---- not scripts ----------------------------------------------------------------------------

@test "not scripts: no x bit, a directory, a dangling symlink, a FIFO, a symlink loop are skipped as mdevctl does" {
	printf '#!/bin/sh\nexit 1\n' >"$LIB/10-noexec"
	mkdir "$LIB/20-dir"
	ln -s nowhere "$LIB/30-dangling"
	mkfifo "$LIB/40-fifo"
	ln -s 45-loop "$LIB/45-loop"
	printf 'garbage\n' >"$LIB/47-noshebang"
	chmod +x "$LIB/47-noshebang"
	cp -r "$LIB"/. "$NLIB"/
	callout_script "$LIB" 50-ok 'echo "$ev-$ac" >>"$LOG"; exit 0'
	run -0 --separate-stderr timeout 60 "$MDEVKIT" define -u "$U" -p $P -t $T
	assert_equal "$stderr" ""
	run cat "$LOG"
	assert_output $'get-capabilities\npre-define\npost-define'
	# the debug log names each one and why
	rm "$ROOT/etc/mdevctl.d/$P/$U"
	MDEVKIT_LOG_LEVEL=debug run -0 --separate-stderr timeout 60 "$MDEVKIT" define -u "$U" -p $P -t $T
	for n in "10-noexec: Permission denied" "20-dir: Permission denied" "30-dangling: No such file or directory" \
		"40-fifo: Permission denied" "45-loop: Too many levels of symbolic links" "47-noshebang: Exec format error"; do
		[[ $stderr == *"failed to execute callout script $LIB/${n%%:*}:${n#*:}"* ]]
	done
}

# ---- exit codes -----------------------------------------------------------------------------

@test "exit codes: 1, 126, 137 and 255 refuse pre with the number; 2 passes on" {
	for code in 1 126 137 255; do
		callout_script "$LIB" 50-code "[ \$ev = pre ] && exit $code; exit 0"
		run -1 --separate-stderr "$MDEVKIT" define -u "$U" -p $P -t $T
		assert_equal "$stderr" "Error: Script '\"$LIB/50-code\"' failed with status '$code'"
	done
	callout_script "$LIB" 50-code '[ $ev = pre ] && exit 2; exit 0'
	run -0 --separate-stderr "$MDEVKIT" define -u "$U" -p $P -t $T
	assert_equal "$stderr" ""
}

# ---- garbage answers ------------------------------------------------------------------------

@test "garbage: capabilities answers that are not JSON, not UTF-8, deep or huge select no script" {
	local answers=(
		'printf "\xff\xfe{}"'
		'printf "{\"supports\":"; printf "[%.0s" {1..100000}'
		'printf "{\"supports\":{\"version\":2,\"actions\":[1,2],\"events\":{}}}"'
		'printf "{\"supports\":{\"version\":2,\"actions\":[\"start\"],\"events\":[\"pre\"]}}\0\0junk"'
	)
	for a in "${answers[@]}"; do
		callout_script "$LIB" 50-g "if [ \$ev-\$ac = get-capabilities ]; then $a; exit 0; fi
echo \"\$ev-\$ac\" >>\"\$LOG\"; exit 0"
		: >"$LOG"
		rm -f "$ROOT/etc/mdevctl.d/$P/$U"
		run --separate-stderr timeout 60 "$MDEVKIT" define -u "$U" -p $P -t $T
		echo "$a: $status $stderr"
		[ "$status" -eq 0 ]
		assert_equal "$stderr" ""
		# not versioned: searched as a plain script for each event
		run cat "$LOG"
		assert_output $'pre-define\npost-define'
	done
}

@test "garbage: get-attributes answers that are not attributes fail define of a running device, once" {
	mk_active "$U"
	local answers=(
		'printf "\xff\xfe"'
		'printf "[%.0s" {1..100000}'
		'printf "{\"a\":\"b\"}"'
		'printf "[{\"a\":\"b\",\"c\":\"d\"}]"'
	)
	for a in "${answers[@]}"; do
		callout_script "$LIB" 50-g "[ \$ev-\$ac = get-attributes ] || exit 0; $a"
		run --separate-stderr timeout 60 "$MDEVKIT" define -u "$U"
		echo "$a: $status $stderr"
		[ "$status" -eq 1 ]
		[ "$(grep -c '^Error: ' <<<"$stderr")" -eq 1 ]
		[ "${#stderr}" -lt 1000 ]
		assert_file_not_exist "$ROOT/etc/mdevctl.d/$P/$U"
	done
	# list goes on without them
	run -0 --separate-stderr timeout 60 "$MDEVKIT" list
	assert_output "$U mtty mtty-1 manual"
}
