#!/bin/sh
# A kernel without guard regions (MADV_GUARD_INSTALL is EINVAL): exit 77,
# one line saying why, every check SKIP, and the summary agrees.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"

VGS_FAULT=install-einval LD_PRELOAD=$SHIM run "$VGS"
expect_rc 77 "no guard regions"
[ "$(wc -l <"$err")" -eq 1 ] || fail "stderr is not one line"
expect_err "^vmaguard-stress: this kernel lacks guard regions: .*EINVAL"
expect_summary
expect_counts 0 0 '[1-9][0-9]*'
expect_out "^SKIP install.anon: kernel lacks guard regions"

# Demanding the series on such a kernel is a failure.
VGS_FAULT=install-einval LD_PRELOAD=$SHIM run "$VGS" --require=gu -r install
expect_rc 1 "--require=gu without guard regions"
expect_out "^FAIL install.anon"

VGS_FAULT=install-einval LD_PRELOAD=$SHIM run "$VGS" --features
expect_rc 0 "--features"
expect_out "^guard-regions: no (MADV_GUARD_INSTALL: Invalid argument)"
expect_clean_tmpdir
exit 0
