#!/bin/sh
# --tap as kselftest and KTAP consumers read it: a version line first;
# only version, plan, result, diagnostic and YAML lines; results numbered
# from 1; a "# Totals: pass:N fail:N xfail:0 xpass:0 skip:N error:N" line
# that agrees with the test points and the summary; "N/A" lines that are
# comments, never points; and on a kernel without guard regions nothing
# but "1..0 # SKIP reason" (the form of kselftest's ksft_exit_skip) and
# the skip status, unless --require=gu (--expect=series) makes the
# kernel-expect check fail; the checks then are test points.
. "${srcdir:-.}/tests/init.sh"
perl -MTAP::Parser -e 1 2>/dev/null || skip "perl lacks TAP::Parser"
require_guard_regions

# ktap FILE: the stream is well-formed; sets pass fail skip points.
ktap() {
	head -n 1 "$1" | grep -Eqx '(TAP version 1[34]|KTAP version 1)' ||
	    fail "first line is not a version line: $(head -n 1 "$1")"
	awk '
		NR == 1 { next }
		/^  ---$/ { yaml = 1; next }
		yaml && /^  \.\.\.$/ { yaml = 0; next }
		yaml { next }
		/^1\.\.[0-9]+( # SKIP .*)?$/ { next }
		/^(not )?ok [0-9]+ [^#]+( # (SKIP|TODO|XFAIL|TIMEOUT|ERROR)( .*)?)?$/ { next }
		/^#( |$)/ { next }
		/^Bail out!/ { next }
		{ print NR ": " $0; bad = 1 }
		END { exit bad }' "$1" >"$work/bad" ||
	    fail "lines KTAP does not know: $(head -n 3 "$work/bad")"
	points=$(grep -Ec '^(not )?ok [0-9]+ ' "$1")
	skip=$(grep -Ec '^ok [0-9]+ .* # SKIP' "$1")
	fail=$(grep -Ec '^not ok [0-9]+ ' "$1")
	pass=$((points - skip - fail))
	grep -Eo '^(not )?ok [0-9]+' "$1" | awk '{ print $NF }' |
	    awk '$1 != NR { exit 1 }' || fail "results not numbered 1..N"
}

# 1. A passing run with skips and n/a combinations (-v): totals agree.
run "$VGS" --tap -v -r install,zap-punch-hole,softdirty-sticky -x stress
expect_rc 0 "--tap -v"
ktap "$out"
[ "$points" -eq 11 ] || fail "$points test points, want 11 (anon is n/a twice)"
grep -qx "1\.\.$points" "$out" || fail "no plan 1..$points"
[ "$(grep -c '^# Totals: ' "$out")" -eq 1 ] || fail "not one Totals line"
grep -qx "# Totals: pass:$pass fail:0 xfail:0 xpass:0 skip:$skip error:0" \
    "$out" || fail "Totals disagree: $(grep '^# Totals' "$out"), want pass:$pass skip:$skip"
expect_out '^# N/A zap-punch-hole\.anon: private anonymous memory has no object to punch$'
grep -q '^ok [0-9]* zap-punch-hole\.anon' "$out" && fail "an n/a combination is a test point"
# The plan, then the totals, then the summary.
awk '/^1\.\./ { p = NR } /^# Totals:/ { t = NR } END { exit !(p && t == p + 1) }' \
    "$out" || fail "Totals does not follow the plan"

# 2. Failures count as fail, and TAP::Parser agrees with the totals.
if [ -f "$SHIM" ]; then
	VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
	    run "$VGS" --tap -r install,remove -x stress --seed=5
	expect_rc 1 "--tap with failures"
	ktap "$out"
	[ "$fail" -gt 0 ] || fail "no failure seen"
	grep -qx "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0" \
	    "$out" || fail "Totals with failures: $(grep '^# Totals' "$out")"
	perl -MTAP::Parser -e '
		local $/; open my $f, "<", $ARGV[0] or die; my $t = <$f>;
		my $p = TAP::Parser->new({ tap => $t });
		1 while $p->next;
		exit !($p->failed == $ARGV[1] && $p->tests_run == $ARGV[2]);
	' "$out" "$fail" "$points" || fail "TAP::Parser counts differ"
fi

# 3. No guard regions: "1..0 # SKIP reason" and nothing else but comments.
[ -f "$SHIM" ] || skip "no $SHIM"
run without_guard_regions "$VGS" --tap --skip-status=4
expect_rc 4 "--tap --skip-status=4 without guard regions"
ktap "$out"
[ "$points" -eq 0 ] || fail "$points test points on a kernel without guard regions"
grep -v '^#' "$out" >"$work/lines"
printf '%s\n' 'TAP version 13' \
    '1..0 # SKIP kernel lacks guard regions: MADV_GUARD_INSTALL failed with EINVAL (Linux 6.13 or later is needed)' \
    >"$work/want"
cmp -s "$work/lines" "$work/want" ||
    fail "not a skip-all stream: $(diff "$work/want" "$work/lines")"
expect_one_line_err
expect_err '^vmaguard-stress: this kernel lacks guard regions'
perl -MTAP::Parser -e '
	local $/; open my $f, "<", $ARGV[0] or die; my $t = <$f>;
	my $p = TAP::Parser->new({ tap => $t });
	1 while $p->next;
	exit !($p->skip_all && $p->tests_run == 0 && !$p->has_problems);
' "$out" || fail "TAP::Parser does not read a skip-all"
run without_guard_regions "$VGS" --tap
expect_rc 77 "--tap without guard regions (default skip status)"

# --require=gu: kernel-expect fails, so every check is a test point.
run without_guard_regions "$VGS" --tap --require=gu -r install -x stress
expect_rc 1 "--require=gu without guard regions"
ktap "$out"
[ "$fail" -eq 1 ] && [ "$points" -eq 5 ] || fail "--require=gu: $fail of $points failed"
expect_out "^not ok 1 kernel-expect$"
grep -q '^1\.\.0' "$out" && fail "--require=gu still skips all"
expect_clean_tmpdir
exit 0
