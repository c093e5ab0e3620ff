#!/bin/sh
# The vmaguard-stress kselftest (make install-kselftest).  The kernel's
# kselftest runner (run_kselftest.sh, kselftest/runner.sh) runs it from
# this directory under the settings file's timeout, indents its output
# as "# " lines and judges it by the exit status: 0 pass, 4 skip (a
# kernel without guard regions), anything else fail.  Options from
# KSELFTEST_VMAGUARD_STRESS_SH_ARGS come as arguments ("-t 10s",
# "--require=gu").
cd "$(dirname "$0")" || exit 1
exec ./vmaguard-stress --tap --skip-status=4 "$@"
