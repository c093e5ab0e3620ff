/*
 * report.c: all output on stdout goes through here, and so do the report
 * files.  Every check's result is handed to each output the options
 * asked for: the text report (stdout, or -o FILE), TAP on stdout
 * (--tap), JSON Lines (--json) and JUnit XML (--junit), so the formats
 * agree by construction.  The text report prints a header, one line per
 * check ("PASS|FAIL|SKIP scenario.backing: ..."), details under
 * failures, and ends with exactly "N passed, N failed, N skipped".
 *
 * Files are opened only after the command line has been accepted; one
 * that cannot be created is a usage error that removes whatever this
 * call had already created.  Each is flushed after every check, and the
 * JUnit document is rewritten whole (to a temporary name, then renamed),
 * so a run killed half-way leaves well-formed files.
 */
#include "vgs.h"
#include "feature.h"
#include "metrics.h"
#include "options.h"
#include "report_int.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct report_run	 report_run = { .status = -1 };

static int		 verbosity;
static FILE		*txt;		/* the text report, or NULL */
static FILE		*tap;		/* TAP, or NULL */
static FILE		*json;		/* JSON Lines, or NULL */
static int		 colour;	/* colour the text report */
static int		 opened;
static int		 finished;
static pid_t		 owner;
static const char	*result_names[VGS_RES_COUNT] = {
	"PASS", "FAIL", "SKIP", "ERROR"
};
static const char	*result_colours[VGS_RES_COUNT] = {
	"\033[32m", "\033[1;31m", "\033[33m", "\033[1;35m"
};

static void	report_atexit(void);
static FILE	*open_output(const char *, int *);

/* -1 quiet (failures and summary only), 0 normal, 1 verbose. */
void
report_init(int v)
{
	verbosity = v;
	report_run.verbosity = v;
	setvbuf(stdout, NULL, _IOLBF, 0);
	txt = stdout;
	owner = getpid();
}

/* The verbosity report_init() was given. */
int
report_verbosity(void)
{
	return (verbosity);
}

/* Whether --show asked for page strips after every step. */
int
report_showing(void)
{
	return (report_run.show);
}

/* "PASS", "FAIL", "SKIP" or "ERROR". */
const char *
report_result_word(enum result r)
{
	return ((unsigned)r < VGS_RES_COUNT ? result_names[r] : "?");
}

static FILE *
open_output(const char *path, int *created)
{
	struct stat	 sb;
	FILE		*f;

	*created = stat(path, &sb) != 0;
	if ((f = fopen(path, "w")) == NULL)
		return (NULL);
	setvbuf(f, NULL, _IOLBF, 0);
	return (f);
}

static int
same_file(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, "-") != 0 &&
	    strcmp(a, b) == 0);
}

/*
 * Open the outputs the options name.  A path that cannot be written is
 * a usage error; whatever was created before it is removed, so nothing
 * is left behind.
 */
