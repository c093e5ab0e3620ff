/*
 * test-report.c: the report writers' escaping and shared formatting, as
 * a unit program; and, with "--emit DIR", a feeder that runs checks whose
 * text holds everything hard to quote (XML and JSON specials, the TAP
 * directive character, control characters, bytes that are not UTF-8,
 * smaps lines with odd file names) through every output at once, so the
 * shell tests can hand the files to the real consumers (xmllint,
 * junitparser, jq, prove).
 */
#include "vgs.h"
#include "feature.h"
#include "options.h"
#include "report.h"
#include "report_writer.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define U8(s)	report_fmt_utf8_len((const unsigned char *)(s))

/* The smaps text a failure may quote: a file name with specials. */
#define NASTY_SMAPS \
	"7f0000000000-7f000000a000 rw-s 00000000 00:2d 42  " \
	"/tmp/a<b>&c\"d'e]]>f \\g #h\n" \
	"VmFlags: rd wr sh mr mw me ms gu\n"

static char *
capture(void (*fn)(FILE *, const char *), const char *s)
{
	char	*buf;
	size_t	 len;
	FILE	*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		exit(99);
	fn(f, s);
	fclose(f);
	return (buf);
}

static void
unit_escaping(void)
{
	char	*s;

	s = capture(report_json_string,
	    "a\"b\\c\nd\te\x01" "f\xff" "g\xc3\xa9");
	UNIT_STREQ(s, "\"a\\\"b\\\\c\\nd\\te\\u0001f\\ufffdg\xc3\xa9\"");
	free(s);
	s = capture(report_xml_string,
	    "<a href=\"x\">&'\n\x02\xfe\xef\xbf\xbe");
	UNIT_STREQ(s, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = capture(report_tap_yaml_string, "say \"hi\"\\\n\x1b[m\xc0\x80");
	UNIT_STREQ(s, "\"say \\\"hi\\\"\\\\\\n\\x1b[m"
	    "\xef\xbf\xbd\xef\xbf\xbd\"");
	free(s);
	UNIT_OK(U8("a") == 1);
	UNIT_OK(U8("\xc3\xa9") == 2);
	UNIT_OK(U8("\xe2\x82\xac") == 3);
	UNIT_OK(U8("\xf0\x9f\x98\x80") == 4);
	/* Overlong, surrogate, past U+10FFFF, truncated, stray. */
	UNIT_OK(U8("\xc0\xaf") == 0);
	UNIT_OK(U8("\xe0\x80\xaf") == 0);
	UNIT_OK(U8("\xed\xa0\x80") == 0);
	UNIT_OK(U8("\xf4\x90\x80\x80") == 0);
	UNIT_OK(U8("\xe2\x82") == 0);
	UNIT_OK(U8("\x80") == 0);
}

static void
unit_fields(void)
{
	struct report_check	 c;
	char			 scn[64], bk[32];
	const char		*p, *feat = "guard-regions: yes\n"
				    "garbage line\nthp: madvise\n";
	char			 k[32], val[64];

	memset(&c, 0, sizeof c);
	c.name = "merge-mmap.file-private";
	report_fmt_split_name(&c, scn, sizeof scn, bk, sizeof bk);
	UNIT_STREQ(scn, "merge-mmap");
	UNIT_STREQ(bk, "file-private");
	c.name = "stress";
	report_fmt_split_name(&c, scn, sizeof scn, bk, sizeof bk);
	UNIT_STREQ(scn, "stress");
	UNIT_STREQ(bk, "");
	c.scenario = "s";
	c.backing = "b";
	report_fmt_split_name(&c, scn, sizeof scn, bk, sizeof bk);
	UNIT_STREQ(scn, "s");
	UNIT_STREQ(bk, "b");

	p = feat;
	UNIT_OK(report_fmt_feature_next(&p, k, sizeof k, val, sizeof val) == 1);
	UNIT_STREQ(k, "guard-regions");
	UNIT_STREQ(val, "yes");
	UNIT_OK(report_fmt_feature_next(&p, k, sizeof k, val, sizeof val) == 1);
	UNIT_STREQ(k, "thp");
	UNIT_OK(report_fmt_feature_next(&p, k, sizeof k, val, sizeof val) == 0);
}

/* Every output at once, on checks with text that is hard to quote. */
static int
emit(const char *dir)
{
	struct vgs_opts		 o;
	struct features		 f;
	struct report_check	 c;
	char			*junit, *json, *out, *detail;

	vgs_init();
	xasprintf(&junit, "%s/report.xml", dir);
	xasprintf(&json, "%s/report.jsonl", dir);
	xasprintf(&out, "%s/report.txt", dir);
	memset(&o, 0, sizeof o);
	o.tap = 1;
	o.junit = junit;
	o.json = json;
	o.output = out;
	o.metrics = 1;
	memset(&f, 0, sizeof f);
	f.guard = f.shared = f.gu = 1;
	snprintf(f.release, sizeof f.release, "6.18.44-<test>&\"quoted\"");
	snprintf(f.machine, sizeof f.machine, "x86_64");
	snprintf(f.thp, sizeof f.thp, "madvise");
	report_init(0);
	report_open(&o);
	report_header(&f, 18446744073709551615ULL);

	memset(&c, 0, sizeof c);
	c.name = "install.anon";
	c.result = VGS_PASS;
	c.summary = "2 steps agree with the model";
	c.seconds = 0.25;
	report_result(&c);

	c.name = "thp.shmem";
	c.result = VGS_SKIP;
	c.summary = "transparent hugepages are never # not \\ a directive";
	report_result(&c);

	xasprintf(&detail, "  expected: count=1 vmas=[10:rw-s:gu] "
	    "guards=.G........\n"
	    "  observed: count=1 vmas=[10:rw-s:-] guards=..........\n"
	    "  smaps:    %s"
	    "  control:  bell\a escape\x1b[31m cr\r del\x7f\n"
	    "  bytes:    \xff\xfe latin1 caf\xe9 utf8 "
	    "caf\xc3\xa9 \xe2\x82\xac\n"
	    "  rerun: vmaguard-stress --run=merge-mmap --backing=shmem "
	    "--seed=18446744073709551615\n", NASTY_SMAPS);
	c.name = "merge-mmap.shmem";
	c.expected = "count=1 vmas=[10:rw-s:gu] guards=.G........";
	c.observed = "count=1 vmas=[10:rw-s:-] guards=..........";
	c.rerun = "vmaguard-stress --run=merge-mmap --backing=shmem "
	    "--seed=18446744073709551615";
	c.result = VGS_FAIL;
	c.summary = "step 3 'fill <the> gap & \"merge\"': count 2, want 1 #x";
	c.detail = detail;
	c.seconds = 0.5;
	report_result(&c);

	c.name = "stress.anon";
	c.scenario = "stress";
	c.backing = "anon";
	c.result = VGS_HARD;
	c.summary = "setup: mmap: Cannot allocate memory";
	c.detail = NULL;
	c.expected = c.observed = c.rerun = NULL;
	c.seconds = 0;
	report_result(&c);

	report_exit_status(VGS_HARD);
	report_summary();
	free(detail);
	free(junit);
	free(json);
	free(out);
	return (0);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--emit") == 0)
		return (emit(argv[2]));
	unit_escaping();
	unit_fields();
	return (unit_done("test-report"));
}
