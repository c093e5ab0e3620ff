#!/bin/bash
# run-matrix.sh - boot vmaguard-stress under each kernel of the matrix, with
# vmaguard-stress-vm, and check that every kernel generation gives the
# verdicts it must give.
#
# Usage: run-matrix.sh [OPTION...] [VMAGUARD_STRESS_VM]
#
#   VMAGUARD_STRESS_VM  the vmaguard-stress-vm script that boots each row
#                       (default: $VGS_VM, else vmaguard-stress-vm in PATH);
#                       it finds its static guest binaries itself (in
#                       guest/ beside it in a build tree)
#
# Options:
#   --kernels=ID[,ID...]  only these rows of the matrix file
#   --arch=ARCH           only the rows of x86_64 or arm64; "all" (the
#                         default) takes every row, and reports those of
#                         an architecture that cannot be booted here (no
#                         QEMU for it, no guest binaries) as SKIPPED
#   --offline             do not contact the mirror: cached kernels only
#   --no-stress           leave out the short stress run
#   --jobs=N              boots run in parallel (default: CPUs, at most 4)
#   --timeout=SECS        limit for one boot (default 300)
#   --logdir=DIR          logs (default ./check-kernels.logs)
#   --pin                 write each booted row's pinned expectation,
#                         tests/kernels/expect/ROW.txt, from its default
#                         run (see tests/expect-compare.sh), instead of
#                         comparing the run with it
#
# Environment: VGS_VM, VGS_KERNEL_CACHE, VGS_KERNEL_OFFLINE,
# VGS_DEBIAN_MIRROR (see fetch.sh), VGS_QEMU_MEM (default 1024),
# VGS_STRESS_ARGS (default "-t 2s"), VGS_RUN_TIMEOUT (limit for one tool
# run inside the guest, default 150), VGS_JOBS, VGS_BOOT_TIMEOUT, and
# vmaguard-stress-vm's own (VGS_QEMU_ACCEL; VGS_QEMU and VGS_QEMU_CPU name
# one architecture's QEMU: use them with --arch=x86_64 or --arch=arm64).
#
# Every kernel is booted once and runs: the default suite, --require=gu,
# --features, --require=softdirty -r softdirty-sticky and the stress run.
# A kernel lost in a run (a panic) or whose boot timed out is booted once
# more; the report notes the first attempt, and a second loss fails.
# Exit status: 0 all kernels gave their expected verdicts (kernels missing
# from the mirror, and rows SKIPPED for want of QEMU or guest binaries,
# are only reported), 1 a mismatch, a failed boot or a failed download,
# 77 no kernel could be booted at all, 99 setup error.

set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd -P)

kernels='' offline=0 stress=1 want_arch=all pin=0
jobs=${VGS_JOBS:-}
boot_timeout=${VGS_BOOT_TIMEOUT:-300}
run_timeout=${VGS_RUN_TIMEOUT:-150}
logdir=$PWD/check-kernels.logs
mem=${VGS_QEMU_MEM:-1024}
stress_args=${VGS_STRESS_ARGS:--t 2s}
vm=${VGS_VM:-}

die() { printf 'run-matrix: %s\n' "$*" >&2; exit 99; }
note() { printf 'run-matrix: %s\n' "$*" >&2; }

pos=()
for arg in "$@"; do
	case $arg in
	--kernels=*) kernels=${arg#--kernels=} ;;
	--arch=*) want_arch=${arg#--arch=} ;;
	--offline) offline=1 ;;
	--no-stress) stress=0 ;;
	--jobs=*) jobs=${arg#--jobs=} ;;
	--timeout=*) boot_timeout=${arg#--timeout=} ;;
	--logdir=*) logdir=${arg#--logdir=} ;;
	--pin) pin=1 ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option $arg (try --help)" ;;
	*) pos+=("$arg") ;;
	esac
