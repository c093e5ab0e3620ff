/*
 * report.h: the only writer of standard output.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>

struct features;

enum result {
	VGS_RES_PASS,
	VGS_RES_FAIL,
	VGS_RES_SKIP,
	VGS_RES_COUNT
};

struct report_check {
	const char	*name;		/* scenario.backing */
	enum result	 result;
	const char	*summary;	/* one line */
	const char	*detail;	/* multi-line, may be NULL */
	double		 seconds;
};

void	report_init(int);
int	report_verbosity(void);
void	report_header(const struct features *, unsigned long long);
void	report_result(const struct report_check *);
void	report_verbose(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	report_text(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	report_summary(void);
unsigned report_count(enum result);

#endif
