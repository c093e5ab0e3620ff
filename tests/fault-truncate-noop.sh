#!/bin/sh
# ftruncate() to 0 that truncates nothing: after "0 and back" the pages
# still hold data where zero is due.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=truncate-noop LD_PRELOAD=$OPS run "$VGS" -r zap-truncate -b shmem,file-shared --seed=1
expect_rc 1 "not truncated"
expect_summary
expect_out "^FAIL zap-truncate.shmem: step 2 .truncated to 0 and back.: page 0: expected zero, read pattern "
expect_out "^FAIL zap-truncate.file-shared: step 2 .truncated to 0 and back.: page 0: expected zero, read pattern "
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
