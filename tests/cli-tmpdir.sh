#!/bin/sh
# The directory for backing files is checked before any check runs: it
# must exist, be writable, and hold a file that is written and mapped.
# One that does not (--tmpdir, or $TMPDIR when the file backings need
# it) stops the run at once: exit 99, one line naming it, no report on
# stdout, no -o file, nothing left in it.  An empty name is a usage
# error (2, tests/cli-bad-input.sh); without file backings $TMPDIR is
# not needed.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions

# refused WHY ARG...: the tool refuses the directory before any check.
refused() {
	why=$1
	shift
	run "$VGS" -r install -o "$work/report.txt" "$@"
	expect_rc 99 "$*"
	expect_one_line_err
	expect_err "^vmaguard-stress: .*$why"
	[ -s "$out" ] && fail "'$*': wrote to stdout"
	[ -e "$work/report.txt" ] && fail "'$*': created the -o file"
	:
}

refused "--tmpdir: create a file in $TMPDIR/none: No such file or directory$" \
    --tmpdir="$TMPDIR/none"
: >"$work/plain"
refused "Not a directory$" --tmpdir="$work/plain"
rm -f "$work/plain"
# From $TMPDIR, when the file backings need it: the advice names --tmpdir.
keep=$TMPDIR
TMPDIR=$work/none
refused "No such file or directory (choose another directory with --tmpdir)$"
run "$VGS" -r install -b anon,shmem
TMPDIR=$keep
expect_rc 0 "no file backing: \$TMPDIR is not needed"

# Not writable: as nobody, a directory only root may write.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	mkdir "$work/ro"
	chmod 755 "$work/ro"
	chmod 755 "$work"
	rc=0
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$VGS" -r install --tmpdir="$work/ro" >"$out" 2>"$err" || rc=$?
	expect_rc 99 "a directory nobody may not write"
	expect_one_line_err
	expect_err "^vmaguard-stress: --tmpdir: create a file in $work/ro: Permission denied$"
	[ -s "$out" ] && fail "unwritable: a check ran"
	[ -z "$(ls -A "$work/ro")" ] || fail "left in $work/ro"
	chmod 700 "$work"
fi

# A full file system (root): nothing fits, nothing is left.
if [ "$(id -u)" -eq 0 ] && mkdir "$work/full" &&
    mount -t tmpfs -o size=16k vgs-full "$work/full" 2>/dev/null; then
	dd if=/dev/zero of="$work/full/fill" bs=4k 2>/dev/null
	run "$VGS" -r install --tmpdir="$work/full"
	left=$(ls -A "$work/full" | grep -v '^fill$')
	umount "$work/full"
	expect_rc 99 "a full tmpfs"
	expect_one_line_err
	expect_err "^vmaguard-stress: --tmpdir: write to a file in $work/full: No space left on device$"
	[ -s "$out" ] && fail "full tmpfs: a check ran"
	[ -z "$left" ] || fail "left on the full tmpfs: $left"
fi
expect_clean_tmpdir
exit 0
