#!/bin/sh
# A write op of the stress engine also writes to the pages the model has
# unwritable (guard, read-only, none): the writes must fault and change
# nothing.  One page gets a real store; the others MADV_POPULATE_WRITE,
# which must refuse.  A kernel whose mprotect to read-only leaves the
# pages writable while PROCMAP_QUERY says r-- (mprotect-ro-writable)
# fails the store (smaps, which the shim leaves alone, tells the truth
# too: the minimiser's checkpoints find that first); one whose
# MADV_POPULATE_WRITE claims success where a write would fault
# (populate-write-lies) fails the other check, in a replay and in a
# random run.  Both replays pass without the shim.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

printf 'stream backing=anon pages=8 seed=1\nprotect p2 r--\nwrite p1-3 tag=5\n' \
    >"$work/ro.ops"
VGS_FAULT=mprotect-ro-writable LD_PRELOAD=$SHIM run "$VGS" \
    --replay="$work/ro.ops"
expect_rc 1 "a store to a read-only page that lands"
expect_summary
expect_out "^FAIL stress.anon: op 1 'write p1-3 tag=5': writing page 2 did not fault, though the model has it read-only (seed 1)"
run "$VGS" --replay="$work/ro.ops"
expect_rc 0 "the same replay without the shim"

printf 'stream backing=anon pages=8 seed=1\ninstall p3-4\nwrite p2-5 tag=5\n' \
    >"$work/guard.ops"
VGS_FAULT=populate-write-lies LD_PRELOAD=$SHIM run "$VGS" \
    --replay="$work/guard.ops"
expect_rc 1 "MADV_POPULATE_WRITE that says a guard page is writable"
expect_out "^FAIL stress.anon: op 1 'write p2-5 tag=5': page [34]: MADV_POPULATE_WRITE succeeded (a write would not fault), though the model has it a guard page"
run "$VGS" --replay="$work/guard.ops"
expect_rc 0 "the same replay without the shim"

VGS_FAULT=populate-write-lies LD_PRELOAD=$SHIM run "$VGS" -r stress -b anon \
    -n 3000 --seed=1
expect_rc 1 "populate-write-lies in a random run"
expect_out "^FAIL stress.anon: op [0-9]* 'write .*MADV_POPULATE_WRITE succeeded"
expect_clean_tmpdir
exit 0
