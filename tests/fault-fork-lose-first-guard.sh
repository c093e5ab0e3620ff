#!/bin/sh
# race-fork: a child whose first marker is gone sees markers that do
# not form a prefix of the area.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions
skip_if_asan "the shim reads pagemap for every page mapped, and ASan maps terabytes of shadow"

VGS_FAULT=fork-lose-first-guard LD_PRELOAD=$OPS run "$VGS" -r race-fork -b anon,shmem --seed=1
expect_rc 1 "markers not a prefix"
expect_summary
expect_out "^FAIL race-fork.anon: fork [0-9]* of round [0-9]*: page 1 holds a marker after unmarked page 0: markers must form a prefix"
expect_out "^FAIL race-fork.shmem: fork [0-9]* of round [0-9]*: page 1 holds a marker after unmarked page 0"
expect_clean_tmpdir
exit 0
