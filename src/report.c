/*
 * report.c: all output on stdout goes through here, and so do the report
 * files.  Every event of a run (its header, each check's result, free
 * text, the summary) is handed to each output the options asked for, as
 * a table of writers (report_writer.h): the text report (stdout, or -o
 * FILE), TAP on stdout (--tap), JSON Lines (--json) and JUnit XML
 * (--junit), so the formats agree by construction.
 *
 * Files are opened only after the command line has been accepted; one
 * that cannot be created is a usage error that removes whatever this
 * call had already created.  Writers flush after every check, and the
 * JUnit document is rewritten whole (to a temporary name, then renamed),
 * so a run killed half-way leaves well-formed files.
 */
#include "vgs.h"
#include "feature.h"
#include "metrics.h"
#include "options.h"
#include "report.h"
#include "report_writer.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SINKS	4

static struct report_run	 run = { .status = -1 };
static struct report_sink	 sinks[MAX_SINKS];
static int			 nsinks;
static int			 opened;
static int			 headed;
static int			 finished;
static pid_t			 owner;

static void	report_atexit(void);

/* -1 quiet (failures and summary only), 0 normal, 1 verbose. */
void
report_init(int v)
{
	run.verbosity = v;
	setvbuf(stdout, NULL, _IOLBF, 0);
	owner = getpid();
}

/* The verbosity report_init() was given. */
int
report_verbosity(void)
{
	return (run.verbosity);
}

/* Whether --show asked for page strips after every step. */
int
report_showing(void)
{
	return (run.show);
}

static struct report_sink *
sink_add(const struct report_writer *w, FILE *f, const char *path)
{
	struct report_sink	*k = &sinks[nsinks++];

	memset(k, 0, sizeof *k);
	k->w = w;
	k->f = f;
	k->path = path;
	return (k);
}

/* Open path for a writer; *created tells whether it is new. */
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

/* Undo what report_open() made before a path failed; never returns. */
static void
open_failed(const char *opt, const char *path, int e, const char *err,
    const int *created)
{
	int	i;

	for (i = 0; i < nsinks; i++) {
		if (sinks[i].f == NULL || sinks[i].f == stdout)
			continue;
		fclose(sinks[i].f);
		if (created[i])
			unlink(sinks[i].path);
	}
	nsinks = 0;
	if (err != NULL && err[0] != '\0')
		usage_error("%s: %s", opt, err);
	usage_error("%s: cannot create '%s': %s", opt, path, strerror(e));
}

/*
 * Open the outputs the options name.  A path that cannot be written is
 * a usage error; whatever was created before it is removed, so nothing
 * is left behind.
 */
void
report_open(const struct vgs_opts *o)
{
	struct report_sink	*k;
	FILE			*f;
	int			 claims, created[MAX_SINKS] = { 0 };
	char			 err[VGS_MSG_MAX] = "";

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
	run.metrics = o->metrics;
	run.show = o->show;

	if (o->output != NULL && strcmp(o->output, "-") != 0) {
		if ((f = open_output(o->output, &created[nsinks])) == NULL)
			open_failed("--output", o->output, errno, NULL,
			    created);
		k = sink_add(&report_text_writer, f, o->output);
	} else if (o->output != NULL || claims == 0)
		k = sink_add(&report_text_writer, stdout, NULL);
	else
		k = NULL;
	if (k != NULL)
		k->colour = k->f == stdout && report_tty_colour(stdout);
	if (o->tap)
		sink_add(&report_tap_writer, stdout, NULL);
	if (o->json != NULL && strcmp(o->json, "-") == 0)
		sink_add(&report_json_writer, stdout, NULL);
	else if (o->json != NULL) {
		if ((f = open_output(o->json, &created[nsinks])) == NULL)
			open_failed("--json", o->json, errno, NULL, created);
		sink_add(&report_json_writer, f, o->json);
	}
	if (o->junit != NULL) {
		k = sink_add(&report_junit_writer, NULL, o->junit);
		if (report_junit_open(k, o->junit, err, sizeof err) != 0) {
			nsinks--;
			open_failed("--junit", o->junit, 0, err, created);
		}
	}
	metrics_reset();
	run.start_ns = vgs_now_ns();
	report_tty_init();
	opened = 1;
	atexit(report_atexit);
}

/*
 * Nothing can run, for the reason given (the kernel lacks guard regions):
 * checks that skip are then left out of TAP, whose plan says it instead
 * ("1..0 # SKIP reason", as kselftest writes it).  The other outputs
 * list every check.
 */
