#!/bin/sh
# --help and --version: what they print, that they exit 0, and that
# --help fits 79 columns.
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

# The option table fits 79 columns and states the defaults.
run "$VGS" --help
awk 'length($0) > 79 { print; bad = 1 } END { exit bad }' "$out" >"$work/long" ||
    fail "--help lines over 79 columns: $(cat "$work/long")"
grep -Eq -- '-j, --workers=N +.*default 1' "$out" || fail "-j's default not stated"
expect_out "125 for git bisect run"

expect_clean_tmpdir
exit 0
