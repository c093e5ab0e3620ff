#!/bin/sh
# doc/kselftest-parity.md maps every test of the kernel's guard-regions
# selftest to scenarios: each scenario named there must be in --list,
# and each selftest must have exactly one row.
. "${srcdir:-.}/tests/init.sh"
doc="$srcdir/doc/kselftest-parity.md"
[ -f "$doc" ] || fail "no $doc"

# The TEST_F(guard_regions, ...) names of tools/testing/selftests/mm/
# guard-regions.c (Linux 6.18).
selftests="basic multi_vma process_madvise munmap mprotect split_merge
dontneed mlock mremap_move mremap_expand mremap_shrink fork fork_cow
fork_wipeonfork lazyfree populate cold_pageout uffd madvise_sequential
map_private readonly_file fault_around truncation hole_punch
memfd_write_seal anon_zeropage pagemap pagemap_scan collapse smaps"

"$VGS" --list | awk '{ print $1 }' >"$work/list" || fail "--list failed"
[ -s "$work/list" ] || fail "--list printed nothing"

# Rows: | `selftest` | what | `scenario`, `scenario` |  (what may hold \|)
grep '^| `' "$doc" | awk -F'|' '{
	t = $2; gsub(/[` ]/, "", t)
	s = $(NF - 1); gsub(/[` ]/, "", s)
	print t " " s
}' >"$work/rows"
[ -s "$work/rows" ] || fail "no table rows in $doc"

for t in $selftests; do
	n=$(awk -v t="$t" '$1 == t' "$work/rows" | wc -l)
	[ "$n" -eq 1 ] || fail "selftest $t has $n rows in $doc (want 1)"
done
while read -r t scns; do
	echo " $selftests " | tr '\n' ' ' | grep -q " $t " ||
	    fail "row for unknown selftest '$t' in $doc"
	[ -n "$scns" ] || fail "selftest $t maps to no scenario"
	for s in $(echo "$scns" | tr ',' ' '); do
		grep -qx -- "$s" "$work/list" ||
		    fail "selftest $t: scenario '$s' is not in --list"
	done
done <"$work/rows"
exit 0
