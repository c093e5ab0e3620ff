/*
 * metrics.h: counters and timers for --metrics.  Every kernel operation
 * and every observation of a run is counted here with the time it took,
 * so a run can say how many operations of each kind it did per second
 * and how its time split between the kernel operations under test and
 * observing their effect.
 *
 * Use:
 *	uint64_t t0 = metrics_now();
 *	madvise(..., MADV_GUARD_INSTALL);
 *	metrics_add(VGS_MET_INSTALL, metrics_now() - t0);
 *
 * metrics_add() is a few additions: call it for every operation, also
 * in tight loops.  Counters are per process: what a forked child does
 * is not seen by the parent, whose VGS_MET_FORK time covers the child's
 * whole life (fork to reap).  Nothing here writes output: report.c
 * prints the table (--metrics) and puts it in the JSON summary.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>
#include <stdint.h>

/* Kinds of work: kernel operations first, then observations. */
enum metric {
	VGS_MET_INSTALL,	/* madvise(MADV_GUARD_INSTALL) */
	VGS_MET_REMOVE,		/* madvise(MADV_GUARD_REMOVE) */
	VGS_MET_PROTECT,	/* mprotect() */
	VGS_MET_ADVISE,		/* other madvise() advice */
	VGS_MET_MAP,		/* mmap() */
	VGS_MET_UNMAP,		/* munmap() */
	VGS_MET_REMAP,		/* mremap() */
	VGS_MET_WRITE,		/* writing patterns to pages */
	VGS_MET_FORK,		/* fork(), the child's run, its reaping */
	VGS_MET_OTHER_OP,	/* any other kernel operation under test */
	VGS_MET_SMAPS,		/* reading /proc/self/smaps */
	VGS_MET_PAGEMAP,	/* reading /proc/self/pagemap */
	VGS_MET_SCAN,		/* the PAGEMAP_SCAN ioctl */
	VGS_MET_PROBE,		/* access probes (SIGSEGV or data) */
	VGS_MET_PROCMAP,	/* the PROCMAP_QUERY ioctl (stress engine) */
	VGS_MET_READ,		/* loads of readable pages (stress engine) */
	VGS_MET_GUP,		/* pages read with process_vm_readv */
	VGS_MET_ORACLE,		/* MADV_POPULATE_READ/WRITE access checks */
	VGS_MET_COUNT
};

/* The first observation kind: kinds below it are kernel operations. */
#define VGS_MET_FIRST_OBSERVE	VGS_MET_SMAPS

struct metric_value {
	uint64_t	count;		/* operations */
	uint64_t	ns;		/* time they took, nanoseconds */
};

uint64_t	 metrics_now(void);
void		 metrics_add(enum metric, uint64_t);
void		 metrics_add_n(enum metric, uint64_t, uint64_t);
void		 metrics_hold(int);
void		 metrics_get(enum metric, struct metric_value *);
const char	*metrics_name(enum metric);
int		 metrics_is_observation(enum metric);
uint64_t	 metrics_elapsed(void);
void		 metrics_totals(uint64_t *, uint64_t *);
void		 metrics_reset(void);
void		 metrics_clear(void);
void		 metrics_merge(const struct metric_value *);

#endif
