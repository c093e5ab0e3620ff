#!/bin/sh
# mremap() that loses the markers it moved: every mremap scenario fails
# at the first step after the move, naming the page.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=mremap-drop-guards LD_PRELOAD=$OPS \
    run "$VGS" --seed=1 \
    -r mremap-expand,mremap-shrink,mremap-move,mremap-merge,mremap-split
expect_rc 1 "markers lost by mremap"
expect_summary
expect_out "^FAIL mremap-expand.anon: step 2 .expanded in place to 8 pages.: page 0: expected a guard marker (G)"
expect_out "^FAIL mremap-shrink.shmem: step 2 .shrunk to 3 pages.: page 0: expected a guard marker (G)"
expect_out "^FAIL mremap-move.anon: step 2 .moved to p10-14.: page 11: expected a guard marker (G)"
expect_out "^FAIL mremap-split.anon: step 2 .p3-5 moved to p12-14.: page 13: expected a guard marker (G)"
expect_out "^FAIL mremap-merge.shmem: step 2 .gu VMA moved next to the plain one.: page 6: expected a guard marker (G)"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
