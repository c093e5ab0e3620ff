#!/bin/sh
# A race proves something only if forks land while installs are in
# flight.  With every fork late (the installs are done before any fork
# lands), race-fork retries its rounds and ends inconclusive, a SKIP
# with the counts, never a PASS; so does --threads.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

run "$VGS" -r race-fork -b anon
expect_rc 0 "race-fork"
expect_out "^PASS race-fork.anon: 2 steps agree with the model; [1-9][0-9]* of [1-9][0-9]* forks landed while INSTALL was in flight$"

VGS_FAULT=fork-late LD_PRELOAD=$SHIM run "$VGS" -r race-fork -b anon
expect_rc 77 "late forks: only a skip"
expect_out "^SKIP race-fork.anon: inconclusive: none of [1-9][0-9]* forks in 8 rounds landed while INSTALL was in flight$"

VGS_FAULT=fork-late LD_PRELOAD=$SHIM run "$VGS" -r stress -b anon -t 2s \
    --threads=1
expect_out "^SKIP stress-race.anon: inconclusive: none of [1-9][0-9]* forks in [1-9][0-9]* rounds landed while installs were in flight$"
grep -q "^PASS stress-race" "$out" && fail "an inconclusive race passed"
expect_clean_tmpdir
exit 0
