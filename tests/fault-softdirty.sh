#!/bin/sh
# softdirty-sticky: skipped where the kernel has no soft-dirty tracking
# (a run of nothing but skips exits with the skip status; with
# --require=softdirty it fails), and failed where sd shows but
# clear_refs does not clear it (a wrong kernel answer served by the
# shim).  The non-sticky merge of a real
# pre-series kernel is checked by make check-kernels (6.16, 6.18.15).
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

sd=$("$VGS" --features | sed -n 's/^soft-dirty: //p')
run "$VGS" -r softdirty-sticky
if [ "$sd" = no ]; then
	# Every check skipped: the skip status, as with --skip-status.
	expect_rc 77 "no soft-dirty tracking"
	expect_counts 0 0 4
	expect_out "^SKIP softdirty-sticky.anon: kernel without CONFIG_MEM_SOFT_DIRTY"
	run "$VGS" -r softdirty-sticky --skip-status=4
	expect_rc 4 "--skip-status=4, all skipped"
	# Demanded, the missing feature is a failure (both spellings).
	for r in softdirty soft-dirty; do
		run "$VGS" -r softdirty-sticky --require=$r
		expect_rc 1 "--require=$r without soft-dirty tracking"
		expect_counts 0 1 4
		expect_out "^FAIL require.soft-dirty: --require=soft-dirty: the kernel lacks it (--features: soft-dirty: no)$"
	done
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
