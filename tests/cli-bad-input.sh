#!/bin/sh
# Bad flags, numbers and names: exit 2, one line starting with
# "vmaguard-stress: " that points to --help, nothing on stdout, nothing
# left behind.  Output paths that cannot be created: 99, likewise.
. "${srcdir:-.}/tests/init.sh"

bad() {
	run "$VGS" "$@"
	[ "$rc" -eq 2 ] || fail "'$*': exit status $rc, want 2"
	[ "$(wc -l <"$err")" -eq 1 ] || fail "'$*': stderr is not one line"
	grep -q '^vmaguard-stress: .*--help' "$err" ||
	    fail "'$*': stderr is not 'vmaguard-stress: ... --help'"
	[ -s "$out" ] && fail "'$*': wrote to stdout"
	expect_clean_tmpdir
}

# A well-formed argument the system refuses (a path that cannot be
# created) is the environment's fault: 99, one line, nothing left.
refused() {
	run "$VGS" "$@"
	[ "$rc" -eq 99 ] || fail "'$*': exit status $rc, want 99"
	[ "$(wc -l <"$err")" -eq 1 ] || fail "'$*': stderr is not one line"
	grep -q '^vmaguard-stress: ' "$err" ||
	    fail "'$*': stderr is not 'vmaguard-stress: ...'"
	grep -q -- '--help' "$err" && fail "'$*': points to --help"
	[ -s "$out" ] && fail "'$*': wrote to stdout"
	expect_clean_tmpdir
}

bad --no-such-option
bad -Z
bad extra-argument
bad --run
bad --run=no-such-scenario
bad --run=install,
bad --run=,install
bad --exclude=bogus
bad --backing=bogus
bad --backing=anon,,shmem
bad --backing=
bad -b anon,shm
bad --require=everything
bad --require=
bad --seed=
bad --seed=-1
bad --seed=12x
bad --seed=0x10
bad --seed=18446744073709551616
bad --seed=99999999999999999999999
bad "--seed= 5"
bad --child-timeout=0
bad --child-timeout=-5s
bad --child-timeout=5d
bad --child-timeout=2h
bad --child-timeout=
bad --tmpdir=
bad --quiet --verbose
bad --version=3
bad --help=yes
# An abbreviation of two options is named as ambiguous, with both.
bad --ver
grep -qx "vmaguard-stress: option '--ver' is ambiguous (--version, --verbose) (try 'vmaguard-stress --help')" "$err" ||
    fail "--ver: $(cat "$err")"
bad --re=gu
grep -q "option '--re' is ambiguous (--require, --record, --replay)" "$err" ||
    fail "--re=gu: $(cat "$err")"
# A selection that leaves nothing to check, with the reason.
bad -r zap-truncate -b anon
grep -q ': nothing to run: zap-truncate does not apply to anon: ' "$err" ||
    fail "-r zap-truncate -b anon: $(cat "$err")"
bad -r install -x install
bad --list=
bad --list=xml
# Outputs: nothing is created when the command line is bad, and a file
# that cannot be created removes the ones created before it.
bad --junit=
bad --json=
bad --output=
bad -o
bad --tap=yes
bad --metrics=1
bad --show=1
bad --quiet --show
bad --skip-status=
bad --skip-status=256
bad --skip-status=-1
bad --skip-status=4x
bad --tap --json=-
bad --tap -o -
bad --json=- --junit=-
bad --json="$TMPDIR/same" --junit="$TMPDIR/same"
bad -o "$TMPDIR/same" --json="$TMPDIR/same"
bad --junit="$TMPDIR/report.xml" --run=no-such-scenario
# A selection of nothing.
bad -r install -x install
bad -r stress,install -x install,stress -b anon
refused --junit="$TMPDIR/no/such/dir/report.xml"
refused --json="$TMPDIR/no/such/dir/report.jsonl"
refused -o "$TMPDIR/no/such/dir/report.txt"
refused -o "$TMPDIR/made.txt" --json="$TMPDIR/made.jsonl" \
    --junit="$TMPDIR/no/such/dir/report.xml"
exit 0
