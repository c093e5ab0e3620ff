#!/bin/sh
# Output that never reaches its file is an error of the run, like
# gnulib's close_stdout, for every stream the tool writes: the text
# report (stdout, -o), TAP, JSON and JUnit (files and "-"), on /dev/full
# and, as root, on a full tmpfs; and stdout in the modes that only print
# (--list, --features, --help, --version).  Each: exit 99, one line on
# stderr naming the output.  The outputs that still work say so and
# never claim success: an "ERROR --json: ..." line and "1 errors" in
# the text report, exit_status 99 in JSON, exit-status 99 and an
# <error> in JUnit.
. "${srcdir:-.}/tests/init.sh"
require_guard_regions
[ -w /dev/full ] || skip "no /dev/full"

json=$work/report.jsonl
junit=$work/report.xml

# lost DEV WHAT ARG...: run with the outputs given (DEV is stdout's
# destination), expect 99 and one line naming WHAT.
lost() {
	dev=$1 what=$2
	shift 2
	rc=0
	"$VGS" --tmpdir="$TMPDIR" -r install -b anon "$@" >"$dev" 2>"$err" ||
	    rc=$?
	expect_rc 99 "$what lost ($*)"
	expect_one_line_err
	expect_err "^vmaguard-stress: $what: .*No space left on device$"
}

# 1. /dev/full, each output alone.
lost /dev/full --output
lost "$out" --output -o /dev/full
[ -s "$out" ] && fail "-o /dev/full wrote to stdout"
lost /dev/full --tap --tap
lost "$out" --json --json=/dev/full
lost /dev/full --json --json=-
lost "$out" --junit --junit=/dev/full
lost /dev/full --junit --junit=-
lost "$out" --junit --junit=/dev/full --tap

# 2. The outputs that still work count the lost one, first to last.
lost "$out" --json --json=/dev/full
expect_out "^ERROR --json: writing '/dev/full': No space left on device$"
expect_summary
expect_counts 1 0 0 1
lost "$out" --junit --junit=/dev/full --json="$json"
expect_out "^ERROR --junit: cannot write '/dev/full': "
expect_counts 1 0 0 1
tail -n 1 "$json" | grep -q '"errors":1,"exit_status":99,' ||
    fail "the JSON summary claims: $(tail -n 1 "$json" | cut -c1-160)"
lost "$out" --output -o /dev/full --json="$json" --junit="$junit"
tail -n 1 "$json" | grep -q '"errors":1,"exit_status":99,' ||
    fail "the JSON summary claims: $(tail -n 1 "$json" | cut -c1-160)"
grep -q '<property name="exit-status" value="99"/>' "$junit" ||
    fail "the JUnit document claims another exit status"
grep -q '<testcase name="--output"' "$junit" ||
    fail "the JUnit document has no case for the lost output"
lost "$out" --json --tap --json=/dev/full
expect_out "^not ok 2 --json$"
expect_out "^# 1 passed, 0 failed, 0 skipped, 1 errors$"

# 3. Modes that only print.
for m in --list --features --help --version; do
	rc=0
	"$VGS" $m >/dev/full 2>"$err" || rc=$?
	expect_rc 99 "$m >/dev/full"
	expect_one_line_err
	expect_err "^vmaguard-stress: write error on standard output"
done

# 4. A full file system (root mounts a tmpfs and fills it).
if [ "$(id -u)" -eq 0 ] && mkdir "$work/full" &&
    mount -t tmpfs -o size=64k vgs-full "$work/full" 2>/dev/null; then
	dd if=/dev/zero of="$work/full/fill" bs=4k 2>/dev/null
	f=$work/full
	lost "$f/stdout" --output
	lost "$out" --output -o "$f/text"
	lost "$f/stdout" --tap --tap
	lost "$out" --json --json="$f/json"
	expect_counts 1 0 0 1
	# The document is written at once: found before any check.
	rc=0
	"$VGS" --tmpdir="$TMPDIR" -r install --junit="$f/junit.xml" \
	    >"$out" 2>"$err" || rc=$?
	expect_rc 99 "--junit on a full file system"
	expect_one_line_err
	expect_err "^vmaguard-stress: --junit: cannot write '$f/junit.xml': No space left on device$"
	[ -s "$out" ] && fail "a check ran though --junit could not be written"
	left=$(ls -A "$f" | grep -v '^fill$' | grep -v '^stdout$' |
	    grep -v '^text$' | grep -v '^json$')
	umount "$f"
	[ -z "$left" ] || fail "left on the full tmpfs: $left"
fi
expect_clean_tmpdir
exit 0
