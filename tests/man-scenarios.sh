#!/bin/sh
# The SCENARIOS section of the man page lists exactly what --list shows,
# with the same one-line summaries, in the same order.
. "${srcdir:-.}/tests/init.sh"
man="$srcdir/man/vmaguard-stress.1"

"$VGS" --list | sed 's/  */ /' >"$work/list" || fail "--list failed"
sed -n '/^\.Sh SCENARIOS/,/^\.Sh /p' "$man" |
    awk '/^\.It Cm /{ name = $3; getline; print name " " $0 }' >"$work/man"
diff -u "$work/list" "$work/man" >"$out" ||
    fail "SCENARIOS in the man page and --list differ (- list, + man)"
exit 0
