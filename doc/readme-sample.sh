#!/bin/sh
# doc/readme-sample.sh VMAGUARD-STRESS [README]: rewrite the sample run
# in README (default: the README next to this directory) with what the
# tool prints now.  The sample is the indented block that follows the
# first line "    $ ./vmaguard-stress ARGS" (in "Reading the output"):
# the output of exactly those ARGS, up to the next blank line.  The
# sentence "a default run makes N checks" (on one line) gets N from
# --list=json.  tests/readme-sample.sh regenerates the sample and
# compares its shape (line kinds, check names), since counts, kernel and
# features differ from machine to machine.
set -eu
vgs=$1
readme=${2:-$(dirname "$0")/../README}
new=$(mktemp "${TMPDIR:-/tmp}/readme.XXXXXX")
run=$(mktemp "${TMPDIR:-/tmp}/readme.XXXXXX")
trap 'rm -f "$new" "$run"' EXIT

args=$(sed -n 's/^    \$ \.\/vmaguard-stress \(.*\)/\1/p' "$readme" |
    head -n 1)
[ -n "$args" ] || { echo "$0: no sample command in $readme" >&2; exit 1; }
# The sample's command is data from the README: words, no expansion.
set -f
# shellcheck disable=SC2086
"$vgs" $args >"$run" 2>/dev/null || [ $? -le 1 ]
set +f
checks=$("$vgs" --list=json | sed -n 's/.*"backings":\[\([^]]*\)\].*/\1/p' |
    tr ',' '\n' | grep -c .)

awk -v run="$run" -v checks="$checks" '
/^    \$ \.\/vmaguard-stress / && !done {
	print
	while ((getline line < run) > 0)
		print "    " line
	skip = 1
	done = 1
	next
}
skip && /^$/ { skip = 0 }
skip { next }
{ gsub(/a default run makes [0-9]+ checks/, "a default run makes " checks \
    " checks"); print }
' "$readme" >"$new"
cat "$new" >"$readme"
