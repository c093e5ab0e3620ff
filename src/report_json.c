/*
 * report_json.c: the run as JSON Lines (--json=FILE): one object per
 * check, written and flushed as the check ends, and one summary object
 * last.  Every line is a complete JSON text, so a run killed half-way
 * leaves a file whose lines all parse; a file without a summary line is
 * a run that did not finish.
 *
 *   {"type":"check","n":1,"name":"install.anon","scenario":"install",
 *    "backing":"anon","result":"pass","summary":"...","seconds":0.001}
 *   {"type":"summary","passed":56,"failed":0,...,"features":{...},
 *    "metrics":{...}}
 *
 * A failure adds "expected", "observed" (doc/behaviour.md §1.2), "rerun" and
 * "detail" (the text report's lines under the check).
 */
#include "vgs.h"
#include "metrics.h"
#include "report_writer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * A JSON string: quotes, backslashes and control characters escaped,
 * bytes that are not UTF-8 replaced by U+FFFD, so the line always
 * parses whatever text a check quotes.
 */
void
report_json_string(FILE *f, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	fputc('"', f);
	while (p != NULL && *p != '\0') {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			if ((n = report_fmt_utf8_len(p)) == 0) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

static void
field(FILE *f, const char *key, const char *val)
{
	if (val == NULL)
		return;
	fprintf(f, ",\"%s\":", key);
	report_json_string(f, val);
}

/* One check as one line. */
static void
json_result(struct report_sink *k, const struct report_run *run,
    const struct report_check *c)
{
	FILE	*f = k->f;
	char	 scn[96], bk[32];
	int	 failed;

	k->n++;
	report_fmt_split_name(c, scn, sizeof scn, bk, sizeof bk);
	failed = c->result == VGS_FAIL || c->result == VGS_HARD;
	fprintf(f, "{\"type\":\"check\",\"n\":%u", k->n);
	field(f, "name", c->name);
	field(f, "scenario", scn);
	field(f, "backing", bk);
	field(f, "result", report_fmt_names(c->result)->key);
	field(f, "summary", c->summary);
	fprintf(f, ",\"seconds\":%.6f", c->seconds);
	if (failed) {
		field(f, "expected", c->expected);
		field(f, "observed", c->observed);
		field(f, "rerun", c->rerun);
	}
	if (c->detail != NULL && *c->detail != '\0' &&
	    (failed || run->verbosity > 0))
		field(f, "detail", c->detail);
	fputs("}\n", f);
	fflush(f);
}

static void
json_metrics(FILE *f)
{
	struct metric_value	 v;
	uint64_t		 ops, obs, el = metrics_elapsed();
	double			 secs = el / 1e9;
	int			 k, first = 1;

	metrics_totals(&ops, &obs);
	fprintf(f, "{\"elapsed_seconds\":%.6f,\"kernel_op_seconds\":%.6f,"
	    "\"observe_seconds\":%.6f,\"kinds\":{", secs, ops / 1e9,
	    obs / 1e9);
	for (k = 0; k < VGS_MET_COUNT; k++) {
		metrics_get(k, &v);
		fprintf(f, "%s\"%s\":{\"count\":%llu,\"seconds\":%.6f,"
		    "\"per_second\":%.3f,\"observation\":%s}",
		    first ? "" : ",", metrics_name(k),
		    (unsigned long long)v.count, v.ns / 1e9,
		    secs > 0 ? v.count / secs : 0.0,
		    metrics_is_observation(k) ? "true" : "false");
		first = 0;
	}
	fputs("}}", f);
}

/* The summary line: counts, the run's facts, features and metrics. */
static void
json_summary(struct report_sink *k, const struct report_run *run)
{
	FILE		*f = k->f;
	const char	*p = run->features;
	char		 key[64], v[256];
	int		 first = 1;

	fputs("{\"type\":\"summary\"", f);
	field(f, "tool", PACKAGE_NAME);
	field(f, "version", PACKAGE_VERSION);
	fprintf(f, ",\"checks\":%u,\"passed\":%u,\"failed\":%u,"
	    "\"skipped\":%u,\"errors\":%u", k->n, run->passed, run->failed,
	    run->skipped, run->errors);
	if (run->status >= 0)
		fprintf(f, ",\"exit_status\":%d", run->status);
	else
		fputs(",\"exit_status\":null", f);
	fprintf(f, ",\"seconds\":%.6f", report_fmt_elapsed(run));
	if (run->have_header) {
		fprintf(f, ",\"seed\":%llu", run->seed);
		fputs(",\"kernel\":{", f);
		fputs("\"release\":", f);
		report_json_string(f, run->release);
		fputs(",\"machine\":", f);
		report_json_string(f, run->machine);
		fprintf(f, "},\"page_size\":%zu", run->page_size);
		fputs(",\"features\":{", f);
		while (report_fmt_feature_next(&p, key, sizeof key, v,
		    sizeof v)) {
			fprintf(f, "%s", first ? "" : ",");
			report_json_string(f, key);
			fputc(':', f);
			report_json_string(f, v);
			first = 0;
		}
		fputc('}', f);
	}
	fputs(",\"metrics\":", f);
	json_metrics(f);
	fputs("}\n", f);
	fflush(f);
}

const struct report_writer report_json_writer = {
	.name = "--json",
	.result = json_result,
	.summary = json_summary,
	.close = report_stream_close,
};
