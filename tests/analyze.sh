#!/bin/sh
# tests/analyze.sh: static analysis of src/ with cppcheck, which must
# find nothing (.ci/run runs it; not part of make check, since findings
# differ between cppcheck versions).  Usage, from a configured build
# directory (for config.h) or the source tree:
#
#   sh tests/analyze.sh [SRCDIR]
#
# Checks: warning, portability, performance (style is left to review).
# A finding that is wrong is silenced where it occurs with a
# "cppcheck-suppress ID" comment saying why.  Exits 77 without cppcheck.
set -eu
srcdir=${1:-${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}}
command -v cppcheck >/dev/null 2>&1 || {
	echo "analyze.sh: cppcheck not installed: skipped" >&2
	exit 77
}
[ -f config.h ] || { echo "analyze.sh: no config.h here" >&2; exit 99; }
cppcheck --version
cppcheck -q --std=c11 --enable=warning,portability,performance \
    --inline-suppr --error-exitcode=1 --suppress=missingIncludeSystem \
    -D__linux__ -D__GNUC__ -I. -I"$srcdir/src" "$srcdir/src"
echo "analyze.sh: cppcheck found nothing in $srcdir/src"
