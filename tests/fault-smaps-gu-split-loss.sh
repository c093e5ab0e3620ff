#!/bin/sh
# gu on one side only after a split: the shim serves smaps with gu
# blanked on read-only entries (smaps-gu-split-loss), so after
# mprotect(R) splits a gu VMA the r--p half shows no gu.  A half holding
# no marker fails the gu check, a half holding one the invariant.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_series

VGS_FAULT=smaps-gu-split-loss LD_PRELOAD=$SHIM \
    run "$VGS" -r install,mprotect,merge-mprotect --seed=7
expect_rc 1 "gu lost on one side of a split"
expect_summary
expect_out "^PASS install.anon"
expect_out "^FAIL mprotect.anon: step 2 'mprotect p5-9 R (split)': VMA 1 (p5-9): expected gu, saw no gu"
expect_out "^  observed: count=2 vmas=\[5:rw-p:gu,5:r--p:-\]"
expect_out "^FAIL mprotect.shmem: step 2 .*VMA 1 (p5-9): expected gu, saw no gu"
expect_out "^FAIL merge-mprotect.file-private: step 3 'L rw | R gu ro': invariant: page 6 holds a marker but its VMA p5-9 shows no gu"
expect_out "^  rerun: vmaguard-stress --run=mprotect --backing=anon --seed=7$"
expect_counts 4 8 0
expect_clean_tmpdir
exit 0
