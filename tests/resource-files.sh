#!/bin/sh
# Backing objects that cannot be made: memfd_create failing (in the
# feature probe, then for a test area), the temporary file not created,
# the file system full while the file is written (shim pwrite ENOSPC,
# and as root a real 16 KiB tmpfs given with --tmpdir).  Each is a hard
# error: exit 99, one line on stderr, nothing left in the directory.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

# A memfd failing in the probe is our failure, not "anon only".
VGS_FAULT=memfd-emfile VGS_FAULT_COUNT=1 LD_PRELOAD=$SHIM \
    run "$VGS" -r install
expect_rc 99 "memfd_create fails in the probe"
expect_one_line_err
expect_err "^vmaguard-stress: probing the kernel: memfd for the shared-memory probe: Too many open files$"

VGS_FAULT=memfd-emfile VGS_FAULT_CHILD=1 LD_PRELOAD=$SHIM \
    run "$VGS" -r install
expect_rc 0 "VGS_FAULT_CHILD keeps the parent whole"

# The first file the run makes is the check of --tmpdir, before any
# check runs (tests/cli-tmpdir.sh); past it (VGS_FAULT_SKIP=1), a file
# that cannot be made fails the check that needs it: an ERROR line, an
# error in the summary, and the run stops.
for f in tmpfile-eacces pwrite-enospc; do
	VGS_FAULT=$f LD_PRELOAD=$SHIM \
	    run "$VGS" --tmpdir="$TMPDIR" -r install,fork-written
	expect_rc 99 "$f, at the --tmpdir check"
	expect_one_line_err
	expect_err "^vmaguard-stress: --tmpdir: "
	[ -s "$out" ] && fail "$f: a check ran after the --tmpdir check failed"
	VGS_FAULT=$f VGS_FAULT_SKIP=1 LD_PRELOAD=$SHIM \
	    run "$VGS" --tmpdir="$TMPDIR" -r install,fork-written
	expect_rc 99 "$f"
	expect_one_line_err
	expect_summary
	expect_counts 2 0 0 1
	expect_out "^PASS install.shmem"
	expect_out "^ERROR install.file-shared: setup: "
	expect_clean_tmpdir
done
VGS_FAULT=tmpfile-eacces VGS_FAULT_SKIP=1 LD_PRELOAD=$SHIM run "$VGS" --tmpdir="$TMPDIR" -r install
expect_err "^vmaguard-stress: install.file-shared: setup: create a file in $TMPDIR: Permission denied$"
VGS_FAULT=pwrite-enospc VGS_FAULT_SKIP=1 LD_PRELOAD=$SHIM run "$VGS" --tmpdir="$TMPDIR" -r install
expect_err "^vmaguard-stress: install.file-shared: setup: write to a file in $TMPDIR: No space left on device$"

# A real file system that fills up during the run: root may mount a
# small tmpfs (room for the --tmpdir check's page, not for an area).
[ "$(id -u)" -eq 0 ] || { expect_clean_tmpdir; exit 0; }
small=$work/small
mkdir "$small"
mount -t tmpfs -o size=16k vgs-full "$small" 2>/dev/null || {
	expect_clean_tmpdir
	exit 0
}
run "$VGS" --tmpdir="$small" -r install -b file-shared
rc_full=$rc
left=$(ls -A "$small")
umount "$small"
rc=$rc_full
expect_rc 99 "file system full"
expect_one_line_err
expect_err "^vmaguard-stress: install.file-shared: setup: write to a file in $small: No space left on device$"
[ -z "$left" ] || fail "left on the full tmpfs: $left"
expect_clean_tmpdir
exit 0
