#!/bin/sh
# MADV_GUARD_REMOVE that removes nothing: the scenarios that unguard
# and look again find the marker still there.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=remove-noop LD_PRELOAD=$OPS run "$VGS" --seed=1 -r \
    split-merge,fork-cow,fork-child-remove,map-private,readonly-file,memfd-write-seal,anon-zeropage
expect_rc 1 "remove ignored"
expect_summary
expect_out "^FAIL split-merge.anon: step 6 .split again, remove all.: page 0: expected no guard marker, pagemap shows G"
expect_out "^FAIL fork-cow.shmem: step 3 .child removes them: data per backing. (in the child): page 0: expected no guard marker"
expect_out "^FAIL fork-child-remove.shmem: step 2 .child removed them. (in the child): page 0: expected no guard marker"
expect_out "^FAIL map-private.shmem: step 4 .shared markers removed.: page 0: expected no guard marker"
expect_out "^FAIL memfd-write-seal.shmem: step 4 .removed: data intact.: page 0: expected no guard marker"
expect_out "^FAIL anon-zeropage.anon: step 2 .removed: zero everywhere.: page 0: expected no guard marker"
grep -q "^SKIP readonly-file.file-shared" "$out" ||
    expect_out "^FAIL readonly-file.file-shared: step 3 .removed: the file.s data.: page 0: expected no guard marker"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
