/*
 * unit.h: the few assertions the unit programs need.  A failed
 * assertion prints where and what, and the program exits 1 at the end.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	unit_failures;
static int	unit_checks;

#define UNIT_OK(cond) do {						\
	unit_checks++;							\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: assertion failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		unit_failures++;					\
	}								\
} while (0)

#define UNIT_STREQ(a, b) do {						\
	const char *ua_ = (a), *ub_ = (b);				\
	unit_checks++;							\
	if (ua_ == NULL || ub_ == NULL || strcmp(ua_, ub_) != 0) {	\
		fprintf(stderr, "%s:%d: expected \"%s\"\n"		\
		    "%*s got \"%s\"\n", __FILE__, __LINE__,		\
		    ub_ ? ub_ : "(null)", (int)strlen(__FILE__) + 8,	\
		    "", ua_ ? ua_ : "(null)");				\
		unit_failures++;					\
	}								\
} while (0)

#define UNIT_CONTAINS(hay, needle) do {					\
	const char *uh_ = (hay), *un_ = (needle);			\
	unit_checks++;							\
	if (uh_ == NULL || strstr(uh_, un_) == NULL) {			\
		fprintf(stderr, "%s:%d: \"%s\" lacks \"%s\"\n",		\
		    __FILE__, __LINE__, uh_ ? uh_ : "(null)", un_);	\
		unit_failures++;					\
	}								\
} while (0)

static inline int
unit_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, unit_checks,
	    unit_failures);
	return (unit_failures ? 1 : 0);
}

static inline char *
unit_slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(99);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if ((buf = malloc(n + 1)) == NULL ||
	    fread(buf, 1, n, f) != (size_t)n) {
		perror(path);
		exit(99);
	}
	buf[n] = '\0';
	fclose(f);
	*len = n;
	return (buf);
}

static inline const char *
unit_srcdir(void)
{
	const char	*s = getenv("srcdir");

	return (s ? s : ".");
}

#endif
