#!/bin/sh
# MADV_GUARD_REMOVE that also discards the data of the next page
# (remove-zaps-next: the shim adds MADV_DONTNEED on it).  Anonymous
# memory then reads zero and a written file-private page reverts to the
# file's data; shmem and file-shared keep their data in the page cache,
# so there the fault is invisible and the checks pass.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=remove-zaps-next LD_PRELOAD=$SHIM run "$VGS" -r remove,content
expect_rc 1 "REMOVE discarded a neighbour's data"
expect_summary
expect_out "^FAIL remove.anon: step 2 'after remove p1 (gu stays)': page 2: expected pattern [0-9]*, read zero"
expect_out "^FAIL remove.file-private: step 2 'after remove p1 (gu stays)': page 2: expected pattern [0-9]*, read pattern 2"
expect_out "^FAIL content.anon: step 3 'remove p1-3: data per backing': page 4: expected pattern [0-9]*, read zero"
expect_out "^PASS remove.shmem"
expect_out "^PASS content.file-shared"
expect_counts 4 4 0
expect_clean_tmpdir
exit 0
