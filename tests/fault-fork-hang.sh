#!/bin/sh
# A kernel on which every fork hangs (fork-hang: each forked child
# blocks for ever before it runs a line of the tool), under the default
# deadlines: the run must give its FAIL in under two minutes.  The first
# child waits for --child-timeout (10 s); then, no child having ever
# finished, the deadline falls to the floor (1 s).  Every check that
# forks fails and names the deadline it missed, pmadvise-remote's
# target child included; the stress groups whose workers never start are
# given up; the checks that do not fork still pass.  No process is left
# and TMPDIR is clean.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
log=$work/hang.log

t0=$(date +%s)
VGS_FAULT=fork-hang VGS_FAULT_LOG=$log LD_PRELOAD=$SHIM \
    run "$VGS" --tmpdir="$TMPDIR"
took=$(($(date +%s) - t0))
expect_rc 1 "every fork hangs"
[ "$took" -lt 120 ] || fail "every fork hangs: the run took $took s"
expect_summary
expect_counts '[1-9][0-9]*' '[1-9][0-9]*' '[0-9]*'
expect_out "^PASS install.anon: "
expect_out "^FAIL fork-unfaulted.anon: step 1: child 'unfaulted' missed its 10000 ms deadline: killed$"
expect_out "^FAIL fork-unfaulted.shmem: step 1: child 'unfaulted' missed its 1000 ms deadline: killed$"
expect_out "^FAIL fork-written.file-private: step 1: child 'written' missed its 1000 ms deadline: killed$"
expect_out "^FAIL pmadvise-remote.anon: step 3: the target child missed its 1000 ms deadline: killed$"
expect_out "^FAIL race-fork.anon: fork 1 of round 1: the child missed its deadline$"
expect_out "^FAIL stress.anon: worker 0 ended without a result after 0 ops (forks hang: "
[ "$(grep -c 'missed its 10000 ms deadline' "$out")" -eq 1 ] ||
    fail "more than one child waited for the whole --child-timeout"
grep -q '^PASS fork-' "$out" && fail "a fork check passed"
expect_gone "$log"
expect_no_process_with "$TMPDIR"
expect_clean_tmpdir
echo "every fork hangs: exit $rc in $took s," \
    "$(grep -c '^FAIL' "$out") checks failed"
exit 0
