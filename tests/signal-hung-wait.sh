#!/bin/sh
# SIGINT and SIGTERM end a run within 2 s whatever it is waiting for:
#   1. a child started to live beside the parent (pmadvise-remote's
#      target, hung by fork-hang) under a deadline of an hour;
#   2. a kernel call in the tool's own process that never returns
#      (install-hang: the watchdog thread breaks the wait at once);
#   3. the stress phase, whose check must not vanish: SKIP
#      "interrupted" in TAP, in the plan and in the summary.
# Each: exit 128+N, the interrupted check SKIP "interrupted by SIG...",
# the summary last, no process left, TMPDIR clean.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
log=$work/hang.log

now_ms() {
	date +%s%3N
}

# start FAULT SKIP ARG...: run the tool in the background until the
# fault has blocked a process (logged "hang pid="); sets $pid.
start() {
	f=$1 n=$2
	shift 2
	rm -f "$log"
	VGS_FAULT=$f VGS_FAULT_SKIP=$n VGS_FAULT_LOG=$log LD_PRELOAD=$SHIM \
	    "$VGS" --tmpdir="$TMPDIR" "$@" >"$out" 2>"$err" &
	pid=$!
	i=0
	until grep -q 'hang pid=' "$log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || { kill -KILL $pid; fail "$f: nothing hung"; }
		sleep 0.05
	done
	sleep 0.2
}

# stop SIG WANT: send SIG, wait, check the status and the time.
stop() {
	t0=$(now_ms)
	kill -s "$1" $pid
	rc=0
	wait $pid || rc=$?
	ms=$(($(now_ms) - t0))
	expect_rc "$2" "SIG$1"
	[ "$ms" -lt 2000 ] || fail "SIG$1 took $ms ms to end the run"
	expect_one_line_err
	expect_err "^vmaguard-stress: interrupted by SIG$1; children killed$"
}

# 1. A hung target child, deadline an hour away.
start fork-hang 0 -r pmadvise-remote -b anon,file-shared --child-timeout=1h
stop TERM 143
expect_summary
expect_counts 0 0 1
expect_out "^SKIP pmadvise-remote.anon: interrupted by SIGTERM"
expect_gone "$log"

# 2. A kernel call in the tool's own process that never returns (the
# feature probe's four installs and install.anon's let through).
start install-hang 5 -r install,remove -b anon,shmem --child-timeout=1h
stop INT 130
expect_summary
expect_counts 1 0 1
expect_out "^SKIP install.shmem: interrupted by SIGINT$"

# 3. The stress phase, in TAP.
rm -f "$log"
"$VGS" --tmpdir="$TMPDIR" --tap -r install,stress -b anon -t 60s \
    >"$out" 2>"$err" &
pid=$!
i=0
until grep -q '^ok 1 install.anon' "$out"; do
	i=$((i + 1))
	[ $i -lt 200 ] || { kill -KILL $pid; fail "install.anon did not run"; }
	sleep 0.05
done
sleep 0.5
stop TERM 143
expect_out "^ok 2 stress.anon # SKIP interrupted by SIGTERM after [0-9]* ops$"
expect_out "^1\.\.2$"
expect_out "^# 1 passed, 0 failed, 1 skipped, 0 errors$"
expect_no_process_with "$TMPDIR"
expect_clean_tmpdir
exit 0
