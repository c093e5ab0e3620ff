#!/bin/sh
# Markers in the wrong place.  An install that marks the page after its
# range lands on an unguarded neighbour the probe looks at, never on a
# page of the tool's: a contradiction, exit 1, not a death by signal.
# One that marks nothing but returns 0, in the probe: the same.  A
# marker on the tool's own stack: the fault is caught on the alternate
# stack, one line on stderr says where and during which check, and the
# check fails: exit 1.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=install-off-by-one LD_PRELOAD=$SHIM run "$VGS" -r install,remove
expect_rc 1 "markers one page off"
expect_summary
expect_out "^FAIL kernel-consistency: contradictory: an install of one page put a marker on a page beside it$"
expect_out "^FAIL install.anon: step 2 'after install p1': page 1: expected a guard marker (G), pagemap shows p$"

# An install that returns 0 and marks nothing: each of the feature
# probe's installs after the first (shmem, then the two of the series
# discriminator) is checked in pagemap, where bit 58 works.  (Without
# the first, bit 58 itself looks missing: the version disagrees.)
for n in 2 3 4; do
	VGS_FAULT=install-drop-nth VGS_FAULT_NTH=$n LD_PRELOAD=$SHIM \
	    run "$VGS" -r install -b anon
	expect_rc 1 "the probe's install $n did nothing"
	expect_out "^FAIL kernel-consistency: contradictory: an install returned 0 and left no marker, where pagemap shows them$"
done

# The feature probe makes four installs; the fifth, in install.anon,
# also guards the caller's stack.
VGS_FAULT=guard-own-stack VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
    run "$VGS" -r install,remove -b anon
expect_rc 1 "a marker on the tool's own stack"
expect_one_line_err
expect_err "^vmaguard-stress: unexpected SIGSEGV at 0x[0-9a-f]* during install.anon: the kernel may have put a guard where none was asked$"
expect_summary
expect_out "^FAIL install.anon: unexpected SIGSEGV at 0x[0-9a-f]*: the kernel may have put a guard where none was asked$"
expect_counts 0 1 0
expect_clean_tmpdir
exit 0
