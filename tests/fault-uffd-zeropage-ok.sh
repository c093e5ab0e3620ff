#!/bin/sh
# UFFDIO_ZEROPAGE that succeeds onto a marker, where EEXIST is due.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

VGS_FAULT=uffd-zeropage-ok LD_PRELOAD=$OPS run "$VGS" -r uffd -b anon,shmem --seed=1
grep -q "^SKIP uffd.anon: userfaultfd unavailable" "$out" && skip "no userfaultfd"
expect_rc 1 "ZEROPAGE accepted"
expect_summary
expect_out "^FAIL uffd.anon: step 6: UFFDIO_ZEROPAGE onto the marker in p3: expected -1 (EEXIST), got 0"
expect_out "^FAIL uffd.shmem: step 6: UFFDIO_ZEROPAGE onto the marker in p3: expected -1 (EEXIST), got 0"
expect_clean_tmpdir
exit 0
