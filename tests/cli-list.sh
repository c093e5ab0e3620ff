#!/bin/sh
# --list is a dry run: it honours -r, -x and -b, lists the stress phase,
# and shows where a scenario does not apply ("n/a BACKING: reason");
# --list=names and --list=json say the same, and the checks it lists are
# exactly the checks a run with the same selection reports.
. "${srcdir:-.}/tests/init.sh"
command -v jq >/dev/null 2>&1 || skip "jq not installed"

# 1. Text: an entry line per scenario, n/a lines under it, stress last.
run "$VGS" --list
expect_rc 0 "--list"
[ -s "$err" ] && fail "--list wrote to stderr"
grep -Ev '^([a-z0-9-]+ +[^ ].*|  +n/a [a-z-]+: .+)$' "$out" &&
    fail "malformed --list line"
expect_out "^install  *install a guard in p1"
expect_out "^zap-punch-hole "
grep -A1 '^zap-punch-hole ' "$out" | grep -q '^  *n/a anon: private anonymous memory has no object to punch$' ||
    fail "no n/a line under zap-punch-hole"
tail -n 1 "$out" | grep -q '^stress  *random operations' ||
    fail "the stress phase is not listed last"
grep -c '^[a-z]' "$out" >"$work/n"
[ "$(cat "$work/n")" -ge 40 ] || fail "only $(cat "$work/n") entries"

# -b: only the selected backings' n/a lines; -r and -x select entries.
run "$VGS" --list -b shmem,file-shared -r zap-punch-hole,errors-special
expect_rc 0 "--list -b -r"
[ "$(grep -c '^[a-z]' "$out")" -eq 2 ] || fail "-r: not two entries"
grep -q 'n/a anon' "$out" && fail "-b shmem,file-shared shows anon"
[ "$(grep -c 'n/a ' "$out")" -eq 2 ] || fail "errors-special: want 2 n/a lines"
run "$VGS" -l -x stress
tail -n 1 "$out" | grep -q '^stress ' && fail "-x stress still lists stress"
run "$VGS" -l -r stress
[ "$(wc -l <"$out")" -eq 1 ] && grep -q '^stress ' "$out" ||
    fail "-r stress: $(cat "$out")"

# 2. Names: what would run, one a line.
run "$VGS" --list=names
expect_rc 0 "--list=names"
grep -v '^[a-z0-9-]*$' "$out" && fail "--list=names: not one name a line"
"$VGS" --list | sed -n 's/^\([a-z][a-z0-9-]*\) .*/\1/p' >"$work/text-names"
cmp -s "$out" "$work/text-names" || fail "names differ from the text entries"
run "$VGS" --list=names -b anon -r zap-punch-hole,install,stress
[ "$(tr '\n' ' ' <"$out")" = "install stress " ] ||
    fail "-b anon: $(tr '\n' ' ' <"$out")"

# 3. JSON Lines: the same entries, backings and reasons.
run "$VGS" --list=json
expect_rc 0 "--list=json"
jq -e . "$out" >/dev/null || fail "--list=json does not parse"
jq -r .name "$out" >"$work/json-names"
cmp -s "$work/json-names" "$work/text-names" || fail "json names differ"
# entry NAME FILTER: FILTER holds for the JSON entry NAME.
entry() {
	jq -s -e --arg n "$1" "map(select(.name == \$n))[0] | $2" "$out" \
	    >/dev/null
}
entry zap-punch-hole '.rule == "4.10" and
    .backings == ["shmem", "file-shared", "file-private"] and
    .not_applicable.anon == "private anonymous memory has no object to punch"' ||
    fail "zap-punch-hole's entry"
entry thp-collapse '.needs == ["thp"]' || fail "thp-collapse does not need thp"
entry stress '.backings | length == 4' || fail "stress is not on four backings"
# Every n/a reason of the text form is in the JSON, and no other.
"$VGS" --list | awk '/^[a-z]/ { name = $1 }
	/^ +n\/a / { sub(/^ +n\/a /, ""); print name " " $0 }' >"$work/na-text"
jq -r '.name as $n | .not_applicable | to_entries[] |
    "\($n) \(.key): \(.value)"' "$out" >"$work/na-json"
cmp -s "$work/na-text" "$work/na-json" ||
    fail "n/a differ: $(diff "$work/na-text" "$work/na-json" | head)"
[ -s "$work/na-text" ] || fail "no n/a combination at all"

# 4. A dry run: the listed checks are the checks a run reports, in order.
# No kernel is needed to list; the run needs guard regions.
sel="-r zap-punch-hole,errors-special,uffd,install -b anon,shmem,file-private"
run "$VGS" --list=json $sel -x stress
jq -r '.name as $n | .backings[] | "\($n).\(.)"' "$out" >"$work/listed"
if "$VGS" --features 2>/dev/null | grep -q '^guard-regions: yes'; then
	run "$VGS" --tap $sel -x stress
	sed -n 's/^\(not \)\{0,1\}ok [0-9]* \([^ ]*\).*/\2/p' "$out" >"$work/ran"
	cmp -s "$work/listed" "$work/ran" ||
	    fail "listed and run differ: $(diff "$work/listed" "$work/ran")"
fi
[ "$(wc -l <"$work/listed")" -eq 8 ] ||
    fail "$(wc -l <"$work/listed") checks listed, want 8"
if [ -f "$SHIM" ]; then
	VGS_FAULT=install-einval LD_PRELOAD=$SHIM run "$VGS" --list=json $sel
	expect_rc 0 "--list without guard regions"
	jq -r '.name as $n | .backings[] | "\($n).\(.)"' "$out" |
	    grep -v '^stress\.' >"$work/listed2"
	cmp -s "$work/listed" "$work/listed2" || fail "--list probed the kernel"
fi

# 5. -v names what is not a check, and does not count it.
if "$VGS" --features 2>/dev/null | grep -q '^guard-regions: yes'; then
	run "$VGS" -v -r zap-truncate -x stress
	expect_rc 0 "-v -r zap-truncate"
	expect_out '^N/A zap-truncate.anon: private anonymous memory has no object to punch$'
	expect_counts 3 0 0
fi
expect_clean_tmpdir
exit 0