void
report_open(const struct vgs_opts *o)
{
	const char	*bad = NULL, *badpath = NULL;
	int		 claims, txt_new = 0, json_new = 0, e = 0;
	char		 err[VGS_MSG_MAX] = "";

	claims = (o->tap != 0) + (o->output && strcmp(o->output, "-") == 0) +
	    (o->json && strcmp(o->json, "-") == 0) +
	    (o->junit && strcmp(o->junit, "-") == 0);
	if (claims > 1)
		usage_error("only one of --tap, --output=-, --json=- and "
		    "--junit=- can write to standard output");
	if (same_file(o->output, o->json) || same_file(o->output, o->junit))
		usage_error("--output and --%s name the same file '%s'",
		    same_file(o->output, o->json) ? "json" : "junit",
		    o->output);
	if (same_file(o->json, o->junit))
		usage_error("--json and --junit name the same file '%s'",
		    o->json);
	report_run.metrics = o->metrics;
	report_run.show = o->show;

	if (o->output != NULL && strcmp(o->output, "-") != 0) {
		if ((txt = open_output(o->output, &txt_new)) == NULL) {
			bad = "--output";
			badpath = o->output;
			e = errno;
		}
	} else if (o->output == NULL && claims > 0)
		txt = NULL;
	else
		txt = stdout;
	if (bad == NULL && o->json != NULL) {
		if (strcmp(o->json, "-") == 0)
			json = stdout;
		else if ((json = open_output(o->json, &json_new)) == NULL) {
			bad = "--json";
			badpath = o->json;
			e = errno;
		}
	}
	if (bad == NULL && o->junit != NULL &&
	    report_junit_open(o->junit, err, sizeof err) != 0) {
		bad = "--junit";
		badpath = o->junit;
	}
	if (bad != NULL) {
		if (txt != NULL && txt != stdout) {
			fclose(txt);
			if (txt_new)
				unlink(o->output);
		}
		if (json != NULL && json != stdout) {
			fclose(json);
			if (json_new)
				unlink(o->json);
		}
		txt = stdout;
		json = NULL;
		if (err[0] != '\0')
			usage_error("%s: %s", bad, err);
		usage_error("%s: cannot create '%s': %s", bad, badpath,
		    strerror(e));
	}
	if (o->tap) {
		tap = stdout;
		fputs("TAP version 13\n", tap);
	}
	colour = txt == stdout && report_tty_colour(stdout);
	metrics_reset();
	report_run.start_ns = metrics_now();
	report_tty_init();
	opened = 1;
	atexit(report_atexit);
}

/* The exit status the run ends with, for the summaries. */
void
report_exit_status(int status)
{
	report_run.status = status;
}

/* Seconds since report_open(). */
double
report_seconds(void)
{
	if (report_run.start_ns == 0)
		return (0);
	return ((metrics_now() - report_run.start_ns) / 1e9);
}

/* The run header: version, kernel, page size, features, seed. */
void
report_header(const struct features *f, unsigned long long seed)
{
	char	buf[512];

	snprintf(report_run.release, sizeof report_run.release, "%s",
	    f->release);
	snprintf(report_run.machine, sizeof report_run.machine, "%s",
	    f->machine);
	report_run.page_size = vgs_page_size;
	report_run.seed = seed;
	report_run.have_header = 1;
	feature_lines(f, report_run.features, sizeof report_run.features);
	if (tap != NULL)
		report_tap_header(tap);
	if (verbosity < 0 || txt == NULL)
		return;
	feature_describe(f, buf, sizeof buf);
	report_tty_clear();
	fprintf(txt, "%s %s on Linux %s %s, page size %zu, seed %llu\n",
	    PACKAGE_NAME, PACKAGE_VERSION, f->release, f->machine,
	    vgs_page_size, seed);
	fprintf(txt, "features: %s\n", buf);
}

static void
text_result(const struct report_check *c)
{
	if (txt == NULL || c->result == VGS_RES_ERROR)
		return;
	if (verbosity < 0 && c->result != VGS_RES_FAIL)
		return;
	if (colour)
		fprintf(txt, "%s%s\033[m", result_colours[c->result],
		    result_names[c->result]);
	else
		fputs(result_names[c->result], txt);
	fprintf(txt, " %s: %s\n", c->name, c->summary);
	if (c->detail != NULL && *c->detail != '\0' &&
	    (c->result == VGS_RES_FAIL || verbosity > 0))
		fputs(c->detail, txt);
	fflush(txt);
}

/* One check's result, to every output. */
void
report_result(const struct report_check *c)
{
	if ((unsigned)c->result >= VGS_RES_COUNT)
		return;
	report_run.counts[c->result]++;
	report_tty_clear();
	text_result(c);
	if (tap != NULL)
		report_tap_result(tap, c);
	if (json != NULL)
		report_json_result(json, c);
	report_junit_result(c);
	report_tty_tick(NULL, 0, 0);
}

