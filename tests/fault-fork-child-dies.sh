#!/bin/sh
# A fork child of the stress engine that dies of SIGSEGV as soon as it
# runs (fork-child-dies).  The first fork's child makes loads and is
# waited for: its death is seen at once.  The next 31 are looked at as
# soon as fork() returns and killed, most before they run, so the
# death shows where one happened to run first, or at the latest at the
# 33rd fork, the next child that is waited for.  Either way: exit 1,
# the fork FAILs with the signal, never a hard error.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

ops=$work/forks.ops
fork_stream "$ops" 40

VGS_FAULT=fork-child-dies LD_PRELOAD=$SHIM run "$VGS" --replay="$ops"
expect_rc 1 "the first fork child dies"
expect_summary
expect_out "^FAIL stress.anon: op 2 'fork': the forked child was killed by signal 11 (SEGV) (seed 1)$"
expect_counts 0 1 0

# Its first child (fork 0) is spared: the others die.
VGS_FAULT=fork-child-dies VGS_FAULT_SKIP=1 LD_PRELOAD=$SHIM \
    run "$VGS" --replay="$ops"
expect_rc 1 "fork children after the first die"
expect_summary
expect_out "^FAIL stress.anon: op [0-9]* 'fork': the forked child was killed by signal 11 (SEGV) (seed 1)$"
n=$(sed -n "s/^FAIL stress.anon: op \([0-9]*\) 'fork'.*/\1/p" "$out")
[ "$n" -ge 3 ] && [ "$n" -le 34 ] ||
    fail "the death was seen at op $n, not within ops 3 to 34"
grep -q "^ERROR" "$out" && fail "a dead child made a hard error"
expect_counts 0 1 0

# Without the fault, the same forks pass.
run "$VGS" --replay="$ops"
expect_rc 0 "forks of a sound kernel"
expect_counts 1 0 0
expect_no_process_with "$work"
expect_clean_tmpdir
exit 0
