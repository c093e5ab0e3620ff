#!/bin/sh
# WIPEONFORK misbehaving.  A child that keeps the markers WIPEONFORK
# should have dropped (fork-wipe-keeps-guards: the shim notes them
# before fork and installs them again in the child) fails in the child
# at the first such page; WIPEONFORK accepted but ignored
# (wipeonfork-noop) fails in the parent: no split, and success where
# shmem and files must say EINVAL.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=fork-wipe-keeps-guards LD_PRELOAD=$SHIM \
    run "$VGS" -r fork-wipeonfork,fork-written
expect_rc 1 "child kept markers in a WIPEONFORK range"
expect_summary
expect_out "^FAIL fork-wipeonfork.anon: step 2 'child' (in the child): page 6: expected no guard marker, pagemap shows G"
expect_out "^  observed: count=2 vmas=\[5:rw-p:gu,5:rw-p:gu+wf\] guards=pGppp.G\.\.\. access=rSrrrrSrrr"
expect_out "^PASS fork-wipeonfork.shmem"
expect_counts 7 1 0

VGS_FAULT=wipeonfork-noop LD_PRELOAD=$SHIM run "$VGS" -r fork-wipeonfork
expect_rc 1 "WIPEONFORK ignored"
expect_out "^FAIL fork-wipeonfork.anon: step 1 'parent, WIPEONFORK p5-9': VMA count: expected 2, saw 1"
expect_out "^FAIL fork-wipeonfork.shmem: .*madvise(WIPEONFORK) on p5-9: expected EINVAL, got success"
expect_counts 0 4 0
expect_clean_tmpdir
exit 0
