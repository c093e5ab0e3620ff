#!/bin/sh
# The SCENARIOS section of the man page is what man/scenarios.sh makes of
# --list: the counts of a default run, every entry in run order with its
# one-line claim and the backings it does not apply to, and the stress
# phase last.  A catalogue change needs "sh man/scenarios.sh
# ./vmaguard-stress" before this passes.
. "${srcdir:-.}/tests/init.sh"
man=$srcdir/man/vmaguard-stress.1

cp "$man" "$work/page.1"
sh "$srcdir/man/scenarios.sh" "$VGS" "$work/page.1" ||
    fail "man/scenarios.sh failed"
diff -u "$man" "$work/page.1" >"$out" ||
    fail "SCENARIOS is stale: run 'sh man/scenarios.sh ./vmaguard-stress'"
# It says what it must: a claim per entry, the n/a reasons, the counts.
sed -n '/^\.Sh SCENARIOS/,/^\.Sh /p' "$man" >"$out"
n=$(grep -c '^\.It Cm ' "$out")
[ "$n" -eq "$("$VGS" --list | grep -c '^[a-z]')" ] || fail "$n entries"
expect_out '^\.It Cm stress$'
expect_out '^Does not apply to anon: private anonymous memory has no object to'
grep -q 'row number' "$out" && fail "SCENARIOS cites row numbers"
expect_out '^a run makes [0-9]* checks: [0-9]* of the [0-9]* scenarios'
exit 0
