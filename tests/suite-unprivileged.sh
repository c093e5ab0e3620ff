#!/bin/sh
# Most CI runners are not root: the default suite must pass as nobody.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions

[ "$(id -u)" -eq 0 ] || {
	run "$VGS" -q
	expect_rc 0 "unprivileged default suite"
	exit 0
}
command -v setpriv >/dev/null || skip "setpriv not installed"
bin=$(cd "$(dirname "$VGS")" && pwd)/$(basename "$VGS")
chmod 1777 "$TMPDIR"
chmod 755 "$work"
setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null ||
    skip "cannot switch to nobody"
setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$bin" ||
    skip "the build tree is not readable by nobody"
run setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" -q
expect_rc 0 "default suite as nobody"
expect_summary
expect_clean_tmpdir
exit 0
