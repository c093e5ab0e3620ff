/*
 * report_fmt.h: what the reporter (report.c) and every writer share:
 * the result of a check, the facts of a run, and the formatting of
 * them (result words, names, UTF-8, the metrics table).  It uses
 * nothing of the writers and nothing of report.c: the bottom layer.
 */
#ifndef REPORT_FMT_H
#define REPORT_FMT_H

#include <stdio.h>
#include <stdint.h>

#include "vgs.h"

#define VGS_FEATURES_MAX	2048

/* One check's result, as every output reports it. */
struct report_check {
	const char	*name;		/* scenario.backing */
	enum outcome	 result;	/* VGS_HARD: the run stops */
	const char	*summary;	/* one line */
	const char	*detail;	/* multi-line, may be NULL */
	double		 seconds;
	/*
	 * For the machine-readable formats, filled in by whoever builds
	 * the result; NULL when not known.  scenario and backing default
	 * to the parts of name around its last '.'.
	 */
	const char	*scenario;
	const char	*backing;
	const char	*expected;	/* doc/behaviour.md §0 notation */
	const char	*observed;
	const char	*rerun;		/* the command that reruns it */
};

/* The facts of one run, as report.c hands them to the writers. */
struct report_run {
	char			 release[65];	/* uname -r */
	char			 machine[65];
	size_t			 page_size;
	unsigned long long	 seed;
	int			 have_header;
	/* "name: value" lines, as feature_lines() writes them. */
	char			 features[VGS_FEATURES_MAX];
	char			 describe[512];	/* one line of them */
	char			 generation[1100]; /* the verdict, why */
	uint64_t		 start_ns;	/* when the outputs opened */
	int			 status;	/* exit status, -1 unknown */
	unsigned		 passed, failed, skipped, errors;
	unsigned		 planned;	/* checks announced */
	uint64_t		 phase_end_ns;	/* a timed phase ends, 0 none */
	/* Nothing can run, for this reason: TAP says "1..0 # SKIP". */
	char			 skip_all[VGS_MSG_MAX];
	int			 metrics;	/* --metrics */
	int			 verbosity;	/* -1 quiet, 0, 1 verbose */
	int			 show;		/* --show */
	int			 bailed;	/* ended early: a hard stop */
	char			 bail[VGS_MSG_MAX];	/* why */
};

/* How an outcome reads: the report's word, the JSON key, its colour. */
struct report_names {
	const char	*word;		/* "PASS" */
	const char	*key;		/* "pass" */
	const char	*colour;	/* an ANSI sequence */
};

const struct report_names *report_fmt_names(enum outcome);
const char	*report_fmt_word(enum outcome);
void		 report_fmt_split_name(const struct report_check *, char *,
		    size_t, char *, size_t);
size_t		 report_fmt_utf8_len(const unsigned char *);
int		 report_fmt_feature_next(const char **, char *, size_t,
		    char *, size_t);
double		 report_fmt_elapsed(const struct report_run *);
void		 report_fmt_metrics(FILE *, const char *);

#endif
