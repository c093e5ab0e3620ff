/*
 * report_fmt.c: what the report writers share.  Plain functions of
 * their arguments (and of the metrics counters, for the table): no
 * state, no output of their own.
 */
#include "vgs.h"
#include "metrics.h"
#include "report_fmt.h"

#include <stdio.h>
#include <string.h>

static const struct report_names names[] = {
	{ "PASS", "pass", "\033[32m" },
	{ "FAIL", "fail", "\033[1;31m" },
	{ "SKIP", "skip", "\033[33m" },
	{ "ERROR", "error", "\033[1;35m" },
};

/* The names of an outcome; an unknown one reads as an error. */
const struct report_names *
report_fmt_names(enum outcome r)
{
	switch (r) {
	case VGS_PASS:
		return (&names[0]);
	case VGS_FAIL:
		return (&names[1]);
	case VGS_SKIP:
		return (&names[2]);
	default:
		return (&names[3]);
	}
}

/* "PASS", "FAIL", "SKIP" or "ERROR". */
const char *
report_fmt_word(enum outcome r)
{
	return (report_fmt_names(r)->word);
}

/*
 * Split a check's name into scenario and backing: the fields when set,
 * else the parts around the last '.' of the name.
 */
void
report_fmt_split_name(const struct report_check *c, char *scn, size_t scnsz,
    char *bk, size_t bksz)
{
	const char	*dot = strrchr(c->name, '.');

	if (dot == NULL)
		dot = c->name + strlen(c->name);
	snprintf(scn, scnsz, "%.*s", (int)(dot - c->name), c->name);
	snprintf(bk, bksz, "%s", *dot ? dot + 1 : "");
	if (c->scenario != NULL)
		snprintf(scn, scnsz, "%s", c->scenario);
	if (c->backing != NULL)
		snprintf(bk, bksz, "%s", c->backing);
}

/* The length of the valid UTF-8 sequence at p, or 0 if it is not one. */
size_t
report_fmt_utf8_len(const unsigned char *p)
{
	size_t		n, i;
	unsigned	cp;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return (0);
	return (n);
}

/*
 * The next "name: value" line of the feature list at *p; 0 at the end.
 */
int
report_fmt_feature_next(const char **p, char *key, size_t ksz, char *val,
    size_t vsz)
{
	const char	*eol, *colon;

	while (**p != '\0') {
		eol = strchr(*p, '\n');
		if (eol == NULL)
			eol = *p + strlen(*p);
		colon = memchr(*p, ':', eol - *p);
		if (colon != NULL && colon > *p) {
			snprintf(key, ksz, "%.*s", (int)(colon - *p), *p);
			colon++;
			while (colon < eol && *colon == ' ')
				colon++;
			snprintf(val, vsz, "%.*s", (int)(eol - colon), colon);
			*p = *eol ? eol + 1 : eol;
			return (1);
		}
		*p = *eol ? eol + 1 : eol;
	}
	return (0);
}

/* Seconds since the outputs were opened. */
double
report_fmt_elapsed(const struct report_run *run)
{
	if (run->start_ns == 0)
		return (0);
	return ((vgs_now_ns() - run->start_ns) / 1e9);
}

/* The --metrics table, each line prefixed with pfx. */
void
report_fmt_metrics(FILE *f, const char *pfx)
{
	struct metric_value	 v;
	uint64_t		 ops, obs, el = metrics_elapsed();
	double			 secs = el / 1e9;
	int			 k;

	metrics_totals(&ops, &obs);
	fprintf(f, "%smetrics: %.3f s elapsed: %.3f s in kernel operations, "
	    "%.3f s observing, %.3f s other\n", pfx, secs, ops / 1e9,
	    obs / 1e9, el > ops + obs ? (el - ops - obs) / 1e9 : 0.0);
	fprintf(f, "%s  %-10s %10s %12s %12s\n", pfx, "kind", "count",
	    "per second", "us each");
	for (k = 0; k < VGS_MET_COUNT; k++) {
		metrics_get(k, &v);
		if (v.count == 0)
			continue;
		fprintf(f, "%s  %-10s %10llu %12.1f %12.2f\n", pfx,
		    metrics_name(k), (unsigned long long)v.count,
		    secs > 0 ? v.count / secs : 0.0,
		    v.ns / 1e3 / v.count);
	}
}
