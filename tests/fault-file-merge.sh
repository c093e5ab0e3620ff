#!/bin/sh
# Adjacent mappings of a file that do not merge on a file system that
# merges them (ext4, tmpfs, ...) are a kernel failure, not a machine
# quirk: file-merge FAILs, exit 1, in the catalogue and in the stress
# phase alone; the file checks skip pointing at it.
. "${srcdir:-.}/tests/init.sh"
OPS=${OPS:-$top_builddir/tests/shim-ops.so}
[ -f "$OPS" ] || skip "no $OPS"
require_guard_regions
"$VGS" --features | grep -q '^file-merge: yes' ||
    skip "files in $TMPDIR do not merge here: $("$VGS" --features |
    sed -n 's/^file-merge: //p')"

VGS_FAULT=file-nomerge LD_PRELOAD=$OPS run "$VGS" -r install
expect_rc 1 "file mappings do not merge"
expect_summary
expect_out "^FAIL file-merge: adjacent mappings of a file in $TMPDIR ([a-z0-9x]*) do not merge, as they must$"
expect_out "^SKIP install.file-shared: adjacent file mappings on [a-z0-9x]* do not merge (see the file-merge check)$"
expect_out "^PASS install.shmem"

VGS_FAULT=file-nomerge LD_PRELOAD=$OPS run "$VGS" -r stress -t 5s
expect_rc 1 "file mappings do not merge, the stress phase alone"
expect_out "^FAIL file-merge: "

# Without file backings there is nothing to check.
VGS_FAULT=file-nomerge LD_PRELOAD=$OPS run "$VGS" -r install -b anon,shmem
expect_rc 0 "no file backing selected"
grep -q "file-merge" "$out" && fail "file-merge reported without files"
expect_clean_tmpdir
exit 0
