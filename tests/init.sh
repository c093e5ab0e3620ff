# tests/init.sh: sourced by every shell test.  Sets up a private
# TMPDIR (checked empty at the end: nothing may be left behind), the
# tool's path and helpers.  Tests exit 77 to skip, as automake expects.

set -u
: "${srcdir:=.}"
: "${top_builddir:=..}"
VGS=${VGS:-$top_builddir/vmaguard-stress}
SHIM=${SHIM:-$top_builddir/tests/shim-fault.so}
me=$(basename "$0" .sh)
work=$(mktemp -d "${TMPDIR:-/tmp}/vgs-test-$me.XXXXXX") || exit 99
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"
out="$work/out"
err="$work/err"

cleanup() {
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $me: $*" >&2
	if [ -s "$out" ]; then echo "--- stdout:" >&2; tail -n 40 "$out" >&2; fi
	if [ -s "$err" ]; then echo "--- stderr:" >&2; tail -n 20 "$err" >&2; fi
	exit 1
}

skip() {
	echo "SKIP: $me: $*" >&2
	exit 77
}

# run CMD...: run with stdout/stderr captured; sets $rc.
run() {
	rc=0
	"$@" >"$out" 2>"$err" || rc=$?
}

expect_rc() {
	[ "$rc" -eq "$1" ] || fail "expected exit status $1, got $rc: $2"
}

expect_out() {
	grep -q -- "$1" "$out" || fail "stdout lacks '$1'"
}

expect_err() {
	grep -q -- "$1" "$err" || fail "stderr lacks '$1'"
}

# The last line of stdout must be the summary, consistent with counts.
expect_summary() {
	last=$(tail -n 1 "$out")
	echo "$last" | grep -Eq \
	    '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped, [0-9]+ errors$' ||
	    fail "last line is not the summary: $last"
}

# expect_counts PASSED FAILED SKIPPED [ERRORS]: the summary (the last
# line of stdout) has these counts, ERRORS 0 unless given; each may be
# a grep pattern ('[1-9][0-9]*').
expect_counts() {
	last=$(tail -n 1 "$out")
	echo "$last" |
	    grep -q "^$1 passed, $2 failed, $3 skipped, ${4:-0} errors\$" ||
	    fail "summary: expected $1 passed, $2 failed, $3 skipped," \
	    "${4:-0} errors: $last"
}

# Nothing may be left in TMPDIR.
# The fault catalogue tests/FAULTS, a line a fault: NAME|SHIM|STATUS|TEST
# (the shim is the "how" column up to its colon).
faults_table() {
	awk -F' [|] ' '!/^#/ && !/^ *$/ { h = $2; sub(/:.*/, "", h)
		print $1 "|" h "|" $3 "|" $5 }' "$srcdir/tests/FAULTS"
}

expect_clean_tmpdir() {
	left=$(ls -A "$TMPDIR")
	[ -z "$left" ] || fail "left behind in TMPDIR: $left"
}

require_guard_regions() {
	"$VGS" --features 2>/dev/null | grep -q '^guard-regions: yes' ||
	    skip "the running kernel lacks guard regions"
}

# fork_stream FILE N: a replay file of an anonymous 64-page stream,
# every page written and a guard on page 1, then N forks.
fork_stream() {
	{
		echo "stream backing=anon pages=64 seed=1"
		echo "write p0-63 tag=9"
		echo "install p1"
		i=0
		while [ $i -lt "$2" ]; do echo fork; i=$((i + 1)); done
	} >"$1"
}

require_series() {
	"$VGS" --features 2>/dev/null | grep -q '^gu: yes' ||
	    skip "the running kernel lacks the VM_MAYBE_GUARD series"
}

# Under --enable-asan the ASan runtime wants to come first in
# LD_PRELOAD.  The shims are not instrumented and call on to the next
# definition (RTLD_NEXT), so the order is harmless: silence the check.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

# expect_one_line_err: stderr is exactly one line.
expect_one_line_err() {
	[ "$(wc -l <"$err")" -eq 1 ] ||
	    fail "stderr is not one line: $(wc -l <"$err") lines"
}

# expect_gone FILE: no process logged as "pid=N" in FILE (the shim's
# VGS_FAULT_LOG) is left, running or as a zombie.
expect_gone() {
	[ -s "$1" ] || fail "nothing logged in $1"
	for p in $(sed -n 's/.*pid=\([0-9]*\).*/\1/p' "$1"); do
		if [ -e "/proc/$p" ]; then
			st=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)
			fail "process $p left behind (state ${st:-?})"
		fi
	done
}

# expect_no_process_with WORD: no process has WORD in its command line.
expect_no_process_with() {
	for f in /proc/[0-9]*/cmdline; do
		if { tr '\0' ' ' <"$f"; } 2>/dev/null | grep -qF -- "$1"; then
			fail "a process with '$1' in its command line is left: $f"
		fi
	done
}

# Is the tool built with AddressSanitizer (./configure --enable-asan)?
asan_build() {
	ldd "$VGS" 2>/dev/null | grep -q libasan ||
	    nm "$VGS" 2>/dev/null | grep -q __asan_init
}

# skip_if_asan REASON: skip where ASan changes what a test relies on.
skip_if_asan() {
	if asan_build; then
		skip "AddressSanitizer build: $1"
	fi
}

# without_guard_regions CMD...: run CMD as on a kernel without guard
# regions (the fault shim makes MADV_GUARD_INSTALL fail with EINVAL
# and uname() say 6.12, a kernel before them).
# no_guard_env is the one place the tests fake such a kernel (scripts
# the tests write use it too); needs $SHIM.  CMD may run in another
# directory: the shim's path is made absolute here.
no_guard_env="VGS_FAULT=install-einval VGS_FAULT_UNAME=6.12.0"
case $SHIM in
/*)	shim_abs=$SHIM ;;
*)	shim_abs=$(pwd)/$SHIM ;;
esac
without_guard_regions() {
	# shellcheck disable=SC2086
	env $no_guard_env LD_PRELOAD="$shim_abs" "$@"
}
