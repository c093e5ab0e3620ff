#!/bin/sh
# vmaguard-stress-vm: every bad command line is one "vmaguard-stress-vm: "
# line on stderr and exit status 2; --help and --version exit 0; a file
# that is no kernel image is the documented boot failure (200, or
# --boot-fail-status) at once, without QEMU.
. "${srcdir:-.}/tests/init.sh"
VM=${VM:-$top_builddir/vmaguard-stress-vm}
[ -x "$VM" ] || skip "no $VM"
command -v bash >/dev/null 2>&1 || skip "bash not installed"

# A file with the x86 bzImage magic and a static x86_64 ELF stand-in;
# nothing boots them here.
img=$work/bzImage
head -c 4096 /dev/zero >"$img"
printf 'HdrS' | dd of="$img" bs=1 seek=514 conv=notrunc 2>/dev/null
elf=$work/elf
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000' >"$elf"
printf '\002\000\076\000\001\000\000\000' >>"$elf"
head -c 40 /dev/zero >>"$elf"

bad() {
	run "$VM" "$@"
	expect_rc 2 "$*"
	expect_one_line_err
	grep -q '^vmaguard-stress-vm: ' "$err" ||
	    fail "$*: stderr is not a vmaguard-stress-vm: line"
}
bad
bad --frobnicate "$img"
bad -x "$img"
bad --arch=sparc "$img"
bad --arch "$img"
bad --arch=arm64 "$img"
bad --mem=lots "$img"
bad --mem=12 "$img"
bad --mem=1T "$img"
bad --timeout=0 "$img"
bad --timeout=5x "$img"
bad --timeout=s "$img"
bad --run-timeout=-1 "$img"
bad --accel=hvf "$img"
bad --boot-fail-status=256 "$img"
bad --boot-fail-status=x "$img"
bad --dry-run=yes "$img"
bad "$img" "$img"
bad "$work/no-such-kernel"
bad --console="$work/no/such/dir/log" "$img"
bad --initramfs="$work/no/such/dir/initramfs" "$img"
bad --tool="$work/no-such-tool" --init="$elf" "$img"
bad --tool="$img" --init="$elf" "$img"
bad --tool="$elf" --init="$srcdir/tests/init.sh" "$img"

run "$VM" --help
expect_rc 0 "--help"
expect_out '^Usage: vmaguard-stress-vm '
run "$VM" --version
expect_rc 0 "--version"
expect_out '^vmaguard-stress-vm [0-9]'

# Not a kernel: boot failure, at once.
printf 'not a kernel\n' >"$work/text"
run "$VM" "$work/text" -- --require=gu
expect_rc 200 "a text file as KERNEL"
expect_err '^vmaguard-stress-vm: .*not a kernel image'
run "$VM" --boot-fail-status=125 "$work/text"
expect_rc 125 "a text file as KERNEL, --boot-fail-status=125"
cp "$elf" "$work/vmlinux"
run "$VM" "$work/vmlinux"
expect_rc 200 "an ELF vmlinux as KERNEL"
expect_err 'ELF vmlinux, not a bootable image'
gzip -c "$work/text" >"$work/text.gz"
run "$VM" "$work/text.gz"
expect_rc 200 "gzip data that is no arm64 Image"
expect_clean_tmpdir
exit 0
