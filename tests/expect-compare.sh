#!/bin/sh
# tests/expect-compare.sh PINNED REPORT: compare a run's text report
# with a pinned expectation.  PINNED lists every check and its verdict,
# one a line: "NAME PASS", "NAME FAIL", or "NAME SKIP CLASS", where the
# class is the skip reason up to its first ':' or '(' (e.g. "kernel
# without CONFIG_MEM_SOFT_DIRTY").  '#' starts a comment.  Every check
# of the report must be pinned with the same verdict and class, and
# every pinned check must be in the report: a check that drifts from
# PASS to SKIP turns this red although the run still exits 0.  Prints
# the drift, one line each; exit 0 agree, 1 drift, 2 usage.
#   tests/expect-compare.sh --write REPORT   prints a pinned list
set -u
class() {
	sed -e 's/^\(PASS\|FAIL\|SKIP\|ERROR\) \([^:]*\): \(.*\)$/\2 \1 \3/' |
	    awk '{ name = $1; verdict = $2; $1 = $2 = ""; sub(/^  */, "");
		if (verdict != "SKIP") { print name, verdict; next }
		c = $0; sub(/[:(].*$/, "", c); sub(/ *$/, "", c)
		print name, verdict, c }'
}
checks() {
	grep -E '^(PASS|FAIL|SKIP|ERROR) [^ :]+: ' "$1" | class | sort
}
if [ "$#" -eq 2 ] && [ "$1" = --write ]; then
	echo "# pinned by tests/expect-compare.sh --write from a run of"
	echo "# $(head -n 1 "$2")"
	checks "$2"
	exit 0
fi
[ "$#" -eq 2 ] || { echo "usage: $0 PINNED REPORT | --write REPORT" >&2
	exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vgs-compare.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' "$1" | grep -v '^ *$' | sort >"$tmp/want"
checks "$2" >"$tmp/got"
[ -s "$tmp/got" ] || { echo "no checks in $2"; exit 1; }
diff "$tmp/want" "$tmp/got" >"$tmp/diff" && exit 0
sed -n 's/^< /pinned:   /p; s/^> /reported: /p' "$tmp/diff"
exit 1
