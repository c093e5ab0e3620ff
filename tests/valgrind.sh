#!/bin/sh
# memcheck over the default suite, forked children followed and
# reported (--child-silent-after-fork=no), and over the unit programs,
# the fuzz corpus replays and the usage and hard-error exits: no error
# and no definite or indirect leak anywhere (--error-exitcode), exit
# statuses unchanged.  Slow (about 10-30 s), so it runs only with
# VGS_VALGRIND=1 (.ci/run sets it):
#
#   make check TESTS=tests/valgrind.sh VGS_VALGRIND=1
#
# What valgrind 3.19 cannot emulate is left out, not suppressed: it has
# no process_madvise (ENOSYS: the pmadvise-* scenarios), no userfaultfd
# ioctls (uffd), runs threads one at a time (race-fork never races) and
# refuses some mremap moves its own address-space manager did not make
# (the random stress phase).  pidfd_open is missing too: child.c then
# polls for the child's exit, which is what its fallback is for.
# MADV_GUARD_INSTALL/REMOVE pass through to the kernel unchanged.
# PAGEMAP_SCAN fills a buffer valgrind does not know about; pagemap.c
# clears it first.  tests/valgrind.supp covers the access probe, which
# reads unmapped holes on purpose.
. "${srcdir:-.}/tests/init.sh"
[ "${VGS_VALGRIND:-0}" = 1 ] ||
    skip "slow: set VGS_VALGRIND=1 to run memcheck over the suite"
command -v valgrind >/dev/null || skip "valgrind not installed"
skip_if_asan "valgrind cannot run it"
require_guard_regions

vg() {
	valgrind -q --vgdb=no --error-exitcode=42 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect \
	    --trace-children=yes --child-silent-after-fork=no \
	    --suppressions="$srcdir/tests/valgrind.supp" "$@"
}
# Valgrind's notes about syscalls it lacks are not errors.
clean_err() {
	grep -v -e 'WARNING: unhandled .* syscall' -e 'You may be able to' \
	    -e 'README_MISSING_SYSCALL' -e 'Nevertheless we consider' \
	    -e 'valgrind.org/support' "$err" >"$err.clean" || true
	mv "$err.clean" "$err"
}

t0=$(date +%s)
emu=pmadvise-pidfd,pmadvise-self,pmadvise-remote,uffd,race-fork,stress
run vg "$VGS" -q --tmpdir="$TMPDIR" -x "$emu"
clean_err
expect_rc 0 "the default suite under memcheck"
[ -s "$err" ] && fail "memcheck reported something"
expect_summary
suite=$(tail -n 1 "$out")

for p in tests/test-smaps tests/test-pagemap tests/test-judge tests/test-verdict \
    tests/test-model fuzz/replay-smaps fuzz/replay-options; do
	[ -x "$top_builddir/$p" ] || continue
	run vg "$top_builddir/$p"
	clean_err
	expect_rc 0 "$p under memcheck"
	[ -s "$err" ] && fail "$p: memcheck reported something"
done

# The exits that skip the normal end: usage error and hard error.
run vg "$VGS" --seed=bad
expect_rc 2 "usage error under memcheck"
expect_one_line_err
run vg "$VGS" --tmpdir="$TMPDIR/none" -r install -b file-shared
clean_err
expect_rc 99 "hard error under memcheck"
expect_one_line_err
expect_clean_tmpdir
echo "memcheck clean: suite ($suite) and unit programs in $(($(date +%s) - t0)) s"
exit 0
