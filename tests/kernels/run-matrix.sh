#!/bin/bash
# run-matrix.sh - boot vmaguard-stress under each kernel of the matrix in QEMU
# and check that every kernel generation gives the verdicts it must give.
#
# Usage: run-matrix.sh [OPTION...] [VGS_BIN [VGS_INIT]]
#
#   VGS_BIN    the vmaguard-stress binary to test (default: $VGS_BIN).
#              Best built static; a dynamic binary is packed together with
#              the libraries ldd lists for it.
#   VGS_INIT   a static build of vm/vgs-init.c (default: $VGS_INIT; if
#              neither is given it is compiled here with ${CC:-cc} -static).
#
# Options:
#   --kernels=ID[,ID...]  only these rows of the matrix file
#   --offline             do not contact the mirror: cached kernels only
#   --no-stress           leave out the short stress run
#   --jobs=N              boots run in parallel (default: CPUs, at most 4)
#   --timeout=SECS        limit for one boot (default 300)
#   --logdir=DIR          console logs (default ./check-kernels.logs)
#
# Environment: VGS_BIN, VGS_INIT, CC, VGS_KERNEL_CACHE, VGS_KERNEL_OFFLINE
# (see fetch.sh), VGS_QEMU (default qemu-system-x86_64), VGS_QEMU_ACCEL
# (auto, kvm or tcg; auto uses KVM only when kvm_intel or kvm_amd is
# loaded), VGS_QEMU_CPU (default: host with KVM, QEMU's default with TCG),
# VGS_QEMU_MEM (default 512), VGS_STRESS_ARGS (default "-t 2s"),
# VGS_RUN_TIMEOUT (limit for one tool run inside the guest, default 150),
# VGS_JOBS, VGS_BOOT_TIMEOUT.
#
# Every kernel is booted once with an initramfs holding /init (vgs-init) and
# /bin/vmaguard-stress, and runs: the default suite, --require=gu,
# --features and the stress run.  Exit status: 0 all kernels gave their
# expected verdicts (kernels missing from the mirror are only reported),
# 1 a mismatch, a failed boot or a failed download, 77 no kernel could be
# booted at all, 99 setup error.

set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd -P)
srcdir=$(cd "$here/.." && pwd -P)	# tests/

kernels='' offline=0 stress=1
jobs=${VGS_JOBS:-}
boot_timeout=${VGS_BOOT_TIMEOUT:-300}
run_timeout=${VGS_RUN_TIMEOUT:-150}
logdir=$PWD/check-kernels.logs
qemu=${VGS_QEMU:-qemu-system-x86_64}
mem=${VGS_QEMU_MEM:-512}
stress_args=${VGS_STRESS_ARGS:--t 2s}
bin=${VGS_BIN:-}
init=${VGS_INIT:-}

die() { printf 'run-matrix: %s\n' "$*" >&2; exit 99; }
note() { printf 'run-matrix: %s\n' "$*" >&2; }

pos=()
for arg in "$@"; do
	case $arg in
	--kernels=*) kernels=${arg#--kernels=} ;;
	--offline) offline=1 ;;
	--no-stress) stress=0 ;;
	--jobs=*) jobs=${arg#--jobs=} ;;
	--timeout=*) boot_timeout=${arg#--timeout=} ;;
	--logdir=*) logdir=${arg#--logdir=} ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option $arg (try --help)" ;;
	*) pos+=("$arg") ;;
	esac
