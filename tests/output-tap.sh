#!/bin/sh
# --tap: TAP version 13 that perl's prove and automake's tap-driver.sh
# read as the text report says: passes, failures with a YAML block whose
# expected and observed state are the text report's, skips with their
# reason, a plan that matches, and --skip-status for the kselftest
# runner.  The exit status stays the documented one (tap-driver.sh needs
# --ignore-exit to not count a failing run twice).
. "${srcdir:-.}/tests/init.sh"
command -v prove >/dev/null 2>&1 || skip "perl's prove is not installed"
perl -MTAP::Parser -e 1 2>/dev/null || skip "perl lacks TAP::Parser"
require_guard_regions

am_libdir=$(automake --print-libdir 2>/dev/null)
tapdriver=
for d in "$am_libdir" /usr/share/automake-*; do
	[ -f "$d/tap-driver.sh" ] && { tapdriver=$d/tap-driver.sh; break; }
done
[ -n "$tapdriver" ] || skip "automake's tap-driver.sh not found"

# wrap NAME ENV... -- ARGS...: a script prove and tap-driver.sh can run.
wrap() {
	w=$work/$1.t
	shift
	{
		echo "#!/bin/sh"
		while [ "$1" != "--" ]; do echo "export $1"; shift; done
		shift
		printf 'exec "%s"' "$bin"
		for a in "$@"; do printf ' "%s"' "$a"; done
		echo
	} >"$w"
	chmod +x "$w"
}
bin=$(cd "$(dirname "$VGS")" && pwd)/$(basename "$VGS")
shim=$(cd "$(dirname "$SHIM")" 2>/dev/null && pwd)/$(basename "$SHIM")

# Perl: read a file whole (TAP::Parser would run a "source" as a script).
slurp='sub slurp { local $/; open my $f, "<", shift or die; return <$f> }'

# The TAP stream is well-formed: version first, plan = number of points.
check_stream() {
	head -n 1 "$out" | grep -qx 'TAP version 13' ||
	    fail "first line is not 'TAP version 13'"
	points=$(grep -Ec '^(not )?ok [0-9]+ ' "$out")
	grep -qx "1\.\.$points" "$out" || fail "no plan 1..$points"
	grep -Eq '^# [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped, [0-9]+ errors$' \
	    "$out" ||
	    fail "no summary comment"
	# Numbered 1..N in order.
	grep -Eo '^(not )?ok [0-9]+' "$out" | awk '{print $NF}' |
	    awk '$1 != NR { exit 1 }' || fail "test points out of order"
}

# 1. A passing run.
run "$VGS" --tap -r install,remove --seed=7
expect_rc 0 "--tap, passing"
check_stream
[ "$points" -eq 8 ] || fail "$points test points, want 8"
expect_out "^ok 1 install.anon$"
expect_out "^ok 8 remove.file-private$"
grep -q '^[0-9]* passed' "$out" && fail "text summary leaked into TAP"
wrap pass -- --tap -r install,remove --seed=7
prove "$work/pass.t" >"$work/prove.out" 2>&1 ||
    fail "prove rejects a passing run: $(cat "$work/prove.out")"
grep -q 'Result: PASS' "$work/prove.out" || fail "prove: no PASS"
(cd "$work" && sh "$tapdriver" --test-name pass --log-file pass.log \
    --trs-file pass.trs --color-tests no --enable-hard-errors yes \
    --expect-failure no -- ./pass.t) >/dev/null 2>&1
grep -qx ':global-test-result: PASS' "$work/pass.trs" ||
    fail "tap-driver.sh: $(cat "$work/pass.trs")"
[ "$(grep -c '^:test-result: PASS' "$work/pass.trs")" -eq 8 ] ||
    fail "tap-driver.sh did not see 8 passes"

