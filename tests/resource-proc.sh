#!/bin/sh
# /proc unreadable (proc-eacces: open of /proc/self/smaps or pagemap
# fails EACCES): exit 99 with one line naming the file, whether it
# happens in the feature probe, while observing a step, or in a forked
# child; no child left running, nothing left behind.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=proc-eacces LD_PRELOAD=$SHIM run "$VGS" -r install
expect_rc 99 "/proc unreadable in the probe"
expect_one_line_err
expect_err "^vmaguard-stress: probing the kernel: open /proc/self/[a-z]*: Permission denied$"

# Past the probe, however many times it opens /proc: the first open
# that fails in a check must be reported as that check's.
for skipn in 1 2 3 4 5 6 7 8; do
	VGS_FAULT=proc-eacces VGS_FAULT_SKIP=$skipn LD_PRELOAD=$SHIM \
	    run "$VGS" -r install -b anon
	[ "$rc" -eq 99 ] || fail "skip $skipn: exit status $rc"
	expect_one_line_err
	grep -q '^vmaguard-stress: install.anon: ' "$err" && break
done
expect_err "^vmaguard-stress: install.anon: .*open /proc/self/[a-z]*: Permission denied$"
expect_summary

VGS_FAULT=proc-eacces VGS_FAULT_CHILD=1 LD_PRELOAD=$SHIM \
    run "$VGS" --tmpdir="$TMPDIR" -r install,fork-written -b file-shared
expect_rc 99 "/proc unreadable in a child"
expect_one_line_err
expect_err "^vmaguard-stress: fork-written.file-shared: in child 'written': open /proc/self/pagemap in the child: Permission denied$"
expect_out "^PASS install.file-shared"
expect_summary
expect_no_process_with "$TMPDIR"
expect_clean_tmpdir
exit 0
