#!/bin/sh
# mmap() failing is a hard error: exit 99 and one line.  Through the
# shim (mmap-enomem: the test window's reservation fails), then for
# real under a sweep of address-space limits (RLIMIT_AS) from "cannot
# even start" upwards: at every limit the tool passes or exits 99 with
# one line, never crashes, and at least one limit hits the 99 path.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=mmap-enomem LD_PRELOAD=$SHIM run "$VGS" -r install -b anon
expect_rc 99 "mmap fails (shim)"
expect_one_line_err
expect_err "^vmaguard-stress: install.anon: setup: mmap window of 12 pages: Cannot allocate memory$"
expect_summary

# ASan reserves terabytes of shadow: RLIMIT_AS makes no sense there.
if asan_build; then
	expect_clean_tmpdir
	exit 0
fi
command -v prlimit >/dev/null || { expect_clean_tmpdir; exit 0; }
# The smallest limit that runs --version, in 64 KiB steps.
kb=1024
while [ $kb -lt 65536 ]; do
	prlimit --as=$((kb * 1024)) "$VGS" --version >/dev/null 2>&1 && break
	kb=$((kb + 64))
done
[ $kb -lt 65536 ] || skip "cannot find a working RLIMIT_AS"
hard=0 pass=0
i=0
while [ $i -lt 48 ]; do
	lim=$(((kb + i * 64) * 1024))
	run prlimit --as=$lim "$VGS" --tmpdir="$TMPDIR" -q -r install,fork-written
	case $rc in
	0|1)	pass=$((pass + 1)) ;;
	99)	hard=$((hard + 1))
		expect_one_line_err
		expect_err "^vmaguard-stress: .*: \(Cannot allocate memory\|Resource temporarily unavailable\)$" ;;
	*)	fail "RLIMIT_AS=$lim: exit status $rc" ;;
	esac
	expect_clean_tmpdir
	i=$((i + 1))
done
[ $hard -gt 0 ] || fail "no limit made the run fail (passed $pass times)"
echo "RLIMIT_AS sweep from ${kb} KiB: $hard hard errors, $pass runs"
exit 0
