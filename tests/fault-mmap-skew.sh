#!/bin/sh
# The series discriminator.  A gap fill that cannot merge (mapped one page
# off) fails it on a series kernel, and the start-up probe sees the same:
# gu without the merges is a contradiction.  With gu hidden too, on a
# kernel posing as 6.18.15 (a consistent pre-series kernel), it skips
# "series absent"; gu hidden alone contradicts the merges the probe saw,
# while the scenario still passes: its evidence does not read gu.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

[ -f "$SHIM" ] || skip "no $SHIM"
require_series
VGS_FAULT=mmap-skew LD_PRELOAD=$OPS run "$VGS" -r series-discriminator -b shmem --seed=1
expect_rc 1 "gap fill did not merge"
expect_summary
expect_out "^FAIL kernel-consistency: contradictory: gu after an install but separately guarded shmem VMAs stay apart"
expect_out "^FAIL series-discriminator.shmem: step 2 .gap filled: A, gap, B merge.: VMA count: expected 1, saw 2"

VGS_FAULT=mmap-skew,smaps-no-gu VGS_FAULT_UNAME=6.18.15 \
    LD_PRELOAD="$OPS $SHIM" run "$VGS" -r series-discriminator -b shmem
expect_rc 77 "pre-series kernel: the only check skipped"
expect_out "^SKIP series-discriminator.shmem: pre-series kernel, series absent: step .gap filled: A, gap, B merge.: VMA count: expected 1, saw 2"
grep -q "^FAIL" "$out" && fail "a consistent pre-series kernel failed"
head -n 3 "$out" | grep -q "^generation: pre-series" ||
    fail "the header does not name the generation pre-series"

VGS_FAULT=mmap-skew,smaps-no-gu VGS_FAULT_UNAME=6.18.15 \
    LD_PRELOAD="$OPS $SHIM" run "$VGS" -r series-discriminator -b shmem \
    --require=gu
expect_rc 1 "--require=gu"
expect_out "^FAIL kernel-expect: expected series, the kernel is pre-series"
expect_out "^FAIL series-discriminator.shmem: step 2"

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS" -r series-discriminator
expect_rc 1 "gu hidden, layout intact"
expect_out "^FAIL kernel-consistency: contradictory: separately guarded shmem VMAs merge but smaps shows no gu"
expect_out "^PASS series-discriminator.shmem"
grep -q "series-discriminator.anon" "$out" &&
    fail "series-discriminator.anon is reported, but anon is n/a there"
expect_clean_tmpdir
exit 0