void
report_skip_all(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(run.skip_all, sizeof run.skip_all, fmt, ap);
	va_end(ap);
}

/* The exit status the run ends with, for the summaries. */
void
report_exit_status(int status)
{
	run.status = status;
}

/* The run header: version, kernel, page size, features, seed. */
void
report_header(const struct features *f, unsigned long long seed)
{
	int	i;

	snprintf(run.release, sizeof run.release, "%s", f->release);
	snprintf(run.machine, sizeof run.machine, "%s", f->machine);
	run.page_size = vgs_page_size;
	run.seed = seed;
	run.have_header = 1;
	feature_lines(f, run.features, sizeof run.features);
	feature_describe(f, run.describe, sizeof run.describe);
	snprintf(run.generation, sizeof run.generation, "%s: %s",
	    verdict_name(f->gen), f->gen == VGS_GEN_CONTRADICTORY ?
	    f->conflict : f->evidence);
	report_tty_clear();
	for (i = 0; i < nsinks; i++) {
		if (sinks[i].w->header != NULL)
			sinks[i].w->header(&sinks[i], &run);
	}
	headed = 1;
}

/* One check's result, to every output. */
void
report_result(const struct report_check *c)
{
	int	i;

	switch (c->result) {
	case VGS_PASS:
		run.passed++;
		break;
	case VGS_FAIL:
		run.failed++;
		break;
	case VGS_SKIP:
		run.skipped++;
		break;
	case VGS_HARD:
		run.errors++;
		break;
	default:
		return;
	}
	report_tty_clear();
	for (i = 0; i < nsinks; i++) {
		if (sinks[i].w->result != NULL)
			sinks[i].w->result(&sinks[i], &run, c);
	}
	report_tty_tick(&run, NULL, 0, 0);
}

/* Free-form text into the outputs that take it. */
static void
emit_text(char *s)
{
	int	i;

	report_tty_clear();
	for (i = 0; i < nsinks; i++) {
		if (sinks[i].w->text != NULL)
			sinks[i].w->text(&sinks[i], &run, s);
	}
	free(s);
}

/* A line shown only with --verbose (a comment in TAP). */
void
report_verbose(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (run.verbosity <= 0)
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

/*
 * The last line of every run; completes and closes every output.  -1
 * when an output lost what was written to it (said on stderr).
 */
int
report_summary(void)
{
	char	err[VGS_MSG_MAX];
	int	i, lost = 0;

	report_tty_clear();
	if (!headed) {
		for (i = 0; i < nsinks; i++) {
			if (sinks[i].w == &report_tap_writer)
				sinks[i].w->header(&sinks[i], &run);
		}
		headed = 1;
	}
	for (i = 0; i < nsinks; i++) {
		if (sinks[i].w->summary != NULL)
			sinks[i].w->summary(&sinks[i], &run);
	}
	for (i = 0; i < nsinks; i++) {
		err[0] = '\0';
		if (sinks[i].w->close(&sinks[i], err, sizeof err) == 0)
			continue;
		lost = 1;
		fprintf(stderr, "%s: %s: %s\n", vgs_progname,
		    sinks[i].w->name, err);
	}
	nsinks = 0;
	finished = 1;
	fflush(stdout);
	return (lost ? -1 : 0);
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
	if (run.status == -1)
		run.status = VGS_HARD;
	run.bailed = 1;
	report_summary();
}

/* How many checks ended with outcome r. */
unsigned
report_count(enum outcome r)
{
	switch (r) {
	case VGS_PASS:
		return (run.passed);
	case VGS_FAIL:
		return (run.failed);
	case VGS_SKIP:
		return (run.skipped);
	case VGS_HARD:
		return (run.errors);
	}
	return (0);
}

/* Announce n more checks, so the progress line can say what is left. */
void
report_plan(unsigned n)
{
	run.planned += n;
}

/*
 * Announce n more checks that all end within secs from now (the stress
 * phase with its -t share), so the progress line can say exactly what is
 * left; secs 0: not bounded in time.
 */
void
report_phase(unsigned n, double secs)
{
	run.planned += n;
	run.phase_end_ns = secs > 0 ? vgs_now_ns() + (uint64_t)(secs * 1e9) :
	    0;
}

/* A long check's progress: done of total operations (total 0: unknown). */
void
report_tick(const char *what, uint64_t done, uint64_t total)
{
	if (getpid() != owner)
		return;
	report_tty_tick(&run, what, done, total);
}

/* Take the progress line off the terminal before writing to stderr. */
void
report_clear_progress(void)
{
	report_tty_clear();
}
