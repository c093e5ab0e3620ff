/*
 * report_tty.c: what only a person at a terminal sees.  A progress line
 * on stderr (checks done of those planned, failures so far, time spent
 * and left, and how far a long check has got) once a run has lasted a
 * second, redrawn in place with '\r' at most ten times a second and
 * erased before anything else is written, so it never ends up between
 * report lines.  It is drawn only when stderr is a terminal: never into
 * files, pipes or CI logs.  Colour is decided here too: only on a
 * terminal, never with NO_COLOR set (https://no-color.org) or
 * TERM=dumb.
 */
#include "vgs.h"
#include "report_writer.h"

#include <sys/ioctl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TTY_DELAY_NS	1000000000ULL	/* before the first drawing */
#define TTY_PERIOD_NS	100000000ULL	/* between two drawings */

static int	 enabled;
static size_t	 drawn;		/* columns on screen, 0 none */
static uint64_t	 delay_ns = TTY_DELAY_NS;
static uint64_t	 last_ns;
static char	 tick_what[64];
static uint64_t	 tick_done, tick_total;

/*
 * Decide whether to draw progress: stderr must be a terminal.
 * VGS_PROGRESS_DELAY (seconds, "0.5") changes the one-second wait, for
 * tests that cannot make a run last that long.
 */
void
report_tty_init(void)
{
	const char	*d = getenv("VGS_PROGRESS_DELAY");
	char		*end;
	double		 v;

	enabled = isatty(STDERR_FILENO);
	if (d != NULL && *d != '\0') {
		v = strtod(d, &end);
		if (*end == '\0' && v >= 0 && v < 3600)
			delay_ns = (uint64_t)(v * 1e9);
	}
}

/* Whether text written to f may be coloured. */
int
report_tty_colour(FILE *f)
{
	const char	*nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return (0);
	if (term != NULL && strcmp(term, "dumb") == 0)
		return (0);
	return (isatty(fileno(f)));
}

static void
duration(char *buf, size_t size, double s)
{
	if (s < 60)
		snprintf(buf, size, "%.1fs", s);
	else
		snprintf(buf, size, "%um%02us", (unsigned)(s / 60),
		    (unsigned)s % 60);
}

static size_t
columns(void)
{
	struct winsize	ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return (ws.ws_col);
	return (80);
}

/* Erase the progress line, if one is shown. */
void
report_tty_clear(void)
{
	if (drawn == 0)
		return;
	fprintf(stderr, "\r%*s\r", (int)drawn, "");
	fflush(stderr);
	drawn = 0;
}

/*
 * Draw the progress line (force: even if drawn less than a tenth of a
 * second ago).  Nothing in the first second of a run.
 */
void
report_tty_draw(const struct report_run *run, int force)
{
	char		 line[256], el[32], left[32];
	uint64_t	 now;
	unsigned	 done;
	double		 secs, frac = 0;
	size_t		 n, w;

	if (!enabled || run->start_ns == 0)
		return;
	now = vgs_now_ns();
	if (now - run->start_ns < delay_ns)
		return;
	if (!force && drawn > 0 && now - last_ns < TTY_PERIOD_NS)
		return;
	last_ns = now;
	secs = (now - run->start_ns) / 1e9;
	done = run->passed + run->failed + run->skipped + run->errors;
	if (tick_what[0] != '\0' && tick_total > 0 && tick_done <= tick_total)
		frac = (double)tick_done / tick_total;
	duration(el, sizeof el, secs);
	if (run->planned > done)
		snprintf(line, sizeof line, "%s: %u/%u checks", vgs_progname,
		    done, run->planned);
	else
		snprintf(line, sizeof line, "%s: %u checks", vgs_progname,
		    done);
	strlcat_fmt(line, sizeof line, ", %u failed, %s elapsed",
	    run->failed + run->errors,
	    el);
	if (run->phase_end_ns > 0 && run->planned > done) {
		/* A phase bounded in time (-t): what is left is known. */
		duration(left, sizeof left, run->phase_end_ns > now ?
		    (run->phase_end_ns - now) / 1e9 : 0);
		strlcat_fmt(line, sizeof line, ", ~%s left", left);
	} else if (run->planned > done && done + frac > 0) {
		duration(left, sizeof left, secs / (done + frac) *
		    (run->planned - done - frac));
		strlcat_fmt(line, sizeof line, ", ~%s left", left);
	}
	if (tick_what[0] != '\0') {
		strlcat_fmt(line, sizeof line, " [%s %llu", tick_what,
		    (unsigned long long)tick_done);
		if (tick_total > 0)
			strlcat_fmt(line, sizeof line, "/%llu",
			    (unsigned long long)tick_total);
		strlcat_fmt(line, sizeof line, " ops]");
	}
	w = columns() - 1;
	n = strlen(line);
	if (n > w)
		line[n = w] = '\0';
	fprintf(stderr, "\r%s", line);
	if (drawn > n)
		fprintf(stderr, "%*s\r%s", (int)(drawn - n), "", line);
	fflush(stderr);
	drawn = n;
}

/* A long check's progress; an empty what ends it. */
void
report_tty_tick(const struct report_run *run, const char *what,
    uint64_t done, uint64_t total)
{
	snprintf(tick_what, sizeof tick_what, "%s", what ? what : "");
	tick_done = done;
	tick_total = total;
	report_tty_draw(run, 0);
}
