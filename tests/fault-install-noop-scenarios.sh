#!/bin/sh
# MADV_GUARD_INSTALL accepted but doing nothing (after the feature probe),
# for the scenarios with no fault of their own: [vdso] EINVAL, fault-
# around and zero-page markers, and the THP split.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

[ -f "$SHIM" ] || skip "no $SHIM"
VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM run "$VGS" --seed=1 \
    -r errors-special,fault-around,anon-zeropage,thp-split -b anon,shmem
expect_rc 1 "install ignored"
expect_summary
expect_out "^FAIL errors-special.anon: step 1: INSTALL on \[v"
expect_out "^FAIL fault-around.shmem: step 1 .odd pages read: markers intact.: page 0: expected a guard marker (G)"
expect_out "^FAIL anon-zeropage.anon: step 1 .every other page guarded.: page 0: expected a guard marker (G)"
grep -q "^SKIP thp-split.anon" "$out" ||
    expect_out "^FAIL thp-split.anon: step 2: AnonHugePages (kB) of the area: expected 0, got [1-9][0-9]*$"
grep -q "^PASS" "$out" && fail "a check passed under the fault"
expect_clean_tmpdir
exit 0
