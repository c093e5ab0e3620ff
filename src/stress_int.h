/*
 * stress_int.h: what the parts of the stress engine's stream share:
 * stress.c (operations, fork, the loop) and stress_check.c (observing
 * and judging windows and the whole area, failure reports).  Per-page
 * buffers hold a window or a chunk (at most VGS_CHUNK pages), never
 * the whole area: the model is the only O(area) allocation.
 */
#ifndef STRESS_INT_H
#define STRESS_INT_H

#include "arena.h"
#include "judge.h"
#include "stress_prng.h"
#include "probe.h"
#include "procmap.h"
#include "state.h"
#include "stress.h"

#define VGS_SAMPLE_PAGES	8	/* the sampled window per operation */
#define VGS_SAMPLE_WF		64	/* WIPEONFORK pages a child reads */
#define VGS_PROBE_ALL_MAX	1024	/* look at all pages up to this */
#define VGS_STRIP_MAX		256	/* strips of all pages to it */
#define VGS_STRIP_WINDOW	64	/* else strips of this many pages */
#define VGS_STRICT_MAX		4096	/* replays check all after each op */
#define VGS_CHUNK		4096	/* pages judged at a time */
#define VGS_FAULTS_OP		1	/* signal probes per operation */
#define VGS_FAULTS_CHECKPOINT	2	/* per checkpoint */
#define VGS_ORACLES_OP		1	/* MADV_POPULATE_READ checks per op */
#define VGS_GUPS_CHECKPOINT	2	/* absent anon pages per checkpoint */
#define VGS_FORK_WINDOWS	4	/* windows of a large fork child */
#define VGS_CHILD_PROBES	(VGS_FAULTS_CHECKPOINT + 1)

/* A load a fork child makes of one of its pages (stress_fork.c). */
struct child_probe {
	size_t		page;
	char		acc;		/* 'r': it read w; else a fault's
					   class (doc/behaviour.md §1.5) */
	uint64_t	w[VGS_PROBE_WORDS];
};

/* The child's loads: in shared memory, so the parent sees them. */
struct child_look {
	size_t			n;
	struct child_probe	p[VGS_CHILD_PROBES];
};

/* What stress_check_window() observes besides the markers. */
#define VGS_LOOK_VMAS		0x1	/* VMAs and permissions */
#define VGS_LOOK_PAGES		0x2	/* access and data */
#define VGS_LOOK_ABSENT		0x4	/* data of absent anonymous pages */

struct eng {
	const struct stress_cfg	*cfg;
	struct stress_result	*res;
	struct arena		 ar;
	struct model		 m;
	struct procmap		 pm;
	struct prng		 gen;
	struct prng		 samp;		/* not the ops' */
	struct state		 wexp, wobs;	/* a window or a chunk */
	struct state		 fexp, fobs;	/* a chunk of a checkpoint */
	struct state		 avmas;		/* the area's VMAs (smaps) */
	struct mpage		*wpg;		/* a window's pages, as seen */
	unsigned char		*look;		/* VGS_LOOK_* per page */
	unsigned char		*pick;		/* scratch, a byte a page */
	size_t			 wmax;		/* pages the above hold */
	struct judge		 wj, fj;
	unsigned		 next_seg;
	uint64_t		 index;		/* UINT64_MAX: setup */
	uint64_t		 fork_no;
	struct op		 op;
	int			 in_child;	/* judge the child's view */
	uint64_t		*pmbuf;
	char			*scratch;	/* the above, MADV_DONTFORK */
	size_t			 scratch_len;
	unsigned		 nkeep;		/* model too (eng_alloc) */
	int			 sync[2];	/* fork children report in */
	struct child_look	*cl;		/* a fork child's own loads */
	int			 memfd;		/* child's /proc/PID/mem, or -1 */
	pid_t			 child;		/* ... the child's pid, or 0 */
	uint64_t		*ppm;		/* our pagemap before fork() */
	size_t			 ppm_lo, ppm_n;	/* ... of these pages */
	/* The windows a fork child is looked at in (stress_fork.c). */
	size_t			 nfw, fw_n, fw_lo[VGS_FORK_WINDOWS];
	int			 fw_ok[VGS_FORK_WINDOWS];
	uint64_t		*fw_pm;		/* our pagemap over them */
	/* How the current check looks at pages (stress_check.c). */
	size_t			 chg_lo, chg_hi; /* pages the op changed */
	int			 chg_access;	/* ... maybe unreadable now */
	size_t			 faults;	/* signal probes left */
	size_t			 gups;		/* absent anon pages to read */
	size_t			 oracles;	/* MADV_POPULATE_READs left */
	int			 full;		/* every page, unreadable too */
	int			 sparse;	/* sample (large fork child) */
};

int	stress_fail(struct eng *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	stress_hard(struct eng *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	stress_detail(struct eng *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	stress_check_window(struct eng *, size_t, size_t, unsigned);
int	stress_check_area(struct eng *);
int	stress_fork(struct eng *);
const struct mpage *stress_window_pages(struct eng *, size_t, size_t);
int	stress_look_pages(struct eng *, size_t, size_t, struct state *);
void	stress_look_absent(struct eng *, size_t, size_t, struct state *);
int	stress_apply(struct eng *);
int	stress_write(struct eng *, size_t, size_t, uint32_t, int);
int	stress_checkpoint(struct eng *);

#endif
