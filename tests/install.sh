#!/bin/sh
# make install puts the binary, the man page and the bash completion
# under the prefix (here inside DESTDIR), vmaguard-stress-vm and its guest
# binaries too; the installed programs run; make uninstall removes every
# file it installed.
. "${srcdir:-.}/tests/init.sh"
command -v make >/dev/null 2>&1 || skip "make not installed"
[ -f "$top_builddir/Makefile" ] || skip "no Makefile in $top_builddir"

dest=$work/dest
# A make of our own, not a job of the make running this test.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s -C "$top_builddir" DESTDIR="$dest" "$@" >"$out" 2>"$err"
}
prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
bindir=$(sed -n 's/^bindir = //p' "$top_builddir/Makefile" |
    sed "s|\${exec_prefix}|$prefix|; s|\$(exec_prefix)|$prefix|")
[ -n "$prefix" ] || fail "no prefix in the Makefile"

mk install || fail "make install failed"
bin=$(find "$dest" -type f -name vmaguard-stress -perm -u+x | head -n 1)
[ -n "$bin" ] || fail "no binary installed"
[ "$bin" = "$dest$bindir/vmaguard-stress" ] ||
    fail "binary at $bin, not $dest$bindir"
man=$(find "$dest" -path '*/man1/vmaguard-stress.1' | head -n 1)
[ -n "$man" ] || fail "no man page under man1"
case $man in "$dest$prefix"/*) ;; *) fail "man page outside the prefix: $man" ;; esac
comp=$dest$prefix/share/bash-completion/completions/vmaguard-stress
[ -f "$comp" ] || fail "no bash completion at $comp"
cmp -s "$comp" "$srcdir/completion/vmaguard-stress" ||
    fail "the installed completion differs from the source"
"$bin" --version | head -n 1 | grep -q '^vmaguard-stress [0-9]' ||
    fail "the installed binary does not run"
if command -v bash >/dev/null 2>&1; then
	bash -n "$comp" || fail "the installed completion is not valid bash"
fi
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$man" >/dev/null 2>&1 ||
	    fail "the installed man page does not lint"
fi

# vmaguard-stress-vm beside it, with its man page and its guest binaries
# where the installed script looks for them.
vm=$dest$bindir/vmaguard-stress-vm
[ -x "$vm" ] || fail "no vmaguard-stress-vm in $dest$bindir"
[ -f "$(dirname "$man")/vmaguard-stress-vm.1" ] ||
    fail "no vmaguard-stress-vm.1 beside vmaguard-stress.1"
"$vm" --version | grep -q '^vmaguard-stress-vm [0-9]' ||
    fail "the installed vmaguard-stress-vm does not run"
libexec=$(sed -n "s/^pkglibexecdir='\(.*\)'\$/\1/p" "$vm")
case $libexec in
"$prefix"/*) ;;
*) fail "vmaguard-stress-vm looks for its guest binaries in '$libexec'" ;;
esac
if [ -x "$top_builddir/guest/vgs-init" ]; then
	[ -x "$dest$libexec/vmaguard-stress-static" ] &&
	    [ -x "$dest$libexec/vgs-init" ] ||
	    fail "no guest binaries in $dest$libexec"
	img=$work/bzImage
	head -c 4096 /dev/zero >"$img"
	printf 'HdrS' | dd of="$img" bs=1 seek=514 conv=notrunc 2>/dev/null
	VGS_VM_LIBEXECDIR=$dest$libexec "$vm" --dry-run "$img" >"$out" 2>"$err" ||
	    fail "the installed vmaguard-stress-vm --dry-run failed"
	expect_out "^tool: $dest$libexec/vmaguard-stress-static\$"
fi

mk uninstall || fail "make uninstall failed"
left=$(find "$dest" -type f -o -type l)
[ -z "$left" ] || fail "make uninstall left: $left"
expect_clean_tmpdir
exit 0
