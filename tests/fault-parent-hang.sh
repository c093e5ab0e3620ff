#!/bin/sh
# A kernel call in the tool's own process that never returns is
# reported, not waited on for ever: the watchdog (at least 10 s) ends
# the check as a failure and the run goes on.
#   install-hang    MADV_GUARD_INSTALL blocks in an interruptible sleep:
#                   the watchdog interrupts it at its deadline;
#   install-dstate  it sleeps uninterruptibly (state D) for 12 s: no
#                   signal can end that, so the tool says so on stderr
#                   before the deadline, and fails the check once the
#                   call returns past it.
# The feature probe's four installs are let through (VGS_FAULT_SKIP=4),
# and for install-hang the first check's too: the watchdog must watch
# every check, not only the first; and the feature probe, before any
# check, fails the run with one line.  The runs go side by side to keep
# the test short.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
log=$work/hang.log
out2=$work/out2
err2=$work/err2
out3=$work/out3
err3=$work/err3

t0=$(date +%s)
VGS_FAULT=install-dstate VGS_FAULT_SKIP=4 VGS_FAULT_COUNT=1 \
    VGS_FAULT_SECS=12 LD_PRELOAD=$SHIM \
    "$VGS" --tmpdir="$TMPDIR" -r install -b anon,shmem >"$out2" 2>"$err2" &
dpid=$!
# The feature probe's first install hangs: the probe is watched too.
VGS_FAULT=install-hang VGS_FAULT_COUNT=1 LD_PRELOAD=$SHIM \
    "$VGS" --tmpdir="$TMPDIR" -r install -b anon >"$out3" 2>"$err3" &
ppid=$!
VGS_FAULT=install-hang VGS_FAULT_SKIP=5 VGS_FAULT_COUNT=1 \
    VGS_FAULT_LOG=$log LD_PRELOAD=$SHIM \
    run "$VGS" --tmpdir="$TMPDIR" -r install -b anon,shmem,file-shared
expect_rc 1 "a call that never returns"
expect_summary
expect_counts 2 1 0
expect_out "^PASS install.anon: "
expect_out "^FAIL install.shmem: step 1: no answer from the kernel in 1[0-9]\.[0-9] s (waiting in [a-z_]*pause): the watchdog interrupted the call and abandoned the check$"
expect_out "^PASS install.file-shared: "
[ -s "$err" ] && fail "install-hang: stderr is not empty"
expect_gone "$log"

rc=0
wait $dpid || rc=$?
took=$(($(date +%s) - t0))
mv "$out2" "$out"
mv "$err2" "$err"
expect_rc 1 "a call in uninterruptible sleep"
expect_counts 1 1 0
expect_out "^FAIL install.anon: step [0-9]*: no answer from the kernel in 1[2-9]\.[0-9] s, past the watchdog's 10.0 s$"
expect_one_line_err
expect_err "^vmaguard-stress: install.anon: stuck in the kernel for [5-9]\.[0-9] s in uninterruptible sleep (state D.*): no signal can end it; the run waits for the kernel, or for the caller's timeout$"
rc=0
wait $ppid || rc=$?
mv "$out3" "$out"
mv "$err3" "$err"
expect_rc 1 "the feature probe's call that never returns"
expect_one_line_err
expect_err "^vmaguard-stress: probing the kernel: no answer from the kernel in 1[0-9]\.[0-9] s (waiting in [a-z_]*pause): the watchdog interrupted the call and abandoned the check$"
[ -s "$out" ] && fail "the probe that hung printed a report"
[ "$took" -lt 30 ] || fail "the runs took $took s"
expect_no_process_with "$TMPDIR"
expect_clean_tmpdir
exit 0
