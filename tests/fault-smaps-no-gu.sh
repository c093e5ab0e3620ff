#!/bin/sh
# smaps never shows gu.  On this kernel, whose separately guarded shmem
# VMAs merge and whose version is past 6.18.37, that is a contradiction:
# exit 1 with the reason on one line, the stress phase alone included.
# Posing as a consistent pre-series kernel (6.18.15, and gap fills that
# do not merge), the checks that rely on gu SKIP with the reason and the
# run exits 0; with --require=gu they fail.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$SHIM" ] || skip "no $SHIM"
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions
require_series

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS" --features
expect_out "^gu: no"
expect_out "^generation: contradictory"
expect_out "^contradiction: separately guarded shmem VMAs merge but smaps shows no gu after an install"

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS"
expect_rc 1 "gu hidden on a series kernel"
expect_summary
expect_out "^FAIL kernel-consistency: contradictory: separately guarded shmem VMAs merge but smaps shows no gu after an install (they came together in 6.18.37)"
grep -q "^SKIP.*pre-series" "$out" && fail "a contradictory kernel skipped as pre-series"
grep -q "gu not judged" "$out" && fail "a contradictory kernel passed with gu not judged"

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS" -r stress -t 5s
expect_rc 1 "gu hidden, the stress phase alone"
expect_out "^FAIL kernel-consistency: contradictory"

pose() {
	VGS_FAULT=smaps-no-gu,mmap-skew VGS_FAULT_UNAME=6.18.15 \
	    LD_PRELOAD="$OPS $SHIM" run "$VGS" "$@"
}
pose -r install,fork-written,unmap-remap -b anon,shmem
expect_rc 0 "a consistent pre-series kernel"
expect_summary
expect_out "^generation: pre-series"
expect_out "^SKIP install.anon: pre-series kernel: smaps shows no gu"
expect_out "^PASS fork-written.shmem: .*(gu not judged: pre-series kernel)"
grep -q '^FAIL' "$out" && fail "a check failed"
# A check that never expects gu still passes.
expect_out "^PASS unmap-remap.anon"

pose --require=gu -r install,remove -b anon,shmem
expect_rc 1 "--require=gu on a pre-series kernel"
expect_out "^FAIL kernel-expect: expected series, the kernel is pre-series"
expect_out "^FAIL install.anon: step 2 'after install p1': invariant: page 1 holds a marker but its VMA p0-9 shows no gu"
expect_out "^FAIL remove.shmem: step 1 .after install p1.: invariant: page 1 holds a marker"
expect_out "--expect=series$"
expect_clean_tmpdir
exit 0
