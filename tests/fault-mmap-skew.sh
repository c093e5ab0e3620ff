#!/bin/sh
# The series discriminator.  A gap fill that cannot merge (mapped one page
# off) fails it on a series kernel; with gu hidden too (a pre-series
# kernel) it skips "series absent"; with gu hidden alone it still passes:
# the evidence does not read gu.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

[ -f "$SHIM" ] || skip "no $SHIM"
require_series
VGS_FAULT=mmap-skew LD_PRELOAD=$OPS run "$VGS" -r series-discriminator -b shmem --seed=1
expect_rc 1 "gap fill did not merge"
expect_summary
expect_out "^FAIL series-discriminator.shmem: step 2 .gap filled: A, gap, B merge.: VMA count: expected 1, saw 2"

VGS_FAULT=mmap-skew,smaps-no-gu LD_PRELOAD="$OPS $SHIM" \
    run "$VGS" -r series-discriminator -b shmem
expect_rc 77 "pre-series kernel: the only check skipped"
expect_out "^SKIP series-discriminator.shmem: pre-series kernel, series absent: step .gap filled: A, gap, B merge.: VMA count: expected 1, saw 2"

VGS_FAULT=mmap-skew,smaps-no-gu LD_PRELOAD="$OPS $SHIM" \
    run "$VGS" -r series-discriminator -b shmem --require=gu
expect_rc 1 "--require=gu"
expect_out "^FAIL series-discriminator.shmem: step 2"

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS" -r series-discriminator
expect_rc 0 "gu hidden, layout intact"
expect_out "^PASS series-discriminator.shmem"
expect_out "^SKIP series-discriminator.anon: not applicable to anon"
expect_clean_tmpdir
exit 0
