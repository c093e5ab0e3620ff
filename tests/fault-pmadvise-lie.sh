#!/bin/sh
# process_madvise() that reports a page less than it advised, and success
# where it failed: the byte counts and the remote EINVAL are checked.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=pmadvise-lie LD_PRELOAD=$OPS \
    run "$VGS" -r pmadvise-pidfd,pmadvise-self,pmadvise-remote -b anon,shmem --seed=1
expect_rc 1 "process_madvise lies"
expect_summary
expect_out "^FAIL pmadvise-pidfd.anon: step 1: process_madvise(pidfd of self, 6 iovecs, INSTALL): expected 24576, got 20480"
expect_out "^FAIL pmadvise-remote.shmem: step 1: process_madvise(child, INSTALL p2): expected -1 (EINVAL), got 4096"
grep -q "^SKIP pmadvise-self.anon" "$out" ||
    expect_out "^FAIL pmadvise-self.anon: step 1: process_madvise(PIDFD_SELF_THREAD_GROUP, 6 iovecs, INSTALL): expected 24576"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
