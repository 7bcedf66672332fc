#!/usr/bin/env bats
# tests/run reports what ASan, LeakSanitizer and memcheck find even when the test
# that ran the program expected it to fail: a deliberately broken program
# (built here, never part of mdevkit) stands in for mdevkit in a scratch
# build, and a one-test bats file that asserts its failure runs through
# tests/run.
load ../lib/helpers

setup() {
	command -v valgrind >/dev/null || fail "valgrind is not installed (tests/deps.sh check)"
	T=$BATS_TEST_TMPDIR
	cat > "$T/broken.c" <<'EOF'
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *volatile p = malloc(8);
	const char *what = argc > 1 ? argv[1] : "";

	if (!strcmp(what, "overflow"))
		p[8] = 1;
	if (!strcmp(what, "leak"))
		p = NULL;
	free(p);
	if (!strcmp(what, "fd"))
		return open("/dev/null", O_RDONLY) < 0 ? 2 : 1;
	return 1;
}
EOF
	mkdir -p "$T/plain" "$T/san"
	gcc -g -O0 -o "$T/plain/mdevkit" "$T/broken.c"
	gcc -g -O0 -fsanitize=address,undefined -fno-sanitize-recover=all -o "$T/san/mdevkit" "$T/broken.c"
	local p
	for p in mdevkit-gvt mdevkit-udev mdevkit-libvirt-hook mdevkit-xml mdevkit-unit mdevkit-simfs; do
		ln -s /bin/false "$T/plain/$p"
		ln -s /bin/false "$T/san/$p"
	done
	# ARGS: the test expects the failure, so only the findings can tell
	# ($at: bats would rewrite a test line even inside this here-document)
	local at=@
	cat > "$T/expects-failure.bats" <<EOF
load $TOP/tests/lib/helpers
${at}test "broken program fails as expected" {
	run "\$MDEVKIT" \$ARGS
	assert_failure
}
EOF
}

# inner BUILD ARGS: tests/run over expects-failure.bats
inner() {
	local build=$1
	shift
	local -a clean
	# a fresh bats: none of this run's BATS_ variables, not its fd 3
	mapfile -t clean < <(compgen -e | grep '^BATS_' | sed 's/^/-u/')
	run env "${clean[@]}" ARGS="$*" MDEVKIT_BUILD="$build" MDEVKIT_TEST_LOGS="$T/logs" \
		MDEVKIT_VALGRIND_OF="$T/plain" "$TOP/tests/run" "$T/expects-failure.bats" 3>&-
}

@test "a clean run counts no finding and keeps no log" {
	inner "$T/san"
	assert_success
	assert_line "1 passed, 0 failed, 0 skipped"
	inner "$T/valgrind"
	assert_success
	assert_line "1 passed, 0 failed, 0 skipped"
	run find "$T/logs" -type f
	assert_output ""
}

@test "ASan: a heap overflow in a failing run is a failed test" {
	inner "$T/san" overflow
	assert_failure
	assert_line --regexp "^not ok 1 selected: mdevkit AddressSanitizer: heap-buffer-overflow .*broken.c:11 in main \(log: $T/logs/run\..*/selected/san\.mdevkit\.[0-9]+\)$"
	assert_line "1 passed, 1 failed, 0 skipped"
}

@test "LeakSanitizer: a leak in a failing run is a failed test" {
	inner "$T/san" leak
	assert_failure
	assert_line --regexp "^not ok 1 selected: mdevkit AddressSanitizer: 8 byte\(s\) leaked in 1 allocation\(s\)\. first in main .*broken.c:7"
	assert_line "1 passed, 1 failed, 0 skipped"
}

@test "memcheck: an invalid write, a leak, an fd left open are failed tests" {
	inner "$T/valgrind" overflow
	assert_failure
	assert_line --regexp "^not ok 1 selected: mdevkit Invalid write of size 1 in main \(.*broken.c:11\) \(log: $T/logs/run\..*/selected/mdevkit\.[0-9]+\.log\)$"
	assert_line "1 passed, 1 failed, 0 skipped"
	inner "$T/valgrind" leak
	assert_failure
	assert_line --regexp "^not ok 1 selected: mdevkit 8 bytes in 1 blocks are definitely lost in loss record 1 of 1 in main \(.*broken.c:7\)"
	inner "$T/valgrind" fd
	assert_failure
	assert_line --regexp "^not ok 1 selected: mdevkit Open file descriptor [0-9]+: /dev/null in main \(.*broken.c:16\)"
	assert_line "1 passed, 1 failed, 0 skipped"
}
