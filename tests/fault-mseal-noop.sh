#!/bin/sh
# mseal() that seals nothing: no split in advice-mseal, and the sealed
# read-only anon VMA of errors-sealed no longer refuses INSTALL.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=mseal-noop LD_PRELOAD=$OPS run "$VGS" -r advice-mseal,errors-sealed -b anon
grep -q "^SKIP advice-mseal.anon: no mseal" "$out" && skip "no mseal(2)"
expect_rc 1 "mseal ignored"
expect_summary
expect_out "^FAIL advice-mseal.anon: step 3 .mseal p5-9 (split). (in the child): VMA count: expected 2, saw 1"
expect_out "^FAIL errors-sealed.anon: step 3 .p0-1 sealed. (in the child): VMA count: expected 2, saw 1"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
