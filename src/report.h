/*
 * report.h: the only writer of standard output, and of the report
 * files: the text report (stdout or -o), TAP (--tap), JUnit XML
 * (--junit) and JSON Lines (--json), all fed by the same calls, plus
 * the progress line a person sees on a terminal.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "report_fmt.h"

struct features;
struct vgs_opts;

void	report_init(int);
int	report_verbosity(void);
void	report_header(const struct features *, unsigned long long);
void	report_result(const struct report_check *);
void	report_error(const char *, double, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	report_verbose(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	report_text(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
int	report_summary(void);
unsigned report_count(enum outcome);

/*
 * Outputs: report_open() after option parsing opens the files the
 * options name (a path that cannot be created is a hard error, 99, and
 * leaves nothing behind).
 * report_exit_status() before report_summary() records the status the
 * run ends with, for the JSON summary and the JUnit document;
 * report_summary() completes and closes every output and returns -1
 * if any of them lost output (the reason is on stderr; the outputs that
 * still worked count it as an error, and their status says 99).
 */
void	report_open(const struct vgs_opts *);
void	report_exit_status(int);
int	report_showing(void);
void	report_skip_all(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

/*
 * For a person: report_plan(n) announces n more checks (for the time
 * left), report_phase(n, secs) n more that all end within secs (0: not
 * bounded in time), report_tick() says how far a long check has got
 * (done of total operations, total 0 when unknown) so the progress line
 * moves during it; report_clear_progress() before writing to stderr.
 */
void	report_plan(unsigned);
void	report_phase(unsigned, double);
void	report_tick(const char *, uint64_t, uint64_t);
void	report_clear_progress(void);

#endif
