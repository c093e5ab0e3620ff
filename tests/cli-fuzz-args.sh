#!/bin/sh
# Hundreds of bad command lines, generated from --help so that new
# options are covered without editing this file: for every option that
# takes a value, values that are empty, negative, overflowing, out of
# range, not numbers, unknown names or carry control characters, each
# given as --opt=V, --opt V, -o V and -oV; every flag given a value;
# every option missing its value; unknown and ambiguous options, stray
# arguments and conflicting flags.  Each must exit 2 with exactly one
# printable line on stderr ("vmaguard-stress: ... (try 'vmaguard-stress
# --help')"), nothing on stdout and nothing created, in under 20 seconds
# in all.
#
# The bad values depend on the placeholder --help shows (N, DURATION,
# NAME, LIST, FEATURE, DIR, FILE); an unknown placeholder gets the
# values bad for any name.  Only what is bad for every option of a kind
# is tried: "0" is fine for some numbers, so it is not in the list.
. "${srcdir:-.}/tests/init.sh"

cwd=$work/cwd
mkdir "$cwd"
t0=$(date +%s)
bin=$(cd "$(dirname "$VGS")" && pwd)/$(basename "$VGS")
VGS=$bin	# the tests run in $cwd
nl='
'
tab='	'
ntried=0

# try ARG...: one bad command line.
try() {
	ntried=$((ntried + 1))
	rc=0
	"$bin" "$@" >"$out" 2>"$err" || rc=$?
	[ "$rc" -eq 2 ] || fail "exit status $rc, want 2: $(printf '[%s] ' "$@")"
	[ -s "$out" ] && fail "wrote to stdout: $(printf '[%s] ' "$@")"
	LC_ALL=C awk '{ n++ } /[[:cntrl:]]/ { bad = 1 }
	    END { exit (n != 1 || bad) }' "$err" ||
	    fail "stderr is not one printable line: $(printf '[%s] ' "$@")"
	l1=
	IFS= read -r l1 <"$err"
	case $l1 in
	"vmaguard-stress: "*" (try 'vmaguard-stress --help')") ;;
	*)	fail "stderr is not 'vmaguard-stress: ... --help': $l1" ;;
	esac
	for f in "$cwd"/* "$cwd"/.[!.]* "$TMPDIR"/* "$TMPDIR"/.[!.]*; do
		[ -e "$f" ] && fail "created $f: $(printf '[%s] ' "$@")"
	done
	:
}

# try_value LONG SHORT VALUE: the four ways to give a value.
try_value() {
	try "--$1=$3"
	try "--$1" "$3"
	[ -n "$2" ] || return 0
	try "-$2" "$3"
	[ -n "$3" ] && try "-$2$3"
	:
}

cd "$cwd" || fail "cd $cwd"
help=$("$bin" --help) || fail "--help failed"
# "long short placeholder" per option; "-" for none.
opts=$(printf '%s\n' "$help" | sed -n \
    's/^ *\(-\([A-Za-z0-9]\), \)\{0,1\}--\([a-z][a-z0-9-]*\)\(=\([^ ]*\)\)\{0,1\}.*/\3 \2- \5-/p' |
    sed 's/ \([A-Za-z0-9]\)- / \1 /; s/ \([^ ]*\)-$/ \1/; s/ $/ -/')
[ -n "$opts" ] || fail "no options found in --help"
first=$("$bin" --list | sed -n '1s/ .*//p')
[ -n "$first" ] || fail "--list is empty"

nargs=0
printf '%s\n' "$opts" >"$work/opts"
while read -r long short arg; do
	[ "$short" = - ] && short=
	case $arg in
	-)	# A flag: any value is wrong, and so is an empty one.
		try "--$long=1"
		try "--$long="
		try "--$long=$nl"
		continue ;;
	esac
	nargs=$((nargs + 1))
	# The value missing, at the end of the line.
	try "--$long"
	[ -n "$short" ] && try "-$short"
	case $arg in
	N|N\[*|COUNT|NUM*)
		set -- "" "-1" "-0" "abc" "1x" "0x10" " 5" "5 " "+5" "1.5" \
		    "1e3" "18446744073709551616" "99999999999999999999999" \
		    "١" "1$nl" "$tab" ;;
	DURATION*|TIME*)
		set -- "" "-1s" "abc" "5d" "1.5s" "s" "ms" "10 s" "10S" \
		    "1e3" "+5s" "5sec" "0x10" "18446744073709551616" \
		    "18446744073709551616ms" "99999999999h" "5$tab" ;;
	NAME*)
		set -- "" "," "no-such-scenario" "$first," ",$first" \
		    "$first,,$first" "-" "a${nl}b" ;;
	LIST*)
		set -- "" "," "bogus" "anon," ",anon" "anon,,shmem" "ANON" \
		    "anon shmem" ;;
	FEATURE*)
		set -- "" "," "bogus" "gu," ",gu" "GU" "gu,,gu" ;;
	DIR*|FILE*|PATH*)
		set -- "" ;;
	*)	set -- "" "," "no-such-value-zz" "$nl" ;;
	esac
	for v in "$@"; do
		try_value "$long" "$short" "$v"
	done
done <"$work/opts"
[ "$nargs" -ge 5 ] || fail "only $nargs options with values in --help"

# A file option with a good name must create nothing when another
# option is bad: parsing ends before anything is opened.
while read -r long short arg; do
	case $arg in
	FILE*|DIR*)
		try "--$long=made-by-$long" --seed=bad
		try --seed=bad "--$long=made-by-$long" ;;
	esac
done <"$work/opts"

# Unknown, ambiguous and stray.
try --no-such-option
try ---x
try -Z
try -@
try -0
try "-$tab"
try "-$(printf '\001')"
try "-$(printf '\377')"
try extra-argument
try -
try -q stray
try --seed=1 --seed=x
for p in $(sed 's/\(..\).*/\1/' "$work/opts" | sort | uniq -d); do
	# A prefix shared by two options that is not an option itself.
	grep -q "^$p " "$work/opts" || try "--$p"
done
grep -q '^quiet ' "$work/opts" && grep -q '^verbose ' "$work/opts" && {
	try --quiet --verbose
	try -q -v
	try -qv
}
secs=$(($(date +%s) - t0))
echo "$ntried bad command lines, $nargs options with values, $secs s"
[ "$ntried" -ge 300 ] || fail "only $ntried command lines"
limit=20
asan_build && limit=60	# instrumented: every start costs more
[ "$secs" -lt $limit ] || fail "took $secs s ($limit s at most)"
expect_clean_tmpdir
exit 0
