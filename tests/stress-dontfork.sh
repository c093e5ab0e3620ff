#!/bin/sh
# DONTFORK leaves a hole in a forked child's area.  Whatever the child
# allocates must not land in it (malloc's mmap would, and pass for a VMA
# of the area): a large area, DONTFORK over all of it, then forks.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions

{
	echo "stream backing=anon pages=16384 seed=1"
	echo "advise p0-16383 dontfork"
	i=0
	while [ $i -lt 40 ]; do echo fork; i=$((i + 1)); done
	echo "advise p0-16383 dofork"
	echo "protect p100-8000 r--"
	echo "advise p10-16000 dontfork"
	echo fork
} >"$work/hole.ops"
run "$VGS" --replay="$work/hole.ops"
expect_rc 0 "forks over a DONTFORK hole"
expect_out '^PASS stress\.anon: 45 ops, 41 forks, 16384 pages'
expect_clean_tmpdir
exit 0
