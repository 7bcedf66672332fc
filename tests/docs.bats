#!/usr/bin/env bats
# The documentation is true to the programs: --help, the man pages and
# README.md list the same commands and options; the man pages format
# without warnings; every environment variable and path the code uses is
# documented.
load helpers
load docs

MAN=$TOP/man

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
		[ -n "$help" ] && [ -n "$man" ] || { echo "$cmd: no options found"; failed=1; }
		same_lines "mdevkit $cmd" "$help" "$common"$'\n'"$man" || failed=1
	done
	[ "$failed" = 0 ]
}

@test "mdevkit, mdevkit-gvt and mdevkit-udev: --help and OPTIONS of the man page agree" {
	local prog help man failed=0
	for prog in mdevkit mdevkit-gvt mdevkit-udev; do
		help=$("$BUILD/$prog" --help | help_options)
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
