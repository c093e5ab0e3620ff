#!/bin/sh
# System calls that read a guard page for us and claim success instead of
# EFAULT/EIO: errors-access names the call and page.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=io-hide-efault LD_PRELOAD=$OPS run "$VGS" -r errors-access --seed=1
expect_rc 1 "EFAULT hidden"
expect_summary
expect_out "^FAIL errors-access.anon: step 1: read(/dev/zero) into p1: expected -1 (EFAULT), got 4096"
expect_out "^FAIL errors-access.shmem: step 1: read(/dev/zero) into p1: expected -1 (EFAULT), got 4096"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
