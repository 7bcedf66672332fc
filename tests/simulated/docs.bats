#!/usr/bin/env bats
# The documentation is true to the programs: --help, the man pages and
# README.md list the same commands and options; the man pages format
# without warnings; every environment variable and path the code uses is
# documented.
load ../lib/helpers
load ../lib/simfs
load ../lib/docs

MAN=$TOP/man

teardown() {
	simfs_teardown
}

# same_lines LABEL A B: the sorted lines of A and B are equal, else print
# the difference under LABEL and fail
same_lines() {
	local d
	if ! d=$(diff -u --label "$1: --help" --label "$1: man page" \
		<(printf '%s\n' "$2" | sort -u) <(printf '%s\n' "$3" | sort -u)); then
		printf '%s\n' "$d"
		return 1
	fi
}

@test "mdevkit --help, mdevkit(8) and README list the same commands" {
	local help man readme
	help=$("$MDEVKIT" --help | help_commands)
	man=$(man_subsections "$MAN/mdevkit.8" COMMANDS)
	readme=$(readme_commands "$TOP/README.md" | cut -f1)
	[ -n "$help" ]
	same_lines commands "$help" "$man"
	same_lines "commands (README)" "$help" "$readme"
}

@test "every mdevkit command: --help and mdevkit(8) list the same options" {
	local cmd help man failed=0
	# options every command takes are listed once, before the first command
	local common
	common=$(man_part "$MAN/mdevkit.8" COMMANDS - | man_options)
	for cmd in $("$MDEVKIT" --help | help_commands); do
		help=$("$MDEVKIT" "$cmd" --help | help_options)
		man=$(man_part "$MAN/mdevkit.8" COMMANDS "$cmd" | man_options)
		# a command may have no options but -h (pve-hook)
		[ -n "$help" ] && { [ -n "$man" ] || [ "$help" = "- --help -" ] || [ "$help" = "-h --help -" ]; } ||
			{ echo "$cmd: no options found"; failed=1; }
		same_lines "mdevkit $cmd" "$help" "$common${man:+$'\n'}$man" || failed=1
	done
	[ "$failed" = 0 ]
}

@test "mdevkit, mdevkit-gvt and mdevkit-udev: --help and OPTIONS of the man page agree" {
	local prog help man failed=0
	for prog in mdevkit mdevkit-gvt mdevkit-udev; do
		run --separate-stderr "$BUILD/$prog" --help
		assert_success
		assert_equal "$stderr" ""
		help=$(help_options <<<"$output")
		man=$(man_part "$MAN/$prog.8" OPTIONS | man_options)
		[ -n "$help" ] || { echo "$prog: no options in --help"; failed=1; }
		same_lines "$prog" "$help" "$man" || failed=1
	done
	[ "$failed" = 0 ]
}

@test "README's usage of each command uses only options --help lists" {
	local cmd usage opt known failed=0
	while IFS=$'\t' read -r cmd usage; do
		known=$("$MDEVKIT" "$cmd" --help | help_options | tr ' ' '\n' | grep -x -- '-.*')
		for opt in $(grep -oE -- '(^|[ [(|])--?[A-Za-z][A-Za-z-]*' <<<"$usage" | tr -d ' [(|'); do
			grep -qxF -- "$opt" <<<"$known" || { echo "README: $cmd: $opt is not an option"; failed=1; }
		done
	done < <(readme_commands "$TOP/README.md")
	[ "$failed" = 0 ]
}

