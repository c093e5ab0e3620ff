#!/bin/sh
# The bash completion (completion/vmaguard-stress): options from --help,
# scenario names from --list (also after a comma and after '='),
# backings, features, files and directories, as bash would call it.
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

# Scenario names, from --list, after -r/-x, '=', and a comma.
"$VGS" --list | awk '{print $1}' >"$work/names"
c -r ""
for n in $(cat "$work/names"); do has "$n"; done
c --run=ins
has install
c --exclude = fork-u
has fork-unfaulted
c -x install,fork-un
has install,fork-unfaulted
c -r merge-
grep -v '^merge-' "$out" && fail "'-r merge-' offers other names"
[ "$(wc -l <"$out")" -eq "$(grep -c '^merge-' "$work/names")" ] ||
    fail "'-r merge-' misses merge scenarios"

# Backings and features.
c -b ""
for b in anon shmem file-shared file-private; do has "$b"; done
c --backing anon,sh
only anon,shmem
c --backing = file-
has file-shared
has file-private
c --require g
only gu

# Files and directories.
c --junit "$work/file"
has "$work/file.xml"
c -o "$work/fi"
has "$work/file.xml"
c --tmpdir "$work/d"
only "$work/dir.d"
c --seed ""
[ -s "$out" ] && fail "--seed offers candidates"
expect_clean_tmpdir
exit 0
