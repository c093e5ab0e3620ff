#!/bin/sh
# The man page is mdoc that mandoc's linter accepts at its strictest
# level (-W all: errors, warnings, style and base-system conventions),
# and it names the operating system for groff too: the header must not
# read "BSD General Commands Manual".
. "${srcdir:-.}/tests/init.sh"
command -v mandoc >/dev/null || skip "mandoc not installed"
man=$srcdir/man/vmaguard-stress.1
run mandoc -T lint -W all "$man"
# The report is what counts; "outdated mandoc.db" notes depend on the
# machine's manual database, not on the page.
grep -v 'mandoc\.db' "$err" >"$work/lint" || :
[ -s "$work/lint" ] && fail "mandoc -T lint -W all: $(cat "$work/lint")"
expect_rc 0 "mandoc -T lint -W all"
if command -v groff >/dev/null 2>&1; then
	groff -mdoc -Tutf8 "$man" 2>/dev/null | sed -n '1p;$p' >"$out"
	grep -q 'BSD' "$out" && fail "groff heads the page with BSD: $(head -1 "$out")"
	expect_out 'Linux General Commands Manual'
fi
exit 0
