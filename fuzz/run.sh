#!/bin/sh
# fuzz/run.sh: build the fuzz targets with clang's libFuzzer and
# AddressSanitizer/UBSan, then fuzz each for SECONDS (default 60), the
# targets side by side (one core each).
#
#   fuzz/run.sh [SECONDS]       from a configured build directory
#
# The targets link the sources of libvgs.a (the tool but main.c, as the
# Makefile lists them), compiled here with clang; config.h comes from
# the build directory.  Each run starts from the
# seed corpus in fuzz/corpus/TARGET; new inputs go to a scratch
# directory, not into the source tree.  A crash leaves its input in
# fuzz-out/ and fails the script: fix the bug, then add the input to
# fuzz/corpus/TARGET/ (make check replays the corpus, see
# tests/fuzz-corpus.sh).  Exits 77 when clang or libFuzzer is missing.
set -eu
secs=${1:-60}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
out=$build/fuzz-out
CLANG=${CLANG:-clang}

[ -f "$build/config.h" ] || { echo "fuzz/run.sh: run it from a configured build directory" >&2; exit 99; }
command -v "$CLANG" >/dev/null 2>&1 || { echo "fuzz/run.sh: no clang: skipped" >&2; exit 77; }
rm -rf "$out"
mkdir -p "$out/obj"
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
    >"$out/probe.c"
if ! "$CLANG" -fsanitize=fuzzer -o "$out/probe" "$out/probe.c" 2>/dev/null; then
	echo "fuzz/run.sh: clang lacks libFuzzer (apt-get install libclang-rt-dev): skipped" >&2
	exit 77
fi

flags="-g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined \
    -fno-sanitize-recover=undefined -I$build -I$srcdir/src"
srcs=$(printf 'vgs-print-sources:\n\t@echo $(libvgs_a_SOURCES)\n' |
    ${MAKE:-make} -s -f Makefile -f - vgs-print-sources)
for f in $srcs; do
	case $f in *.c) ;; *) continue ;; esac
	# shellcheck disable=SC2086
	"$CLANG" $flags -c -o "$out/obj/$(basename "$f" .c).o" "$srcdir/$f"
done
ar cr "$out/libvgs-fuzz.a" "$out"/obj/*.o

targets="smaps options"
for t in $targets; do
	# shellcheck disable=SC2086
	"$CLANG" $flags -fsanitize=fuzzer -o "$out/fuzz-$t" \
	    "$srcdir/fuzz/fuzz-$t.c" "$out/libvgs-fuzz.a"
	mkdir -p "$out/corpus-$t"
done
echo "fuzz/run.sh: fuzzing $targets for ${secs}s each, in parallel"
for t in $targets; do
	( "$out/fuzz-$t" -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="$out/crash-$t-" -max_len=65536 \
	    "$out/corpus-$t" "$srcdir/fuzz/corpus/$t" \
	    >"$out/fuzz-$t.log" 2>&1; echo $? >"$out/fuzz-$t.status" ) &
done
wait
status=0
for t in $targets; do
	if [ "$(cat "$out/fuzz-$t.status")" != 0 ]; then
		status=1
		tail -n 60 "$out/fuzz-$t.log"
		echo "fuzz/run.sh: fuzz-$t crashed; inputs:" "$out"/crash-$t-* >&2
	fi
	grep -E '^stat::number_of_executed_units|^stat::new_units_added' \
	    "$out/fuzz-$t.log" | sed "s/^/fuzz-$t: /"
done
exit $status
