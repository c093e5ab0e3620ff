#!/bin/sh
# A forked child that loses the markers it should have inherited: the
# child's own check fails, its verdict reaches the parent, exit 1.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=fork-lose-guards LD_PRELOAD=$SHIM run "$VGS" -r fork-unfaulted,fork-written
expect_rc 1 "child lost its markers"
expect_summary
expect_out "^FAIL fork-unfaulted.shmem: step 2 'child, before any access' (in the child): page 1: expected a guard marker (G), pagemap shows \."
expect_out "^FAIL fork-written.file-private: step 2 'child' (in the child): page 1: expected a guard marker (G)"
expect_counts 0 8 0
expect_clean_tmpdir
exit 0