@test "man pages: no warnings from mandoc -Tlint, groff -ww and man" {
	local f out failed=0
	for f in "$MAN"/*.[1-8]; do
		out=$(mandoc -Tlint "$f" 2>&1) || true
		[ -z "$out" ] || { echo "$out"; failed=1; }
		out=$(groff -man -t -Tutf8 -ww -z "$f" 2>&1)
		[ -z "$out" ] || { echo "groff: $f: $out"; failed=1; }
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l "$f" 2>&1 >/dev/null)
		[ -z "$out" ] || { echo "man: $f: $out"; failed=1; }
	done
	[ "$failed" = 0 ]
}

# getenv("NAME") in the sources of a program
env_names() {
	grep -ohE 'getenv\("[A-Z_]+"\)' "$@" | sed -E 's/getenv\("([A-Z_]+)"\)/\1/' | sort -u
}

@test "every environment variable the programs read is in their man page's ENVIRONMENT" {
	local v failed=0 page srcs
	for page in mdevkit:src/mdevkit mdevkit-gvt:callouts mdevkit-udev:src/udev; do
		# the library's variables count for every program; MDEVKIT_CALLOUT_TIMEOUT
		# only where callouts are run
		srcs=("$TOP/${page#*:}"/*.c "$TOP"/src/lib/env.c "$TOP"/src/lib/log.c)
		[ "${page%%:*}" != mdevkit ] || srcs+=("$TOP"/src/lib/*.c)
		for v in $(env_names "${srcs[@]}"); do
			man_part "$MAN/${page%%:*}.8" ENVIRONMENT | grep -q "^\.B $v\$" ||
				{ echo "${page%%:*}(8): $v is not in ENVIRONMENT"; failed=1; }
		done
	done
	[ "$failed" = 0 ]
}

@test "every path in env.c is in mdevkit(8)'s FILES or ENVIRONMENT" {
	local p failed=0 text
	text=$( (man_part "$MAN/mdevkit.8" FILES; man_part "$MAN/mdevkit.8" ENVIRONMENT) |
		sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/^\.[A-Z]* //' -e 's/"//g' | tr -d ' \n')
	for p in $(grep -oE '"/[a-z/._-]+"' "$TOP/src/lib/env.c" | tr -d '"' | sort -u); do
		[[ $text == *"$p"* ]] || { echo "mdevkit(8): $p is not in FILES"; failed=1; }
	done
	[ "$failed" = 0 ]
}

@test "mdevkit-simfs: --help and mdevkit-simfs(1)'s SYNOPSIS name the same subcommands and options" {
	local help man
	# "mdevkit-simfs WORD" and every --option, in both
	help=$("$SIMFS" --help | grep -oE -- '(mdevkit-simfs [a-z-]+|--[a-z][a-z-]*)' | sort -u)
	man=$(man_part "$MAN/mdevkit-simfs.1" SYNOPSIS | sed -e 's/\\-/-/g' -e 's/^\.[A-Z]* //' -e 's/"//g' |
		tr '\n' ' ' | sed 's/\.br/\n/g' | grep -oE -- '(mdevkit-simfs [a-z-]+|--[a-z][a-z-]*)' | sort -u)
	[ -n "$help" ]
	same_lines mdevkit-simfs "$help" "$man"
}

# The GVT-g examples of mdevkit(8) against what mdevkit prints on the
# simulated host they describe.

# man_examples SUBSECTION: the .EX blocks of that part of GVT-G BUDGET, a
# line starting with one space continuing the line before
man_examples() {
	man_part "$MAN/mdevkit.8" "GVT-G BUDGET" "$1" | awk '
	/^\.EX/ { on = 1; if (line != "") print line; line = ""; next }
	/^\.EE/ { on = 0; if (line != "") print line; line = ""; next }
	!on { next }
	{ gsub(/\\-/, "-") }
	/^ [^ ]/ { line = line $0; next }
	{ if (line != "") print line; line = $0 }'
}

# every example line is a line of ACTUAL (UUIDs shortened to "12345678-...");
# a line "A, ...B" matches any line that starts with A and ends with B
examples_in() {
	local actual line failed=0
	actual=$(sed -E 's/([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/\1-.../g' <<<"$1")
	while IFS= read -r line; do
		[ "$line" != "    ..." ] || continue
		if [[ $line == *", ..."* ]]; then
			local head=${line%%, ...*} tail=${line#*, ...} a found=0
			while IFS= read -r a; do
				[[ ${a:0:${#head}} == "$head" && ${a: -${#tail}} == "$tail" ]] && found=1
			done <<<"$actual"
			[ $found = 1 ] || { echo "not printed: $line"; failed=1; }
		elif ! grep -qxF -- "$line" <<<"$actual"; then
			echo "not printed: $line"
			failed=1
		fi
	done <<<"$2"
	[ "$failed" = 0 ] || { echo "--- printed:"; echo "$actual"; return 1; }
}

# mk_gvt_callout_root: mk_root with mdevkit-gvt installed as a callout
mk_gvt_callout_root() {
	mk_root
	ln -s "$MDEVKIT_GVT" "$ROOT/usr/lib/mdevctl/scripts.d/callouts/mdevkit-gvt"
}

@test "mdevkit(8): the 1024 MiB example is what mdevkit prints" {
	local sub="Example: a Skylake host with a 1024 MiB aperture" avail want i out
	mk_gvt_callout_root
	simfs_mount "$ROOT"
	# the table: available instances of each type on an idle GPU
	want=$(man_part "$MAN/mdevkit.8" "GVT-G BUDGET" "$sub" | awk -F';' '/^V[45]_[1248];/ { print "i915-GVTg_" $1, $2 }')
	avail=$("$MDEVKIT" types -p "$GVT_PARENT" | awk '/^  [^ ]/ { t = $1 } /Available instances/ { print t, $3 }')
	[ "$(wc -l <<<"$want")" -eq 4 ]
	assert_equal "$(sort <<<"$want")" "$(sort <<<"$avail")"
	out=$("$MDEVKIT" types --gvt -p "$GVT_PARENT")
	examples_in "$out" "$(man_examples "$sub" | sed -n '/^  i915/,/limit/p')"
	for i in 1 2 3 4 5 6 7; do
		"$MDEVKIT" start -u "$(printf '11111111-0000-4000-8000-%012d' "$i")" -p "$GVT_PARENT" -t i915-GVTg_V5_8
	done
	run --separate-stderr "$MDEVKIT" start -u 11111118-0000-4000-8000-000000000008 -p "$GVT_PARENT" -t i915-GVTg_V5_8
	assert_failure
	examples_in "$stderr" "$(man_examples "$sub" | grep '^mdevkit-gvt:')"
}

@test "mdevkit(8): the 512 MiB example is what mdevkit prints" {
	local sub="Example: the same host with a 512 MiB aperture"
	mk_gvt_callout_root
	gvt_scenario "$BATS_TEST_TMPDIR/host.conf" 512
	simfs_mount "$ROOT" "$BATS_TEST_TMPDIR/host.conf"
	run --separate-stderr "$MDEVKIT" define -u 6e0c190e-0000-4000-8000-000000000001 \
		-p "$GVT_PARENT" -t i915-GVTg_V5_1 --auto
	assert_failure
	examples_in "$stderr" "$(man_examples "$sub" | grep '^mdevkit-gvt:')"
	"$MDEVKIT" define -p "$GVT_PARENT" -t i915-GVTg_V5_2 --auto
	"$MDEVKIT" define -p "$GVT_PARENT" -t i915-GVTg_V5_4 --auto
	# the third would be refused by mdevkit-gvt: written as another tool would
	write_def "$ROOT" "$GVT_PARENT" 6e0c190e-0000-4000-8000-000000000002 \
		'{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}'
	run --separate-stderr "$MDEVKIT" check
	assert_failure 1
	examples_in "$output" "$(man_examples "$sub" | grep -v '^mdevkit-gvt:')"
}
