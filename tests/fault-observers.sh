#!/bin/sh
# Observers the kernel generations rule out: pagemap bit 58 gone while
# PAGEMAP_SCAN still reports PAGE_IS_GUARD (bit 58 came first, in 6.15)
# is a contradiction, exit 1 with the reason on one line, in the
# catalogue and in the stress phase alone.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
"$VGS" --features | grep -q '^pagemap-scan-guard: yes' ||
    skip "no PAGE_IS_GUARD on this kernel"

VGS_FAULT=pagemap-lose-guard LD_PRELOAD=$SHIM run "$VGS" --features
expect_rc 0 "--features"
expect_out "^generation: contradictory"
expect_out "^contradiction: .*PAGE_IS_GUARD (6.16) but no pagemap bit 58 (6.15)"

VGS_FAULT=pagemap-lose-guard LD_PRELOAD=$SHIM run "$VGS" -r install -b anon
expect_rc 1 "bit 58 lost"
expect_summary
expect_out "^FAIL kernel-consistency: contradictory: .*PAGE_IS_GUARD (6.16) but no pagemap bit 58 (6.15)"
[ "$(grep -c '^FAIL kernel-consistency' "$out")" -eq 1 ] ||
    fail "kernel-consistency reported more than once"

VGS_FAULT=pagemap-lose-guard LD_PRELOAD=$SHIM run "$VGS" -r stress -t 5s
expect_rc 1 "bit 58 lost, the stress phase alone"
expect_out "^FAIL kernel-consistency: contradictory"
expect_clean_tmpdir
exit 0
