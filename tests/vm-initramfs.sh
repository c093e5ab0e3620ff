#!/bin/sh
# vmaguard-stress-vm --dry-run: the architecture comes from the image
# (bzImage, arm64 Image, gzip-compressed Image), the initramfs holds /init,
# /bin/vmaguard-stress and the arguments (NUL-separated, any characters),
# the QEMU command fits the architecture; the build tree's guest binaries
# are found.  Nothing is booted.
. "${srcdir:-.}/tests/init.sh"
VM=${VM:-$top_builddir/vmaguard-stress-vm}
[ -x "$VM" ] || skip "no $VM"
command -v bash >/dev/null 2>&1 || skip "bash not installed"
command -v cpio >/dev/null 2>&1 || skip "cpio not installed"

# Stand-ins: kernel images with their magic, static ELF executables with
# their machine (0x3e x86_64, 0xb7 aarch64) and no program headers.
image() {	# file offset magic
	head -c 4096 /dev/zero >"$1"
	printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
elf() {		# file machine-byte-in-octal
	printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000' >"$1"
	printf "\\002\\000\\$2\\000\\001\\000\\000\\000" >>"$1"
	head -c 40 /dev/zero >>"$1"
}
image "$work/bzImage" 514 HdrS
image "$work/Image" 56 ARMd
# flags at 0x18: bits 1-2 the page size, 2 for 16K
printf '\004' | dd of="$work/Image" bs=1 seek=24 conv=notrunc 2>/dev/null
gzip -c "$work/Image" >"$work/Image.gz"
elf "$work/tool" 076
elf "$work/init" 076
elf "$work/tool-arm64" 267
elf "$work/init-arm64" 267

# The arguments as the tool must get them, NUL-separated.
expect_args() {	# cpio-file expected-tokens...
	f=$1
	shift
	(cd "$work/x" && cpio -i --quiet -d <"$f") ||
	    fail "cpio cannot read $f"
	printf '%s\0' "$@" | cmp -s - "$work/x/vgs.args" ||
	    fail "vgs.args holds $(tr '\0' '|' <"$work/x/vgs.args")"
}

mkdir "$work/x"
run "$VM" --dry-run --tool="$work/tool" --init="$work/init" \
    --initramfs="$work/x86.cpio" --run-timeout=2m "$work/bzImage" -- \
    --require=gu -r "install,thp split" ::: '' '$HOME "quoted"'
expect_rc 0 "dry run, x86_64"
expect_out '^arch: x86_64$'
expect_out '^page-size: 4096$'
expect_out '^qemu: qemu-system-x86_64 '
expect_out 'console=ttyS0'
expect_out 'isa-debug-exit'
[ -s "$work/x86.cpio" ] || fail "no initramfs kept"
list=$(cpio -t --quiet <"$work/x86.cpio" | sort | tr '\n' ' ')
for f in init bin/vmaguard-stress vgs.args dev proc sys tmp; do
	case " $list" in *" $f "*) ;; *) fail "initramfs lacks $f: $list" ;; esac
done
expect_args "$work/x86.cpio" +timeout=120 --require=gu -r \
    "install,thp split" ::: '' '$HOME "quoted"'
cmp -s "$work/x/bin/vmaguard-stress" "$work/tool" ||
    fail "/bin/vmaguard-stress is not the --tool"
cmp -s "$work/x/init" "$work/init" || fail "/init is not the --init"
rm -rf "$work/x" && mkdir "$work/x"

for k in Image Image.gz; do
	run "$VM" --dry-run --tool="$work/tool-arm64" --init="$work/init-arm64" \
	    --initramfs="$work/arm64.cpio" --mem=2G --append=nokaslr "$work/$k"
	expect_rc 0 "dry run, arm64 $k"
	expect_out '^arch: arm64$'
	expect_out '^page-size: 16384$'
	expect_out '^qemu: qemu-system-aarch64 '
	expect_out ' -M virt '
	expect_out ' -m 2048 '
	expect_out 'console=ttyAMA0.* nokaslr'
	expect_args "$work/arm64.cpio" +timeout=0
	rm -rf "$work/x" && mkdir "$work/x"
done
# An arm64 guest takes no x86_64 tool.
run "$VM" --dry-run --tool="$work/tool" --init="$work/init-arm64" "$work/Image"
expect_rc 2 "an x86_64 tool for an arm64 guest"
expect_err 'not built for arm64'

# The build tree's own guest binaries (built where a static libc is).
if [ -x "$top_builddir/guest/vmaguard-stress-static" ]; then
	run "$VM" --dry-run "$work/bzImage"
	expect_rc 0 "dry run with the build tree's guest binaries"
	expect_out '^tool: .*/guest/vmaguard-stress-static$'
	expect_out '^init: .*/guest/vgs-init$'
fi
if [ -x "$top_builddir/guest/vmaguard-stress-static-arm64" ]; then
	run "$VM" --dry-run "$work/Image"
	expect_rc 0 "dry run with the build tree's arm64 guest binaries"
	expect_out '^tool: .*/guest/vmaguard-stress-static-arm64$'
fi
# With none to be found (a copy of the script away from the build tree),
# the message says what to install.
cp "$VM" "$work/vm"
run env VGS_VM_LIBEXECDIR="$work/none" "$work/vm" --dry-run \
    --tool="$work/tool-arm64" "$work/Image"
case $rc in
0) ;;	# installed under the configured prefix
203) expect_one_line_err; expect_err 'gcc-aarch64-linux-gnu' ;;
*) fail "exit $rc without arm64 guest binaries" ;;
esac
expect_clean_tmpdir
exit 0
