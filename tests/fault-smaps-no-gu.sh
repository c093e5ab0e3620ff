#!/bin/sh
# Markers work but smaps never shows gu (a pre-series kernel): the
# checks that rely on gu SKIP with the reason and the run exits 0;
# with --require=gu they fail.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS" --features
expect_out "^gu: no"
expect_out "^series: absent"

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS"
expect_rc 0 "pre-series kernel"
expect_summary
expect_out "^SKIP install.anon: pre-series kernel: smaps shows no gu"
expect_out "^PASS fork-written.shmem: .*(gu not judged: pre-series kernel)"
grep -q '^FAIL' "$out" && fail "a check failed"
# A check that never expects gu still passes.
expect_out "^PASS unmap-remap.anon"

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS" --require=gu -r install,remove
expect_rc 1 "--require=gu on a pre-series kernel"
expect_out "^FAIL install.anon: step 2 'after install p1': invariant: page 1 holds a marker but its VMA p0-9 shows no gu"
expect_out "^FAIL remove.shmem: step 1 .after install p1.: invariant: page 1 holds a marker"
expect_out "--require=gu$"
expect_clean_tmpdir
exit 0
