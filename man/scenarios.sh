#!/bin/sh
# man/scenarios.sh VMAGUARD-STRESS [MANPAGE]: write the SCENARIOS section
# of the man page (default man/vmaguard-stress.1, rewritten in place)
# from the tool's own --list: the counts of a default run, each entry's
# one-line claim and, where it does not apply to some backings, which and
# why.  It owns the section from its heading to the end of the list.
# tests/man-scenarios.sh runs it on a copy and compares, so the page
# cannot fall behind the catalogue.  Lines are wrapped for mandoc -T lint
# -W all (80 bytes, no line starting with a control character, function
# names escaped).
set -eu
vgs=$1
man=${2:-$(dirname "$0")/vmaguard-stress.1}
list=$(mktemp "${TMPDIR:-/tmp}/scenarios.XXXXXX")
new=$(mktemp "${TMPDIR:-/tmp}/scenarios.XXXXXX")
trap 'rm -f "$list" "$new"' EXIT

"$vgs" --list >"$list"
awk -v list="$list" '
# Text as mdoc text lines of at most 72 bytes.
function emit(text,	n, i, w, line) {
	gsub(/\\/, "\\\\e", text)
	n = split(text, words, " ")
	line = ""
	for (i = 1; i <= n; i++) {
		w = words[i]
		sub(/\(\)/, "\\\\\\&()", w)	# "read()" is not a function
		if (line != "" && length(line) + 1 + length(w) > 72) {
			print line
			line = ""
		}
		if (line == "" && w ~ /^[.\047]/)
			w = "\\&" w
		line = line == "" ? w : line " " w
	}
	if (line != "")
		print line
}
function flush(	i, s) {
	if (name == "")
		return
	print ".It Cm " name
	emit(claim ".")
	if (nna > 0) {
		s = na[1]
		for (i = 2; i <= nna; i++)
			s = s (i == nna ? " or " : ", ") na[i]
		emit("Does not apply to " s ": " reason ".")
	}
	name = ""
	nna = 0
}
function entries(	line, rest) {
	while ((getline line < list) > 0) {
		if (line ~ /^[a-z]/) {
			flush()
			name = line
			sub(/ .*/, "", name)
			rest = substr(line, length(name) + 1)
			sub(/^ +/, "", rest)
			claim = rest
		} else if (line ~ /^ +n\/a /) {
			sub(/^ +n\/a /, "", line)
			na[++nna] = line
			sub(/:.*/, "", na[nna])
			reason = substr(line, length(na[nna]) + 3)
		}
	}
	flush()
}
# The counts, from the same listing.
function counts(	line, n, nna_all) {
	while ((getline line < list) > 0) {
		if (line ~ /^[a-z]/)
			n++
		else if (line ~ /^ +n\/a /)
			nna_all++
	}
	close(list)
	nscn = n - 1			# the last entry is the stress phase
	ncat = nscn * 4 - nna_all
}
/^\.Sh / && $2 == "SCENARIOS" {
	counts()
	print
	print "The catalogue in run order, then the stress phase, as"
	print ".Fl Fl list"
	print "shows them: what the kernel must show, and the backings a"
	print "scenario does not apply to, where that combination is not a check."
	print "Without"
	print ".Fl r ,"
	print ".Fl x"
	print "and"
	print ".Fl b ,"
	print "a run makes " ncat + 4 " checks: " ncat " of the " nscn \
	    " scenarios on the backings"
	print "they apply to and one stress check per backing."
	print ".Bl -tag -width Ds"
	entries()
	print ".El"
	skip = 1
	next
}
skip && /^\.El/ { skip = 0; next }
!skip { print }
' "$man" >"$new"
cat "$new" >"$man"
