#!/bin/sh
# madvise() flag advice that is accepted but changes nothing: the split
# advice-split and advice-hugepage expect never happens.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=advice-noop LD_PRELOAD=$OPS \
    run "$VGS" -r advice-split,advice-hugepage --seed=1
expect_rc 1 "flag advice ignored"
expect_summary
expect_out "^FAIL advice-split.anon: step 2 .RANDOM p5-9.: VMA count: expected 2, saw 1"
expect_out "^FAIL advice-split.file-private: step 2 .RANDOM p5-9.: VMA count: expected 2, saw 1"
expect_out "^FAIL advice-hugepage.shmem: step 1 .HUGEPAGE p5-9 (split).: VMA count: expected 2, saw 1"
expect_out "^  *p5-9 rw-p gu+rr  *guards=\.\.\.\.\. access=rrrrr"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
