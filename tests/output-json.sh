#!/bin/sh
# --json=FILE: JSON Lines that jq parses line by line: one "check"
# object per check, as the text report has them, then one "summary"
# object whose counts, exit status, seed, features and metrics agree
# with the run; failures carry expected, observed and rerun; text that
# is hard to quote survives.  --metrics prints its table in the text
# report too, before the summary line.
. "${srcdir:-.}/tests/init.sh"
command -v jq >/dev/null 2>&1 || skip "jq not installed"
require_guard_regions

json=$work/report.jsonl

# (jq 1.6 -e judges the last input only: per-check tests slurp with -s.)
# Every line is one JSON object; the last one, and only it, a summary.
check_lines() {
	jq -e -s 'all(.[]; type == "object")' "$json" >/dev/null ||
	    fail "a line is not a JSON object"
	[ "$(jq -c . "$json" | wc -l)" -eq "$(wc -l <"$json")" ] ||
	    fail "an object spans lines"
	tail -n 1 "$json" | jq -e '.type == "summary"' >/dev/null ||
	    fail "the last line is not the summary"
	[ "$(jq -r .type "$json" | grep -c summary)" -eq 1 ] ||
	    fail "not exactly one summary"
	n=$(jq -r 'select(.type == "check") | .n' "$json" | tr '\n' ' ')
	want=$(seq 1 "$(jq -s 'map(select(.type == "check")) | length' "$json")" |
	    tr '\n' ' ')
	[ "$n" = "$want" ] || fail "checks not numbered 1..N: $n"
}

# 1. A passing run, with metrics.
run "$VGS" -r install,remove,fork-unfaulted --seed=5 --json="$json" --metrics
expect_rc 0 "--json, passing"
expect_summary
check_lines
jq -e 'select(.type == "summary") | .checks == 12 and .passed == 12 and
    .failed == 0 and .skipped == 0 and .errors == 0 and
    .exit_status == 0 and .seed == 5 and .tool == "vmaguard-stress" and
    .features["guard-regions"] == "yes" and .page_size > 0 and
    (.kernel.release | length) > 0' "$json" >/dev/null ||
    fail "summary: $(tail -n 1 "$json")"
jq -e --arg r "$(uname -r)" --argjson ps "$(getconf PAGESIZE)" \
    'select(.type == "summary") | .kernel.release == $r and .page_size == $ps' \
    "$json" >/dev/null || fail "kernel release or page size"
jq -e 'select(.type == "summary") | .metrics.kinds as $k |
    $k.install.count >= 12 and $k.remove.count >= 4 and
    $k.fork.count >= 4 and $k.smaps.count >= 12 and
    $k.pagemap.count >= 12 and $k.probe.count >= 1 and
    $k.smaps.observation and ($k.install.observation | not) and
    .metrics.elapsed_seconds > 0 and
    .metrics.observe_seconds + .metrics.kernel_op_seconds <=
    .metrics.elapsed_seconds' "$json" >/dev/null ||
    fail "metrics: $(tail -n 1 "$json" | jq -c .metrics)"
# The same checks as the text report, in order, with the same summaries.
sed -n 's/^\(PASS\|FAIL\|SKIP\) \([^:]*\): \(.*\)/\2 \1 \3/p' "$out" |
    sed 's/ PASS / pass /; s/ FAIL / fail /; s/ SKIP / skip /' >"$work/want"
jq -r 'select(.type == "check") | "\(.name) \(.result) \(.summary)"' \
    "$json" >"$work/got"
cmp -s "$work/want" "$work/got" ||
    fail "checks differ from the text report: $(diff "$work/want" "$work/got")"
jq -e -s '.[] | select(.type == "check" and .name == "fork-unfaulted.shmem") |
    .scenario == "fork-unfaulted" and .backing == "shmem" and
    .seconds >= 0' "$json" >/dev/null || fail "scenario/backing fields"
