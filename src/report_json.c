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
 * A failure adds "expected", "observed" (SPEC §0 notation), "rerun" and
 * "detail" (the text report's lines under the check).
 */
#include "vgs.h"
#include "metrics.h"
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned	json_number;
static const char *result_keys[VGS_RES_COUNT] = {
	"pass", "fail", "skip", "error"
};

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
			if ((n = report_utf8_len(p)) == 0) {
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
void
report_json_result(FILE *f, const struct report_check *c)
{
	char	 scn[96], bk[32], *exp = NULL, *obs = NULL, *rerun = NULL;
	int	 failed;

	json_number++;
	report_split_name(c, scn, sizeof scn, bk, sizeof bk);
	failed = c->result == VGS_RES_FAIL || c->result == VGS_RES_ERROR;
	if (failed) {
		exp = c->expected ? xstrdup(c->expected) :
		    report_detail_field(c->detail, "expected");
		obs = c->observed ? xstrdup(c->observed) :
		    report_detail_field(c->detail, "observed");
		rerun = c->rerun ? xstrdup(c->rerun) :
		    report_detail_field(c->detail, "rerun");
	}
	fprintf(f, "{\"type\":\"check\",\"n\":%u", json_number);
	field(f, "name", c->name);
	field(f, "scenario", scn);
	field(f, "backing", bk);
	field(f, "result", result_keys[c->result]);
	field(f, "summary", c->summary);
	fprintf(f, ",\"seconds\":%.6f", c->seconds);
	field(f, "expected", exp);
	field(f, "observed", obs);
	field(f, "rerun", rerun);
	if (c->detail != NULL && *c->detail != '\0' &&
	    (failed || report_run.verbosity > 0))
		field(f, "detail", c->detail);
	fputs("}\n", f);
	fflush(f);
	free(exp);
	free(obs);
	free(rerun);
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
void
report_json_summary(FILE *f)
{
	const char	*p = report_run.features;
	char		 k[64], v[256];
	int		 first = 1;

	fputs("{\"type\":\"summary\"", f);
	field(f, "tool", PACKAGE_NAME);
	field(f, "version", PACKAGE_VERSION);
	fprintf(f, ",\"checks\":%u,\"passed\":%u,\"failed\":%u,"
	    "\"skipped\":%u,\"errors\":%u", json_number,
	    report_run.counts[VGS_RES_PASS], report_run.counts[VGS_RES_FAIL],
	    report_run.counts[VGS_RES_SKIP],
	    report_run.counts[VGS_RES_ERROR]);
	if (report_run.status >= 0)
		fprintf(f, ",\"exit_status\":%d", report_run.status);
	else
		fputs(",\"exit_status\":null", f);
	fprintf(f, ",\"seconds\":%.6f", report_seconds());
	if (report_run.have_header) {
		fprintf(f, ",\"seed\":%llu", report_run.seed);
		fputs(",\"kernel\":{", f);
		fputs("\"release\":", f);
		report_json_string(f, report_run.release);
		fputs(",\"machine\":", f);
		report_json_string(f, report_run.machine);
		fprintf(f, "},\"page_size\":%zu", report_run.page_size);
		fputs(",\"features\":{", f);
		while (report_feature_next(&p, k, sizeof k, v, sizeof v)) {
			fprintf(f, "%s", first ? "" : ",");
			report_json_string(f, k);
			fputc(':', f);
			report_json_string(f, v);
			first = 0;
		}
		fputc('}', f);
	}
	fputs(",\"metrics\":", f);
	json_metrics(f);
	fputs("}\n", f);
}
