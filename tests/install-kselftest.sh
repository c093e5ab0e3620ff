#!/bin/sh
# make install-kselftest lays out a kselftest target ("vmaguard_stress":
# the tool, a run script, a settings file, a kselftest-list.txt line)
# that a stand-in for the kernel's kselftest runner runs by its rules:
# the settings file's timeout, the program's output as "# " lines, exit
# status 0 ok, 4 SKIP, 124 TIMEOUT, else not ok.  Its TAP parses, the
# default run fits the timeout, a kernel without guard regions is a skip
# ("1..0 # SKIP reason"), a failure fails, an overrun is killed; make
# uninstall-kselftest removes all of it.
. "${srcdir:-.}/tests/init.sh"
command -v make >/dev/null 2>&1 || skip "make not installed"
command -v timeout >/dev/null 2>&1 || skip "timeout(1) not installed"
perl -MTAP::Parser -e 1 2>/dev/null || skip "perl lacks TAP::Parser"
[ -f "$top_builddir/Makefile" ] || skip "no Makefile in $top_builddir"
require_guard_regions

dest=$work/dest
ksft=$dest/ksft
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s -C "$top_builddir" DESTDIR="$dest" kselftestdir=/ksft "$@" \
	    >"$out" 2>"$err"
}

# 1. The layout, installed twice: one list line.
mk install-kselftest || fail "make install-kselftest failed"
mk install-kselftest || fail "make install-kselftest (again) failed"
(cd "$ksft" && find . -type f | sort) >"$work/files"
printf '%s\n' ./kselftest-list.txt ./vmaguard_stress/settings \
    ./vmaguard_stress/vmaguard-stress ./vmaguard_stress/vmaguard_stress.sh \
    >"$work/want"
cmp -s "$work/files" "$work/want" ||
    fail "layout: $(diff "$work/want" "$work/files")"
[ "$(cat "$ksft/kselftest-list.txt")" = "vmaguard_stress:vmaguard_stress.sh" ] ||
    fail "kselftest-list.txt: $(cat "$ksft/kselftest-list.txt")"
[ -x "$ksft/vmaguard_stress/vmaguard_stress.sh" ] || fail "run script not executable"
timeout=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' "$ksft/vmaguard_stress/settings")
[ -n "$timeout" ] || fail "no timeout=N in settings"

# runner [ARGS]: one test of the list, as kselftest/runner.sh runs it
# (KSELFTEST_VMAGUARD_STRESS_SH_ARGS become ARGS):
# settings read, cd to the target, the timeout, output indented, the
# verdict line from the exit status.  Sets $verdict and $nested (the
# program's own output, unindented).
runner() {
	t=45
	while read -r line; do
		case $line in
		\#*|'') continue ;;
		timeout=*) t=${line#timeout=} ;;
		esac
	done <"$ksft/vmaguard_stress/settings"
	[ -n "${RUNNER_TIMEOUT:-}" ] && t=$RUNNER_TIMEOUT
	name="selftests: vmaguard_stress: vmaguard_stress.sh"
	t0=$(date +%s)
	st=0
	# $WRAP: a command to run it under (a faked kernel).
	(cd "$ksft/vmaguard_stress" &&
	    ${WRAP:-} timeout "$t" ./vmaguard_stress.sh "$@" 2>&1) \
	    >"$work/raw" || st=$?
	elapsed=$(($(date +%s) - t0))
	sed 's/^/# /' "$work/raw" >"$work/indented"
	case $st in
	0)	verdict="ok 1 $name" ;;
	4)	verdict="ok 1 $name # SKIP" ;;
	124)	verdict="not ok 1 $name # TIMEOUT $t seconds" ;;
	*)	verdict="not ok 1 $name # exit=$st" ;;
	esac
	sed 's/^# //' "$work/indented" | grep -v '^vmaguard-stress: ' \
	    >"$work/nested"
}

# tap FILE: "tests_run passed failed skipped skip_all" by TAP::Parser.
tap() {
	perl -MTAP::Parser -e '
		local $/; open my $f, "<", $ARGV[0] or die; my $t = <$f>;
		my $p = TAP::Parser->new({ tap => $t });
		1 while $p->next;
		print join(" ", $p->tests_run, scalar $p->passed,
		    scalar $p->failed, scalar $p->skipped,
		    $p->skip_all ? "skip_all" : "-", $p->is_good_plan ? "plan" : "badplan"), "\n";
	' "$1"
}

# 2. The default run: ok, within the timeout, TAP and totals that agree.
grep -q '^vmaguard_stress:' "$ksft/kselftest-list.txt" || fail "not listed"
runner
[ "$verdict" = "ok 1 selftests: vmaguard_stress: vmaguard_stress.sh" ] ||
    fail "default run: $verdict: $(tail -n 5 "$work/indented")"
[ "$elapsed" -lt $((timeout / 4)) ] ||
    fail "the default run took $elapsed s; the timeout ($timeout s) leaves too little room"
set -- $(tap "$work/nested")
[ "$1" -gt 0 ] && [ "$3" -eq 0 ] && [ "$6" = plan ] ||
    fail "nested TAP: run $1 failed $3 $6"
grep -qx "# Totals: pass:$(($2 - $4)) fail:0 xfail:0 xpass:0 skip:$4 error:0" \
    "$work/nested" || fail "no matching Totals line: $(grep Totals "$work/nested")"

# 3. A kernel without guard regions: a skip, and the plan says why.
[ -f "$SHIM" ] || skip "no $SHIM"
WRAP=without_guard_regions runner
[ "$verdict" = "ok 1 selftests: vmaguard_stress: vmaguard_stress.sh # SKIP" ] ||
    fail "no guard regions: $verdict"
grep -q '^1\.\.0 # SKIP kernel lacks guard regions' "$work/nested" ||
    fail "no '1..0 # SKIP': $(cat "$work/nested")"
set -- $(tap "$work/nested")
[ "$1" -eq 0 ] && [ "$5" = skip_all ] || fail "TAP::Parser: $*"

# 4. A failing check fails the test.
shim=$(cd "$(dirname "$SHIM")" && pwd)/$(basename "$SHIM")
with_fault() {
	env VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD="$shim" "$@"
}
WRAP=with_fault runner -r install
[ "$verdict" = "not ok 1 selftests: vmaguard_stress: vmaguard_stress.sh # exit=1" ] ||
    fail "a failing check: $verdict"
set -- $(tap "$work/nested")
[ "$3" -gt 0 ] || fail "nested TAP shows no failure: $*"

# 5. The timeout is honoured: an overrun is killed, nothing left behind.
RUNNER_TIMEOUT=2 runner -r stress -t 60s
[ "$verdict" = "not ok 1 selftests: vmaguard_stress: vmaguard_stress.sh # TIMEOUT 2 seconds" ] ||
    fail "an overrun: $verdict"
[ "$elapsed" -lt 15 ] || fail "the overrun lasted $elapsed s"
expect_no_process_with "$ksft/vmaguard_stress"

# 6. Uninstalled: nothing left.
mk uninstall-kselftest || fail "make uninstall-kselftest failed"
left=$(find "$dest" -type f)
[ -z "$left" ] || fail "make uninstall-kselftest left: $left"
expect_clean_tmpdir
exit 0
