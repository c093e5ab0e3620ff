#!/bin/sh
# race-fork: a child that lost every marker misses pages whose INSTALL
# returned before fork(); with gu hidden and demanded, the invariant.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

[ -f "$SHIM" ] || skip "no $SHIM"
VGS_FAULT=fork-lose-guards LD_PRELOAD=$SHIM run "$VGS" -r race-fork -b anon,file-private --seed=1
expect_rc 1 "child lost its markers"
expect_summary
expect_out "^FAIL race-fork.anon: fork [0-9]* of round [0-9]*: page 0: its INSTALL returned before fork() ([0-9]* of 128 done in thread 0), but the child shows no marker there"
expect_out "^FAIL race-fork.file-private: fork [0-9]* of round [0-9]*: page 0: its INSTALL returned before fork()"

VGS_FAULT=smaps-no-gu LD_PRELOAD=$SHIM run "$VGS" -r race-fork -b anon --require=gu
expect_rc 1 "no gu where markers are"
expect_out "^FAIL race-fork.anon: fork [0-9]* of round [0-9]*: page 0 holds a marker but its VMA shows no gu"
expect_clean_tmpdir
exit 0
