#!/bin/sh
# A merge that should happen does not: the diagnostic gives the VMA
# counts.  Twice: smaps shows the merged entry still split at the old
# boundary (smaps-merge-missed), and the kernel is really kept from
# merging because mprotect back to read-write also marks the range's
# last page DONTDUMP behind the tool's back (mprotect-unmergeable).
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_series

VGS_FAULT=smaps-merge-missed LD_PRELOAD=$SHIM run "$VGS" \
    -r install,merge-mprotect,merge-refill -b anon,file-shared
expect_rc 1 "smaps shows a merge missed"
expect_summary
expect_out "^PASS install.file-shared"
expect_out "^FAIL merge-mprotect.anon: step 2 'mprotect R->rw (merge)': VMA count: expected 1, saw 2"
expect_out "^  observed: count=2 vmas=\[5:rw-p:gu,5:rw-p:gu\]"
expect_out "^FAIL merge-refill.file-shared: step 2 'refill p4 (3-way merge)': VMA count: expected 1, saw 3"
expect_counts 2 4 0

VGS_FAULT=mprotect-unmergeable LD_PRELOAD=$SHIM run "$VGS" \
    -r mprotect,merge-mprotect,merge-mmap
expect_rc 1 "a neighbour made unmergeable"
expect_summary
expect_out "^FAIL mprotect.shmem: step 3 'mprotect back RW (merge)': VMA count: expected 1, saw 2"
expect_out "^FAIL merge-mprotect.file-private: step 2 'mprotect R->rw (merge)': VMA count: expected 1, saw 2"
expect_out "^PASS merge-mmap.anon"
expect_counts 4 8 0
expect_clean_tmpdir
exit 0
