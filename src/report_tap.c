/*
 * report_tap.c: the run as TAP version 13 on stdout (--tap), for prove,
 * automake's tap-driver.sh and the kselftest runner.  One test point per
 * check, numbered in run order and named as everywhere else
 * ("ok 3 install.shmem"); a skipped check is "ok N name # SKIP reason".
 * A failure carries a YAML block (message, expected and observed state,
 * the rerun command) and then its page strips as "# " diagnostics.  The
 * plan comes last ("1..N"), since --fail-fast, a signal or a hard error
 * may end the run early: a consumer then sees the checks that ran and a
 * plan that matches them.  Then come kselftest's "# Totals:" line and
 * the text summary, as comments.  When nothing can run (no guard
 * regions), the checks that skip for it are left out and the plan says
 * why, as kselftest does: "1..0 # SKIP reason".
 */
#include "vgs.h"
#include "report_writer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static unsigned	tap_left_out;	/* skips that the skip-all plan covers */

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
		if ((n = report_fmt_utf8_len(p)) == 0) {
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
static void
tap_diag(FILE *f, const char *text)
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
		else if ((n = report_fmt_utf8_len(p)) == 0) {
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

/* The version line, then the run header as comments. */
static void
tap_header(struct report_sink *k, const struct report_run *run)
{
	const char	*p = run->features;
	char		 key[64], v[256];

	fputs("TAP version 13\n", k->f);
	if (run->verbosity < 0 || !run->have_header)
		return;
	fprintf(k->f, "# %s %s on Linux %s %s, page size %zu, seed %llu\n",
	    PACKAGE_NAME, PACKAGE_VERSION, run->release, run->machine,
	    run->page_size, run->seed);
	while (report_fmt_feature_next(&p, key, sizeof key, v, sizeof v))
		fprintf(k->f, "# feature %s: %s\n", key, v);
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
tap_yaml(FILE *f, const struct report_run *run, const struct report_check *c)
{
	char	 scn[96], bk[32];

	report_fmt_split_name(c, scn, sizeof scn, bk, sizeof bk);
	fputs("  ---\n", f);
	tap_yaml_field(f, "message", c->summary);
	fprintf(f, "  severity: %s\n", c->result == VGS_HARD ?
	    "error" : "fail");
	tap_yaml_field(f, "scenario", scn);
	tap_yaml_field(f, "backing", bk);
	fprintf(f, "  seconds: %.6f\n", c->seconds);
	tap_yaml_field(f, "expected", c->expected);
	tap_yaml_field(f, "observed", c->observed);
	tap_yaml_field(f, "rerun", c->rerun);
	if (run->have_header)
		fprintf(f, "  seed: %llu\n", run->seed);
	fputs("  ...\n", f);
}

/* One test point. */
static void
tap_result(struct report_sink *k, const struct report_run *run,
    const struct report_check *c)
{
	FILE	*f = k->f;

	if (run->skip_all[0] != '\0' && c->result == VGS_SKIP) {
		tap_left_out++;
		return;
	}
	k->n++;
	fprintf(f, "%sok %u ", c->result == VGS_PASS ||
	    c->result == VGS_SKIP ? "" : "not ", k->n);
	tap_line_text(f, c->name);
	if (c->result == VGS_SKIP) {
		fputs(" # SKIP ", f);
		tap_line_text(f, c->summary);
	}
	fputc('\n', f);
	if (c->result == VGS_FAIL || c->result == VGS_HARD) {
		tap_yaml(f, run, c);
		tap_diag(f, c->detail);
	} else if (run->verbosity > 0 && c->detail != NULL)
		tap_diag(f, c->detail);
	fflush(f);
}

/* Free text, as comments. */
static void
tap_text(struct report_sink *k, const struct report_run *run,
    const char *s)
{
	(void)run;
	tap_diag(k->f, s);
}

/*
 * The plan, after the last test point, and the summary as a comment;
 * a run that stopped early (a hard error) bails out with the reason
 * after the summary, instead of the plan.
 */
static void
tap_summary(struct report_sink *k, const struct report_run *run)
{
	if (run->metrics)
		report_fmt_metrics(k->f, "# ");
	if (k->n == 0 && run->skip_all[0] != '\0' && !run->bailed) {
		fputs("1..0 # SKIP ", k->f);
		tap_line_text(k->f, run->skip_all);
		fputc('\n', k->f);
		fflush(k->f);
		return;
	}
	if (!run->bailed)
		fprintf(k->f, "1..%u\n", k->n);
	fprintf(k->f, "# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u "
	    "error:%u\n", run->passed, run->failed,
	    run->skipped - tap_left_out, run->errors);
	fprintf(k->f, "# %u passed, %u failed, %u skipped, %u errors\n",
	    run->passed, run->failed, run->skipped, run->errors);
	if (run->bailed) {
		fputs("Bail out! ", k->f);
		tap_line_text(k->f, run->bail[0] != '\0' ? run->bail :
		    "the run ended early (see stderr)");
		fputc('\n', k->f);
	}
	fflush(k->f);
}

const struct report_writer report_tap_writer = {
	.name = "--tap",
	.header = tap_header,
	.result = tap_result,
	.text = tap_text,
	.summary = tap_summary,
	.close = report_stream_close,
};
