#!/bin/sh
# Bad values for the stress options end the run at once: one line on
# stderr, exit status 2, nothing created.
. "${srcdir:-.}/tests/init.sh"

bad() {
	run "$VGS" "$@"
	expect_rc 2 "$*"
	[ ! -s "$out" ] || fail "$*: wrote to stdout"
	[ "$(wc -l <"$err")" -eq 1 ] || fail "$*: not one line on stderr"
	expect_err "(try '.*--help')"
}

bad -t 0
bad -t 10x
bad --timeout=
bad -n 0
bad -n 12a
bad --ops=-1
bad -j 1025
bad --workers=x
bad --threads=65
bad --pages=0
bad --pages=1048577
bad --smaps-interval=0
bad --record=
bad --emit-c=
bad --minimize-out=
bad --replay="$work/missing"
expect_err "--replay: $work/missing: No such file"
printf 'stream backing=anon pages=8 seed=1\ninstall p3\nfoo p1\n' >"$work/a"
bad --replay="$work/a"
expect_err "--replay: $work/a:3: unknown operation: 'foo'"
printf 'stream backing=anon pages=8 seed=1\ninstall p3-9\n' >"$work/a"
bad --replay="$work/a"
expect_err "range outside the 8-page area"
printf 'install p3\n' >"$work/a"
bad --replay="$work/a"
expect_err "operation before the first 'stream' line"
printf 'stream backing=anon pages=8 seed=1\nwrite p3 tag=1\n' >"$work/a"
bad --replay="$work/a"
expect_err "tag out of range"
bad -r stres
expect_clean_tmpdir
exit 0
