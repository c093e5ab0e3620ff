/*
 * report.c: all output on stdout goes through here, and so do the report
 * files.  Every event of a run (its header, each check's result, free
 * text, the summary) is handed to each output the options asked for, as
 * a table of writers (report_writer.h): the text report (stdout, or -o
 * FILE), TAP on stdout (--tap), JSON Lines (--json) and JUnit XML
 * (--junit), so the formats agree by construction.
 *
 * Files are opened only after the command line has been accepted; one
 * that cannot be created is an error of the environment (99) that
 * removes whatever this call had already created.  Writers flush after
 * every check, and the JUnit document is rewritten whole (to a temporary
 * name, then renamed), so a run killed half-way leaves well-formed files.
 *
 * Output that does not reach its file (a full file system, /dev/full,
 * a closed pipe) is an error of the run, like gnulib's close_stdout:
 * found after every event, it is said once on stderr and reported as an
 * ERROR to the outputs that still work, and the run ends with 99.  At
 * the end the summaries go out in an order that keeps the last word
 * right (summary_phase()): an output that fails at its own summary is
 * counted in those after it, and a JUnit file is rewritten last.  Only
 * an output failing at its very last line can leave one written before
 * it without that error: stderr says so, and the status is 99.
 */
#include "vgs.h"
#include "child.h"
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
static void	sinks_check(void);

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

/*
 * Undo what report_open() made before a path failed; never returns.  A
 * well-formed path the system refuses is the environment's fault: 99.
 */
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
		fatalx("%s: %s", opt, err);
	fatalx("%s: cannot create '%s': %s", opt, path, strerror(e));
}

/*
 * Open the outputs the options name.  A path that cannot be written is
 * a hard error (99); whatever was created before it is removed, so
 * nothing is left behind.
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
	sinks_check();
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
		/* 99 outranks every status but a signal's. */
		if (run.status >= 0 && !vgs_stop)
			run.status = VGS_HARD;
		break;
	default:
		return;
	}
	report_tty_clear();
	/* After its summary only the JUnit document, rewritten whole. */
	for (i = 0; i < nsinks; i++) {
		if (sinks[i].w->result != NULL && (!sinks[i].done ||
		    sinks[i].w == &report_junit_writer))
			sinks[i].w->result(&sinks[i], &run, c);
	}
	report_tty_tick(&run, NULL, 0, 0);
	sinks_check();
}

/*
 * A hard error of check name: one line on stderr and an ERROR result.
 * The run stops after it: TAP bails out with the reason.
 */
void
report_error(const char *name, double seconds, const char *fmt, ...)
{
	struct report_check	 c;
	char			 why[VGS_MSG_MAX];
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	fflush(stdout);
	report_tty_clear();
	fprintf(stderr, "%s: %s: %s\n", vgs_progname, name, why);
	if (!run.bailed) {
		run.bailed = 1;
		snprintf(run.bail, sizeof run.bail, "%s: %s", name, why);
	}
	memset(&c, 0, sizeof c);
	c.name = name;
	c.result = VGS_HARD;
	c.summary = why;
	c.seconds = seconds;
	report_result(&c);
}

/* Does the sink write to standard output? */
static int
sink_on_stdout(const struct report_sink *k)
{
	return (k->f == stdout || k->path == NULL ||
	    strcmp(k->path, "-") == 0);
}

/*
 * Has a sink lost output?  Its writer says (flush), or its FILE's
 * error flag does; errno is the first failure's where it was caught.
 */
static int
sink_lost(struct report_sink *k, char *err, size_t errsz)
{
	int	e = errno;

	if (k->w->flush != NULL)
		return (k->w->flush(k, err, errsz));
	if (k->f == NULL || (fflush(k->f) == 0 && !ferror(k->f)))
		return (0);
	if (k->err_no == 0)
		k->err_no = e != 0 ? e : EIO;
	snprintf(err, errsz, "writing '%s': %s", k->path ? k->path :
	    "standard output", strerror(k->err_no));
	return (-1);
}

/*
 * Every sink that lost output since the last look: say so on stderr
 * and report the error to the outputs that still take results.
 */
