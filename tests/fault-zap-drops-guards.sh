#!/bin/sh
# Zapping, reclaim and populate advice that also drops the markers in
# its range: every zap scenario fails on the marker in p2.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=zap-drops-guards LD_PRELOAD=$OPS run "$VGS" --seed=1 \
    -r zap-dontneed,zap-free,zap-reclaim,zap-remove,zap-populate,madvise-sequential
expect_rc 1 "markers dropped by advice"
expect_summary
expect_out "^FAIL zap-dontneed.anon: step 2 .DONTNEED over p0-5.: page 2: expected a guard marker (G)"
expect_out "^FAIL zap-free.shmem: step 2 .FREE over p0-5.: page 2: expected a guard marker (G)"
expect_out "^FAIL zap-reclaim.anon: step 2 .PAGEOUT over p0-5.: page 2: expected a guard marker (G)"
expect_out "^FAIL zap-remove.shmem: step 2 .REMOVE over p0-5.: page 2: expected a guard marker (G)"
expect_out "^FAIL zap-populate.anon: step 2 .POPULATE_READ over p0-5.: page 2: expected a guard marker (G)"
expect_out "^FAIL madvise-sequential.shmem: step 1 .paged out, read back.: page 0: expected a guard marker (G)"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
