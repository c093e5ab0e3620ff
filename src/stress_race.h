/*
 * stress_race.h: guard installs racing fork() (doc/behaviour.md §4.16),
 * the one core that the race-fork scenario and --threads both use.
 */
#ifndef STRESS_RACE_H
#define STRESS_RACE_H

#include <stddef.h>
#include <stdint.h>

#include "backing.h"
#include "vgs.h"

struct arena;
struct features;
struct vgs_opts;

#define VGS_RACE_MAX_THREADS	64

/*
 * What a race is asked to do, and what it found.  The area holds one
 * slice of pages per thread; each round maps it afresh and lets the
 * threads install a guard on every page of their slice, one madvise()
 * each and in page order, while the caller's thread forks again and
 * again.  Every child checks the whole area against what the threads
 * had published before the fork.
 */
struct race_cfg {
	struct arena	*ar;
	unsigned	 nthreads;
	size_t		 slice;		/* pages per thread */
	int		 check_gu;	/* markers => gu (the series) */
	long		 pause_ns;	/* between two installs, or 0 */
	unsigned	 max_forks;	/* per round, 0: until it ends */
	unsigned	 min_rounds;	/* at least, if time allows */
	unsigned	 max_rounds;	/* 0: until the deadline */
	double		 until;		/* no new round after this */
	size_t		 probe_max;	/* children probe every page up to */
};

struct race_out {
	uint64_t	 forks;
	uint64_t	 rounds;
	uint64_t	 overlapped;	/* forks with installs in flight */
	size_t		 done_last;	/* installs of the last round */
	char		 msg[VGS_MSG_MAX];	/* what failed */
};

enum outcome	 race_core(const struct race_cfg *, struct race_out *);
int		 race_run(const struct vgs_opts *, const struct features *,
		    enum backing, double, uint64_t *);

#endif
