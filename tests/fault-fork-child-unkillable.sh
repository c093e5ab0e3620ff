#!/bin/sh
# A fork child of the stress engine that SIGKILL does not end
# (fork-child-unkillable: the shim's waitpid() keeps saying it is still
# there, as the kernel does of a task in uninterruptible sleep).  The
# engine waits a bounded time for it, then fails the fork: the first
# child (waited for, then killed) and the second (looked at at once,
# then killed) alike.  Exit 1, never a hang or a hard error, and no
# process is left once the run is over.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

ops=$work/forks.ops
fork_stream "$ops" 3

msg="the forked child did not die of SIGKILL: it stays in uninterruptible"
msg="$msg sleep (seed 1)"
for skip in 0 1; do
	VGS_FAULT=fork-child-unkillable VGS_FAULT_SKIP=$skip \
	    LD_PRELOAD=$SHIM run "$VGS" --replay="$ops"
	expect_rc 1 "fork child $skip cannot be reaped"
	expect_summary
	expect_out "^FAIL stress.anon: op $((skip + 2)) 'fork': $msg$"
	grep -q "^ERROR" "$out" && fail "a child that stays made a hard error"
	expect_counts 0 1 0
done

# Without the fault, the same forks pass.
run "$VGS" --replay="$ops"
expect_rc 0 "forks of a sound kernel"
expect_counts 1 0 0
expect_no_process_with "$work"
expect_clean_tmpdir
exit 0
