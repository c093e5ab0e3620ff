#!/bin/sh
# vmaguard-stress-vm(1) lints clean (mandoc -W all, but for what depends on
# the machine's installed manuals and the ".Os Linux" it must have), and
# matches the script: every long option of --help is documented and none
# more, and EXIT STATUS lists the script's own statuses.
. "${srcdir:-.}/tests/init.sh"
VM=${VM:-$top_builddir/vmaguard-stress-vm}
man="$srcdir/man/vmaguard-stress-vm.1"
[ -x "$VM" ] || skip "no $VM"
command -v bash >/dev/null 2>&1 || skip "bash not installed"

grep -q '^\.Os Linux$' "$man" || fail "no .Os Linux"
if command -v mandoc >/dev/null 2>&1; then
	run mandoc -T lint -W warning "$man"
	expect_rc 0 "mandoc -T lint -W warning"
	mandoc -T lint -W all "$man" 2>&1 |
	    grep -v -e 'operating system explicitly specified: Os Linux' \
		-e 'referenced manual not found' -e 'mandoc\.db' >"$out"
	[ ! -s "$out" ] || fail "mandoc -W all: $(cat "$out")"
fi

"$VM" --help >"$out" || fail "--help failed"
opts=$(grep -Eo -- '--[a-z][a-z0-9-]*' "$out" | sort -u)
[ -n "$opts" ] || fail "no options in --help"
for o in $opts; do
	grep -Eq "^\.It .*Fl Fl ${o#--}( |\$)" "$man" ||
	    fail "$o is not documented in OPTIONS"
done
for name in $(sed -n 's/^\.It .*Fl Fl \([a-z][a-z0-9-]*\).*/\1/p' "$man" | sort -u); do
	echo "$opts" | grep -qx -- "--$name" ||
	    fail "the man page documents --$name, which --help lacks"
done
for st in $(sed -n 's/^EX_[A-Z_]*=\([0-9]*\).*/\1/p' "$VM"); do
	sed -n '/^\.Sh EXIT STATUS/,/^\.Sh/p' "$man" | grep -q "^\.It $st\$" ||
	    fail "exit status $st is not in EXIT STATUS"
done
expect_clean_tmpdir
exit 0
