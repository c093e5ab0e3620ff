#!/bin/sh
# The default suite on the running kernel: exit 0, at least 40 checks
# passing across the four backings, the checks --list lists and no
# others, the summary as the last line, nothing left behind.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions

run "$VGS"
expect_summary
series=$("$VGS" --features | sed -n 's/^series: //p')
if [ "$series" = present ]; then
	expect_rc 0 "default suite"
	grep -q '^FAIL' "$out" && fail "a check failed"
	passed=$(tail -n 1 "$out" | sed 's/ passed.*//')
	[ "$passed" -ge 40 ] || fail "only $passed checks passed"
	for b in anon shmem file-shared file-private; do
		grep -q "^PASS [a-z-]*\.$b:" "$out" || fail "no PASS on $b"
	done
else
	# A kernel without the series: gu checks skip, nothing fails.
	expect_rc 0 "default suite on a pre-series kernel"
	expect_out "^SKIP .*pre-series"
fi
head -n 1 "$out" | grep -q '^vmaguard-stress .* on Linux .*page size' ||
    fail "no header"
# The checks are what --list lists, and a SKIP is never a combination
# that cannot apply (those are not checks).
total=$(tail -n 1 "$out" | grep -Eo '[0-9]+' | awk '{ s += $1 } END { print s }')
listed=$("$VGS" --list=json | sed -n 's/.*"backings":\[\([^]]*\)\].*/\1/p' |
    tr ',' '\n' | grep -c .)
[ "$total" -eq "$listed" ] || fail "$total checks ran, --list lists $listed"
grep -q '^SKIP .*\(not applicable\|n/a\)' "$out" &&
    fail "an n/a combination is reported as SKIP"
expect_clean_tmpdir

# The summary never contradicts the exit status: -q keeps it.
run "$VGS" -q -r install
expect_rc 0 "-q -r install"
[ "$(wc -l <"$out")" -eq 1 ] || fail "-q printed more than the summary"
expect_summary

# --features exits 0 and names every probe.
run "$VGS" --features
expect_rc 0 "--features"
for k in guard-regions guard-shared pagemap-guard-bit pagemap-scan \
    pagemap-scan-guard gu series; do
	expect_out "^$k: "
done
exit 0
