#!/bin/sh
# The random stress phase: one seed and -n give the same operations
# (--record written twice, compared), another seed other ones; the
# check lines and the line before the summary count ops and forks.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions

run "$VGS" -r stress -b anon,shmem -n 400 --seed=4242 --record="$work/a.ops"
expect_rc 0 "stress with -n"
expect_summary
for b in anon shmem; do
	expect_out "^PASS stress\\.$b: 400 ops, [0-9]* forks, 64 pages, seed 4242\$"
done
tail -n 2 "$out" | head -n 1 |
    grep -Eq '^stress: 800 ops, [0-9]+ forks in 2 streams, [0-9.]+ s, seed 4242' ||
    fail "no totals line before the summary"
grep -c '^stream ' "$work/a.ops" | grep -qx 2 || fail "not two streams"
[ "$(grep -vc '^#\|^stream ' "$work/a.ops")" -eq 800 ] ||
    fail "not 800 operations recorded"

run "$VGS" -q -r stress -b anon,shmem -n 400 --seed=4242 --record="$work/b.ops"
expect_rc 0 "second run"
cmp -s "$work/a.ops" "$work/b.ops" || fail "same seed, different operations"

run "$VGS" -q -r stress -b anon,shmem -n 400 --seed=4243 --record="$work/c.ops"
expect_rc 0 "other seed"
cmp -s "$work/a.ops" "$work/c.ops" && fail "another seed, same operations"

# Worker 1's seed is derived from the run's and printed; -j 1 with that
# seed replays its operations (worker 0 runs on the seed itself).
run "$VGS" -r stress -b anon -j 2 -n 100 --seed=7 --record="$work/j.ops"
expect_rc 0 "two workers"
expect_out '^PASS stress\.anon: 200 ops, [0-9]* forks, 64 pages, 2 workers, seed 7'
seed1=$(sed -n 's/^stream backing=anon pages=64 seed=\([0-9]*\)$/\1/p' \
    "$work/j.ops" | sed -n 2p)
[ -n "$seed1" ] && [ "$seed1" != 7 ] || fail "no derived seed for worker 1"
run "$VGS" -q -r stress -b anon -n 100 --seed="$seed1" --record="$work/w1.ops"
expect_rc 0 "worker 1 alone"
awk '/^stream/ { n++ } n == 2 && !/^stream/' "$work/j.ops" >"$work/w1.want"
grep -v '^#\|^stream ' "$work/w1.ops" >"$work/w1.got"
cmp -s "$work/w1.want" "$work/w1.got" || fail "worker 1 does not replay"

# The record replays, and a replay records the same operations.
run "$VGS" --replay="$work/a.ops" --record="$work/r.ops"
expect_rc 0 "replay"
expect_out '^PASS stress\.anon: 400 ops'
cmp -s "$work/a.ops" "$work/r.ops" || fail "replay recorded other operations"

# The default run has a short stress phase; -x stress drops it.
run "$VGS" -b anon -r fork-written,stress
expect_rc 0 "scenario and stress"
expect_out '^PASS fork-written\.anon'
expect_out '^PASS stress\.anon: [0-9]* ops, [0-9]* forks'
run "$VGS" -b anon -x stress -r fork-written
expect_rc 0 "no stress"
grep -q '^PASS stress' "$out" && fail "-r without stress ran it"
expect_clean_tmpdir
exit 0
