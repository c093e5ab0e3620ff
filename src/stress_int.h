/*
 * stress_int.h: what the parts of the stress engine's stream share:
 * stress.c (operations, fork, the loop) and stress_check.c (observing
 * and judging windows and the whole area, failure reports).
 */
#ifndef STRESS_INT_H
#define STRESS_INT_H

#include "arena.h"
#include "judge.h"
#include "stress_prng.h"
#include "procmap.h"
#include "state.h"
#include "stress.h"

#define VGS_SAMPLE_PAGES	8	/* the sampled window per operation */
#define VGS_SAMPLE_WF		64	/* WIPEONFORK pages a fork child reads */
#define VGS_PROBE_ALL_MAX	1024	/* probe all pages up to this */
#define VGS_STRIP_MAX		256	/* strips of all pages to it */
#define VGS_STRIP_WINDOW	64	/* else strips of this many pages */
#define VGS_STRICT_MAX		4096	/* replays check all after each op */

struct eng {
	const struct stress_cfg	*cfg;
	struct stress_result	*res;
	struct arena		 ar;
	struct model		 m;
	struct procmap		 pm;
	struct prng		 gen;
	struct prng		 samp;		/* not the ops' */
	struct state		 wexp, wobs;	/* a window */
	struct state		 fexp, fobs;	/* the whole area */
	struct judge		 wj, fj;
	unsigned		 next_seg;
	uint64_t		 index;		/* UINT64_MAX: setup */
	uint64_t		 fork_no;
	struct op		 op;
	int			 in_child;
	int			 sparse;	/* probe a sample only */
	uint64_t		*pmbuf;
};

int	stress_fail(struct eng *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	stress_hard(struct eng *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	stress_detail(struct eng *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	stress_check_window(struct eng *, size_t, size_t);
int	stress_checkpoint(struct eng *);

#endif
