#!/bin/sh
# The default run on a host like this one matches its pinned expectation
# (tests/expect/host.txt): every check with its verdict and skip class.
# A check that drifts from PASS to SKIP turns this red, although the run
# would still exit 0.  The pinned host: a series kernel with 4 KiB
# pages, no soft-dirty tracking, THP on madvise or always, files that
# merge in TMPDIR; elsewhere this test skips, naming the difference.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions
pinned=$srcdir/tests/expect/host.txt
"$VGS" --features >"$work/features"
want() {
	grep -qx "$1" "$work/features" ||
	    skip "not the pinned host: $(grep "^${1%%:*}:" "$work/features")"
}
want "generation: series"
want "page-size: 4096"
want "soft-dirty: no"
grep -Eq '^thp: (madvise|always)$' "$work/features" ||
    skip "not the pinned host: $(grep '^thp:' "$work/features")"
grep -q '^file-merge: yes' "$work/features" ||
    skip "not the pinned host: $(grep '^file-merge:' "$work/features")"

run "$VGS"
expect_rc 0 "the default run"
expect_summary
sh "$srcdir/tests/expect-compare.sh" "$pinned" "$out" >"$work/drift" ||
    fail "the run drifted from $pinned: $(cat "$work/drift")"

# The comparison can fail: a check pinned as a pass that skips, one
# missing, one not pinned.
sed 's/^install\.anon PASS$/install.anon SKIP pre-series kernel/' \
    "$pinned" >"$work/skewed"
grep -v '^remove\.shmem ' "$work/skewed" >"$work/skewed2"
echo "no-such.anon PASS" >>"$work/skewed2"
sh "$srcdir/tests/expect-compare.sh" "$work/skewed2" "$out" >"$work/drift" &&
    fail "a skewed pin compared equal"
grep -qx "pinned:   install.anon SKIP pre-series kernel" "$work/drift" ||
    fail "drift lacks the changed verdict: $(cat "$work/drift")"
grep -qx "reported: install.anon PASS" "$work/drift" ||
    fail "drift lacks the reported verdict"
grep -q "^reported: remove.shmem PASS" "$work/drift" ||
    fail "drift lacks the unpinned check"
grep -qx "pinned:   no-such.anon PASS" "$work/drift" ||
    fail "drift lacks the missing check"
expect_clean_tmpdir
exit 0
