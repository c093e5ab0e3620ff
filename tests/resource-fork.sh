#!/bin/sh
# fork() failing is a hard error: exit 99, one line on stderr naming
# the check and the cause, the summary still printed, nothing left
# behind.  Once through the shim (fork-eagain) and, as root, for real:
# RLIMIT_NPROC as nobody (root ignores the limit, so setpriv drops to
# nobody first), with a limit below what nobody already runs.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=fork-eagain LD_PRELOAD=$SHIM \
    run "$VGS" --tmpdir="$TMPDIR" -r install,fork-unfaulted -b shmem
expect_rc 99 "fork fails (shim)"
expect_one_line_err
expect_err "^vmaguard-stress: fork-unfaulted.shmem: fork: Resource temporarily unavailable$"
expect_summary
expect_out "^PASS install.shmem"
expect_clean_tmpdir

[ "$(id -u)" -eq 0 ] || exit 0
command -v setpriv >/dev/null || exit 0
command -v prlimit >/dev/null || exit 0
bin=$(cd "$(dirname "$VGS")" && pwd)/$(basename "$VGS")
chmod 1777 "$TMPDIR"
chmod 755 "$work"
setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$bin" ||
    exit 0
# nobody's processes count against the limit: allow exactly the tool.
n=$(ps -o pid= -u nobody 2>/dev/null | wc -l)
# LeakSanitizer needs a thread at exit, which the limit forbids.
ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 run prlimit --nproc=$((n + 1)) \
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$bin" --tmpdir="$TMPDIR" -r install,fork-unfaulted -b anon
expect_rc 99 "fork fails (RLIMIT_NPROC)"
expect_one_line_err
expect_err "^vmaguard-stress: fork-unfaulted.anon: fork: Resource temporarily unavailable$"
expect_summary
expect_clean_tmpdir
exit 0