done
[ ${#pos[@]} -ge 1 ] && bin=${pos[0]}
[ ${#pos[@]} -ge 2 ] && init=${pos[1]}
[ ${#pos[@]} -le 2 ] || die "too many arguments"
[ -n "$bin" ] || die "no vmaguard-stress binary given (argument or VGS_BIN)"
[ -f "$bin" ] && [ -x "$bin" ] || die "$bin is not an executable file"
if [ -z "$jobs" ]; then
	jobs=$(nproc 2>/dev/null || echo 1)
	[ "$jobs" -le 4 ] || jobs=4
fi
for tool in "$qemu" cpio gzip timeout; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vgs-matrix.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
mkdir -p "$logdir" || die "cannot create $logdir"
logdir=$(cd "$logdir" && pwd -P)

# Is $1 a dynamically linked ELF?
is_dynamic() {
	if command -v readelf >/dev/null 2>&1; then
		readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
	else
		ldd "$1" >/dev/null 2>&1
	fi
}

# ------------------------------------------------------------- vgs-init ---
if [ -z "$init" ]; then
	init=$work/vgs-init
	${CC:-cc} -static -O2 -Wall -Wextra -o "$init" "$srcdir/../vm/vgs-init.c" ||
		die "cannot build a static vgs-init (is libc6-dev installed?)"
fi
[ -x "$init" ] || die "$init is not executable"
is_dynamic "$init" && die "$init must be linked statically"

# ------------------------------------------------------------ initramfs ---
root=$work/root
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc"
cp "$init" "$root/init" && cp "$bin" "$root/bin/vmaguard-stress" ||
	die "cannot copy binaries"
chmod 755 "$root/init" "$root/bin/vmaguard-stress"
if is_dynamic "$bin"; then
	note "$bin is dynamically linked: packing its libraries too"
	ldd "$bin" | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" ||
			exit 1
	done || die "cannot pack the libraries of $bin"
fi
(cd "$root" && find . | sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
	>"$work/initrd.gz" || die "cannot build the initramfs"

# ---------------------------------------------------------------- kernels ---
fetch_args=()
[ "$offline" = 1 ] && fetch_args+=(--offline)
[ -n "$kernels" ] && IFS=, read -r -a ids <<<"$kernels" && fetch_args+=("${ids[@]}")
"$here/fetch.sh" "${fetch_args[@]}" >"$work/manifest"
rc=$?
if [ $rc != 0 ]; then
	note "could not resolve the kernels (fetch.sh exit $rc): nothing tested"
	exit 77
fi

# ------------------------------------------------------------------ QEMU ---
accel=${VGS_QEMU_ACCEL:-auto}
if [ "$accel" = auto ]; then
	accel=tcg
	if { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; } &&
	   [ -w /dev/kvm ]; then
		accel=kvm
	fi
fi
qemu_cpu=()
if [ -n "${VGS_QEMU_CPU:-}" ]; then
	qemu_cpu=(-cpu "$VGS_QEMU_CPU")
elif [ "$accel" = kvm ]; then
	qemu_cpu=(-cpu host)
fi

# Runs, in this order, separated by ":::" (see vgs-init.c).
runs=("" "--require=gu" "--features" "--require=softdirty -r softdirty-sticky")
[ "$stress" = 1 ] && runs+=("$stress_args")
nruns=${#runs[@]}
# vgs-init's own options come first; run 0 (empty) is the default suite.
guest_args="+timeout=$run_timeout"
for i in "${!runs[@]}"; do
	[ "$i" = 0 ] || guest_args+=" :::"
	guest_args+="${runs[$i]:+ ${runs[$i]}}"
done
cmdline="console=ttyS0 panic=-1 quiet -- $guest_args"

now() { date +%s.%N; }

boot_one() {	# id vmlinuz
	local id=$1 k=$2 t0 t1 rc
	t0=$(now)
	timeout --kill-after=10 "$boot_timeout" "$qemu" \
		-nodefaults -no-user-config -display none -no-reboot \
		-accel "$accel" "${qemu_cpu[@]}" -m "$mem" \
		-serial "file:$logdir/$id.console" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$k" -initrd "$work/initrd.gz" -append "$cmdline" \
		</dev/null >"$logdir/$id.qemu" 2>&1
	rc=$?
	t1=$(now)
	echo "$rc $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" \
		>"$logdir/$id.rc"
}

note "accel=$accel${qemu_cpu[*]:+ ${qemu_cpu[*]}} jobs=$jobs logs=$logdir"
t_all=$(now)
running=0
while IFS=$'\t' read -r id status expect ver pkg suite path nt; do
	rm -f "$logdir/$id.console" "$logdir/$id.qemu" "$logdir/$id.rc"
	[ "$status" = OK ] || continue
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	note "booting $id ($ver)"
	boot_one "$id" "$path" &
	running=$((running + 1))
done <"$work/manifest"
wait
t_all=$(awk -v a="$t_all" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')

# --------------------------------------------------------------- verdicts ---
# The console log of one boot, with \r removed.
con() { tr -d '\r' <"$logdir/$1.console" 2>/dev/null; }
# status of run $2 in boot $1 (empty if the run did not finish)
run_status() { con "$1" | sed -n "s/^VGS-RESULT run=$2 status=\([0-9]*\).*/\1/p" | tail -n 1; }
run_out() { con "$1" | sed -n "s/^VGS-OUT run=$2: //p"; }
run_err() { con "$1" | sed -n "s/^VGS-ERR run=$2: //p"; }
# value of "key: value" in the --features output
feature() { run_out "$1" 2 | sed -n "s/^$2:[[:space:]]*\([^[:space:]]*\).*/\1/p" | tail -n 1; }

# Append to why[] unless the --features run of boot $id said "$1: $2".
want_feat() {
	local got
	got=$(feature "$id" "$1")
	[ "$got" = "$2" ] || why+=("--features: '$1: ${got:-<missing>}', expected '$1: $2'")
}

gen_label() {
	case $1 in
	noguard) echo no-guards ;;
	preseries) echo pre-series ;;
	series) echo series ;;
	*) echo "$1" ;;
	esac
}

fails=0 booted=0
report=$work/report
: >"$report"
printf '%-16s %-20s %-10s %-12s %-9s %6s  %s\n' \
	ROW VERSION EXPECT VERDICT P/F/S TIME RESULT >"$work/table"

while IFS=$'\t' read -r id status expect ver pkg suite path nt; do
	exp_label=$(gen_label "$expect")
	if [ "$status" != OK ]; then
		result=$status
		[ "$status" = MISSING ] || fails=$((fails + 1))
		printf '%-16s %-20s %-10s %-12s %-9s %6s  %s\n' "$id" "$ver" \
			"$exp_label" - - - "$result" >>"$work/table"
		echo "$id: $status: $nt" >>"$report"
		continue
	fi
	booted=$((booted + 1))
	qrc=- secs=-
	[ -r "$logdir/$id.rc" ] && read -r qrc secs <"$logdir/$id.rc"
	why=()
	s0=$(run_status "$id" 0)
	s1=$(run_status "$id" 1)
	s2=$(run_status "$id" 2)
	s4=$(run_status "$id" 3)
	s3=
	[ "$stress" = 1 ] && s3=$(run_status "$id" 4)

	summary=$(run_out "$id" 0 | tail -n 1 |
		sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1\/\2\/\3/p')
	pfs=${summary:--}

	# what the kernel showed
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		verdict=timeout
		why+=("boot did not finish within ${boot_timeout}s (killed)")
	elif ! con "$id" | grep -q '^VGS-KERNEL '; then
		verdict=no-boot
		why+=("init never ran (qemu exit $qrc, see $logdir/$id.console)")
	elif [ "$s0" = 77 ]; then
		verdict=no-guards
	elif [ "$s0" = 0 ]; then
		case $(feature "$id" gu)/$(feature "$id" series)/$s1 in
		yes/*|*/present/*) verdict=series ;;
		no/*|*/absent/*) verdict=pre-series ;;
		*/*/0) verdict=series ;;
		*/*/1) verdict=pre-series ;;
		*) verdict="ok?" ;;
		esac
	elif [ -n "$s0" ]; then
		verdict="exit-$s0"
	else
		verdict=crashed
	fi
	if [ "$verdict" != timeout ] && [ "$verdict" != no-boot ] &&
	   ! con "$id" | grep -q "^VGS-DONE runs=$nruns"; then
		why+=("init did not finish all $nruns runs (qemu exit $qrc)")
	elif [ "$verdict" != timeout ] && [ "$verdict" != no-boot ] &&
	     [ "$qrc" != $((2 * nruns + 1)) ]; then
		why+=("qemu exit $qrc, expected $((2 * nruns + 1)) from isa-debug-exit")
	fi

	if [ "$verdict" = timeout ] || [ "$verdict" = no-boot ]; then
		last=$(con "$id" | sed -n 's/^VGS-BEGIN //p' | tail -n 1)
		[ -z "$last" ] || why+=("last run started: $last")
		expect=skip	# the per-run checks below say nothing more
	fi

	# what the generation demands
	[ "$expect" = skip ] || [ "$s2" = 0 ] ||
		why+=("--features exited ${s2:-<none>}, expected 0")
	case $expect in
	noguard)
		[ "$s0" = 77 ] || why+=("default run exited ${s0:-<none>}, expected 77")
		if ! run_err "$id" 0 | grep -Ei 'guard[ -]?regions?' |
		     grep -Eiq 'miss|lack|absent|not (supported|available)|unsupported|no guard'; then
			why+=("default run: no stderr line saying guard regions are missing")
		fi
		case $s1 in 77|1) ;; *) why+=("--require=gu exited ${s1:-<none>}, expected 77 (or 1)") ;; esac
		want_feat guard-regions no
		;;
	preseries|series)
		[ "$s0" = 0 ] || why+=("default run exited ${s0:-<none>}, expected 0")
		[ -n "$summary" ] || why+=("default run: last stdout line is not 'N passed, N failed, N skipped'")
		case $summary in */0/*|'') ;; *) why+=("default run reports failures: $summary") ;; esac
		want_feat guard-regions yes
		want_feat soft-dirty yes
		if [ "$expect" = preseries ]; then
			[ "$s1" = 1 ] || why+=("--require=gu exited ${s1:-<none>}, expected 1")
			want_feat gu no
			want_feat series absent
			# Row 6: shared/file VMAs stay 2 without the series.
			run_out "$id" 0 | grep -q '^SKIP anonvma-merge\.shmem: pre-series kernel, series absent: .*VMA count: expected 1, saw 2' ||
				why+=("default run: anonvma-merge.shmem does not report 'series absent' with count 2")
			run_out "$id" 0 | grep -q '^SKIP softdirty-sticky\.anon: pre-series kernel: soft-dirty is not sticky' ||
				why+=("default run: softdirty-sticky.anon does not skip as not sticky")
			[ "$s4" = 1 ] || why+=("--require=softdirty exited ${s4:-<none>}, expected 1")
		else
			[ "$s1" = 0 ] || why+=("--require=gu exited ${s1:-<none>}, expected 0")
			want_feat gu yes
			want_feat series present
			# Skips for backings a scenario does not apply to, or
			# THP off, are fine; none may blame the series.
			if run_out "$id" 0 | grep -Eq '^SKIP .*(pre-series|series absent|not sticky)'; then
				why+=("default run: a check skipped for want of the series")
			fi
			run_out "$id" 0 | grep -q '^PASS softdirty-sticky\.anon' ||
				why+=("default run: softdirty-sticky.anon did not pass")
			[ "$s4" = 0 ] || why+=("--require=softdirty exited ${s4:-<none>}, expected 0")
		fi
		;;
	skip) ;;
	*) why+=("unknown expectation '$expect' in the matrix file") ;;
	esac
	stress_note=
	if [ "$stress" = 1 ] && [ "$expect" != skip ]; then
		case $s3 in
		2) stress_note="stress run not available (exit 2)" ;;
		0) ;;
		77) [ "$expect" = noguard ] || why+=("stress run exited 77") ;;
		*) why+=("stress run ($stress_args) exited ${s3:-<none>}, expected 0") ;;
		esac
	fi

	if [ ${#why[@]} -eq 0 ]; then
		result=OK
	else
		result=MISMATCH
		fails=$((fails + 1))
	fi
	printf '%-16s %-20s %-10s %-12s %-9s %5ss  %s\n' "$id" "$ver" \
		"$exp_label" "$verdict" "$pfs" "$secs" "$result" >>"$work/table"
	{
		rel=$(con "$id" | sed -n 's/^VGS-KERNEL //p' | head -n 1)
		echo "$id: $pkg ($suite) uname ${rel:-?}; runs: default=${s0:--} require-gu=${s1:--} features=${s2:--} require-softdirty=${s4:--}${s3:+ stress=$s3}"
		[ -z "$stress_note" ] || echo "  note: $stress_note"
		for w in "${why[@]}"; do echo "  MISMATCH: $w"; done
	} >>"$report"
done <"$work/manifest"

echo
cat "$work/table"
echo
cat "$report"
echo
echo "accel: $accel${qemu_cpu[*]:+ (${qemu_cpu[*]})}, ${booted} boot(s) in ${t_all}s with $jobs job(s); logs in $logdir"

if [ "$booted" -eq 0 ] && [ "$fails" -eq 0 ]; then
	echo "no kernel could be booted: nothing tested"
	exit 77
fi
[ "$fails" -eq 0 ] || exit 1
exit 0
