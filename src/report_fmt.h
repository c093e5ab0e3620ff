/*
 * report_fmt.h: formatting that every report writer shares: the facts
 * of a run as the writers see them, result words, names, UTF-8 and
 * the metrics table.  Uses nothing of the writers and nothing of
 * report.c, so the writers can all lean on it without a cycle.
 */
#ifndef REPORT_FMT_H
#define REPORT_FMT_H

#include <stdio.h>
#include <stdint.h>

#include "report.h"

#define VGS_FEATURES_MAX	2048

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
	uint64_t		 start_ns;	/* when the outputs opened */
	int			 status;	/* exit status, -1 unknown */
	unsigned		 passed, failed, skipped, errors;
	unsigned		 planned;	/* checks announced */
	int			 metrics;	/* --metrics */
	int			 verbosity;	/* -1 quiet, 0, 1 verbose */
	int			 show;		/* --show */
	int			 bailed;	/* ended early: a hard stop */
};

const char	*report_fmt_word(enum outcome);
void		 report_fmt_split_name(const struct report_check *, char *,
		    size_t, char *, size_t);
size_t		 report_fmt_utf8_len(const unsigned char *);
int		 report_fmt_feature_next(const char **, char *, size_t,
		    char *, size_t);
double		 report_fmt_elapsed(const struct report_run *);
void		 report_fmt_metrics(FILE *, const char *);

#endif
