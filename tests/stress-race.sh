#!/bin/sh
# --threads races guard-installing threads against fork
# (doc/behaviour.md §4.16):
# clean on this kernel, and caught when forked children lose markers.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions

run "$VGS" -r stress -b anon,shmem -t 2s --threads=2
expect_rc 0 "race"
expect_summary
expect_out '^PASS stress-race\.anon: [1-9][0-9]* forks ([1-9][0-9]* while installs were in flight), 2 threads, [0-9]* rounds'
expect_out 'rounds of 8192 pages each, no violation$'
expect_out '^PASS stress-race\.shmem: [1-9][0-9]* forks'
expect_out '^PASS stress\.anon: [0-9]* ops'

[ -f "$SHIM" ] || skip "no $SHIM"
VGS_FAULT=fork-lose-guards LD_PRELOAD=$SHIM run "$VGS" -r stress -b anon \
    -t 2s --threads=1 --seed=3
expect_rc 1 "children lose their markers"
expect_summary
expect_out "^FAIL stress-race\.anon: fork [0-9]* of round [0-9]*: page [0-9]*: its INSTALL returned before fork() ([0-9]* of 8192 done in thread 0), but the child shows no marker there"
expect_clean_tmpdir
exit 0
