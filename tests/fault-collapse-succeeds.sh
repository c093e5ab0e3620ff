#!/bin/sh
# MADV_COLLAPSE that claims success and does nothing: anon shows no THP
# where one is due; shmem accepts a collapse over markers.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

"$VGS" --features | grep -Eq "^thp: (always|madvise)" || skip "THP disabled"
VGS_FAULT=collapse-succeeds LD_PRELOAD=$OPS run "$VGS" -r thp-collapse -b anon,shmem --seed=1
grep -q "^SKIP thp-collapse.anon" "$out" && skip "thp-collapse skipped: $(grep "^SKIP" "$out" | head -1)"
expect_rc 1 "collapse faked"
expect_summary
expect_out "^FAIL thp-collapse.anon: step 2: AnonHugePages (kB) of the area: expected 2048, got 0"
expect_out "^FAIL thp-collapse.shmem: step 3: MADV_COLLAPSE p[0-9]*-[0-9]*: expected -1 (EINVAL), got 0"
expect_clean_tmpdir
exit 0
