#!/bin/sh
# A run killed half-way (SIGKILL: no chance to finish anything) leaves
# report files that still parse: a JUnit document of the checks that
# had finished, JSON Lines without a summary, a text report without one.
# Needs a run that lasts: the timed stress mode, where the tool has one.
. "${srcdir:-.}/tests/init.sh"
command -v xmllint >/dev/null 2>&1 || skip "xmllint (libxml2-utils) not installed"
command -v jq >/dev/null 2>&1 || skip "jq not installed"
command -v setsid >/dev/null 2>&1 || skip "setsid not installed"
require_guard_regions
dur=$("$VGS" --help | grep -Eo -- '--(duration|timeout|time)=' | head -n 1)
[ -n "$dur" ] || skip "no timed stress mode in --help"

junit=$work/report.xml
json=$work/report.jsonl
text=$work/report.txt

setsid "$VGS" -r install,remove,stress "${dur}4s" --junit="$junit" \
    --json="$json" -o "$text" >"$out" 2>"$err" &
pid=$!
# Wait for the eight install and remove checks, then kill mid-stress.
i=0
while [ "$(grep -c '"type":"check"' "$json" 2>/dev/null)" != 8 ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] || { kill -9 -- -"$pid" 2>/dev/null; fail "no 8 checks in 10 s"; }
	sleep 0.1
done
sleep 0.3
kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid"
wait "$pid" 2>/dev/null
# Workers of the stress phase go with the process group.
sleep 0.2

xmllint --noout "$junit" || fail "the JUnit document of a killed run is not well-formed"
[ "$(xmllint --xpath 'count(//testcase)' "$junit")" -ge 8 ] ||
    fail "the JUnit document lacks the finished checks"
[ "$(xmllint --xpath 'string(//testsuite/@tests)' "$junit")" = \
    "$(xmllint --xpath 'count(//testcase)' "$junit")" ] ||
    fail "the JUnit counts do not match its test cases"
jq -e -s 'all(.[]; .type == "check")' "$json" >/dev/null ||
    fail "the JSON Lines of a killed run do not all parse, or have a summary"
grep -q '^PASS install.anon: ' "$text" || fail "the text report lacks the checks"
tail -n 1 "$text" | grep -Eq '^[0-9]+ passed' &&
    fail "a killed run's text report has a summary"
ls "$work" | grep -q 'report\.xml\.' && fail "a temporary JUnit file was left"
expect_clean_tmpdir
exit 0
