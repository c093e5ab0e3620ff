#!/bin/sh
# MADV_GUARD_INSTALL over several pages that silently skips the last:
# the length rounding, the hole and the multi-VMA checks name the page.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=install-skip-last LD_PRELOAD=$OPS \
    run "$VGS" -r errors-args,errors-hole,multi-vma -b anon,file-shared --seed=1
expect_rc 1 "partial install"
expect_summary
expect_out "^FAIL errors-args.anon: step 5 .length page+1 guards p0-1.: page 1: expected a guard marker (G)"
expect_out "^FAIL errors-hole.anon: step 2 .INSTALL over a hole.: page 3: expected a guard marker (G)"
expect_out "^FAIL multi-vma.file-shared: step 2 .INSTALL over three VMAs, two holes.: page 19: expected a guard marker (G)"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
