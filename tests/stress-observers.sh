#!/bin/sh
# The stress engine judges what it claims: where an observer the
# kernel's generation must have is missing, the stream fails before its
# first operation with a one-line reason, rather than fall back and
# judge less (PROCMAP_QUERY failing ENOTTY: procmap-query-enotty, the
# text of /proc/self/maps would do; pagemap without bit 58:
# pagemap-lose-guard, markers would go unjudged).  --metrics says what
# each operation is checked against and how often gu is.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_series

VGS_FAULT=procmap-query-enotty LD_PRELOAD=$SHIM run "$VGS" -r stress \
    -b anon -n 20 --seed=1
expect_rc 1 "PROCMAP_QUERY missing"
expect_summary
expect_out "^FAIL stress.anon: before the first operation: the PROCMAP_QUERY ioctl (6.11) does not work, though this kernel must have it (which has the series): the stream would judge less than it claims (seed 1)\$"
grep -q '^  replay:' "$out" && fail "a failure before any operation has no replay"

VGS_FAULT=pagemap-lose-guard LD_PRELOAD=$SHIM run "$VGS" -r stress \
    -b shmem -n 20 --seed=1
expect_rc 1 "pagemap bit 58 missing"
expect_out "^FAIL stress.shmem: before the first operation: pagemap bit 58 (6.15) does not work"

run "$VGS" -r stress -b anon -n 200 --seed=1 --metrics
expect_rc 0 "metrics"
expect_out "^stress checks, after each operation:"
expect_out "gu: every 64 operations"
expect_clean_tmpdir
exit 0
