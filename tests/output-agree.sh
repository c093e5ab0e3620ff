#!/bin/sh
# One run, every output at once (TAP on stdout, -o text, --junit,
# --json): the four agree on the checks (names, order, results), on the
# counts, and with the exit status; for a passing run, a run with
# failures, a run that stops at the first failure and a run where
# nothing can run (where TAP has no test points: "1..0 # SKIP reason").
. "${srcdir:-.}/tests/init.sh"
command -v jq >/dev/null 2>&1 || skip "jq not installed"
py=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null 2>&1 &&
	    "$p" -c 'import junitparser' 2>/dev/null; then
		py=$p
		break
	fi
done
[ -n "$py" ] || skip "python3-junitparser not installed"
require_guard_regions

text=$work/text
junit=$work/report.xml
json=$work/report.jsonl

# agree WHAT: compare the four outputs of the last run.
agree() {
	what=$1
	# name result, in run order, from each output.
	sed -n 's/^\(PASS\|FAIL\|SKIP\) \([^:]*\):.*/\2 \1/p' "$text" |
	    tr 'A-Z' 'a-z' | sed 's/ \(pass\|fail\|skip\)$/ \1/' \
	    >"$work/from-text"
	sed -n -e 's/^ok [0-9]* \([^ ]*\) # SKIP .*/\1 skip/p' \
	    -e 's/^ok [0-9]* \([^ ]*\)$/\1 pass/p' \
	    -e 's/^not ok [0-9]* \([^ ]*\)$/\1 fail/p' "$out" \
	    >"$work/from-tap"
	jq -r 'select(.type == "check") | "\(.name) \(.result)"' "$json" \
	    >"$work/from-json"
	"$py" - "$junit" >"$work/from-junit" <<'EOF' || fail "$what: junitparser"
import sys
from junitparser import JUnitXml, Failure, Error, Skipped
for suite in JUnitXml.fromfile(sys.argv[1]):
    for case in suite:
        res = "pass"
        for r in case.result:
            res = {Failure: "fail", Error: "error", Skipped: "skip"}.get(
                type(r), res)
        print(case.name, res)
    print("#counts", suite.tests - suite.failures - suite.errors -
          suite.skipped, suite.failures, suite.skipped, suite.errors)
    for p in suite.properties():
        if p.name == "exit-status":
            print("#status", p.value)
EOF
	grep -v '^#' "$work/from-junit" >"$work/junit-cases"
	[ -s "$work/from-text" ] || fail "$what: no checks in the text report"
	# Nothing ran: TAP has no test points, its plan says why.
	taps=from-tap
	if [ "$nothing_ran" = yes ]; then
		taps=
		[ -s "$work/from-tap" ] && fail "$what: TAP has test points"
		grep -q '^1\.\.0 # SKIP ' "$out" || fail "$what: no '1..0 # SKIP'"
	fi
	for f in $taps from-json junit-cases; do
		cmp -s "$work/from-text" "$work/$f" ||
		    fail "$what: text and ${f#*-} differ: $(diff "$work/from-text" "$work/$f" | head)"
	done

	# Counts: text summary, TAP comment and plan, JSON, JUnit.
	counts=$(tail -n 1 "$text" |
	    sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped, 0 errors$/\1 \2 \3/p')
	[ -n "$counts" ] || fail "$what: the text report does not end with the summary"
	set -- $counts
	pass=$1 failed=$2 skipped=$3
	total=$((pass + failed + skipped))
	if [ "$nothing_ran" = no ]; then
		grep -qx "# $pass passed, $failed failed, $skipped skipped, 0 errors" \
		    "$out" || fail "$what: TAP summary comment"
		grep -qx "1\.\.$total" "$out" ||
		    fail "$what: TAP plan is not 1..$total"
	fi
	jq -e --argjson p "$pass" --argjson f "$failed" --argjson s "$skipped" \
	    --argjson t "$total" --argjson rc "$rc" \
	    'select(.type == "summary") | .passed == $p and .failed == $f and
	    .skipped == $s and .checks == $t and .errors == 0 and
	    .exit_status == $rc' "$json" >/dev/null ||
	    fail "$what: JSON summary $(tail -n 1 "$json")"
	grep -qx "#counts $pass $failed $skipped 0" "$work/from-junit" ||
	    fail "$what: JUnit counts $(grep '^#counts' "$work/from-junit")"
	grep -qx "#status $rc" "$work/from-junit" ||
	    fail "$what: JUnit exit-status"

	# The exit status follows from the counts.
	if [ "$failed" -gt 0 ]; then
		[ "$rc" -eq 1 ] || fail "$what: $failed failed but status $rc"
	elif [ "$pass" -eq 0 ] && [ "$nothing_ran" = yes ]; then
		[ "$rc" -eq 77 ] || fail "$what: nothing ran but status $rc"
	else
		[ "$rc" -eq 0 ] || fail "$what: nothing failed but status $rc"
	fi
}

all() {
	run "$VGS" --tap -o "$text" --junit="$junit" --json="$json" "$@"
}

nothing_ran=no
all --seed=3
agree "default run"
[ "$rc" -eq 0 ] || fail "default run: status $rc"

if [ -f "$SHIM" ]; then
	VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM all --seed=4
	agree "run with failures"
	[ "$rc" -eq 1 ] || fail "run with failures: status $rc"
	[ "$pass" -gt 0 ] || fail "run with failures: nothing passed (no mix)"

	VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
	    all --seed=4 --fail-fast -r remove,install
	agree "--fail-fast"
	[ "$failed" -eq 1 ] || fail "--fail-fast: $failed failures"

	nothing_ran=yes
	all() {
		run without_guard_regions "$VGS" --tap -o "$text" \
		    --junit="$junit" --json="$json" "$@"
	}
	all
	agree "no guard regions"
	[ "$rc" -eq 77 ] || fail "no guard regions: status $rc"
fi
expect_clean_tmpdir
exit 0
