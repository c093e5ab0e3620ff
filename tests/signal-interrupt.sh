#!/bin/sh
# SIGINT, SIGTERM and SIGHUP in the middle of a run: a child hangs
# (child-hang) under a long deadline, and once it hangs the signal is
# sent.  The run must end at once with 128+signal, report the cut-short
# check as SKIP, print the summary for what ran, kill the hanging child
# and its grandchild and leave nothing in TMPDIR (the backing file of
# file-shared existed when the signal came).  SIGKILL cannot be caught:
# the child still dies with its parent (PR_SET_PDEATHSIG, which every
# process the tool forks sets); the shim's own grandchild, forked behind
# the tool's back, is then an orphan of init and this test kills it.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
log=$work/hang.log

# start: run the tool in the background until a child hangs; sets $pid.
start() {
	rm -f "$log"
	VGS_FAULT=child-hang VGS_FAULT_COUNT=1 VGS_FAULT_LOG=$log \
	    LD_PRELOAD=$SHIM "$VGS" --child-timeout=1h --tmpdir="$TMPDIR" \
	    -r install,fork-unfaulted -b file-shared >"$out" 2>"$err" &
	pid=$!
	i=0
	while [ "$(grep -c 'hang pid=' "$log" 2>/dev/null)" != 2 ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || { kill -KILL $pid; fail "no child hung"; }
		sleep 0.05
	done
}

for sig in INT TERM HUP; do
	start
	t0=$(date +%s%3N)
	kill -s $sig $pid
	rc=0
	wait $pid || rc=$?
	ms=$(($(date +%s%3N) - t0))
	case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
	expect_rc $want "SIG$sig"
	[ "$ms" -lt 2000 ] || fail "SIG$sig: took $ms ms"
	expect_summary
	expect_out "^PASS install.file-shared"
	expect_out "^SKIP fork-unfaulted.file-shared: interrupted by SIG$sig: child 'unfaulted' killed$"
	expect_counts 1 0 1
	expect_one_line_err
	expect_err "^vmaguard-stress: interrupted by SIG$sig; children killed$"
	expect_gone "$log"
	expect_no_process_with "$TMPDIR"
	expect_clean_tmpdir
done

# SIGKILL: the hanging child follows its parent, with no reaper left.
start
kill -KILL $pid
wait $pid 2>/dev/null
child=$(sed -n '1s/.*pid=//p' "$log")
shimkid=$(sed -n '2s/.*pid=//p' "$log")
i=0
while :; do
	st=$(sed 's/^.*) //' "/proc/$child/stat" 2>/dev/null | cut -c1)
	case $st in ''|Z|X) break ;; esac
	i=$((i + 1))
	[ $i -lt 100 ] || { kill -KILL "$shimkid"; fail "child $child still running after SIGKILL"; }
	sleep 0.05
done
kill -KILL "$shimkid" 2>/dev/null
expect_clean_tmpdir
exit 0
