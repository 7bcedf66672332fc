#!/usr/bin/env bats
# Callouts and notifiers (spec §5): directories and order, the 12-word
# argv, stdin per event, exit codes, capabilities, get attributes, stderr,
# and mdevkit's timeout.  Every test has its own root with recording
# scripts; sysfs is a hand-made fixture (parent "mtty", type "mtty-1").
load ../lib/helpers
load ../lib/callouts

# a hung callout must never hang the suite
BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-60}

U=11111111-2222-3333-4444-555555555555
U2=22222222-2222-3333-4444-555555555555
U3=33333333-2222-3333-4444-555555555555
P=0000:00:02.0
T=i915-GVTg_V5_4
PROVIDES='{"provides":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","notify","get","live"]}}'
SUPPORTS_ALL='{"supports":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","notify","get","live"]}}'

setup() {
	mk_root
	LIB=$ROOT/usr/lib/mdevctl/scripts.d/callouts
	ETC=$ROOT/etc/mdevctl.d/scripts.d/callouts
	NLIB=$ROOT/usr/lib/mdevctl/scripts.d/notifiers
	NETC=$ROOT/etc/mdevctl.d/scripts.d/notifiers
	# LOG: "<name> <args 1-12>" per call; IN: "<name> <event>-<action> [<stdin>]"
	LOG=$BATS_TEST_TMPDIR/log
	IN=$BATS_TEST_TMPDIR/stdin
	: >"$LOG"
	: >"$IN"
	export LOG IN
}

# versioned DIR NAME [SUPPORTS-JSON] [BODY]: answers "get capabilities",
# then runs BODY for the other events (default: exit 0)
versioned() {
	recording_script "$1" "$2" "if [ \$ev-\$ac = get-capabilities ]; then echo '${3:-$SUPPORTS_ALL}'; exit 0; fi
${4:-exit 0}"
}

# the calls LOG recorded, without the args common to every call
calls() {
	sed -e "s/ -u $U -p $P\$//" -e "s/ -t $T//" "$LOG"
}

define() {
	run --separate-stderr "$MDEVKIT" define -u "$U" -p "$P" -t "$T" "$@"
}

# dead PID: PID is gone (or a zombie awaiting its new parent) within 3 s
dead() {
	local i state
	for ((i = 0; i < 30; i++)); do
		state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
		[ "$state" = Z ] && return 0
		sleep 0.1
	done
	echo "process $1 is still alive (state $state)" >&2
	return 1
}

# ---- argv, stdin, directories, order ---------------------------------------

@test "argv: exactly 12 words in mdevctl's order, argv[0] the script's path" {
	cat >"$LIB/50-argv" <<'EOF'
#!/bin/bash
cat >/dev/null
{ echo "argc=$# argv0=$0"; printf '[%s]' "$@"; echo; } >>"$LOG"
EOF
	chmod +x "$LIB/50-argv"
	define
	assert_success
	run cat "$LOG"
	assert_output - <<EOF
argc=12 argv0=$LIB/50-argv
[-t][$T][-e][get][-a][capabilities][-s][none][-u][$U][-p][$P]
argc=12 argv0=$LIB/50-argv
[-t][$T][-e][pre][-a][define][-s][none][-u][$U][-p][$P]
argc=12 argv0=$LIB/50-argv
[-t][$T][-e][post][-a][define][-s][success][-u][$U][-p][$P]
EOF
}

@test "argv: the UUID is passed in canonical lower case" {
	recording_script "$LIB" 50-a
	run "$MDEVKIT" define -u "${U^^}" -p "$P" -t "$T"
	assert_success
	run grep -c -- "-u $U -p $P\$" "$LOG"
	assert_output 3
}

@test "stdin: capabilities JSON, then the device's compact JSON for pre and post, nothing else" {
	recording_script "$LIB" 50-a
	recording_script "$NLIB" n
	define --auto
	assert_success
	run cat "$IN"
	assert_output - <<EOF
50-a get-capabilities [$PROVIDES]
50-a pre-define [{"mdev_type":"$T","start":"auto","attrs":[]}]
50-a post-define [{"mdev_type":"$T","start":"auto","attrs":[]}]
n notify-define []
EOF
}

