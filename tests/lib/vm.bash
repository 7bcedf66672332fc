# Shared by the bats files of tests/vm/ that boot the guest once and judge
# its record: `load ../lib/vm` after `load ../lib/helpers`.
#
# vm_boot OUT TEST [LAYER...]   in setup_file: tests/vm/run.sh with the
#                               guest test TEST (tests/vm/guest/) on the
#                               base plus LAYERs, output in OUT; sets REC
#                               (OUT/record.log).  MDEVKIT_VM_REUSE=1
#                               judges the last record again without
#                               booting.
# vm_markers                    the guest's marker lines, without prefix
# vm_teardown                   in teardown: on the first failure of the
#                               file, the guest's journal

VM=${MDEVKIT_VM_DIR:-$TOP/build/vm}

vm_boot() {
	local out=$1 test=$2
	shift 2
	REC=$out/record.log
	[ "$(id -u)" -eq 0 ] || return 0
	[ "${MDEVKIT_VM_REUSE:-}" != 1 ] || [ ! -s "$REC" ] || return 0
	MDEVKIT_TOP=$TOP MDEVKIT_BUILD=$BUILD MDEVKIT_VM_OUT=$out MDEVKIT_VM_TEST=$test \
		MDEVKIT_VM_LAYERS="$*" "$TOP/tests/vm/run.sh" 3>&- || {
		echo "# tests/vm/run.sh failed; the end of $out/console.log:" >&2
		tail -40 "$out/console.log" >&2 2> /dev/null
		return 1
	}
}

vm_markers() { sed -n '/^MDEVKIT-VM journal-begin/q; s/^MDEVKIT-VM //p' "$REC"; }

vm_teardown() {
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ ! -e "$BATS_FILE_TMPDIR/journal-shown" ]; then
		touch "$BATS_FILE_TMPDIR/journal-shown"
		echo "# the guest's journal ($REC):"
		sed -n '/^MDEVKIT-VM journal-begin/,/^MDEVKIT-VM journal-end/p' "$REC"
	fi
}