/* Free-form text into the text report, and as comments into TAP. */
static void
emit_text(char *s)
{
	report_tty_clear();
	if (txt != NULL)
		fputs(s, txt);
	if (tap != NULL)
		report_tap_diag(tap, s);
	free(s);
}

/* A line shown only with --verbose (a comment in TAP). */
void
report_verbose(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (verbosity <= 0)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("vasprintf");
	va_end(ap);
	emit_text(s);
}

/*
 * Plain text: on stdout before report_open() (listings, --features);
 * during a run, in the text report and as TAP comments, so it never
 * breaks a TAP stream or misses the -o file.
 */
void
report_text(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (!opened) {
		vprintf(fmt, ap);
		va_end(ap);
		return;
	}
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("vasprintf");
	va_end(ap);
	emit_text(s);
}

static void
metrics_table(FILE *f, const char *pfx)
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

/* The last line of every run; completes and closes every output. */
void
report_summary(void)
{
	report_tty_clear();
	if (txt != NULL) {
		if (report_run.metrics)
			metrics_table(txt, "");
		fprintf(txt, "%u passed, %u failed, %u skipped\n",
		    report_run.counts[VGS_RES_PASS],
		    report_run.counts[VGS_RES_FAIL],
		    report_run.counts[VGS_RES_SKIP]);
		fflush(txt);
	}
	if (tap != NULL) {
		if (report_run.metrics)
			metrics_table(tap, "# ");
		report_tap_summary(tap);
		fflush(tap);
	}
	if (json != NULL) {
		report_json_summary(json);
		fflush(json);
		if (json != stdout)
			fclose(json);
		json = NULL;
	}
	report_junit_close();
	if (txt != NULL && txt != stdout)
		fclose(txt);
	txt = NULL;
	finished = 1;
	fflush(stdout);
}

/*
 * A run that ends without its summary (fatal() after a failed setup)
 * still completes its files, as a hard error.
 */
static void
report_atexit(void)
{
	if (!opened || finished || getpid() != owner)
		return;
	finished = 1;
	if (report_run.status == -1)
		report_run.status = VGS_EXIT_HARD;
	if (tap != NULL)
		fputs("Bail out! the run ended early (see stderr)\n", tap);
	tap = NULL;
	report_summary();
}

/* How many checks ended with result r. */
unsigned
report_count(enum result r)
{
	return ((unsigned)r < VGS_RES_COUNT ? report_run.counts[r] : 0);
}

/* Announce n more checks, so the progress line can say what is left. */
void
report_plan(unsigned n)
{
	report_run.planned += n;
}

/* A long check's progress: done of total operations (total 0: unknown). */
void
report_tick(const char *what, uint64_t done, uint64_t total)
{
	if (getpid() != owner)
		return;
	report_tty_tick(what, done, total);
}

/* Take the progress line off the terminal before writing to stderr. */
void
report_clear_progress(void)
{
	report_tty_clear();
}

/*
 * Split a check's name into scenario and backing: the fields when set,
 * else the parts around the last '.' of the name.
 */
void
report_split_name(const struct report_check *c, char *scn, size_t scnsz,
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

/*
 * The value of the first detail line "  key: value", malloc'd, or NULL.
 * Failure details carry expected, observed and rerun lines so.
 */
char *
report_detail_field(const char *detail, const char *key)
{
	const char	*p = detail, *eol;
	size_t		 n = strlen(key);
	char		*v;

	while (p != NULL && *p != '\0') {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (strncmp(p, "  ", 2) == 0 && strncmp(p + 2, key, n) == 0 &&
		    p[n + 2] == ':' && p[n + 3] == ' ') {
			p += n + 4;
			v = xmalloc(eol - p + 1);
			memcpy(v, p, eol - p);
			v[eol - p] = '\0';
			return (v);
		}
		p = *eol ? eol + 1 : eol;
	}
	return (NULL);
}

/* The length of the valid UTF-8 sequence at p, or 0 if it is not one. */
size_t
report_utf8_len(const unsigned char *p)
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
report_feature_next(const char **p, char *key, size_t ksz, char *val,
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
