#!/bin/sh
# softdirty-sticky: skipped where the kernel has no soft-dirty tracking,
# and failed where sd shows but clear_refs does not clear it (a wrong
# kernel answer served by the shim).  The non-sticky merge of a real
# pre-series kernel is checked by make check-kernels (6.16, 6.18.15).
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

sd=$("$VGS" --features | sed -n 's/^soft-dirty: //p')
run "$VGS" -r softdirty-sticky
if [ "$sd" = no ]; then
	expect_rc 0 "no soft-dirty tracking"
	expect_out "^SKIP softdirty-sticky.anon: kernel without CONFIG_MEM_SOFT_DIRTY"
	run "$VGS" -r softdirty-sticky --require=softdirty
	expect_rc 0 "--require=softdirty without soft-dirty tracking"
else
	expect_rc 0 "soft-dirty tracking"
fi

VGS_FAULT=smaps-sd-always LD_PRELOAD=$SHIM run "$VGS" --features
expect_out "^soft-dirty: yes"
VGS_FAULT=smaps-sd-always LD_PRELOAD=$SHIM run "$VGS" -r softdirty-sticky
expect_rc 1 "sd that never clears"
expect_summary
expect_out "^FAIL softdirty-sticky.anon: step 0: after clear_refs: expected no sd on the VMA holding p0, saw sd"
expect_out "^FAIL softdirty-sticky.file-private: "
expect_out "rerun: vmaguard-stress --run=softdirty-sticky --backing=anon"
expect_clean_tmpdir
exit 0
