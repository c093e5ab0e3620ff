/*
 * options.h: the command line.  One table drives getopt_long() and
 * --help.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdint.h>

/* --list[=FORMAT] */
enum list_format {
	VGS_LIST_NONE,
	VGS_LIST_TEXT,
	VGS_LIST_NAMES,
	VGS_LIST_JSON
};

struct vgs_opts {
	enum list_format list;
	int		 features;
	int		 expect;	/* enum generation; --require=gu */
	int		 require_softdirty;
	unsigned	 require;	/* bit i: options_require_name(i) */
	int		 verbosity;	/* -1 quiet, 0, 1 verbose */
	int		 keep_going;
	const char	*run;		/* comma-separated names, or NULL */
	const char	*exclude;
	unsigned	 backings;	/* VGS_BACKING_BIT mask */
	const char	*backing_arg;
	uint64_t	 seed;
	int		 seed_set;
	const char	*tmpdir;
	unsigned	 child_timeout_ms;
	/* Outputs (report.c): NULL or a path, "-" for stdout. */
	int		 tap;		/* TAP on stdout */
	const char	*junit;
	const char	*json;
	const char	*output;	/* the text report */
	int		 metrics;
	int		 show;		/* page strips after every step */
	int		 skip_status;	/* exit status: nothing could run */
	/* The random stress phase (stress_run.c). */
	uint64_t	 stress_ms;	/* -t */
	int		 stress_ms_set;
	uint64_t	 stress_ops;	/* -n, 0: no limit */
	unsigned	 workers;	/* -j, 0: one per CPU */
	int		 workers_set;
	unsigned	 threads;
	uint64_t	 pages;		/* 0: VGS_STRESS_PAGES */
	unsigned	 smaps_interval; /* 0: by area size */
	const char	*record;
	const char	*replay;
	const char	*minimize_out;
	const char	*emit_c;
	int		 bare;
};

void	options_parse(int, char **, struct vgs_opts *);
void	usage_error(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
int	options_parse_u64(const char *, uint64_t, uint64_t, uint64_t *);
int	options_parse_duration(const char *, uint64_t *);
int	options_parse_backings(const char *, unsigned *, char *, size_t);
const char *options_require_name(unsigned);

#endif
