#!/bin/sh
# Files on overlayfs never merge: the file backings must be skipped with
# that reason, the file system named by its statfs magic, not fail.
# Needs root to mount an overlay.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions
[ "$(id -u)" -eq 0 ] || skip "mounting an overlay needs root"
mkdir -p "$work/l" "$work/u" "$work/w" "$work/m"
mount -t overlay overlay -o "lowerdir=$work/l,upperdir=$work/u,workdir=$work/w" \
    "$work/m" 2>/dev/null || skip "cannot mount overlayfs here"
run "$VGS" --tmpdir="$work/m" -r install,content
umount "$work/m"
expect_rc 0 "overlayfs tmpdir"
expect_out "^SKIP install.file-shared: files in $work/m never merge: overlayfs maps another file or none (use --tmpdir on a local file system or tmpfs)$"
expect_out "^SKIP content.file-private: files in $work/m never merge"
expect_out "^PASS install.shmem"
grep -q "file-merge" "$out" && fail "file-merge failed on overlayfs"
[ -z "$(ls -A "$work/u")" ] || fail "left files on the overlay"
expect_clean_tmpdir
exit 0
