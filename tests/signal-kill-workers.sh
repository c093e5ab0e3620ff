#!/bin/sh
# SIGKILL of the tool in the middle of a stress phase with two workers
# (-j 2 -t 30s).  The tool can clean nothing up, so whatever it forked
# must die with it: the group with the main process, each worker with
# the group, each worker's fork child with its worker (PR_SET_PDEATHSIG
# at every level).  2 s later nothing may run (a zombie of an init that
# never reaps is dead: it has no command line).
. "${srcdir:-.}/tests/init.sh"
require_guard_regions

# How many live processes have $TMPDIR on their command line.
count() {
	n=0
	for f in /proc/[0-9]*/cmdline; do
		{ tr '\0' ' ' <"$f"; } 2>/dev/null | grep -qF -- "$TMPDIR" &&
		    n=$((n + 1))
	done
	echo $n
}

"$VGS" --tmpdir="$TMPDIR" -r stress -b anon -j 2 -t 30s >"$out" 2>"$err" &
pid=$!
# The main process, the group and two workers.
i=0
while [ "$(count)" -lt 4 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { kill -KILL $pid; fail "the workers did not start"; }
	sleep 0.1
done
sleep 0.5
kill -KILL $pid
wait $pid 2>/dev/null
sleep 2
left=$(count)
[ "$left" -eq 0 ] || {
	ps -eo pid,ppid,stat,args | grep -F -- "$TMPDIR" | grep -v grep >&2
	fail "$left processes of the killed tool still run after 2 s"
}
expect_clean_tmpdir
exit 0
