#!/bin/sh
# munmap() of one page that unmaps nothing: the split munmap-edges and
# split-merge expect is missing.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=munmap-noop LD_PRELOAD=$OPS run "$VGS" -r munmap-edges,split-merge -b anon,shmem --seed=1
expect_rc 1 "munmap ignored"
expect_summary
expect_out "^FAIL munmap-edges.anon: step 2 .munmap p0,p9.: VMA 0: expected p1-8, saw p0-9"
expect_out "^FAIL split-merge.shmem: step 2 .munmap p2,p5,p8.: VMA count: expected 4, saw 1"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