done
[ ${#pos[@]} -le 1 ] || die "too many arguments"
[ ${#pos[@]} -eq 0 ] || vm=${pos[0]}
[ -n "$vm" ] || vm=$(command -v vmaguard-stress-vm) ||
	die "no vmaguard-stress-vm given (argument or VGS_VM)"
[ -f "$vm" ] && [ -x "$vm" ] || die "$vm is not an executable file"
case $want_arch in
all|x86_64|arm64) ;;
x86-64|amd64) want_arch=x86_64 ;;
aarch64) want_arch=arm64 ;;
*) die "unknown --arch=$want_arch (x86_64, arm64 or all)" ;;
esac
if [ -z "$jobs" ]; then
	jobs=$(nproc 2>/dev/null || echo 1)
	[ "$jobs" -le 4 ] || jobs=4
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vgs-matrix.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
mkdir -p "$logdir" || die "cannot create $logdir"
logdir=$(cd "$logdir" && pwd -P)

# Our architecture name for a Debian kernel flavour.
flavour_arch() {
	case $1 in
	*amd64*) echo x86_64 ;;
	*arm64*) echo arm64 ;;
	*) echo unknown ;;
	esac
}

# ------------------------------------------------------------------ rows ---
# The selected rows, with their architecture, expected page size and
# soft-dirty from the matrix file.
declare -A row_arch row_page row_sd
ids=()
while read -r id expect flavour page sd rest; do
	case $id in ''|'#'*) continue ;; esac
	if [ -n "$kernels" ]; then
		case ",$kernels," in *",$id,"*) ;; *) continue ;; esac
	fi
	a=$(flavour_arch "$flavour")
	[ "$want_arch" = all ] || [ "$want_arch" = "$a" ] || continue
	ids+=("$id")
	row_arch[$id]=$a row_page[$id]=$page row_sd[$id]=$sd
done <"$here/matrix"
[ ${#ids[@]} -gt 0 ] || die "no matrix rows selected"

# Can rows of architecture $1 be booted here?  Sets why_not[$1].  A dry
# run of vmaguard-stress-vm on a stand-in image finds the guest binaries
# and builds an initramfs.
declare -A can_boot why_not
check_arch() {
	local a=$1 q fake=$work/fake-$1 out
	case $a in
	x86_64) q=${VGS_QEMU:-qemu-system-x86_64} ;;
	arm64) q=${VGS_QEMU:-qemu-system-aarch64} ;;
	*) can_boot[$a]=0 why_not[$a]="unknown architecture"; return ;;
	esac
	head -c 4096 /dev/zero >"$fake"
	case $a in
	x86_64) printf 'HdrS' | dd of="$fake" bs=1 seek=514 conv=notrunc 2>/dev/null ;;
	arm64) printf 'ARMd' | dd of="$fake" bs=1 seek=56 conv=notrunc 2>/dev/null ;;
	esac
	if ! command -v "$q" >/dev/null 2>&1; then
		can_boot[$a]=0 why_not[$a]="$q not found"
	elif ! out=$("$vm" --dry-run --arch="$a" "$fake" 2>&1 >/dev/null); then
		can_boot[$a]=0 why_not[$a]=${out#vmaguard-stress-vm: }
	else
		can_boot[$a]=1 why_not[$a]=
	fi
}
fetch_ids=()
for id in "${ids[@]}"; do
	a=${row_arch[$id]}
	[ -n "${can_boot[$a]:-}" ] || check_arch "$a"
	if [ "${can_boot[$a]}" = 1 ]; then
		fetch_ids+=("$id")
	elif [ "$want_arch" != all ]; then
		die "cannot boot $a kernels here: ${why_not[$a]}"
	fi
done

