/*
 * check.h: the judge.  Compares an expected state with an observed one;
 * makes no system calls.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>

#include "vgs.h"

struct state;

struct judge {
	int		check_gu;	/* judge gu (series present/required) */
	unsigned	flag_mask;	/* VmFlags compared */
};

struct verdict {
	int		ok;
	int		gu_expected;	/* the expectation relied on gu */
	int		gu_ignored;	/* a gu difference was not judged */
	size_t		page;		/* page at fault, or (size_t)-1 */
	const char	*aspect;	/* "vmas", "gu", "marker", ... */
	char		msg[VGS_MSG_MAX];
};

int	judge_state(const struct judge *, const struct state *,
	    const struct state *, struct verdict *);
int	judge_invariant(const struct state *, struct verdict *);
const char *judge_data_name(unsigned, char *, size_t);

#endif
