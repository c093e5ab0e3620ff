#!/bin/sh
# A forked child that hangs (child-hang: at its first step it forks a
# grandchild and both block for ever) is killed at its deadline and
# reported as a failure, the run goes on and finishes, and no process is
# left behind, running or as a zombie: the shim logs every hanging pid
# and the process table must have none of them afterwards.  The second
# run hangs one level deeper, in the grandchild of fork-child-guard,
# which lives in a process group of its own: the parent's deadline
# comes first and the grandchild must still die with its parent.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
log=$work/hang.log

# The runs' own time, not the checks' (scanning /proc is slow).
t0=$(date +%s)
VGS_FAULT=child-hang VGS_FAULT_COUNT=1 VGS_FAULT_LOG=$log LD_PRELOAD=$SHIM \
    run "$VGS" --child-timeout=300ms --tmpdir="$TMPDIR" \
    -r fork-unfaulted,fork-written
took=$(($(date +%s) - t0))
expect_rc 1 "a hanging child"
expect_summary
expect_out "^FAIL fork-unfaulted.anon: step 1: child 'unfaulted' missed its 300 ms deadline: killed"
expect_out "^PASS fork-unfaulted.shmem"
expect_out "^PASS fork-written.file-private"
expect_counts 7 1 0
[ "$(grep -c 'hang pid=' "$log")" -eq 2 ] || fail "expected 2 hanging processes"
expect_gone "$log"
expect_no_process_with "$TMPDIR"

rm -f "$log"
t0=$(date +%s)
VGS_FAULT=child-hang VGS_FAULT_SKIP=1 VGS_FAULT_LOG=$log LD_PRELOAD=$SHIM \
    run "$VGS" --child-timeout=300ms --tmpdir="$TMPDIR" \
    -r fork-child-guard -b anon,file-shared
took=$((took + $(date +%s) - t0))
expect_rc 1 "a hanging grandchild"
expect_summary
expect_out "^FAIL fork-child-guard.anon: .*child 'child installs a guard' missed its 300 ms deadline: killed"
expect_out "^FAIL fork-child-guard.file-shared: "
expect_gone "$log"
expect_no_process_with "$TMPDIR"
[ "$took" -lt 10 ] || fail "the runs took $took s"
expect_clean_tmpdir
exit 0
