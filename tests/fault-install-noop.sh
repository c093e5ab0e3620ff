#!/bin/sh
# MADV_GUARD_INSTALL accepted but doing nothing (after the feature
# probe): exit 1, naming the check and the page, with expected and
# observed strips and a rerun command.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
    run "$VGS" -r install --seed=42
expect_rc 1 "silent no-op install"
expect_summary
expect_out "^FAIL install.anon: step 2 'after install p1': page 1: expected a guard marker (G), pagemap shows "
expect_out "^  expected: count=1 vmas=\[10:rw-p:gu\] guards=\.G\.\.\.\.\.\.\.\. access=rSrrrrrrrr"
expect_out "^  observed: count=1 vmas=\[10:rw-p:-\]"
expect_out "^  expected  p0-9 rw-p gu"
expect_out "^  rerun: vmaguard-stress --run=install --backing=anon --seed=42$"
expect_out "^FAIL install.file-private"
expect_counts 0 4 0

# --fail-fast stops at the first failure.
VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
    run "$VGS" -r install --fail-fast
expect_rc 1 "--fail-fast"
expect_counts 0 1 0
expect_clean_tmpdir
exit 0