@test "stdin: pre and post of undefine get the stored definition with its attributes" {
	write_def "$ROOT" "$P" "$U" '{"mdev_type":"'$T'","start":"manual","attrs":[{"a":"1"},{"b":"x y"}]}'
	recording_script "$LIB" 50-a
	run "$MDEVKIT" undefine -u "$U"
	assert_success
	run grep -F -e pre-undefine -e post-undefine "$IN"
	assert_output - <<EOF
50-a pre-undefine [{"mdev_type":"$T","start":"manual","attrs":[{"a":"1"},{"b":"x y"}]}]
50-a post-undefine [{"mdev_type":"$T","start":"manual","attrs":[{"a":"1"},{"b":"x y"}]}]
EOF
	assert_file_not_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

@test "order: /usr/lib before /etc, byte-wise sorted in each, every entry a candidate" {
	for n in 9-a 10-b .hidden 'x~'; do recording_script "$LIB" "$n" 'exit 2'; done
	for n in 05-c Z-d; do recording_script "$ETC" "$n" 'exit 2'; done
	define
	assert_success
	run grep -e ' -e pre ' "$LOG"
	assert_output - <<EOF
.hidden -t $T -e pre -a define -s none -u $U -p $P
10-b -t $T -e pre -a define -s none -u $U -p $P
9-a -t $T -e pre -a define -s none -u $U -p $P
x~ -t $T -e pre -a define -s none -u $U -p $P
05-c -t $T -e pre -a define -s none -u $U -p $P
Z-d -t $T -e pre -a define -s none -u $U -p $P
EOF
}

@test "order: the /etc directory is searched when /usr/lib has no match, and works alone" {
	recording_script "$ETC" 50-etc
	define
	assert_success
	run calls
	assert_output - <<EOF
50-etc -e get -a capabilities -s none
50-etc -e pre -a define -s none
50-etc -e post -a define -s success
EOF
	rm -r "$LIB"
	rm "$ROOT/etc/mdevctl.d/$P/$U"
	: >"$LOG"
	define
	assert_success
	run grep -c 50-etc "$LOG"
	assert_output 3
}

@test "order: entries that cannot be executed are skipped silently" {
	printf '#!/bin/sh\nexit 1\n' >"$LIB/10-noexec"          # no x bit
	mkdir "$LIB/20-dir"
	printf 'exit 1\n' >"$LIB/30-noshebang"
	chmod +x "$LIB/30-noshebang"
	ln -s nowhere "$LIB/40-dangling"
	recording_script "$LIB" 50-a
	define
	assert_success
	assert_equal "$stderr" ""
	run calls
	assert_output - <<EOF
50-a -e get -a capabilities -s none
50-a -e pre -a define -s none
50-a -e post -a define -s success
EOF
}

@test "order: a callout directory that is a file, or missing, is skipped" {
	rm -r "$ETC"
	echo junk >"$ETC"
	rm -r "$LIB"
	define
	assert_success
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

# ---- exit codes ---------------------------------------------------------------

@test "exit codes: 2 means not mine; the next script handles the event and is reused for post" {
	recording_script "$LIB" 10-skip 'exit 2'
	recording_script "$LIB" 20-take
	recording_script "$LIB" 30-never
	define
	assert_success
	run calls
	assert_output - <<EOF
10-skip -e get -a capabilities -s none
20-take -e get -a capabilities -s none
30-never -e get -a capabilities -s none
10-skip -e pre -a define -s none
20-take -e pre -a define -s none
20-take -e post -a define -s success
EOF
}

@test "exit codes: the script that passed pre gets post directly, even if it then exits 2" {
	recording_script "$LIB" 10-a '[ $ev = post ] && exit 2; exit 0'
	recording_script "$LIB" 20-b
	define
	assert_success
	run grep -e ' -e post ' "$LOG"
	assert_output "10-a -t $T -e post -a define -s success -u $U -p $P"
}

@test "exit codes: a script killed by a signal is skipped with a warning" {
	recording_script "$LIB" 10-sig '[ $ev = pre ] && kill -KILL $$; exit 2'
	recording_script "$LIB" 20-take
	define
	assert_success
	assert_equal "$stderr" "Warning: callout script \"$LIB/10-sig\" was terminated by a signal (Killed); trying the next script"
	run grep -e ' -e pre ' "$LOG"
	assert_output - <<EOF
10-sig -t $T -e pre -a define -s none -u $U -p $P
20-take -t $T -e pre -a define -s none -u $U -p $P
EOF
}

@test "exit codes: no script matching is a silent success" {
	recording_script "$LIB" 10-a 'exit 2'
	recording_script "$ETC" 10-b 'exit 2'
	define
	assert_success
	assert_equal "$stderr" ""
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

@test "pre refusal: exact error, nothing written, no post, notifiers with state none" {
	recording_script "$LIB" 10-skip 'exit 2'
	recording_script "$LIB" 50-no '[ $ev = pre ] && exit 1; exit 0'
	recording_script "$ETC" 90-never
	recording_script "$NLIB" n
	define
	assert_failure 1
	assert_equal "$stderr" "Error: Script '\"$LIB/50-no\"' failed with status '1'"
	assert_file_not_exist "$ROOT/etc/mdevctl.d/$P/$U"
	run calls
	assert_output - <<EOF
10-skip -e get -a capabilities -s none
50-no -e get -a capabilities -s none
90-never -e get -a capabilities -s none
10-skip -e pre -a define -s none
50-no -e pre -a define -s none
n -e notify -a define -s none
EOF
}

@test "pre refusal: any status but 0 and 2 refuses, and undefine keeps the definition" {
	write_def "$ROOT" "$P" "$U" '{"mdev_type":"'$T'","start":"manual","attrs":[]}'
	recording_script "$LIB" 50-no '[ $ev = pre ] && exit 77; exit 0'
	run --separate-stderr "$MDEVKIT" undefine -u "$U"
	assert_failure 1
	assert_equal "$stderr" "Warning: Undefine of $U on parent $P failed with error: Script '\"$LIB/50-no\"' failed with status '77'
Error: Undefine failed"
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

@test "--force: warning, the action runs, post searches again and reports success" {
	recording_script "$LIB" 10-no 'case $ev in pre) exit 1;; post) exit 2;; esac; exit 0'
	recording_script "$LIB" 20-b 'exit 0'
	recording_script "$NLIB" n
	define --force
	assert_success
	assert_equal "$stderr" "Warning: Forcing operation 'define' despite callout failure. Error was: Script '\"$LIB/10-no\"' failed with status '1'"
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
	run grep -e ' -e post ' -e ' -e notify ' "$LOG"
	assert_output - <<EOF
10-no -t $T -e post -a define -s success -u $U -p $P
20-b -t $T -e post -a define -s success -u $U -p $P
n -t $T -e notify -a define -s success -u $U -p $P
EOF
}

@test "post: its exit code does not change the command's result" {
	recording_script "$LIB" 50-a '[ $ev = post ] && exit 1; exit 0'
	define
	assert_success
	assert_equal "$stderr" ""
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

# ---- notifiers ------------------------------------------------------------------

@test "notifiers: both directories, sorted, output and exit codes ignored, a crash warned about, no stdin" {
	recording_script "$NLIB" b 'echo out; echo err >&2; exit 1'
	recording_script "$NLIB" a 'exit 2'
	recording_script "$NETC" c 'kill -KILL $$'
	recording_script "$NETC" 0
	printf '#!/bin/sh\n' >"$NETC/1-noexec"
	define
	assert_success
	assert_output ""
	# a crash is the one thing said (mdevctl says nothing)
	assert_equal "$stderr" "Warning: Notifier \"$NETC/c\" was killed by signal 9 (Killed)"
	run cat "$IN"
	assert_output - <<EOF
a notify-define []
b notify-define []
0 notify-define []
c notify-define []
EOF
}

@test "notifiers: run after every callout, even without a callout script" {
	recording_script "$NETC" n
	define
	run "$MDEVKIT" undefine -u "$U"
	assert_success
	run calls
	assert_output - <<EOF
n -e notify -a define -s success
n -e notify -a undefine -s success
EOF
}

# ---- stderr ----------------------------------------------------------------------

@test "stderr: '<name>: <text>' once, unchanged, without an added newline" {
	recording_script "$LIB" 10-skip 'echo "not shown" >&2; exit 2'
	recording_script "$LIB" 50-talk '[ $ev = get ] && { echo hidden >&2; exit 0; }
[ $ev = pre ] && printf "two\nlines\n" >&2
[ $ev = post ] && printf "no newline" >&2
exit 0'
	define
	assert_success
	assert_equal "$stderr" "50-talk: two
lines
50-talk: no newline"
}

@test "stderr: a refusing script's text comes before the error" {
	recording_script "$LIB" 50-no 'echo "type $2 needs more aperture" >&2; [ $ev = pre ] && exit 1; exit 0'
	define
	assert_failure 1
	assert_equal "$stderr" "50-no: type $T needs more aperture
Error: Script '\"$LIB/50-no\"' failed with status '1'"
}

@test "stderr: under the journal every line gets a priority prefix and a line end" {
	recording_script "$LIB" 50-talk '[ $ev = pre ] && printf "two\nlines\n" >&2
[ $ev = post ] && printf "no newline" >&2
exit 0'
	: >"$BATS_TEST_TMPDIR/err"
	JOURNAL_STREAM=$(stat -c %d:%i "$BATS_TEST_TMPDIR/err") \
		"$MDEVKIT" define -u "$U" -p "$P" -t "$T" 2>>"$BATS_TEST_TMPDIR/err"
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output - <<EOF
<5>50-talk: two
<5>lines
<5>50-talk: no newline
EOF
}

# ---- capabilities ------------------------------------------------------------------

@test "capabilities: a valid answer selects the script for every event, before earlier plain scripts" {
	recording_script "$LIB" 10-plain 'echo "hello"; exit 0'
	versioned "$LIB" 20-v
	define
	assert_success
	run calls
	assert_output - <<EOF
10-plain -e get -a capabilities -s none
20-v -e get -a capabilities -s none
20-v -e pre -a define -s none
20-v -e post -a define -s success
EOF
}

@test "capabilities: an answer with exit status 1 still selects the script" {
	recording_script "$LIB" 20-v "[ \$ev-\$ac = get-capabilities ] && { echo '$SUPPORTS_ALL'; exit 1; }; exit 0"
	recording_script "$LIB" 30-other
	define
	assert_success
	run calls
	assert_output - <<EOF
20-v -e get -a capabilities -s none
20-v -e pre -a define -s none
20-v -e post -a define -s success
EOF
}

@test "capabilities: exit 2, garbage, 'supports' missing or null are not answers" {
	recording_script "$LIB" 10-two "[ \$ev = get ] && { echo '$SUPPORTS_ALL'; exit 2; }; exit 2"
	recording_script "$LIB" 20-garbage '[ $ev = get ] && echo "{not json"; exit 2'
	recording_script "$LIB" 30-null '[ $ev = get ] && echo "{\"supports\":null}"; exit 2'
	recording_script "$LIB" 40-partial '[ $ev = get ] && echo "{\"supports\":{\"version\":2,\"actions\":[]}}"; exit 2'
	recording_script "$LIB" 50-plain
	define
	assert_success
	run grep -c -e '-e get -a capabilities' "$LOG"
	assert_output 5
	run grep -e ' -e pre ' -e ' -e post ' "$LOG"
	assert_output - <<EOF
10-two -t $T -e pre -a define -s none -u $U -p $P
20-garbage -t $T -e pre -a define -s none -u $U -p $P
30-null -t $T -e pre -a define -s none -u $U -p $P
40-partial -t $T -e pre -a define -s none -u $U -p $P
50-plain -t $T -e pre -a define -s none -u $U -p $P
50-plain -t $T -e post -a define -s success -u $U -p $P
EOF
}

@test "capabilities: trailing NULs and whitespace around the answer are fine" {
	recording_script "$LIB" 20-v "[ \$ev = get ] && { printf ' \\n%s\\n\\0\\0' '$SUPPORTS_ALL'; exit 0; }; exit 0"
	recording_script "$LIB" 30-other
	define
	assert_success
	run calls
	assert_output - <<EOF
20-v -e get -a capabilities -s none
20-v -e pre -a define -s none
20-v -e post -a define -s success
EOF
}

@test "capabilities: a versioned script lacking the action refuses with mdevctl's text" {
	versioned "$LIB" 20-v '{"supports":{"version":2,"actions":["start","stop"],"events":["pre","post","get"]}}'
	recording_script "$NLIB" n
	define
	assert_failure 1
	assert_equal "$stderr" "Error: Script \"$LIB/20-v\" does not support action 'Define'"
	assert_file_not_exist "$ROOT/etc/mdevctl.d/$P/$U"
	run calls
	assert_output - <<EOF
20-v -e get -a capabilities -s none
n -e notify -a define -s none
EOF
}

@test "capabilities: a versioned script lacking the event refuses with mdevctl's text" {
	versioned "$LIB" 20-v '{"supports":{"version":1,"actions":["define"],"events":["post"]}}'
	define
	assert_failure 1
	assert_equal "$stderr" "Error: Script \"$LIB/20-v\" does not support event 'Pre'"
}

@test "capabilities: a versioned script's exit 2 is an error, a signal a success with a warning" {
	versioned "$LIB" 20-v "" '[ $ev = pre ] && exit 2; exit 0'
	define
	assert_failure 1
	assert_equal "$stderr" "Error: Script '\"$LIB/20-v\"' failed with status '2'"

	versioned "$LIB" 20-v "" '[ $ev = pre ] && kill -KILL $$; exit 0'
	define
	assert_success
	assert_equal "$stderr" "Warning: Script \"$LIB/20-v\" was killed by signal 9 (Killed) at pre define; taken as success"
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

@test "capabilities: unknown action and event names are warned about, known ones still work" {
	versioned "$LIB" 20-v '{"supports":{"version":7,"actions":["define","teleport","test"],"events":["pre","post","warp"]}}'
	define
	assert_success
	assert_equal "$stderr" "Warning: Callout script \"$LIB/20-v\" provides unknown Action type
Warning: Callout script \"$LIB/20-v\" provides unknown Event type"
	run grep -c -e ' -e p[a-z]* -a define' "$LOG"
	assert_output 2
}

@test "capabilities: the selected script's stderr is shown, a rejected probe's is not" {
	recording_script "$LIB" 10-plain 'echo "plain probe" >&2; exit 0'
	versioned "$LIB" 20-v "" 'exit 0'
	sed -i '2i echo "versioned $4 $6" >&2' "$LIB/20-v"
	define
	assert_success
	assert_equal "$stderr" "20-v: versioned get capabilities
20-v: versioned pre define
20-v: versioned post define"
}

@test "capabilities: probed once per parent and type for the whole command" {
	mk_parent
	mk_active "$U"
	mk_active "$U2"
	mk_active "$U3" mtty-2
	recording_script "$LIB" 50-a
	run "$MDEVKIT" list
	assert_success
	run grep -c -e '-e get -a capabilities' "$LOG"
	assert_output 2
	run grep -c -e '-e get -a attributes' "$LOG"
	assert_output 3
}

# ---- get attributes ----------------------------------------------------------------------

@test "get attributes: list shows what the handling script prints, stdin empty" {
	mk_parent
	mk_active "$U"
	recording_script "$LIB" 10-skip 'exit 2'
	recording_script "$LIB" 50-attrs '[ $ev-$ac = get-attributes ] && printf "%s\0\0" "[{\"a\":\"1\"},{\"b\":\"x y\"}]"; exit 0'
	run --separate-stderr "$MDEVKIT" list -v
	assert_success
	assert_output - <<EOF
$U mtty mtty-1 manual
  Attrs:
    @{0}: {"a":"1"}
    @{1}: {"b":"x y"}
EOF
	run grep -e '-e get -a attributes' "$LOG"
	assert_output - <<EOF
10-skip -t mtty-1 -e get -a attributes -s none -u $U -p mtty
50-attrs -t mtty-1 -e get -a attributes -s none -u $U -p mtty
EOF
	run grep -F get-attributes "$IN"
	assert_output - <<EOF
10-skip get-attributes []
50-attrs get-attributes []
EOF
}

@test "get attributes: empty output and [{}] mean no attributes" {
	mk_parent
	mk_active "$U"
	mk_active "$U2"
	recording_script "$LIB" 50-attrs "[ \$ac = attributes ] && [ \$10 = $U ] && printf '[{}]'; exit 0"
	run --separate-stderr "$MDEVKIT" list -v --dumpjson
	assert_success
	assert_output - <<EOF
[
  {
    "mtty": [
      {
        "$U": {
          "mdev_type": "mtty-1",
          "start": "manual",
          "attrs": []
        }
      },
      {
        "$U2": {
          "mdev_type": "mtty-1",
          "start": "manual",
          "attrs": []
        }
      }
    ]
  }
]
EOF
}

@test "get attributes: list ignores a failing or invalid answer" {
	mk_parent
	mk_active "$U"
	mk_active "$U2"
	recording_script "$LIB" 50-attrs "[ \$ac = attributes ] && [ \$10 = $U ] && { echo '[{\"a\":'; exit 0; }
[ \$ac = attributes ] && exit 1; exit 0"
	run --separate-stderr "$MDEVKIT" list
	assert_success
	assert_output - <<EOF
$U mtty mtty-1 manual
$U2 mtty mtty-1 manual

EOF
}

@test "get attributes: define of a running device stores them, between pre and post" {
	mk_parent
	mk_active "$U"
	recording_script "$LIB" 50-attrs '[ $ac = attributes ] && echo "[{\"mode\":\"fast\"}]"; exit 0'
	run --separate-stderr "$MDEVKIT" define -u "$U"
	assert_success
	run cat "$ROOT/etc/mdevctl.d/mtty/$U"
	assert_output '{
  "mdev_type": "mtty-1",
  "start": "manual",
  "attrs": [
    {
      "mode": "fast"
    }
  ]
}'
	run cat "$IN"
	assert_output - <<EOF
50-attrs get-capabilities [$PROVIDES]
50-attrs pre-define [{"mdev_type":"mtty-1","start":"manual","attrs":[]}]
50-attrs get-attributes []
50-attrs post-define [{"mdev_type":"mtty-1","start":"manual","attrs":[]}]
EOF
}

@test "get attributes: invalid JSON makes define of a running device fail" {
	mk_parent
	mk_active "$U"
	recording_script "$NLIB" n
	recording_script "$LIB" 50-attrs '[ $ac = attributes ] && echo "[{\"a\":"; exit 0'
	run --separate-stderr "$MDEVKIT" define -u "$U"
	assert_failure 1
	assert_output ""
	[[ $stderr == "Error: Invalid JSON received from callout script"$'\n\nCaused by:\n    '* ]]
	assert_file_not_exist "$ROOT/etc/mdevctl.d/mtty/$U"
	run grep -e '-e post' -e '-e notify' "$LOG"
	assert_output - <<EOF
50-attrs -t mtty-1 -e post -a define -s failure -u $U -p mtty
n -t mtty-1 -e notify -a define -s failure -u $U -p mtty
EOF
}

@test "get attributes: a refusing script makes define of a running device fail" {
	mk_parent
	mk_active "$U"
	recording_script "$LIB" 50-attrs 'echo "no attrs today" >&2; [ $ac = attributes ] && exit 3; exit 0'
	run --separate-stderr "$MDEVKIT" define -u "$U"
	assert_failure 1
	# pre, get attributes, post (searched again: the refusal chose nothing)
	assert_equal "$stderr" "50-attrs: no attrs today
50-attrs: no attrs today
50-attrs: no attrs today
Error: Script '\"$LIB/50-attrs\"' failed with status '3'"
}

@test "get attributes: a versioned script not listing attributes fails define of a running device" {
	mk_parent
	mk_active "$U"
	versioned "$LIB" 20-v '{"supports":{"version":2,"actions":["define"],"events":["pre","post","get"]}}'
	run --separate-stderr "$MDEVKIT" define -u "$U"
	assert_failure 1
	assert_equal "$stderr" "Error: Script \"$LIB/20-v\" does not support action 'Attributes'"
}

# ---- stdin that is not read, environment, descriptors ----------------------------------------

@test "stdin: a script that never reads a large stdin is harmless" {
	head -c 300000 /dev/zero | tr '\0' v >"$BATS_TEST_TMPDIR/big"
	printf '{"mdev_type":"%s","start":"manual","attrs":[{"blob":"%s"}]}' "$T" "$(cat "$BATS_TEST_TMPDIR/big")" \
		>"$BATS_TEST_TMPDIR/def.json"
	printf '#!/bin/sh\necho "$4" >>"$LOG"\nexit 0\n' >"$LIB/50-deaf"
	chmod +x "$LIB/50-deaf"
	run --separate-stderr "$MDEVKIT" define -u "$U" -p "$P" --jsonfile "$BATS_TEST_TMPDIR/def.json"
	assert_success
	assert_equal "$stderr" ""
	run cat "$LOG"
	assert_output $'get\npre\npost'
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

@test "child: environment and cwd inherited, fds 0-2 only, no blocked signals, SIGPIPE default" {
	cat >"$LIB/50-env" <<'EOF'
#!/bin/bash
# builtins only, before anything changes fds or the signal mask
for f in /proc/$$/fd/*; do [ -e "$f" ] && fds+=" ${f##*/}"; done
while read -r k v; do case $k in SigBlk:) blk=$v;; SigIgn:) ign=$v;; esac; done </proc/$$/status
cat >/dev/null
[ "$4" = pre ] || exit 0
{
	echo "cwd=$PWD var=$MY_VAR root=$MDEVCTL_ENV_ROOT"
	echo "fds=$fds"
	echo "blocked=$blk sigpipe-ignored=$(( 0x$ign >> 12 & 1 ))"
} >>"$LOG"
EOF
	chmod +x "$LIB/50-env"
	cd "$BATS_TEST_TMPDIR"
	# mdevkit runs with fd 7 open and SIGPIPE ignored: neither reaches the script
	MY_VAR=hello run --separate-stderr bash -c 'trap "" PIPE; exec "$@" 7>/dev/null' - \
		"$MDEVKIT" define -u "$U" -p "$P" -t "$T"
	assert_success
	run cat "$LOG"
	assert_line -n 0 "cwd=$BATS_TEST_TMPDIR var=hello root=$ROOT"
	assert_line -n 1 "fds= 0 1 2 255"
	assert_line -n 2 "blocked=0000000000000000 sigpipe-ignored=0"
}

# ---- the timeout ------------------------------------------------------------------------------
# The hanging scripts sleep 120 s; "it ended" means within 60 s, a bound no
# slow run reaches (under valgrind on a loaded machine these take 10 s).

@test "timeout: a hanging pre is killed and refuses with a message saying how to change it" {
	recording_script "$LIB" 50-slow '[ $ev = pre ] && sleep 120; exit 0'
	recording_script "$NLIB" n
	SECONDS=0
	MDEVKIT_CALLOUT_TIMEOUT=1 define
	assert_failure 1
	[ "$SECONDS" -lt 60 ]
	assert_equal "$stderr" "Error: Script \"$LIB/50-slow\" timed out after 1s (event 'pre', action 'define') and was killed; set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout"
	assert_file_not_exist "$ROOT/etc/mdevctl.d/$P/$U"
	run grep -e '-e notify' "$LOG"
	assert_output "n -t $T -e notify -a define -s none -u $U -p $P"
}

@test "timeout: children holding the pipes and ignoring SIGTERM are killed with the script" {
	recording_script "$LIB" 50-slow '[ $ev = pre ] || exit 0
trap "" TERM
sleep 120 &
echo $! >"$LOG.child"
echo "started" >&2
sleep 120'
	SECONDS=0
	MDEVKIT_CALLOUT_TIMEOUT=1 define
	assert_failure 1
	[ "$SECONDS" -lt 60 ]
	assert_equal "$stderr" "50-slow: started
Error: Script \"$LIB/50-slow\" timed out after 1s (event 'pre', action 'define') and was killed; set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout"
	dead "$(cat "$LOG.child")"
}

@test "timeout: a script that closes its output and hangs is killed too" {
	recording_script "$LIB" 50-slow '[ $ev = pre ] && { exec >&- 2>&-; sleep 120; }; exit 0'
	SECONDS=0
	MDEVKIT_CALLOUT_TIMEOUT=1 define
	assert_failure 1
	[ "$SECONDS" -lt 60 ]
	assert_equal "$stderr" "Error: Script \"$LIB/50-slow\" timed out after 1s (event 'pre', action 'define') and was killed; set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout"
}

@test "signals: SIGTERM to mdevkit reaches the script's process group, then mdevkit" {
	recording_script "$LIB" 50-slow '[ $ev = pre ] || exit 0
sleep 120 &
echo "$$ $!" >"$LOG.pids"
wait'
	MDEVKIT_CALLOUT_TIMEOUT=0 "$MDEVKIT" define -u "$U" -p "$P" -t "$T" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! i
	for ((i = 0; i < 100; i++)); do [ -s "$LOG.pids" ] && break; sleep 0.1; done
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 143
	read -r script child <"$LOG.pids"
	dead "$script"
	dead "$child"
	assert_file_not_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

@test "timeout: a --force'd hanging pre warns and the action runs" {
	recording_script "$LIB" 50-slow '[ $ev = pre ] && sleep 120; exit 0'
	MDEVKIT_CALLOUT_TIMEOUT=1 define --force
	assert_success
	assert_equal "$stderr" "Warning: Forcing operation 'define' despite callout failure. Error was: Script \"$LIB/50-slow\" timed out after 1s (event 'pre', action 'define') and was killed; set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout"
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

@test "timeout: a hanging capabilities probe fails the command, once per device type" {
	recording_script "$LIB" 50-slow '[ $ev = get ] && sleep 120; exit 0'
	SECONDS=0
	MDEVKIT_CALLOUT_TIMEOUT=1 define
	assert_failure 1
	[ "$SECONDS" -lt 60 ]
	assert_equal "$stderr" "Error: Script \"$LIB/50-slow\" timed out after 1s (event 'get', action 'capabilities') and was killed; set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout"

	# list: two devices of one type wait for one probe, and list goes on
	mk_parent
	mk_active "$U"
	mk_active "$U2"
	: >"$LOG"
	MDEVKIT_CALLOUT_TIMEOUT=1 run --separate-stderr "$MDEVKIT" list
	assert_success
	assert_output - <<EOF
$U mtty mtty-1 manual
$U2 mtty mtty-1 manual

EOF
	run cat "$LOG"
	assert_output "50-slow -t mtty-1 -e get -a capabilities -s none -u $U -p mtty"
}

@test "timeout: hanging post and notifier are warned about, the command succeeds" {
	recording_script "$LIB" 50-slow '[ $ev = post ] && sleep 120; exit 0'
	recording_script "$NLIB" n 'sleep 120'
	SECONDS=0
	MDEVKIT_CALLOUT_TIMEOUT=1 define
	assert_success
	[ "$SECONDS" -lt 60 ]
	assert_equal "$stderr" "Warning: Script \"$LIB/50-slow\" timed out after 1s (event 'post', action 'define') and was killed; set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout
Warning: Script \"$NLIB/n\" timed out after 1s (event 'notify', action 'define') and was killed; set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout"
	assert_file_exist "$ROOT/etc/mdevctl.d/$P/$U"
}

@test "timeout: a script that exits, leaving a child on its pipes, is not waited for" {
	recording_script "$LIB" 50-bg '[ $ev = pre ] && { sleep 120 & echo $! >"$LOG.child"; }; exit 0'
	SECONDS=0
	MDEVKIT_CALLOUT_TIMEOUT=20 define
	assert_success
	[ "$SECONDS" -lt 60 ]
	assert_equal "$stderr" ""
	kill "$(cat "$LOG.child")"
}

@test "timeout: a script within the limit, or with 0 = no limit, is not killed" {
	recording_script "$LIB" 50-slow '[ $ev = pre ] && sleep 1.5; exit 0'
	MDEVKIT_CALLOUT_TIMEOUT=3 define
	assert_success
	rm "$ROOT/etc/mdevctl.d/$P/$U"
	MDEVKIT_CALLOUT_TIMEOUT=0 define
	assert_success
	assert_equal "$stderr" ""
}

@test "timeout: a value that is not a number of seconds is warned about" {
	recording_script "$LIB" 50-a
	MDEVKIT_CALLOUT_TIMEOUT=5m define
	assert_success
	assert_equal "$stderr" 'Warning: MDEVKIT_CALLOUT_TIMEOUT="5m" is not a number of seconds; using 30 (set it to a whole number, 0 for no timeout)'
}

# ---- start, stop, modify ---------------------------------------------------------------------------

@test "start: pre and post get the definition, notifiers success" {
	mk_parent
	write_def "$ROOT" mtty "$U" '{"mdev_type":"mtty-1","start":"auto","attrs":[]}'
	recording_script "$LIB" 50-a
	recording_script "$NETC" n
	run --separate-stderr "$MDEVKIT" start -u "$U"
	assert_success
	assert_equal "$(cat "$ROOT/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-1/create")" "$U"
	run cat "$IN"
	assert_output - <<EOF
50-a get-capabilities [$PROVIDES]
50-a pre-start [{"mdev_type":"mtty-1","start":"auto","attrs":[]}]
50-a post-start [{"mdev_type":"mtty-1","start":"auto","attrs":[]}]
n notify-start []
EOF
	run grep -e '-e post' -e '-e notify' "$LOG"
	assert_output - <<EOF
50-a -t mtty-1 -e post -a start -s success -u $U -p mtty
n -t mtty-1 -e notify -a start -s success -u $U -p mtty
EOF
}

@test "start: a failing action gives post and notifiers state failure" {
	mk_parent 0
	write_def "$ROOT" mtty "$U" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
	recording_script "$LIB" 50-a
	recording_script "$NETC" n
	run --separate-stderr "$MDEVKIT" start -u "$U"
	assert_failure 1
	assert_equal "$stderr" "Error: No available instances of mtty-1 on mtty"
	run grep -e '-e post' -e '-e notify' "$LOG"
	assert_output - <<EOF
50-a -t mtty-1 -e post -a start -s failure -u $U -p mtty
n -t mtty-1 -e notify -a start -s failure -u $U -p mtty
EOF
}

@test "start: a refusing pre leaves sysfs untouched" {
	mk_parent
	recording_script "$LIB" 50-no '[ $ev = pre ] && exit 1; exit 0'
	run --separate-stderr "$MDEVKIT" start -u "$U" -p mtty -t mtty-1
	assert_failure 1
	assert_equal "$stderr" "Error: Script '\"$LIB/50-no\"' failed with status '1'"
	assert_equal "$(cat "$ROOT/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-1/create")" ""
}

@test "stop: pre and post see the device as sysfs has it, manual without attributes" {
	mk_parent
	mk_active "$U"
	write_def "$ROOT" mtty "$U" '{"mdev_type":"mtty-1","start":"auto","attrs":[{"a":"1"}]}'
	recording_script "$LIB" 50-a
	run --separate-stderr "$MDEVKIT" stop -u "$U"
	assert_success
	assert_equal "$(cat "$ROOT/sys/devices/virtual/mtty/mtty/$U/remove")" "1"
	run grep -F -e pre-stop -e post-stop "$IN"
	assert_output - <<EOF
50-a pre-stop [{"mdev_type":"mtty-1","start":"manual","attrs":[]}]
50-a post-stop [{"mdev_type":"mtty-1","start":"manual","attrs":[]}]
EOF
}

@test "modify: pre and post get the new definition" {
	write_def "$ROOT" "$P" "$U" '{"mdev_type":"'$T'","start":"manual","attrs":[]}'
	recording_script "$LIB" 50-a
	run --separate-stderr "$MDEVKIT" modify -u "$U" --auto
	assert_success
	run grep -F -e pre-modify -e post-modify "$IN"
	assert_output - <<EOF
50-a pre-modify [{"mdev_type":"$T","start":"auto","attrs":[]}]
50-a post-modify [{"mdev_type":"$T","start":"auto","attrs":[]}]
EOF
}

@test "modify --live: the versioned script gets 'live modify' with the new JSON, notifiers state none" {
	mk_parent
	mk_active "$U"
	versioned "$LIB" 20-v
	recording_script "$NLIB" n
	printf '{"mdev_type":"mtty-1","start":"manual","attrs":[{"speed":"9600"}]}' >"$BATS_TEST_TMPDIR/live.json"
	run --separate-stderr "$MDEVKIT" modify -u "$U" --live --jsonfile "$BATS_TEST_TMPDIR/live.json"
	assert_success
	run cat "$IN"
	assert_output - <<EOF
20-v get-capabilities [$PROVIDES]
20-v live-modify [{"mdev_type":"mtty-1","start":"manual","attrs":[{"speed":"9600"}]}]
n notify-modify []
EOF
	run grep -e '-e live' -e '-e notify' "$LOG"
	assert_output - <<EOF
20-v -t mtty-1 -e live -a modify -s none -u $U -p mtty
n -t mtty-1 -e notify -a modify -s none -u $U -p mtty
EOF
}

@test "modify --live: needs a versioned script that lists live" {
	mk_parent
	mk_active "$U"
	printf '{"mdev_type":"mtty-1","start":"manual","attrs":[]}' >"$BATS_TEST_TMPDIR/live.json"
	recording_script "$LIB" 50-plain
	run --separate-stderr "$MDEVKIT" modify -u "$U" --live --jsonfile "$BATS_TEST_TMPDIR/live.json"
	assert_failure 1
	assert_equal "$stderr" "Error: No callout script with version support found that supports live modify"

	rm "$LIB/50-plain"
	versioned "$LIB" 20-v '{"supports":{"version":1,"actions":["modify","attributes"],"events":["pre","post","get"]}}'
	run --separate-stderr "$MDEVKIT" modify -u "$U" --live --jsonfile "$BATS_TEST_TMPDIR/live.json"
	assert_failure 1
	assert_equal "$stderr" "Error: Script \"$LIB/20-v\" does not support event 'Live'"
}

@test "modify --live: exactly get capabilities, live modify and notify; no get attributes first (unlike mdevctl 1.3.0)" {
	mk_parent
	mk_active "$U"
	write_def "$ROOT" mtty "$U" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
	versioned "$LIB" 20-v
	recording_script "$ETC" 50-plain
	recording_script "$NLIB" n
	printf '{"mdev_type":"mtty-1","start":"manual","attrs":[{"speed":"9600"}]}' >"$BATS_TEST_TMPDIR/live.json"
	# "<script> <event> <action> <state>" of each call, in order
	local live=$'20-v get capabilities none\n20-v live modify none\nn notify modify none'
	run --separate-stderr "$MDEVKIT" modify -u "$U" --live --jsonfile "$BATS_TEST_TMPDIR/live.json"
	assert_success
	run awk '{ print $1, $5, $7, $9 }' "$LOG"
	assert_output "$live"
	# with --defined the definition is then saved as a modify is
	: >"$LOG"
	run --separate-stderr "$MDEVKIT" modify -u "$U" --live --defined --jsonfile "$BATS_TEST_TMPDIR/live.json"
	assert_success
	run awk '{ print $1, $5, $7, $9 }' "$LOG"
	assert_output "$live"$'\n20-v pre modify none\n20-v post modify success\nn notify modify success'
}

@test "start-parent-mdevs: pre and post start for each auto device, one probe per type" {
	mk_parent
	write_def "$ROOT" mtty "$U" '{"mdev_type":"mtty-1","start":"auto","attrs":[]}'
	write_def "$ROOT" mtty "$U2" '{"mdev_type":"mtty-1","start":"auto","attrs":[]}'
	write_def "$ROOT" mtty "$U3" '{"mdev_type":"mtty-1","start":"manual","attrs":[]}'
	recording_script "$LIB" 50-a
	run --separate-stderr "$MDEVKIT" start-parent-mdevs mtty
	assert_success
	run grep -c -e '-e get -a capabilities' "$LOG"
	assert_output 1
	run grep -c -e "-e pre -a start -s none -u $U -p mtty" -e "-e pre -a start -s none -u $U2 -p mtty" "$LOG"
	assert_output 2
	run grep -c -e "-e post -a start -s success -u $U -p mtty" -e "-e post -a start -s success -u $U2 -p mtty" "$LOG"
	assert_output 2
	run grep -c -e "$U3" "$LOG"
	assert_output 0
}

# ---- against the real mdevctl ------------------------------------------------------------------------

@test "mdevctl 1.2: define gives a plain /etc callout the same argv and stdin as mdevkit" {
	command -v mdevctl >/dev/null || skip "mdevctl is not installed"
	unshare -m --propagation private true 2>/dev/null || skip "no mount namespaces here"
	recording_script "$ETC" 50-log
	mdevctl_ns "$ROOT" define -u "$U" -p "$P" -t "$T" --auto
	mv "$ROOT/etc/mdevctl.d/$P/$U" "$BATS_TEST_TMPDIR/by-mdevctl"
	mv "$IN" "$BATS_TEST_TMPDIR/in-mdevctl"
	mv "$LOG" "$BATS_TEST_TMPDIR/log-mdevctl"
	define --auto
	assert_success
	cmp "$BATS_TEST_TMPDIR/by-mdevctl" "$ROOT/etc/mdevctl.d/$P/$U"
	# 1.2 has no capabilities probe: compare pre and post
	run diff <(grep -v capabilities "$BATS_TEST_TMPDIR/log-mdevctl") <(grep -v capabilities "$LOG")
	assert_success
	run diff <(grep -v capabilities "$BATS_TEST_TMPDIR/in-mdevctl") <(grep -v capabilities "$IN")
	assert_success
	run grep -c . "$LOG"
	assert_output 3
}
