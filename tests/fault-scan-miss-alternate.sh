#!/bin/sh
# PAGEMAP_SCAN that finds no guard: guard-alternate cross-checks it
# against pagemap bit 58 page by page.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

[ -f "$SHIM" ] || skip "no $SHIM"
"$VGS" --features | grep -q "^pagemap-scan-guard: yes" || skip "no PAGE_IS_GUARD"
VGS_FAULT=scan-miss LD_PRELOAD=$SHIM run "$VGS" -r guard-alternate --seed=1
expect_rc 1 "scan misses guards"
expect_summary
expect_out "^FAIL guard-alternate.anon: step 2 .every other page, unfaulted.: page 0: pagemap bit 58 shows G but PAGEMAP_SCAN PAGE_IS_GUARD shows none"
expect_out "^FAIL guard-alternate.file-private: step 2"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
