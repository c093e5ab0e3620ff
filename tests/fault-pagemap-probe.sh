#!/bin/sh
# The observers of markers contradicting each other, each named:
#   pagemap-extra-guard  pagemap and PAGEMAP_SCAN both claim a marker on
#                        the page after the real one; the access probe
#                        reads it: "pagemap shows a guard marker but the
#                        access probe read it"
#   pagemap-lose-guard   pagemap bit 58 cleared, PAGEMAP_SCAN right
#   scan-miss            PAGEMAP_SCAN finds nothing, pagemap right
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

VGS_FAULT=pagemap-extra-guard LD_PRELOAD=$SHIM run "$VGS" -r install,content
expect_rc 1 "pagemap and the probe disagree"
expect_summary
expect_out "^FAIL install.anon: step 2 'after install p1': page 2: pagemap shows a guard marker but the access probe read it"
expect_out "^FAIL content.file-shared: step 2 'install p1-3': page 4: pagemap shows a guard marker but the access probe read it"
expect_out "^  observed: count=1 vmas=\[10:rw-p:gu\] guards=pGGppppppp access=rSrrrrrrrr"
grep -q '^PASS' "$out" && fail "a check passed under pagemap-extra-guard"

"$VGS" --features | grep -q '^pagemap-scan-guard: yes' ||
    { expect_clean_tmpdir; exit 0; }
VGS_FAULT=pagemap-lose-guard LD_PRELOAD=$SHIM run "$VGS" -r install -b anon
expect_rc 1 "pagemap loses the marker"
expect_out "^FAIL install.anon: step 2 'after install p1': page 1: pagemap bit 58 shows \. but PAGEMAP_SCAN PAGE_IS_GUARD shows a guard"
expect_out "^  scan: *\.G\.\.\.\.\.\.\.\.$"

VGS_FAULT=scan-miss LD_PRELOAD=$SHIM run "$VGS" -r install,fork-unfaulted
expect_rc 1 "PAGEMAP_SCAN misses the marker"
expect_out "^FAIL install.shmem: step 2 'after install p1': page 1: pagemap bit 58 shows G but PAGEMAP_SCAN PAGE_IS_GUARD shows none"
expect_out "^FAIL fork-unfaulted.anon: step 1 'parent, unfaulted + guard p1': page 1: pagemap bit 58 shows G but PAGEMAP_SCAN"
expect_counts 0 8 0
expect_clean_tmpdir
exit 0
