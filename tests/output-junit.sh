#!/bin/sh
# --junit=FILE: a JUnit XML document that xmllint finds well-formed and
# that junitparser (what Python CI tooling reads JUnit with) reads back
# as the run was: counts, names, class names, failure messages equal to
# the text report's, skip reasons, properties (seed, kernel release,
# page size, version, exit status), and text that is hard to quote
# (XML specials in smaps file names, control characters, bytes that are
# not UTF-8) carried safely.
. "${srcdir:-.}/tests/init.sh"
command -v xmllint >/dev/null 2>&1 || skip "xmllint (libxml2-utils) not installed"
py=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null 2>&1 &&
	    "$p" -c 'import junitparser' 2>/dev/null; then
		py=$p
		break
	fi
done
[ -n "$py" ] || skip "python3-junitparser not installed"
require_guard_regions

# read_junit FILE: one line per test case, "name|classname|result|message",
# then "tests failures errors skipped", then the properties.
read_junit() {
	"$py" - "$1" <<'EOF'
import sys
from junitparser import JUnitXml, Failure, Error, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    for case in suite:
        res, msg = "pass", ""
        for r in case.result:
            if isinstance(r, Failure):
                res, msg = "fail", r.message
            elif isinstance(r, Error):
                res, msg = "error", r.message
            elif isinstance(r, Skipped):
                res, msg = "skip", r.message
        print("%s|%s|%s|%s" % (case.name, case.classname, res, msg))
    print("counts %d %d %d %d" % (suite.tests, suite.failures, suite.errors,
                                  suite.skipped))
    for p in suite.properties():
        print("property %s=%s" % (p.name, p.value))
EOF
}

junit=$work/report.xml

# 1. A passing run.
run "$VGS" -r install,remove --seed=77 --junit="$junit"
expect_rc 0 "--junit, passing"
expect_summary
xmllint --noout "$junit" || fail "xmllint rejects the document"
read_junit "$junit" >"$work/cases" || fail "junitparser cannot read it"
grep -qx 'counts 8 0 0 0' "$work/cases" ||
    fail "counts: $(grep ^counts "$work/cases")"
grep -qx 'install.anon|vmaguard-stress.install|pass|' "$work/cases" ||
    fail "no passing install.anon in vmaguard-stress.install"
grep -qx 'property seed=77' "$work/cases" || fail "no seed property"
grep -qx "property kernel.release=$(uname -r)" "$work/cases" ||
    fail "no kernel.release property"
grep -qx "property page-size=$(getconf PAGESIZE)" "$work/cases" ||
    fail "no page-size property"
version=$("$VGS" --version | sed -n '1s/^vmaguard-stress //p')
grep -qx "property version=$version" "$work/cases" ||
    fail "no version property"
grep -qx 'property exit-status=0' "$work/cases" ||
    fail "no exit-status property"
grep -qx 'property feature.guard-regions=yes' "$work/cases" ||
    fail "no features"
# The same names, in the same order, as the text report.
sed -n 's/^\(PASS\|FAIL\|SKIP\) \([^:]*\):.*/\2/p' "$out" >"$work/want"
grep -v '^counts \|^property ' "$work/cases" | cut -d'|' -f1 >"$work/got"
cmp -s "$work/want" "$work/got" || fail "names differ from the text report"

