#!/bin/sh
# Every kernel bug of tests/FAULTS that its own test shows as a FAIL
# (status 1) fails a whole default run too (the scenarios, without the
# stress phase): no part of the run, the feature probe included, may
# take the bug for a working kernel and end green.  Its own test aims a
# fault at one place; here it meets every install, fork and read of a
# run.  Left out: the tool's own failure modes (signals, hangs, full
# outputs, a bad --tmpdir: tests of their own), and the faults that only
# the stress engine meets.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$SHIM" ] || skip "no $SHIM"
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions

# PROCMAP_QUERY and _Fork(): only the stress engine calls them.
stress_only=" procmap-query-enotty fork-child-dies fork-child-unkillable "
# A run under ASan takes ten times as long: there a quarter of the
# faults, in turn (the native build runs them all).
every=1
! asan_build || every=4

n=0 k=0
faults_table >"$work/lines"
while IFS='|' read -r name how st _; do
	case $name in
	sig*|*hang*|install-dstate|dev-full|output-tmpfs-full|tmpdir-bad)
		continue ;;
	esac
	case $stress_only in *" $name "*) continue ;; esac
	case $st in 1*) ;; *) continue ;; esac
	case $how in
	shim-fault) so=$SHIM ;;
	shim-ops) so=$OPS ;;
	*) continue ;;
	esac
	k=$((k + 1))
	[ $((k % every)) = 0 ] || continue
	# (under ASan mlock is a raw system call, out of the shim's reach)
	[ "$name" != mlock-noop ] || ! asan_build || continue
	rc=0
	VGS_FAULT=$name LD_PRELOAD=$so "$VGS" -x stress --seed=1 \
	    --tmpdir="$TMPDIR" >"$out" 2>"$err" || rc=$?
	# (and where RLIMIT_MEMLOCK is too small, errors-mlock skips)
	if [ "$name" = mlock-noop ] && [ "$rc" = 0 ] &&
	    grep -q "^SKIP errors-mlock.anon: RLIMIT_MEMLOCK" "$out"; then
		continue
	fi
	[ "$rc" = 1 ] ||
	    fail "$name: a whole run exited $rc, not 1: $(tail -n 1 "$out")"
	# (a fault on the tool's own page during the feature probe ends
	# the run before any report: its one stderr line says why)
	grep -q '^FAIL ' "$out" ||
	    grep -q "^vmaguard-stress: unexpected SIG[A-Z]* at 0x[0-9a-f]* during the feature probe: " "$err" ||
	    fail "$name: exit 1 without a FAIL line"
	n=$((n + 1))
done <"$work/lines"
[ $((n * every)) -ge 30 ] ||
    fail "only $n faults tried: is tests/FAULTS complete?"
echo "$n faults, each failing a whole run"
expect_clean_tmpdir
exit 0