# ---------------------------------------------------------------- kernels ---
: >"$work/manifest"
if [ ${#fetch_ids[@]} -gt 0 ]; then
	fetch_args=()
	[ "$offline" = 1 ] && fetch_args+=(--offline)
	"$here/fetch.sh" "${fetch_args[@]}" "${fetch_ids[@]}" >"$work/manifest"
	rc=$?
	if [ $rc != 0 ]; then
		note "could not resolve the kernels (fetch.sh exit $rc): nothing tested"
		exit 77
	fi
fi
# Rows that cannot be booted here join the manifest as SKIPPED.
for id in "${ids[@]}"; do
	a=${row_arch[$id]}
	[ "${can_boot[$a]}" = 1 ] && continue
	printf '%s\tSKIPPED\t%s\t-\t-\t-\t-\t%s\t%s\n' "$id" \
		"$(awk -v id="$id" '$1 == id { print $2 }' "$here/matrix")" \
		"cannot boot $a kernels here: ${why_not[$a]}" "$a" \
		>>"$work/manifest"
done

# ------------------------------------------------------------------ boots ---
# Runs, in this order, separated by ":::" (see vgs-init.c).
runs=("" "--require=gu" "--features" "--require=softdirty -r softdirty-sticky")
[ "$stress" = 1 ] && runs+=("$stress_args")
nruns=${#runs[@]}
tool_args=()
for i in "${!runs[@]}"; do
	[ "$i" = 0 ] || tool_args+=(":::")
	read -r -a words <<<"${runs[$i]}"
	tool_args+=("${words[@]}")
done

now() { date +%s.%N; }

boot_one() {	# id arch image
	local id=$1 t0 t1 rc
	t0=$(now)
	"$vm" --arch="$2" --mem="$mem" --timeout="$boot_timeout" \
		--run-timeout="$run_timeout" --console="$logdir/$id.console" \
		"$3" -- "${tool_args[@]}" \
		</dev/null >"$logdir/$id.out" 2>"$logdir/$id.err"
	rc=$?
	t1=$(now)
	echo "$rc $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" \
		>"$logdir/$id.rc"
}

note "jobs=$jobs logs=$logdir vm=$vm"
t_all=$(now)
running=0
while IFS=$'\t' read -r id status expect ver pkg suite path nt _; do
	rm -f "$logdir/$id".*
	[ "$status" = OK ] || continue
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	note "booting $id ($ver, ${row_arch[$id]})"
	boot_one "$id" "${row_arch[$id]}" "$path" &
	running=$((running + 1))
done <"$work/manifest"
wait

# A guest lost in a run (a panic) or a boot that timed out is booted
# once more, alone: under TCG on a loaded machine a stock kernel has
# been seen to double-fault once in many boots (6.19.14, in slab).  The
# first attempt stays in $id.try1.* and the report says what it was;
# a second loss is the row's verdict.
retried=()
while IFS=$'\t' read -r id status _ _ _ _ path _; do
	[ "$status" = OK ] && [ -r "$logdir/$id.rc" ] || continue
	read -r vrc _ <"$logdir/$id.rc"
	case $vrc in 201|202) ;; *) continue ;; esac
	for f in console out err rc; do
		mv -f "$logdir/$id.$f" "$logdir/$id.try1.$f" 2>/dev/null
	done
	note "booting $id again: the first boot ended with status $vrc"
	boot_one "$id" "${row_arch[$id]}" "$path"
	retried+=("$id")
done <"$work/manifest"
t_all=$(awk -v a="$t_all" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')

# --------------------------------------------------------------- verdicts ---
# The console log of one boot.
con() { cat "$logdir/$1.console" 2>/dev/null; }
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
fmt='%-17s %-18s %-6s %5s %-10s %-11s %-11s %5s %6s  %s\n'
# shellcheck disable=SC2059
printf "$fmt" ROW VERSION ARCH PAGE EXPECT VERDICT P/F/S/E BOOT TIME RESULT \
	>"$work/table"

while IFS=$'\t' read -r id status expect ver pkg suite path nt _; do
	exp_label=$(gen_label "$expect")
	a=${row_arch[$id]}
	if [ "$status" != OK ]; then
		result=$status
		case $status in MISSING|SKIPPED) ;; *) fails=$((fails + 1)) ;; esac
		# shellcheck disable=SC2059
		printf "$fmt" "$id" "$ver" "$a" - "$exp_label" - - - - "$result" \
			>>"$work/table"
		echo "$id: $status: $nt" >>"$report"
		continue
	fi
	booted=$((booted + 1))
	vrc=- secs=-
	[ -r "$logdir/$id.rc" ] && read -r vrc secs <"$logdir/$id.rc"
	why=()
	s0=$(run_status "$id" 0)
	s1=$(run_status "$id" 1)
	s2=$(run_status "$id" 2)
	s4=$(run_status "$id" 3)
	s3=
	[ "$stress" = 1 ] && s3=$(run_status "$id" 4)
	# Each run's output, unframed, for a look (or, one day, a comparison
	# with pinned per-row expectations: $id.run0.out is the default run).
	for ((i = 0; i < nruns; i++)); do
		run_out "$id" "$i" >"$logdir/$id.run$i.out"
		run_err "$id" "$i" >"$logdir/$id.run$i.err"
	done

	summary=$(run_out "$id" 0 | tail -n 1 |
		sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped, \([0-9]*\) errors$/\1\/\2\/\3\/\4/p')
	pfs=${summary:--}
	page=$(run_out "$id" 0 | head -n 1 | sed -n 's/.*, page size \([0-9]*\),.*/\1/p')
	# seconds from starting QEMU to /init, as vmaguard-stress-vm saw it
	boot=$(con "$id" | sed -n 's/^VGS-VM booted=\([0-9.]*s\)$/\1/p')

	# what the kernel showed (vmaguard-stress-vm's own statuses first)
	case $vrc in
	200|201|202)
		case $vrc in
		200) verdict=no-boot ;;
		201) verdict=timeout ;;
		202) verdict=lost ;;
		esac
		# its verdict is the last line of its stderr
		why+=("$(tail -n 1 "$logdir/$id.err" |
			sed 's/^vmaguard-stress-vm: //')") ;;
	*)
		if [ "$s0" = 77 ]; then
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
		con "$id" | grep -q "^VGS-DONE runs=$nruns" ||
			why+=("init did not finish all $nruns runs (vmaguard-stress-vm exit $vrc)")
		;;
	esac
	case $verdict in
	no-boot|timeout|lost)
		last=$(con "$id" | sed -n 's/^VGS-BEGIN //p' | tail -n 1)
		[ -z "$last" ] || why+=("last run started: $last")
		expect=skip	# the per-run checks below say nothing more
		;;
	esac

	# what the generation demands
	if [ "$expect" != skip ]; then
		[ "$s2" = 0 ] || why+=("--features exited ${s2:-<none>}, expected 0")
		[ "$page" = "${row_page[$id]}" ] ||
			why+=("page size ${page:-<none>} in the header line, expected ${row_page[$id]}")
	fi
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
		[ -n "$summary" ] || why+=("default run: last stdout line is not 'N passed, N failed, N skipped, N errors'")
		case $summary in */0/*/0|'') ;; *) why+=("default run reports failures or errors: $summary") ;; esac
		want_feat guard-regions yes
		want_feat soft-dirty "${row_sd[$id]}"
		if [ "${row_sd[$id]}" = no ]; then
			# no soft-dirty tracking at all: the scenario skips
			# for that reason, and --require=softdirty fails
			run_out "$id" 0 | grep -q '^SKIP softdirty-sticky\.anon: kernel without CONFIG_MEM_SOFT_DIRTY' ||
				why+=("default run: softdirty-sticky.anon does not skip for want of soft-dirty")
			[ "$s4" = 1 ] || why+=("--require=softdirty exited ${s4:-<none>}, expected 1 (no soft-dirty: require.soft-dirty fails)")
		fi
		if [ "$expect" = preseries ]; then
			[ "$s1" = 1 ] || why+=("--require=gu exited ${s1:-<none>}, expected 1")
			want_feat gu no
			want_feat series absent
			# Row 6: shared/file VMAs stay 2 without the series.
			run_out "$id" 0 | grep -q '^SKIP anonvma-merge\.shmem: pre-series kernel, series absent: .*VMA count: expected 1, saw 2' ||
				why+=("default run: anonvma-merge.shmem does not report 'series absent' with count 2")
			if [ "${row_sd[$id]}" = yes ]; then
				run_out "$id" 0 | grep -q '^SKIP softdirty-sticky\.anon: pre-series kernel: soft-dirty is not sticky' ||
					why+=("default run: softdirty-sticky.anon does not skip as not sticky")
				[ "$s4" = 1 ] || why+=("--require=softdirty exited ${s4:-<none>}, expected 1")
			fi
		else
			[ "$s1" = 0 ] || why+=("--require=gu exited ${s1:-<none>}, expected 0")
			want_feat gu yes
			want_feat series present
			# Skips for backings a scenario does not apply to, or
			# THP off, are fine; none may blame the series.
			if run_out "$id" 0 | grep -Eq '^SKIP .*(pre-series|series absent|not sticky)'; then
				why+=("default run: a check skipped for want of the series")
			fi
			if [ "${row_sd[$id]}" = yes ]; then
				run_out "$id" 0 | grep -q '^PASS softdirty-sticky\.anon' ||
					why+=("default run: softdirty-sticky.anon did not pass")
				[ "$s4" = 0 ] || why+=("--require=softdirty exited ${s4:-<none>}, expected 0")
			fi
		fi
		# THP follows the PMD of the page size (2 MiB with 4K pages,
		# 32 MiB with 16K): where the kernel has THP the scenarios
		# must not skip for want of a larger area.
		if run_out "$id" 0 | grep -q '^SKIP thp-.*an area of two PMDs'; then
			why+=("default run: a THP scenario skipped for its area size")
		fi
		;;
	skip) ;;
	*) why+=("unknown expectation '$expect' in the matrix file") ;;
	esac
	# Every check of the default run, with its verdict and skip class,
	# as pinned for the row: a drift from PASS to SKIP is a mismatch
	# although the run still exits 0.
	pinned=$here/expect/$id.txt
	if [ "$expect" = skip ]; then
		:
	elif [ "$pin" = 1 ]; then
		mkdir -p "$here/expect"
		sh "$here/../expect-compare.sh" --write "$logdir/$id.run0.out" \
			>"$pinned"
		note "pinned $pinned"
	elif [ ! -f "$pinned" ]; then
		why+=("no pinned expectation tests/kernels/expect/$id.txt (write it with CHECK_KERNELS_FLAGS=--pin)")
	elif ! sh "$here/../expect-compare.sh" "$pinned" \
	    "$logdir/$id.run0.out" >"$work/drift"; then
		why+=("default run drifted from tests/kernels/expect/$id.txt: $(tr '\n' ';' <"$work/drift")")
	fi
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
	# shellcheck disable=SC2059
	printf "$fmt" "$id" "$ver" "$a" "${page:--}" "$exp_label" "$verdict" \
		"$pfs" "${boot:--}" "${secs}s" "$result" >>"$work/table"
	{
		rel=$(con "$id" | sed -n 's/^VGS-KERNEL //p' | head -n 1)
		echo "$id: $pkg ($suite) uname ${rel:-?}; runs: default=${s0:--} require-gu=${s1:--} features=${s2:--} require-softdirty=${s4:--}${s3:+ stress=$s3}"
		[ -z "$stress_note" ] || echo "  note: $stress_note"
		if [ -r "$logdir/$id.try1.err" ]; then
			echo "  note: booted twice; the first boot: $(tail -n 1 \
			    "$logdir/$id.try1.err" | sed 's/^vmaguard-stress-vm: //')"
			p=$(grep -m 1 -E 'Kernel panic|Oops|BUG:' \
			    "$logdir/$id.try1.console" 2>/dev/null | sed 's/^\[[ 0-9.]*\] //')
			[ -z "$p" ] || echo "  note: first boot: $p"
		fi
		for w in "${why[@]}"; do echo "  MISMATCH: $w"; done
	} >>"$report"
done <"$work/manifest"

echo
cat "$work/table"
echo
cat "$report"
echo
accels=$(sed -n 's/^VGS-VM arch=[^ ]* accel=\([a-z]*\).*/\1/p' "$logdir"/*.console 2>/dev/null | sort -u | tr '\n' ' ')
echo "${booted} boot(s) in ${t_all}s with $jobs job(s)${accels:+, accel: ${accels% }}${retried[*]:+, booted again: ${retried[*]}}; logs in $logdir"

if [ "$booted" -eq 0 ] && [ "$fails" -eq 0 ]; then
	echo "no kernel could be booted: nothing tested"
	exit 77
fi
[ "$fails" -eq 0 ] || exit 1
exit 0
