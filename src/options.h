/*
 * options.h: the command line.  One table drives getopt_long() and
 * --help.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdint.h>

struct vgs_opts {
	int		 list;
	int		 features;
	int		 require_gu;
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
};

void	options_parse(int, char **, struct vgs_opts *);
void	usage_error(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
int	options_parse_u64(const char *, uint64_t, uint64_t, uint64_t *);
int	options_parse_duration(const char *, uint64_t *);
int	options_parse_backings(const char *, unsigned *, char *, size_t);

#endif
