#!/bin/sh
# git bisect run: with --skip-status=125 a run exits 0 on a good kernel,
# 1 on a bad one and 125 ("skip this commit") on one without guard
# regions; and the README's step script, run by git bisect over a
# history of such kernels (faked by the fault shim), finds the first bad
# commit, skipping the one without guard regions.
. "${srcdir:-.}/tests/init.sh"
[ -f "$SHIM" ] || skip "no $SHIM"
require_guard_regions

check="-q -r install -b anon -s 1234 --skip-status=125"
shim=$(cd "$(dirname "$SHIM")" && pwd)/$(basename "$SHIM")
bad_kernel() {
	env VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD="$shim" "$@"
}

# 1. The three exit statuses.
run "$VGS" $check
expect_rc 0 "a good kernel"
run bad_kernel "$VGS" $check
expect_rc 1 "a failing check"
expect_out "^FAIL install.anon"
run without_guard_regions "$VGS" $check
expect_rc 125 "no guard regions with --skip-status=125"

# 2. git bisect run over c0 and c1 good, c2 without guard regions (git
# tests it first), c3 good, c4 and c5 bad: c2 is skipped, c4 is the
# first bad commit.
command -v git >/dev/null 2>&1 || skip "git not installed"
repo=$work/repo
mkdir "$repo"
export HOME="$work" GIT_CONFIG_NOSYSTEM=1
g() {
	git -C "$repo" -c user.name=t -c user.email=t@example.org \
	    -c init.defaultBranch=main "$@" >>"$work/git.log" 2>&1
}
g init -q || fail "git init"
n=0
for k in good good noguard good bad bad; do
	echo "$k $n" >"$repo/kernel"
	g add kernel && g commit -q -m "c$n $k" || fail "git commit c$n"
	n=$((n + 1))
done

# The README's step script, with "run-in-kernel" standing for booting
# the kernel just built: here the shim plays the kernel of the commit.
bin=$(cd "$(dirname "$VGS")" && pwd)/$(basename "$VGS")
cat >"$work/run-in-kernel" <<EOF
#!/bin/sh
case \$(cut -d' ' -f1 kernel) in
noguard) export $no_guard_env LD_PRELOAD='$shim' ;;
bad) export VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD='$shim' ;;
esac
exec "\$@"
EOF
cat >"$work/step.sh" <<EOF
#!/bin/sh
'$work/run-in-kernel' '$bin' -q -r install -b anon -s 1234 --skip-status=125
rc=\$?
case \$rc in
0|1|125) exit \$rc ;;	# good, bad, no guard regions: skip
*) exit 255 ;;		# usage or setup error: stop bisecting
esac
EOF
chmod +x "$work/run-in-kernel" "$work/step.sh"
first=$(git -C "$repo" rev-list --reverse HEAD | sed -n 1p)
g bisect start HEAD "$first" || fail "git bisect start"
git -C "$repo" bisect run "$work/step.sh" >"$out" 2>"$err" ||
    fail "git bisect run failed"
grep -q '^[0-9a-f]* is the first bad commit' "$out" ||
    fail "no first bad commit: $(tail -n 5 "$out")"
grep -q '    c4 bad$' "$out" || fail "the first bad commit is not c4"
git -C "$repo" bisect log >"$work/bisect.log"
grep -q '^# skip: \[[0-9a-f]*\] c2 noguard' "$work/bisect.log" ||
    fail "c2 was not skipped: $(cat "$work/bisect.log")"
g bisect reset
expect_clean_tmpdir
exit 0
