#!/bin/sh
# Every long option --help shows is documented in the man page, and the
# man page documents no option the tool lacks.
. "${srcdir:-.}/tests/init.sh"
man="$srcdir/man/vmaguard-stress.1"

"$VGS" --help >"$out" || fail "--help failed"
opts=$(grep -Eo -- '--[a-z][a-z0-9-]*' "$out" | sort -u)
[ -n "$opts" ] || fail "no options in --help"
for o in $opts; do
	name=${o#--}
	grep -Eq "^\.It .*Fl Fl $name( |\$)" "$man" ||
	    fail "$o is not documented in OPTIONS of the man page"
done
for name in $(sed -n 's/^\.It .*Fl Fl \([a-z][a-z0-9-]*\).*/\1/p' "$man" | sort -u); do
	echo "$opts" | grep -qx -- "--$name" ||
	    fail "the man page documents --$name, which --help lacks"
done
exit 0
