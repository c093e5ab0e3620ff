#!/bin/sh
# fallocate(PUNCH_HOLE) that punches nothing: the pages over the hole
# still read the old data where zero is due.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=punch-noop LD_PRELOAD=$OPS run "$VGS" -r zap-punch-hole -b shmem,file-private --seed=1
expect_rc 1 "hole not punched"
expect_summary
expect_out "^FAIL zap-punch-hole.shmem: step 2 .hole punched under p1-3.: page 1: expected zero, read pattern "
expect_out "^FAIL zap-punch-hole.file-private: step 2 .hole punched under p1-3.: page 1: expected zero, read pattern 2$"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