# 2. Failures: messages are the text report's summaries.
if [ -f "$SHIM" ]; then
	VGS_FAULT=install-noop VGS_FAULT_SKIP=4 LD_PRELOAD=$SHIM \
	    run "$VGS" -r install --seed=42 --junit="$junit"
	expect_rc 1 "--junit with the fault"
	xmllint --noout "$junit" || fail "xmllint rejects the failing run"
	read_junit "$junit" >"$work/cases" || fail "junitparser (failures)"
	grep -qx 'counts 4 4 0 0' "$work/cases" ||
	    fail "counts: $(grep ^counts "$work/cases")"
	sed -n 's/^FAIL \([^:]*\): \(.*\)/\1|vmaguard-stress.install|fail|\2/p' \
	    "$out" >"$work/want"
	grep '|fail|' "$work/cases" >"$work/got"
	cmp -s "$work/want" "$work/got" ||
	    fail "failures differ: $(diff "$work/want" "$work/got")"
	grep -qx 'property exit-status=1' "$work/cases" ||
	    fail "no exit-status=1"
	xmllint --xpath 'string(//testcase[@name="install.anon"]/failure)' \
	    "$junit" >"$work/body"
	grep -q '^  expected  p0-9 rw-p gu ' "$work/body" ||
	    fail "failure text lacks the strips"
	grep -q '^  rerun: vmaguard-stress --run=install --backing=anon --seed=42$' \
	    "$work/body" || fail "failure text lacks the rerun line"

	# Nothing can run: every case skipped with the reason.
	VGS_FAULT=install-einval VGS_FAULT_UNAME=6.12.0 LD_PRELOAD=$SHIM \
	    run "$VGS" -r install --junit="$junit"
	expect_rc 77 "--junit without guard regions"
	read_junit "$junit" >"$work/cases" || fail "junitparser (skips)"
	grep -qx 'counts 4 0 0 4' "$work/cases" ||
	    fail "counts: $(grep ^counts "$work/cases")"
	grep -qx 'install.anon|vmaguard-stress.install|skip|kernel lacks guard regions' \
	    "$work/cases" || fail "no skip reason"
fi

# 3. A hard error (no backing file: the shim, past the --tmpdir check)
# is an <error>.
[ -f "$SHIM" ] || skip "no $SHIM"
VGS_FAULT=tmpfile-eacces VGS_FAULT_SKIP=1 LD_PRELOAD=$SHIM \
    run "$VGS" -r install --junit="$junit"
expect_rc 99 "--junit with a setup failure"
read_junit "$junit" >"$work/cases" || fail "junitparser (hard error)"
grep -qx 'counts 3 0 1 0' "$work/cases" ||
    fail "counts: $(grep ^counts "$work/cases")"
grep -q '^install.file-shared|vmaguard-stress.install|error|setup: ' \
    "$work/cases" || fail "no <error> for the setup failure"
grep -qx 'property exit-status=99' "$work/cases" || fail "no exit-status=99"

# 4. Text that is hard to quote (tests/test-report.c), read back exactly.
"$top_builddir/tests/test-report" --emit "$work" >/dev/null 2>"$err" ||
    fail "test-report --emit failed"
xmllint --noout "$junit" || fail "xmllint rejects the quoted text"
read_junit "$junit" >"$work/cases" || fail "junitparser (quoted text)"
grep -qx 'counts 4 1 1 1' "$work/cases" ||
    fail "counts: $(grep ^counts "$work/cases")"
grep -qxF "merge-mmap.shmem|vmaguard-stress.merge-mmap|fail|step 3 'fill <the> gap & \"merge\"': count 2, want 1 #x" \
    "$work/cases" || fail "the failure message did not survive quoting"
grep -qx 'stress.anon|vmaguard-stress.stress|error|setup: mmap: Cannot allocate memory' \
    "$work/cases" || fail "no error case"
grep -qxF 'property kernel.release=6.18.44-<test>&"quoted"' "$work/cases" ||
    fail "the kernel.release property did not survive quoting"
grep -qx 'property exit-status=99' "$work/cases" || fail "no exit-status=99"
"$py" - "$junit" <<'EOF' || fail "the failure body did not survive quoting"
import sys
from junitparser import JUnitXml
for suite in JUnitXml.fromfile(sys.argv[1]):
    for case in suite:
        if case.name != "merge-mmap.shmem":
            continue
        body = case.result[0].text
        assert "/tmp/a<b>&c\"d'e]]>f \\g #h\n" in body, body
        assert "VmFlags: rd wr sh mr mw me ms gu\n" in body, body
        # XML 1.0 cannot carry these: U+FFFD stands in.
        assert "bell\ufffd escape\ufffd[31m" in body, body
        assert "del\x7f" in body, body
        assert "latin1 caf\ufffd utf8 caf\u00e9 \u20ac" in body, body
        sys.exit(0)
sys.exit(1)
EOF
expect_clean_tmpdir
exit 0
