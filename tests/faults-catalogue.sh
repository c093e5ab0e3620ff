#!/bin/sh
# tests/FAULTS, the shims and the tests agree: every listed fault is
# implemented by the shim it names and exercised by the test it names,
# and every fault a test injects (VGS_FAULT=...) is listed.  Prints the
# size of the catalogue.
. "${srcdir:-.}/tests/init.sh"

cat=$srcdir/tests/FAULTS
[ -f "$cat" ] || fail "no $cat"
faults_table >"$work/lines"
n=0 nfail=0
while IFS='|' read -r name how st t; do
	[ -n "$name" ] && [ -n "$how" ] && [ -n "$st" ] && [ -n "$t" ] ||
	    fail "malformed line: $name | $how | $st | $t"
	[ -f "$srcdir/tests/$t" ] || fail "$name: no test tests/$t"
	case $how in
	shim-fault)
		cat "$srcdir"/tests/shim-fault.c "$srcdir"/tests/shim-smaps.c \
		    "$srcdir"/tests/shim-hang.c \
		    "$srcdir"/tests/shim-pagemap.c | grep -q "\"$name\"" ||
		    fail "$name: not implemented in the shim-fault sources"
		grep -Eq "VGS_FAULT=([a-z0-9-]*,)*$name([, ]|$)" \
		    "$srcdir/tests/$t" || fail "$name: tests/$t does not inject it" ;;
	shim-ops)
		[ -f "$srcdir/tests/shim-ops.c" ] && grep -q "\"$name\"" \
		    "$srcdir/tests/shim-ops.c" ||
		    fail "$name: not implemented in tests/shim-ops.c"
		grep -Eq "VGS_FAULT=([a-z0-9-]*,)*$name([, ]|$)" \
		    "$srcdir/tests/$t" || fail "$name: tests/$t does not inject it" ;;
	rlimit|tmpfs|signal|device) ;;
	*)	fail "$name: unknown injection '$how'" ;;
	esac
	n=$((n + 1))
	case $st in 1) nfail=$((nfail + 1)) ;; esac
	echo "$name" >>"$work/names"
done <"$work/lines"
dup=$(sort "$work/names" | uniq -d)
[ -z "$dup" ] || fail "listed twice: $dup"

# Every injected fault is listed.
for f in "$srcdir"/tests/*.sh; do
	for v in $(sed -n 's/.*VGS_FAULT=\([a-z0-9,-]*\).*/\1/p' "$f" |
	    tr ',' ' '); do
		grep -qx "$v" "$work/names" ||
		    fail "fault '$v' used by $(basename "$f") is not in tests/FAULTS"
	done
done
[ "$nfail" -ge 9 ] || fail "only $nfail faults that must end in a FAIL"
echo "tests/FAULTS: $n faults, $nfail ending in FAIL (exit 1)"
exit 0
