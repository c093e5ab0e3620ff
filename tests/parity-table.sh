#!/bin/sh
# doc/kselftest-parity.md maps every test of the kernel's guard-regions
# selftest to scenarios: each scenario named there must be in --list,
# each selftest must have exactly one row, and a row's backings column
# must be the backings its scenarios apply to (--list=json).
. "${srcdir:-.}/tests/init.sh"
command -v jq >/dev/null 2>&1 || skip "jq not installed"
doc="$srcdir/doc/kselftest-parity.md"
[ -f "$doc" ] || fail "no $doc"

# The TEST_F(guard_regions, ...) names of tools/testing/selftests/mm/
# guard-regions.c (Linux 6.18).
selftests="basic multi_vma process_madvise munmap mprotect split_merge
dontneed mlock mremap_move mremap_expand mremap_shrink fork fork_cow
fork_wipeonfork lazyfree populate cold_pageout uffd madvise_sequential
map_private readonly_file fault_around truncation hole_punch
memfd_write_seal anon_zeropage pagemap pagemap_scan collapse smaps"

"$VGS" --list=names >"$work/list" || fail "--list failed"
"$VGS" --list=json >"$work/json" || fail "--list=json failed"
[ -s "$work/list" ] || fail "--list printed nothing"

# Rows: | `selftest` | what | `scenario`, ... | `backing`, ... |
# (what may hold \|); "all four" for every backing.
grep '^| `' "$doc" | awk -F'|' '{
	t = $2; gsub(/[` ]/, "", t)
	s = $(NF - 2); gsub(/[` ]/, "", s)
	b = $(NF - 1); gsub(/[` ]/, "", b)
	print t " " s " " b
}' >"$work/rows"
[ -s "$work/rows" ] || fail "no table rows in $doc"

for t in $selftests; do
	n=$(awk -v t="$t" '$1 == t' "$work/rows" | wc -l)
	[ "$n" -eq 1 ] || fail "selftest $t has $n rows in $doc (want 1)"
done
while read -r t scns bks; do
	echo " $selftests " | tr '\n' ' ' | grep -q " $t " ||
	    fail "row for unknown selftest '$t' in $doc"
	[ -n "$scns" ] || fail "selftest $t maps to no scenario"
	for s in $(echo "$scns" | tr ',' ' '); do
		grep -qx -- "$s" "$work/list" ||
		    fail "selftest $t: scenario '$s' is not in --list"
	done
	want=$(jq -rs --arg s "$scns" '($s | split(",")) as $w |
	    [.[] | select(.name as $n | $w | index($n)) | .backings[]] as $u |
	    ["anon", "shmem", "file-shared", "file-private"] |
	    map(select(. as $b | $u | index($b))) |
	    if length == 4 then "allfour" else join(",") end' "$work/json")
	[ "$bks" = "$want" ] ||
	    fail "selftest $t: backings column '$bks', its scenarios run on '$want'"
done <"$work/rows"
exit 0
