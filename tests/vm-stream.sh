#!/bin/sh
# vmaguard-stress-vm against a stand-in QEMU that plays a serial console:
# the tool's lines are unframed to stdout and stderr as they come (pieces
# of one line joined), the exit status is the last run's, and a kernel
# that does not boot, a boot that hangs, a guest that hangs or dies in a
# run and a SIGTERM each end as documented, with the stand-in killed and
# nothing left in TMPDIR.
. "${srcdir:-.}/tests/init.sh"
VM=${VM:-$top_builddir/vmaguard-stress-vm}
[ -x "$VM" ] || skip "no $VM"
command -v bash >/dev/null 2>&1 || skip "bash not installed"
command -v cpio >/dev/null 2>&1 || skip "cpio not installed"
command -v timeout >/dev/null 2>&1 || skip "timeout not installed"

img=$work/bzImage
head -c 4096 /dev/zero >"$img"
printf 'HdrS' | dd of="$img" bs=1 seek=514 conv=notrunc 2>/dev/null
elf=$work/elf
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000' >"$elf"
printf '\002\000\076\000\001\000\000\000' >>"$elf"
head -c 40 /dev/zero >>"$elf"

# The stand-in: FAKE_MODE says which story its console tells; a hang is
# one process (exec), as QEMU is.
fake=$work/qemu
cat >"$fake" <<'EOS'
#!/bin/sh
printf '%s\n' "$@" >"$FAKE_ARGS"
con() { printf '%s\r\n' "$@"; }
con "[    0.000000] Linux version 9.9.9 (fake)"
case $FAKE_MODE in
noboot)
	con "[    0.500000] Kernel panic - not syncing: no init found"
	exit 0 ;;
hangboot)
	con "[    0.500000] still booting"
	exec sleep 3600.125 ;;
esac
con "VGS-KERNEL 9.9.9" "VGS-BEGIN run=0 args=-r x"
case $FAKE_MODE in
ok)
	con "VGS-OUT run=0: first line" "VGS-ERR run=0: to stderr"
	con "[   12.000000] a kernel message between runs? no: in run 0"
	con "VGS-OUT+ run=0: one line in " "VGS-OUT+ run=0: three " \
	    "VGS-OUT run=0: pieces" "VGS-RESULT run=0 status=1 secs=0.10"
	con "VGS-BEGIN run=1 args=--features" "VGS-OUT run=1: second run"
	con "VGS-RESULT run=1 status=77 secs=0.01" "VGS-DONE runs=2"
	con "[   13.000000] reboot: Power down"
	exit 5 ;;
stream)
	con "VGS-OUT run=0: streamed"
	n=0
	while [ ! -e "$FAKE_GO" ] && [ $n -lt 200 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	con "VGS-RESULT run=0 status=0 secs=1" "VGS-DONE runs=1"
	exit 3 ;;
hangrun)
	con "VGS-OUT run=0: working"
	exec sleep 3600.125 ;;
panicrun)
	con "[    9.000000] Kernel panic - not syncing: Oops"
	exit 0 ;;
esac
EOS
chmod +x "$fake"
FAKE_ARGS=$work/args
FAKE_GO=$work/go
export FAKE_ARGS FAKE_GO

vm() {	# mode vm-args...
	FAKE_MODE=$1
	export FAKE_MODE
	shift
	run "$VM" --qemu="$fake" --tool="$elf" --init="$elf" "$@"
}

vm ok --console="$work/console" "$img" -- -r x ::: --features
expect_rc 77 "the last run's status"
printf 'first line\none line in three pieces\nsecond run\n' |
    cmp -s - "$out" || fail "stdout is not the tool's: $(cat "$out")"
expect_err '^to stderr$'
expect_err '^vmaguard-stress-vm: console: .*a kernel message'
grep -q 'reboot: Power down' "$err" && fail "the power-off line went to stderr"
grep -q '^VGS-RESULT run=0 status=1' "$work/console" ||
    fail "--console lacks the framed lines"
grep -q "$(printf '\r')" "$work/console" && fail "--console keeps CRs"
grep -qx -- '-accel' "$FAKE_ARGS" || fail "no -accel given to QEMU"
grep -qx 'tcg' "$FAKE_ARGS" || grep -qx kvm "$FAKE_ARGS" ||
    fail "neither tcg nor kvm"

# Streaming: the first line is out while the guest still runs.
FAKE_MODE=stream
export FAKE_MODE
"$VM" --qemu="$fake" --tool="$elf" --init="$elf" "$img" >"$out" 2>"$err" &
vpid=$!
n=0
until grep -q '^streamed$' "$out"; do
	sleep 0.1
	n=$((n + 1))
	[ $n -lt 150 ] || { touch "$FAKE_GO"; wait $vpid; \
	    fail "a line printed in the guest was not out within 15 s"; }
done
touch "$FAKE_GO"
rc=0
wait $vpid || rc=$?
expect_rc 0 "streamed run"
rm -f "$FAKE_GO"

vm noboot "$img"
expect_rc 200 "a kernel that does not boot"
expect_err 'the kernel did not boot'
expect_err 'no init found'
vm noboot --boot-fail-status=125 "$img"
expect_rc 125 "--boot-fail-status=125"

t0=$(date +%s)
vm hangboot --timeout=2 "$img"
expect_rc 201 "a boot that hangs"
expect_err 'boot timed out'
expect_err 'still booting'
[ $(($(date +%s) - t0)) -lt 20 ] || fail "the boot timeout took too long"
vm hangboot --timeout=2 --boot-fail-status=125 "$img"
expect_rc 125 "a boot that hangs, --boot-fail-status=125"

# (time enough for the stand-in to reach its run on a loaded machine)
vm hangrun --timeout=5 "$img"
expect_rc 202 "a run that hangs"
expect_err 'run 0 did not finish'
vm panicrun "$img"
expect_rc 202 "a guest that dies in a run"
expect_err 'stopped during run 0'
expect_no_process_with 3600.125

# SIGTERM while the guest runs: QEMU goes, the temp files go, and the
# status says the signal.
FAKE_MODE=hangrun
export FAKE_MODE
"$VM" --qemu="$fake" --tool="$elf" --init="$elf" "$img" >"$out" 2>"$err" &
vpid=$!
n=0
until grep -q '^working$' "$out"; do
	sleep 0.1
	n=$((n + 1))
	[ $n -lt 150 ] || { kill $vpid; fail "the hanging run never started"; }
done
kill -TERM $vpid
rc=0
wait $vpid || rc=$?
expect_rc 143 "SIGTERM"
sleep 0.5
expect_no_process_with 3600.125
expect_clean_tmpdir
exit 0
