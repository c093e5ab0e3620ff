#!/bin/sh
# The exit status follows from what the summary counts, in every format:
# 99 a hard error > 1 a check failed > the skip status (77, or
# --skip-status) when nothing passed or failed > 0.  A hard error has an
# "ERROR name: reason" line and is counted ("N errors"); TAP bails out
# where it stopped the run; JSON's exit_status and JUnit's exit-status
# property are the real status.  --require=F fails wherever F is
# missing, for every yes/no line of --features.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
json=$work/report.jsonl
junit=$work/report.xml

# status_in_files RC: JSON and JUnit carry RC.
status_in_files() {
	tail -n 1 "$json" | grep -q "\"exit_status\":$1," ||
	    fail "JSON exit_status is not $1: $(tail -n 1 "$json" | cut -c1-150)"
	grep -q "<property name=\"exit-status\" value=\"$1\"/>" "$junit" ||
	    fail "JUnit exit-status is not $1"
}

# A check that skips anywhere: race-fork when every fork comes late,
# after the installs (inconclusive).
# 1. Nothing passed or failed, only skipped: the skip status.
VGS_FAULT=fork-late LD_PRELOAD=$SHIM run "$VGS" -r race-fork -b anon \
    --json="$json" --junit="$junit"
expect_rc 77 "all skipped"
expect_counts 0 0 1
status_in_files 77
VGS_FAULT=fork-late LD_PRELOAD=$SHIM run "$VGS" -r race-fork -b anon \
    --skip-status=4
expect_rc 4 "all skipped, --skip-status=4"
VGS_FAULT=fork-late LD_PRELOAD=$SHIM run "$VGS" -r install,race-fork -b anon
expect_rc 0 "a pass among skips"
expect_counts 1 0 1

# 2. Failures among skips: 1.  The feature probe's four installs go
# through, the next two do nothing.
VGS_FAULT=install-noop,fork-late VGS_FAULT_SKIP=4 VGS_FAULT_COUNT=2 \
    LD_PRELOAD=$SHIM run "$VGS" -r install,race-fork -b anon,shmem \
    --json="$json" --junit="$junit"
expect_rc 1 "a failure"
expect_counts 0 2 2
status_in_files 1

# 3. A hard error after failures: 99, the error in every format, and
# the run stops there.  (Five go through: the probe's four installs
# and the file probe's temporary file.)
VGS_FAULT=install-noop,tmpfile-eacces VGS_FAULT_SKIP=5 LD_PRELOAD=$SHIM \
    run "$VGS" -r install,remove --json="$json" --junit="$junit"
expect_rc 99 "a hard error"
expect_summary
expect_counts 0 2 0 1
expect_out "^ERROR install.file-shared: setup: create a file in .*: Permission denied$"
grep -q '^PASS remove' "$out" && fail "the run went on after a hard error"
status_in_files 99
VGS_FAULT=install-noop,tmpfile-eacces VGS_FAULT_SKIP=5 LD_PRELOAD=$SHIM \
    run "$VGS" -r install,remove --tap
expect_rc 99 "a hard error, TAP"
expect_out "^not ok 3 install.file-shared$"
expect_out "^# 0 passed, 2 failed, 0 skipped, 1 errors$"
tail -n 1 "$out" | grep -q "^Bail out! install.file-shared: setup: create a file in " ||
    fail "TAP does not bail out last: $(tail -n 1 "$out")"
grep -q '^1\.\.' "$out" && fail "a bailed-out TAP stream has a plan"

# 4. --require: every yes/no line of --features is a name it takes; a
# missing one fails, a present one changes nothing.
"$VGS" --features | while IFS=': ' read -r name value; do
	case $value in
	yes*|no*|present|absent|always|madvise|never|unavailable) ;;
	*)	continue ;;
	esac
	run "$VGS" -r errors-args -b anon --require="$name"
	case $value in
	no*|absent|never|unavailable)
		expect_rc 1 "--require=$name, missing"
		expect_out "^FAIL require.$name: --require=$name: the kernel lacks it (--features: $name: $value)$" ;;
	*)	expect_rc 0 "--require=$name, present"
		grep -q "^FAIL require" "$out" && fail "--require=$name fails" ;;
	esac
	:
done || exit 1
VGS_FAULT=install-einval VGS_FAULT_UNAME=6.12.0 LD_PRELOAD=$SHIM \
    run "$VGS" -r install --require=guard-regions,pagemap-scan-guard
expect_rc 1 "--require=guard-regions without guard regions"
expect_out "^FAIL require.guard-regions: "
expect_counts 0 2 4
expect_clean_tmpdir
exit 0
