#!/bin/sh
# --help, --version and --list: what they print and that they exit 0.
. "${srcdir:-.}/tests/init.sh"

run "$VGS" --help
expect_rc 0 "--help"
for o in --help --version --list --run --exclude --backing --features \
    --require --verbose --quiet --keep-going --seed; do
	expect_out -- "$o"
done
expect_out "Usage: vmaguard-stress"
expect_out "77 nothing passed or failed"
expect_out "99 hard error or lost output"
[ -s "$err" ] && fail "--help wrote to stderr"

run "$VGS" -h
expect_rc 0 "-h"

run "$VGS" --version
expect_rc 0 "--version"
head -n 1 "$out" | grep -Eq '^vmaguard-stress [0-9]+\.[0-9]+(\.[0-9]+)?$' ||
    fail "first line of --version is not 'vmaguard-stress X.Y.Z'"
expect_out "NO WARRANTY"
run "$VGS" -V
expect_rc 0 "-V"

run "$VGS" --list
expect_rc 0 "--list"
n=$(wc -l <"$out")
[ "$n" -ge 12 ] || fail "--list shows $n scenarios, want at least 12"
# Each line: a name, then a summary.
grep -Evq '^[a-z0-9-]+ +[^ ].*$' "$out" && fail "malformed --list line"
expect_out "^install "
expect_out "^fork-unfaulted "
expect_clean_tmpdir
exit 0
