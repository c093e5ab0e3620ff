#!/bin/sh
# The stress engine catches a kernel that drops a guard install (the
# shim's install-drop-nth: the 3rd install of every process does
# nothing) and one whose forked children lose their markers
# (fork-lose-guards); it minimises each failure to at most 3 operations,
# saves them for --replay and emits a C program that compiles with cc,
# fails under the same shim and passes without it.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || skip "no C compiler ($cc)"

# case_of SEED VGS_FAULT=NAME: detect, minimise, replay, emit, compile,
# run under the shim and without it.
case_of() {
	seed=$1
	export "$2"
	fault=$VGS_FAULT
	unset VGS_FAULT
	min="$work/$fault.ops"
	src="$work/$fault.c"
	VGS_FAULT=$fault LD_PRELOAD=$SHIM run "$VGS" -r stress -b anon \
	    -n 2000 --seed="$seed" --minimize-out="$min" --emit-c="$src"
	expect_rc 1 "$fault: detected"
	expect_summary
	expect_out "^FAIL stress\.anon: op [0-9]* '[a-z][^']*'.*(seed $seed)\$"
	expect_out "^  replay: .* -r stress -b anon --pages=64 --seed=$seed -n "
	expect_out "^  minimised: [123] of [0-9]* operations still fail"
	expect_out "^  minimised sequence saved to $min; replay: "
	expect_out "^  C reproducer ([123] operations): $src"
	n=$(grep -vc '^#\|^stream ' "$min")
	[ "$n" -ge 1 ] && [ "$n" -le 3 ] || fail "$fault: $n operations left"

	VGS_FAULT=$fault LD_PRELOAD=$SHIM run "$VGS" --replay="$min"
	expect_rc 1 "$fault: minimised replay under the shim"
	run "$VGS" --replay="$min"
	expect_rc 0 "$fault: minimised replay without the shim"
	expect_out '^PASS stress\.anon'

	run "$cc" -o "$work/repro" "$src"
	expect_rc 0 "$fault: the reproducer compiles"
	VGS_FAULT=$fault LD_PRELOAD=$SHIM run "$work/repro"
	expect_rc 1 "$fault: the reproducer under the shim"
	expect_out '^repro: after op [0-9]* .*expected'
	run "$work/repro"
	expect_rc 0 "$fault: the reproducer without the shim"
	expect_out '^repro: the kernel behaves as the model expects$'
}

case_of 5 VGS_FAULT=install-drop-nth
case_of 11 VGS_FAULT=fork-lose-guards
expect_clean_tmpdir
exit 0
