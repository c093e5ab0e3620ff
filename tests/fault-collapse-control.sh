#!/bin/sh
# A refused MADV_COLLAPSE earns a SKIP only if a never-guarded control
# range is refused too.  Refused only where guards once were: a kernel
# refusing gu VMAs, FAIL.  Refused everywhere: no huge page, SKIP with
# the reason.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions
"$VGS" --features | grep -Eq "^thp: (always|madvise)" || skip "THP disabled"

run "$VGS" -r thp-collapse -b anon,shmem
grep -q "^SKIP thp-collapse.anon" "$out" &&
    skip "thp-collapse skipped here: $(grep "^SKIP" "$out" | head -1)"

VGS_FAULT=collapse-eagain-gu LD_PRELOAD=$OPS run "$VGS" -r thp-collapse \
    -b anon,shmem --seed=1
expect_rc 1 "collapse refused on ranges that held guards"
expect_summary
expect_out "^FAIL thp-collapse.anon: step 0: MADV_COLLAPSE p[0-9]*-[0-9]* (the range once held guards, gu set): EAGAIN, twice, while a never-guarded control range collapsed in between$"
expect_out "^FAIL thp-collapse.shmem: "

# The same in a whole run, after thousands of other installs.
VGS_FAULT=collapse-eagain-gu LD_PRELOAD=$OPS run "$VGS" -x stress --seed=1
expect_rc 1 "collapse refused on ranges that held guards, whole run"
expect_out "^FAIL thp-collapse.anon: step 0: MADV_COLLAPSE .*EAGAIN, twice"
[ "$(grep -c '^FAIL' "$out")" = 2 ] ||
    fail "a whole run: FAIL other than thp-collapse's two"

VGS_FAULT=collapse-eagain LD_PRELOAD=$OPS run "$VGS" -r thp-collapse \
    -b anon,shmem --seed=1
expect_rc 77 "no huge page anywhere: only skips"
expect_out "^SKIP thp-collapse.anon: MADV_COLLAPSE could not get a huge page: EAGAIN here and EAGAIN on a never-guarded control range$"
expect_clean_tmpdir
exit 0