# 2. Failures (guard install silently does nothing), text for reference.
if [ -f "$SHIM" ]; then
	VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
	    run "$VGS" -r install --seed=42 -o "$work/text"
	expect_rc 1 "text run with the fault"
	VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
	    run "$VGS" --tap -r install --seed=42
	expect_rc 1 "--tap with the fault"
	check_stream
	expect_out "^not ok 1 install.anon$"
	expect_out "^  severity: fail$"
	expect_out '^#   expected  p0-9 rw-p gu '
	# The YAML blocks, read by TAP::Parser, carry the text's lines.
	perl -MTAP::Parser -e "$slurp"'
		my $p = TAP::Parser->new({ tap => slurp($ARGV[0]) });
		while (my $r = $p->next) {
			next unless $r->is_yaml;
			my $d = $r->data;
			print "  expected: $d->{expected}\n",
			    "  observed: $d->{observed}\n",
			    "  rerun: $d->{rerun}\n";
		}' "$out" >"$work/yaml" || fail "TAP::Parser failed"
	grep -E '^  (expected|observed|rerun): ' "$work/text" >"$work/want"
	cmp -s "$work/yaml" "$work/want" ||
	    fail "YAML differs from the text report: $(diff "$work/want" "$work/yaml")"

	wrap fail VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$shim \
	    -- --tap -r install --seed=42
	prove "$work/fail.t" >"$work/prove.out" 2>&1 &&
	    fail "prove accepts a failing run"
	grep -q 'Failed tests:  1-4' "$work/prove.out" ||
	    fail "prove: $(cat "$work/prove.out")"
	# tap-driver.sh: an ERROR for the exit status unless --ignore-exit.
	(cd "$work" && sh "$tapdriver" --test-name fail --log-file fail.log \
	    --trs-file fail.trs --color-tests no --enable-hard-errors yes \
	    --expect-failure no -- ./fail.t) >/dev/null 2>&1
	grep -qx ':test-result: ERROR' "$work/fail.trs" ||
	    fail "tap-driver.sh without --ignore-exit: no ERROR for status 1"
	(cd "$work" && sh "$tapdriver" --test-name fail --log-file fail.log \
	    --trs-file fail.trs --color-tests no --enable-hard-errors yes \
	    --expect-failure no --ignore-exit -- ./fail.t) >/dev/null 2>&1
	grep -q ':test-result: ERROR' "$work/fail.trs" &&
	    fail "tap-driver.sh --ignore-exit still reports an ERROR"
	[ "$(grep -c '^:test-result: FAIL' "$work/fail.trs")" -ge 4 ] ||
	    fail "tap-driver.sh did not see the failures"

	# 3. Nothing can run: the plan says why ("1..0 # SKIP reason"),
	# status 77 or --skip-status.
	run without_guard_regions "$VGS" --tap -r install
	expect_rc 77 "--tap without guard regions"
	head -n 1 "$out" | grep -qx 'TAP version 13' ||
	    fail "first line is not 'TAP version 13'"
	expect_out "^1\.\.0 # SKIP kernel lacks guard regions: "
	grep -Eq '^(not )?ok ' "$out" && fail "test points on a skip-all run"
	run without_guard_regions "$VGS" --tap -r install --skip-status=4
	expect_rc 4 "--skip-status=4 (kselftest)"
	wrap skip VGS_FAULT=install-einval VGS_FAULT_UNAME=6.12.0 LD_PRELOAD=$shim \
	    -- --tap -r install --skip-status=0
	prove -v "$work/skip.t" >"$work/prove.out" 2>&1 ||
	    fail "prove rejects an all-skipped run: $(cat "$work/prove.out")"
	grep -q 'Result: NOTESTS\|Result: PASS' "$work/prove.out" &&
	    grep -q 'skipped: kernel lacks guard regions' "$work/prove.out" ||
	    fail "prove did not see the skip: $(cat "$work/prove.out")"
fi

# 4. Text that is hard to quote (tests/test-report.c): prove and
# TAP::Parser read it back unchanged.
"$top_builddir/tests/test-report" --emit "$work" >"$out" 2>"$err" ||
    fail "test-report --emit failed"
check_stream
expect_out '^ok 2 thp.shmem # SKIP transparent hugepages are never \\# not \\\\ a directive$'
perl -MTAP::Parser -e "$slurp"'
	my $p = TAP::Parser->new({ tap => slurp($ARGV[0]) });
	my ($yaml, $skip) = (0, 0);
	while (my $r = $p->next) {
		$skip++ if $r->is_test && $r->has_skip;
		next unless $r->is_yaml;
		my $d = $r->data;
		$yaml++;
		exit 3 if $yaml == 1 && $d->{message} ne
		    q{step 3 '"'"'fill <the> gap & "merge"'"'"': count 2, want 1 #x};
	}
	exit 4 unless $yaml == 2 && $skip == 1;
	exit 5 unless $p->tests_run == 4 && $p->failed == 2;
	' "$out" || fail "TAP::Parser reads the quoted text back wrong ($?)"
expect_clean_tmpdir
exit 0
