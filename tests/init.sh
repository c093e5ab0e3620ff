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
	echo "$last" | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' ||
	    fail "last line is not the summary: $last"
}

# Nothing may be left in TMPDIR.
expect_clean_tmpdir() {
	left=$(ls -A "$TMPDIR")
	[ -z "$left" ] || fail "left behind in TMPDIR: $left"
}

require_guard_regions() {
	"$VGS" --features 2>/dev/null | grep -q '^guard-regions: yes' ||
	    skip "the running kernel lacks guard regions"
}

require_series() {
	"$VGS" --features 2>/dev/null | grep -q '^gu: yes' ||
	    skip "the running kernel lacks the VM_MAYBE_GUARD series"
}
