/*
 * report_int.h: what the report modules share and nothing else uses:
 * the facts of the run, the machine-readable writers (report_tap.c,
 * report_junit.c, report_json.c), the terminal (report_tty.c) and the
 * escaping every writer needs.
 */
#ifndef REPORT_INT_H
#define REPORT_INT_H

#include <stdio.h>

#include "report.h"

#define VGS_FEATURES_MAX	2048

/* The facts of one run, as the writers need them. */
struct report_run {
	char			 release[65];	/* uname -r */
	char			 machine[65];
	size_t			 page_size;
	unsigned long long	 seed;
	int			 have_header;
	/* "name: value" lines, as feature_lines() writes them. */
	char			 features[VGS_FEATURES_MAX];
	uint64_t		 start_ns;	/* metrics_now() at open */
	int			 status;	/* exit status, -1 unknown */
	unsigned		 counts[VGS_RES_COUNT];
	unsigned		 planned;	/* checks announced */
	int			 metrics;	/* --metrics */
	int			 verbosity;
	int			 show;		/* --show */
};

extern struct report_run	report_run;

/* report.c */
const char	*report_result_word(enum result);
void		 report_split_name(const struct report_check *, char *,
		    size_t, char *, size_t);
char		*report_detail_field(const char *, const char *);
size_t		 report_utf8_len(const unsigned char *);
int		 report_feature_next(const char **, char *, size_t, char *,
		    size_t);
double		 report_seconds(void);

/* report_tap.c: TAP version 13. */
void	 report_tap_header(FILE *);
void	 report_tap_result(FILE *, const struct report_check *);
void	 report_tap_summary(FILE *);
void	 report_tap_yaml_string(FILE *, const char *);
void	 report_tap_diag(FILE *, const char *);

/* report_junit.c: JUnit XML, rewritten whole after each check. */
int	 report_junit_open(const char *, char *, size_t);
void	 report_junit_result(const struct report_check *);
void	 report_junit_close(void);
void	 report_junit_abandon(void);
void	 report_xml_string(FILE *, const char *);

/* report_json.c: JSON Lines. */
void	 report_json_result(FILE *, const struct report_check *);
void	 report_json_summary(FILE *);
void	 report_json_string(FILE *, const char *);

/* report_tty.c: the progress line and colour. */
void	 report_tty_init(void);
int	 report_tty_colour(FILE *);
void	 report_tty_draw(int);
void	 report_tty_tick(const char *, uint64_t, uint64_t);
void	 report_tty_clear(void);

#endif