# --metrics: the table sits before the summary line, which stays last.
expect_out '^metrics: [0-9.]* s elapsed: [0-9.]* s in kernel operations, '
expect_out '^  install  *[0-9][0-9]*  *[0-9.]*  *[0-9.]*$'
expect_out '^  smaps  *[0-9][0-9]* '

# 2. Failures carry expected, observed and rerun as the text has them.
if [ -f "$SHIM" ]; then
	VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
	    run "$VGS" -r install --seed=42 --json="$json"
	expect_rc 1 "--json with the fault"
	check_lines
	jq -e 'select(.type == "summary") | .failed == 4 and
	    .exit_status == 1' "$json" >/dev/null || fail "failure summary"
	grep -E '^  (expected|observed|rerun): ' "$out" |
	    sed 's/^  //' >"$work/want"
	jq -r 'select(.result == "fail") | "expected: \(.expected)",
	    "observed: \(.observed)", "rerun: \(.rerun)"' "$json" >"$work/got"
	cmp -s "$work/want" "$work/got" ||
	    fail "expected/observed differ: $(diff "$work/want" "$work/got")"
	jq -r 'select(.name == "install.anon") | .detail' "$json" |
	    grep -q '^  observed  p0-9 rw-p -  ' || fail "detail lacks strips"
fi

# 3. A hard error (no file for the backing: the shim, past --tmpdir's check).
[ -f "$SHIM" ] || skip "no $SHIM"
VGS_FAULT=tmpfile-eacces VGS_FAULT_SKIP=1 LD_PRELOAD=$SHIM \
    run "$VGS" -r install --json="$json"
expect_rc 99 "--json with a setup failure"
check_lines
jq -e 'select(.type == "summary") | .checks == 3 and .passed == 2 and
    .errors == 1 and .exit_status == 99' "$json" >/dev/null ||
    fail "hard error summary: $(tail -n 1 "$json")"
jq -e -s '.[] | select(.name == "install.file-shared") |
    .result == "error" and (.summary | startswith("setup: "))' "$json" \
    >/dev/null || fail "no error result for the setup failure"

# 3b. JSON on stdout (--json=-): stdout is only JSON.
run "$VGS" -r install --json=-
expect_rc 0 "--json=-"
jq -e . "$out" >/dev/null || fail "stdout is not JSON Lines"
[ "$(wc -l <"$out")" -eq 5 ] || fail "--json=- wrote more than 5 lines"

# 4. Text that is hard to quote (tests/test-report.c), read back exactly.
"$top_builddir/tests/test-report" --emit "$work" >/dev/null 2>"$err" ||
    fail "test-report --emit failed"
check_lines
jq -e 'select(.type == "summary") | .checks == 4 and .passed == 1 and
    .failed == 1 and .skipped == 1 and .errors == 1 and
    .exit_status == 99 and .seed == 18446744073709551615 and
    .kernel.release == "6.18.44-<test>&\"quoted\""' "$json" >/dev/null ||
    fail "summary (quoted): $(tail -n 1 "$json")"
jq -e -s '.[] | select(.name == "merge-mmap.shmem") |
    .summary == "step 3 '"'"'fill <the> gap & \"merge\"'"'"': count 2, want 1 #x"
    and (.detail | contains("/tmp/a<b>&c\"d'"'"'e]]>f \\g #h\n"))
    and (.detail | contains("bell\u0007 escape\u001b[31m cr\r del\u007f"))
    and (.detail | contains("latin1 caf\ufffd utf8 caf\u00e9 \u20ac"))
    and (.detail | contains("\u00ff") | not)' "$json" >/dev/null ||
    fail "quoted text did not survive: $(grep merge-mmap "$json")"
jq -e -s '.[] | select(.name == "thp.shmem") | .result == "skip" and
    .summary == "transparent hugepages are never # not \\ a directive"' \
    "$json" >/dev/null || fail "skip reason"
expect_clean_tmpdir
exit 0
