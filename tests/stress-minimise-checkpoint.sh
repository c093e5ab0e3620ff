#!/bin/sh
# A failure only a checkpoint sees (smaps: a merged VMA still shown split
# at the old boundary, smaps-merge-missed; gu lost by a merge,
# smaps-gu-merge-loss) minimises to the few operations that cause it,
# like one seen right after its operation: while minimising, every
# replay checks the whole area, smaps included, after every operation.
# The minimised sequence, replayed with a checkpoint after every
# operation (the shim shows a stale boundary only where smaps showed it
# before), fails again under the shim and passes without.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_series

# case_of FAULT SEED [OPTION]: detect at a checkpoint, minimise to <= 5.
case_of() {
	min="$work/$1.ops"
	VGS_FAULT=$1 LD_PRELOAD=$SHIM run "$VGS" -r stress -b anon -n 2000 \
	    --seed="$2" --minimize-out="$min" ${3:-}
	expect_rc 1 "$1: detected"
	expect_summary
	expect_out "^FAIL stress\.anon: op [0-9]* '[a-z][^']*': checkpoint: .*(seed $2)\$"
	expect_out "^  minimised: [1-5] of [0-9]* operations still fail"
	n=$(grep -vc '^#\|^stream ' "$min")
	[ "$n" -ge 1 ] && [ "$n" -le 5 ] || fail "$1: $n operations left"
	VGS_FAULT=$1 LD_PRELOAD=$SHIM run "$VGS" --replay="$min" \
	    --smaps-interval=1
	expect_rc 1 "$1: minimised replay under the shim"
	run "$VGS" --replay="$min" --smaps-interval=1
	expect_rc 0 "$1: minimised replay without the shim"
}

case_of smaps-merge-missed 1
case_of smaps-gu-merge-loss 3 --smaps-interval=16
expect_clean_tmpdir
exit 0
