#!/usr/bin/env bats
# tests/run itself: the memcheck pass's file lists cover every file, a file
# marked "alone" runs after the others and by itself, and the summary
# gives each pass's time before the count line.
load ../lib/helpers

setup() {
	T=$BATS_TEST_TMPDIR
}

# the FILEs of one bash array ("NAME=(" to ")") in tests/run
run_list() {
	sed -n "/^$1=(/,/^)/{s/#.*//;p}" "$TOP/tests/run" | grep -o 'tests/[a-z/-]*\.bats'
}

# inner FILE...: a fresh tests/run over FILEs (none of this bats' variables)
inner() {
	local -a clean
	mapfile -t clean < <(compgen -e | grep '^BATS_' | sed 's/^/-u/')
	run env "${clean[@]}" MDEVKIT_TEST_LOGS="$T/logs" MDEVKIT_TEST_JOBS=2 "$TOP/tests/run" "$@" 3>&-
}

@test "every file of tiers 1 and 2 is in exactly one list of the memcheck pass" {
	local f lists
	cd "$TOP"
	for f in tests/roots/*.bats tests/simulated/*.bats; do
		# (memcheck_left_out takes in own_programs by name)
		lists=$( (run_list memcheck_files; run_list memcheck_left_out; run_list own_programs) | grep -cxF "$f" || true)
		[ "$lists" -eq 1 ] || fail "$f is in $lists lists of tests/run's memcheck pass"
	done
	# and no list names a file that is gone
	for f in $(run_list memcheck_files) $(run_list memcheck_left_out) $(run_list own_programs); do
		[ -f "$f" ] || fail "tests/run lists $f, which does not exist"
	done
}

@test "a file marked alone in its opening comment runs after the others, one test at a time" {
	local at=@
	cat > "$T/alone.bats" <<EOF
# tests/run: alone (the runner's own test)
${at}test "alone 1" { echo "\$BATS_TEST_NAME" >> "$T/order"; sleep 0.3; echo end >> "$T/order"; }
${at}test "alone 2" { echo "\$BATS_TEST_NAME" >> "$T/order"; sleep 0.3; echo end >> "$T/order"; }
EOF
	# a marker below the opening comment does not count
	cat > "$T/shared.bats" <<EOF
${at}test "shared" { echo shared >> "$T/order"; }
# tests/run: alone (not in the opening comment)
EOF
	inner "$T/alone.bats" "$T/shared.bats"
	assert_success
	assert_line "3 passed, 0 failed, 0 skipped"
	assert_line "# --- selected, files that run alone"
	# shared first; the alone tests never overlap
	assert_equal "$(cat "$T/order")" "shared
test_alone_1
end
test_alone_2
end"
}

@test "the summary gives each pass's wall time, then the count line" {
	local at=@
	printf '%s\n' "${at}test \"one\" { true; }" > "$T/one.bats"
	inner "$T/one.bats"
	assert_success
	[[ ${lines[-4]} == "# wall time, 2 parallel job(s):" ]] || fail "no time header: ${lines[-4]}"
	assert_regex "${lines[-3]}" '^#   selected: +[0-9]+ s$'
	assert_regex "${lines[-2]}" '^#   all: +[0-9]+ s$'
	assert_equal "${lines[-1]}" "1 passed, 0 failed, 0 skipped"
}