static void
sinks_check(void)
{
	struct report_check	 c;
	char			 err[VGS_MSG_MAX];
	int			 i;

	for (i = 0; i < nsinks; i++) {
		if (sinks[i].f != NULL && ferror(sinks[i].f) &&
		    sinks[i].err_no == 0)
			sinks[i].err_no = errno != 0 ? errno : EIO;
	}
	for (i = 0; i < nsinks; i++) {
		if (sinks[i].lost)
			continue;
		err[0] = '\0';
		if (sink_lost(&sinks[i], err, sizeof err) == 0)
			continue;
		sinks[i].lost = 1;
		if (sink_on_stdout(&sinks[i]))
			vgs_stdout_said = 1;
		fflush(stdout);
		report_tty_clear();
		fprintf(stderr, "%s: %s: %s\n", vgs_progname,
		    sinks[i].w->name, err);
		memset(&c, 0, sizeof c);
		c.name = sinks[i].w->name;
		c.result = VGS_HARD;
		c.summary = err;
		report_result(&c);
	}
}

/* Free-form text into the outputs that take it. */
static void
emit_text(char *s)
{
	int	i;

	report_tty_clear();
	for (i = 0; i < nsinks; i++) {
		if (sinks[i].w->text != NULL && !sinks[i].done)
			sinks[i].w->text(&sinks[i], &run, s);
	}
	free(s);
	sinks_check();
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
 * The order summaries go out in.  A JUnit document written only now (a
 * FIFO, a device, stdout) first: its one write is the likeliest to fail
 * and cannot be taken back.  Then text and TAP, then the JSON line, and
 * last a JUnit file, rewritten whole, which can take in every error.
 */
static int
summary_phase(const struct report_sink *k)
{
	if (k->w == &report_junit_writer)
		return (k->once ? 0 : 3);
	if (k->w == &report_json_writer)
		return (2);
	return (1);
}

/*
 * The last line of every run; completes and closes every output.  -1
 * when an output lost what was written to it (said on stderr, counted
 * as an error in the outputs that could still say so).
 */
int
report_summary(void)
{
	char	err[VGS_MSG_MAX];
	int	i, phase, lost = 0;

	report_tty_clear();
	if (!headed) {
		for (i = 0; i < nsinks; i++) {
			if (sinks[i].w == &report_tap_writer)
				sinks[i].w->header(&sinks[i], &run);
		}
		headed = 1;
	}
	sinks_check();
	for (phase = 0; phase < 4; phase++) {
		for (i = 0; i < nsinks; i++) {
			if (summary_phase(&sinks[i]) != phase)
				continue;
			if (sinks[i].w->summary != NULL)
				sinks[i].w->summary(&sinks[i], &run);
			sinks[i].done = 1;
			sinks[i].errors_seen = run.errors;
			sinks_check();
		}
	}
	/* The JUnit document can still take an error found after it. */
	for (i = 0; i < nsinks; i++) {
		if (sinks[i].w == &report_junit_writer && !sinks[i].lost &&
		    sinks[i].errors_seen != run.errors) {
			sinks[i].w->summary(&sinks[i], &run);
			sinks_check();
		}
	}
	for (i = 0; i < nsinks; i++) {
		err[0] = '\0';
		lost |= sinks[i].lost;
		if (sinks[i].w->close(&sinks[i], err, sizeof err) == 0 ||
		    sinks[i].lost)
			continue;
		lost = 1;
		if (sink_on_stdout(&sinks[i]))
			vgs_stdout_said = 1;
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
 * still completes its files, as a hard error that names the reason.
 */
static void
report_atexit(void)
{
	struct report_check	c;
	const char		*why;

	if (!opened || finished || getpid() != owner)
		return;
	if (run.status == -1)
		run.status = VGS_HARD;
	run.bailed = 1;
	if ((why = vgs_fatal_reason()) != NULL) {
		if (run.bail[0] == '\0')
			snprintf(run.bail, sizeof run.bail, "%s", why);
		memset(&c, 0, sizeof c);
		c.name = "run";
		c.result = VGS_HARD;
		c.summary = why;
		report_result(&c);
	}
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
