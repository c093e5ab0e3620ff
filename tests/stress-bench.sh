#!/bin/sh
# bench/run, which make check does not otherwise run, on tiny figures:
# it exits 0 with nothing on stderr (an awk or shell slip shows there),
# and prints every row with its verdict and the spread of its pairs,
# the machine's scaling and the large-area line.  The figures
# themselves are make bench's business.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions
command -v "${CC:-cc}" >/dev/null 2>&1 || skip "no C compiler"

BENCH_REPEAT=1 BENCH_OPS=200 BENCH_BIG_OPS=60 BENCH_FORKS=10 \
    BENCH_SECS=1 BENCH_PARALLEL=100 CC=${CC:-cc} \
    run sh "$srcdir/bench/run" "$VGS"
expect_rc 0 "bench/run"
[ ! -s "$err" ] || fail "bench/run wrote to stderr"
num='[0-9][0-9.]*'
v="\(met\|MISSED\) *$num-$num$"
for r in "64 pages, mix ($num forks) .* 0.6  $v" \
    "64 pages, forks removed .* 0.5  $v" \
    "4096 pages, mix .* (no target) *$num-$num$" \
    "65536 pages, mix .* 0.6  $v" \
    "fork cycle, 64 pages .* 0.8  $v" \
    "-j 2, 64 pages, mix .* (no target) *$num-$num$" \
    "^workers: -j 1 $num ops/s, -j 2 $num ops/s: $num x (target >= 1" \
    "^machine: .*: syscall ${num}x, mprotect ${num}x, fault+zap ${num}x$" \
    "^scale .* (${num}x; target <= 1.5: \(met\|MISSED\))$" \
    "^observing and judging alone .* 64 pages -\?$num, 65536 pages -\?$num$" \
    "^1048576 pages, -t 1s: exit 0; stress: " \
    "fork cycle: --bare --bare $num us CPU"; do
	grep -q -- "$r" "$out" || fail "no line matching '$r'"
done
expect_clean_tmpdir
exit 0
