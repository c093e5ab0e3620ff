#!/bin/sh
# A kernel without guard regions (MADV_GUARD_INSTALL is EINVAL).  Posing
# as 6.12 it is consistent: exit 77, one line saying why, every check
# SKIP, and the summary agrees.  On this kernel's own version (6.13 or
# later) the same answer contradicts the version: a FAIL, exit 1.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"

VGS_FAULT=install-einval VGS_FAULT_UNAME=6.12.0 LD_PRELOAD=$SHIM run "$VGS"
expect_rc 77 "no guard regions"
[ "$(wc -l <"$err")" -eq 1 ] || fail "stderr is not one line"
expect_err "^vmaguard-stress: this kernel lacks guard regions: .*EINVAL"
expect_summary
expect_counts 0 0 '[1-9][0-9]*'
expect_out "^SKIP install.anon: kernel lacks guard regions"
expect_out "^generation: none"

# Demanding the series on such a kernel is a failure.
VGS_FAULT=install-einval VGS_FAULT_UNAME=6.12.0 LD_PRELOAD=$SHIM \
    run "$VGS" --require=gu -r install
expect_rc 1 "--require=gu without guard regions"
expect_out "^FAIL kernel-expect: expected series, the kernel is none"
VGS_FAULT=install-einval VGS_FAULT_UNAME=6.12.0 LD_PRELOAD=$SHIM \
    run "$VGS" --expect=none -r install
expect_rc 0 "--expect=none without guard regions"
expect_out "^PASS kernel-expect: none, as expected"

VGS_FAULT=install-einval VGS_FAULT_UNAME=6.12.0 LD_PRELOAD=$SHIM \
    run "$VGS" --features
expect_rc 0 "--features"
expect_out "^guard-regions: no (MADV_GUARD_INSTALL: Invalid argument)"
expect_out "^generation: none"

# The running kernel's own version is 6.13 or later: a contradiction.
release=$(uname -r)
case $release in
6.1[3-9]*|6.[2-9][0-9]*|[7-9].*)
	VGS_FAULT=install-einval LD_PRELOAD=$SHIM run "$VGS" -r install
	expect_rc 1 "guard regions missing past 6.13"
	expect_out "^FAIL kernel-consistency: contradictory: MADV_GUARD_INSTALL fails on [0-9.]*, which is at or past 6.13$"
	VGS_FAULT=install-einval LD_PRELOAD=$SHIM run "$VGS" -r stress -t 1s
	expect_rc 1 "guard regions missing past 6.13, stress alone"
	expect_out "^FAIL kernel-consistency: contradictory"
	;;
esac
expect_clean_tmpdir
exit 0
