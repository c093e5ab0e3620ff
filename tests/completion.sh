#!/bin/sh
# The bash completion (completion/vmaguard-stress): options from --help,
# scenario names and "stress" from --list=names (also after a comma and
# after '='), backings, features, --list formats, file names for every
# option that takes a file, directories, nothing for numbers, as bash
# would call it; and no case for an option the tool lacks.
. "${srcdir:-.}/tests/init.sh"
command -v bash >/dev/null 2>&1 || skip "bash not installed"

comp=$srcdir/completion/vmaguard-stress
bin=$(cd "$(dirname "$VGS")" && pwd)/$(basename "$VGS")
mkdir -p "$work/dir.d"
: >"$work/file.xml"

# complete WORD...: the candidates bash would offer, one per line, for a
# command line of these words (the last one being completed).
complete_words() {
	bash -c '
		. "$1" || exit 99
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMPREPLY=()
		_vmaguard_stress || exit 98
		if [ ${#COMPREPLY[@]} -gt 0 ]; then
			printf "%s\n" "${COMPREPLY[@]}"
		fi
	' complete "$comp" "$bin" "$@" >"$out" 2>"$err" ||
	    fail "completing '$*': status $?"
}

has() {
	grep -qx -- "$1" "$out" || fail "'$words' does not offer '$1': $(tr '\n' ' ' <"$out")"
}

only() {
	[ "$(cat "$out")" = "$1" ] ||
	    fail "'$words' offers '$(tr '\n' ' ' <"$out")', want only '$1'"
}

c() {
	words="$*"
	complete_words "$@"
}

# complete -F is registered for the command name.
bash -c ". '$comp' && complete -p vmaguard-stress" 2>/dev/null |
    grep -q -- '-F _vmaguard_stress' || fail "no complete -F registration"

# Options: every long option of --help, and only options.
c -
"$VGS" --help | grep -Eo -- '--[a-z][a-z0-9-]*=?' | sort -u >"$work/want"
for o in $(cat "$work/want"); do has "$o"; done
grep -v '^-' "$out" && fail "'-' offers a non-option"
c --ta
only --tap
c --ju
only --junit=
c --run=
grep -qx 'install' "$out" || fail "--run= (unsplit) does not offer scenarios"

# Scenario names and the stress phase, from --list=names, after -r/-x,
# '=', and a comma.
"$VGS" --list=names >"$work/names"
grep -qx stress "$work/names" || fail "--list=names lacks stress"
c -r ""
for n in $(cat "$work/names"); do has "$n"; done
[ "$(wc -l <"$out")" -eq "$(wc -l <"$work/names")" ] ||
    fail "-r offers more than the names"
c -r st
only stress
c --run=ins
has install
c --exclude = fork-u
has fork-unfaulted
c -x install,fork-un
has install,fork-unfaulted
c -x install,str
only install,stress
c -r merge-
grep -v '^merge-' "$out" && fail "'-r merge-' offers other names"
[ "$(wc -l <"$out")" -eq "$(grep -c '^merge-' "$work/names")" ] ||
    fail "'-r merge-' misses merge scenarios"

# Backings, features, --list formats, exit statuses.
c -b ""
for b in anon shmem file-shared file-private; do has "$b"; done
c --backing anon,sh
only anon,shmem
c --backing = file-
has file-shared
has file-private
c --require g
only gu
c --list = ""
[ "$(tr '\n' ' ' <"$out")" = "text names json " ] ||
    fail "--list= offers '$(tr '\n' ' ' <"$out")'"
c --list=n
only names
c --skip-status 12
only 125

# The options --help shows with a value, and their placeholders.
"$VGS" --help | sed -n \
    's/^ *\(-\([A-Za-z0-9]\), \)\{0,1\}--\([a-z][a-z0-9-]*\)=\([A-Z]*\).*/\3 \2 \4/p' \
    >"$work/valued"
grep -q '^replay  *FILE$' "$work/valued" || fail "no '--replay=FILE' in --help"

# Every option that takes a file completes file names, however given.
nfile=0
while read -r long short arg; do
	[ -z "$arg" ] && { arg=$short; short=; }
	case $arg in
	FILE)
		nfile=$((nfile + 1))
		c "--$long" "$work/fi"
		only "$work/file.xml"
		c "--$long" = "$work/fi"
		only "$work/file.xml"
		c "--$long=$work/fi"
		only "$work/file.xml"
		if [ -n "$short" ]; then
			c "-$short" "$work/fi"
			only "$work/file.xml"
		fi ;;
	DIR)
		c "--$long" "$work/d"
		only "$work/dir.d" ;;
	N|DURATION)
		# A number: no candidates (exit statuses aside), and never
		# the options.
		[ "$long" = skip-status ] && continue
		c "--$long" ""
		[ -s "$out" ] && fail "--$long offers candidates"
		if [ -n "$short" ]; then
			c "-$short" ""
			[ -s "$out" ] && fail "-$short offers candidates"
		fi ;;
	esac
done <"$work/valued"
[ "$nfile" -ge 7 ] || fail "only $nfile file options in --help"

# Every option the completion names in a case label exists.
sed -n '/case \$prev in/,/esac/p' "$comp" | grep -E '^[[:space:]]+-.*(\)|\\)$' |
    grep -Eo -- '(^|[[:space:]|])--?[a-z][a-z0-9-]*' | tr -d ' \t|' | sort -u \
    >"$work/labels"
[ -s "$work/labels" ] || fail "no case labels found in $comp"
"$VGS" --help >"$work/help"
for o in $(cat "$work/labels"); do
	grep -Eq -- "(^|[ ,])$o([=[, ]|\$)" "$work/help" ||
	    fail "the completion has a case for $o, which --help lacks"
done
expect_clean_tmpdir
exit 0
