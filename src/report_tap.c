/*
 * report_tap.c: the run as TAP version 13 on stdout (--tap), for prove,
 * automake's tap-driver.sh and the kselftest runner.  One test point per
 * check, numbered in run order and named as everywhere else
 * ("ok 3 install.shmem"); a skipped check is "ok N name # SKIP reason".
 * A failure carries a YAML block (message, expected and observed state,
 * the rerun command) and then its page strips as "# " diagnostics.  The
 * plan comes last ("1..N"), since --fail-fast, a signal or a hard error
 * may end the run early: a consumer then sees the checks that ran and a
 * plan that matches them.  The text summary follows as a comment.
 */
#include "vgs.h"
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned	tap_number;

/*
 * A YAML double-quoted scalar: the subset TAP::Parser's YAMLish reader
 * and every YAML parser read the same way.  Control characters become
 * \xHH, bytes that are not UTF-8 become U+FFFD.
 */
void
report_tap_yaml_string(FILE *f, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	fputc('"', f);
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
			continue;
		}
		if (*p == '\n') {
			fputs("\\n", f);
			p++;
			continue;
		}
		if (*p == '\t') {
			fputs("\\t", f);
			p++;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p++);
			continue;
		}
		if ((n = report_utf8_len(p)) == 0) {
			fputs("\xef\xbf\xbd", f);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
	fputc('"', f);
}

/*
 * Text on a TAP line: a '#' would start a directive and a newline a new
 * line, so escape the one and flatten the other.
 */
static void
tap_line_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
}

/*
 * Lines of text as "# " diagnostics.  A carriage return or escape
 * sequence quoted from the kernel must not redraw a CI log, nor a stray
 * byte make the stream invalid UTF-8: \xHH and U+FFFD instead.
 */
void
report_tap_diag(FILE *f, const char *text)
{
	const unsigned char	*p = (const unsigned char *)text;
	size_t			 n;
	int			 bol = 1;

	while (p != NULL && *p != '\0') {
		if (bol)
			fputs("# ", f);
		bol = *p == '\n';
		if (*p == '\n' || *p == '\t')
			fputc(*p++, f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p++);
		else if ((n = report_utf8_len(p)) == 0) {
			fputs("\xef\xbf\xbd", f);
			p++;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
	if (!bol)
		fputc('\n', f);
}

/* The run header as comments (the version line was written at open). */
void
report_tap_header(FILE *f)
{
	const char	*p = report_run.features;
	char		 k[64], v[256];

	if (report_run.verbosity < 0)
		return;
	fprintf(f, "# %s %s on Linux %s %s, page size %zu, seed %llu\n",
	    PACKAGE_NAME, PACKAGE_VERSION, report_run.release,
	    report_run.machine, report_run.page_size, report_run.seed);
	while (report_feature_next(&p, k, sizeof k, v, sizeof v))
		fprintf(f, "# feature %s: %s\n", k, v);
}

static void
tap_yaml_field(FILE *f, const char *key, const char *val)
{
	if (val == NULL)
		return;
	fprintf(f, "  %s: ", key);
	report_tap_yaml_string(f, val);
	fputc('\n', f);
}

static void
tap_yaml(FILE *f, const struct report_check *c)
{
	char	 scn[96], bk[32], *exp, *obs, *rerun;

	report_split_name(c, scn, sizeof scn, bk, sizeof bk);
	exp = c->expected ? xstrdup(c->expected) :
	    report_detail_field(c->detail, "expected");
	obs = c->observed ? xstrdup(c->observed) :
	    report_detail_field(c->detail, "observed");
	rerun = c->rerun ? xstrdup(c->rerun) :
	    report_detail_field(c->detail, "rerun");
	fputs("  ---\n", f);
	tap_yaml_field(f, "message", c->summary);
	fprintf(f, "  severity: %s\n", c->result == VGS_RES_ERROR ?
	    "error" : "fail");
	tap_yaml_field(f, "scenario", scn);
	tap_yaml_field(f, "backing", bk);
	fprintf(f, "  seconds: %.6f\n", c->seconds);
	tap_yaml_field(f, "expected", exp);
	tap_yaml_field(f, "observed", obs);
	tap_yaml_field(f, "rerun", rerun);
	if (report_run.have_header)
		fprintf(f, "  seed: %llu\n", report_run.seed);
	fputs("  ...\n", f);
	free(exp);
	free(obs);
	free(rerun);
}

/* One test point. */
void
report_tap_result(FILE *f, const struct report_check *c)
{
	tap_number++;
	fprintf(f, "%sok %u ", c->result == VGS_RES_PASS ||
	    c->result == VGS_RES_SKIP ? "" : "not ", tap_number);
	tap_line_text(f, c->name);
	if (c->result == VGS_RES_SKIP) {
		fputs(" # SKIP ", f);
		tap_line_text(f, c->summary);
	}
	fputc('\n', f);
	if (c->result == VGS_RES_FAIL || c->result == VGS_RES_ERROR) {
		tap_yaml(f, c);
		report_tap_diag(f, c->detail);
	} else if (report_run.verbosity > 0 && c->detail != NULL)
		report_tap_diag(f, c->detail);
	fflush(f);
}

/* The plan, after the last test point, and the summary as a comment. */
void
report_tap_summary(FILE *f)
{
	fprintf(f, "1..%u\n", tap_number);
	fprintf(f, "# %u passed, %u failed, %u skipped%s\n",
	    report_run.counts[VGS_RES_PASS], report_run.counts[VGS_RES_FAIL],
	    report_run.counts[VGS_RES_SKIP],
	    report_run.counts[VGS_RES_ERROR] ? ", hard error" : "");
}
