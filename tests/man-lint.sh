#!/bin/sh
# The man page is mdoc that mandoc's linter accepts without warnings.
. "${srcdir:-.}/tests/init.sh"
command -v mandoc >/dev/null || skip "mandoc not installed"
run mandoc -T lint -W warning "$srcdir/man/vmaguard-stress.1"
expect_rc 0 "mandoc -T lint -W warning"
exit 0
