#!/bin/sh
# A guard page that raises SIGBUS instead of SIGSEGV (SEGV_MAPERR) is a
# failure, on reads and on writes, in the catalogue and in the stress
# phase; the probe tells the signals and the si_codes apart.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
skip_if_asan "ASan keeps its own SIGSEGV handler in front of the shim's"

VGS_FAULT=guard-sigbus LD_PRELOAD=$SHIM run "$VGS" -r install -b anon,shmem
expect_rc 1 "SIGBUS on guard pages"
expect_summary
expect_out "^FAIL install.anon: step 2 'after install p1': page 1: expected a read to raise SIGSEGV (SEGV_MAPERR), the read raised SIGBUS$"
expect_out "^  observed: .* access=rBrrrrrrrr write=?B????????$"
expect_out "^FAIL install.shmem: "

VGS_FAULT=guard-sigbus LD_PRELOAD=$SHIM run "$VGS" -r stress -b anon -t 5s
expect_rc 1 "SIGBUS on guard pages, the stress phase alone"
expect_out "^FAIL stress.anon: .*the read raised SIGBUS"

# Unfaulted: SIGSEGV for the protection is told apart from a marker's.
run "$VGS" -r errors-protnone -b anon -v
expect_rc 0 "PROT_NONE"
expect_out "PROT_NONE, guard p0 .* access=PPPP write=PPPP$"
expect_out "read-only .* access=Srrr write=PPPP$"
expect_clean_tmpdir
exit 0
