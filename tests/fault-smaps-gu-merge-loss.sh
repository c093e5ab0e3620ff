#!/bin/sh
# gu lost on a merge: the shim remembers every VMA boundary smaps
# showed and blanks gu on an entry that has since swallowed one
# (smaps-gu-merge-loss).  Merges by mprotect, by mmap next to a gu VMA
# and by refilling a hole must all be caught; checks without a merge
# still pass.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_series

VGS_FAULT=smaps-gu-merge-loss LD_PRELOAD=$SHIM run "$VGS" \
    -r install,fork-written,merge-mprotect,merge-mmap,merge-refill -b anon,shmem
expect_rc 1 "gu lost on merges"
expect_summary
expect_out "^PASS install.anon"
expect_out "^PASS fork-written.shmem"
expect_out "^FAIL merge-mprotect.anon: step 2 'mprotect R->rw (merge)': invariant: page 1 holds a marker but its VMA p0-9 shows no gu"
expect_out "^  observed: count=1 vmas=\[10:rw-p:-\]"
expect_out "^FAIL merge-mmap.shmem: step 2 'mmap fresh p5-9 adjacent (merge)': invariant: page 1 holds a marker but its VMA p0-9 shows no gu"
expect_out "^FAIL merge-refill.anon: step 2 'refill p4 (3-way merge)': invariant: page 0 holds a marker"
expect_counts 4 6 0
expect_clean_tmpdir
exit 0
