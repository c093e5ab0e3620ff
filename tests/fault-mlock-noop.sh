#!/bin/sh
# mlock() that locks nothing: INSTALL on the "locked" VMA succeeds
# where EINVAL is due.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions
skip_if_asan "mlock is a raw syscall there (scn_ops.c), out of the shim's reach"

VGS_FAULT=mlock-noop LD_PRELOAD=$OPS run "$VGS" -r errors-mlock --seed=1
grep -q "^SKIP errors-mlock.anon: RLIMIT_MEMLOCK" "$out" && skip "RLIMIT_MEMLOCK too small"
expect_rc 1 "mlock ignored"
expect_summary
expect_out "^FAIL errors-mlock.anon: step 2: madvise(MADV_GUARD_INSTALL) on p0-9: expected -1 (EINVAL), got 0"
expect_out "^FAIL errors-mlock.file-private: step 2: madvise(MADV_GUARD_INSTALL) on p0-9: expected -1 (EINVAL), got 0"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
