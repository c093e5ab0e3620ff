/*
 * race.c: --threads=N races guard installs against fork (SPEC row 16).
 * N threads each install guards on their own slice of the area, one
 * page per madvise() and in page order, publishing how many returned;
 * meanwhile the main thread forks again and again.  Each child checks,
 * for every slice, that
 *
 *   - every page whose install returned before fork() holds a marker,
 *   - the markers form a prefix of the slice (no marker after a gap),
 *   - a VMA holding a marker shows gu (with the series).
 *
 *   [slice 0: GGGGGGG......][slice 1: GGGG.........]   at one fork
 *
 * Each round maps the area afresh (markers and gu gone), then lets the
 * threads go.  The race runs in a child of its own, so the main process
 * never has threads when it forks; children of a threaded process call
 * only what glibc keeps safe after fork (it resets malloc's locks).
 */
#include "vgs.h"
#include "arena.h"
#include "child.h"
#include "feature.h"
#include "options.h"
#include "pagemap.h"
#include "report.h"
#include "smaps.h"
#include "state.h"
#include "stress.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Pages per thread: 32 MiB, 8192 pages of 4K.  A byte size, not a page
 * count: with 16K pages 8192 pages are 128 MiB a thread, and a file
 * backing is written whole, so --threads=4 wanted 512 MiB of the guest's
 * tmpfs /tmp (half its 1 GiB) and failed with ENOSPC on arm64-16k.
 */
#define SLICE		((size_t)(32UL << 20) / vgs_page_size)
#define MAX_THREADS	64

struct race {
	struct arena		 ar;
	unsigned		 nthreads;
	int			 check_gu;
	double			 until;
	pthread_barrier_t	 start, end;
	atomic_int		 stop;
	atomic_size_t		 done[MAX_THREADS];
	size_t			 before[MAX_THREADS];
	int			 err[MAX_THREADS];
	uint64_t		*pm;
	struct smaps		 sm;
	/* In shared memory: what the race child reports. */
	struct race_out {
		int		status;
		uint64_t	forks;
		uint64_t	rounds;
		char		msg[VGS_MSG_MAX];
	}			*out;
};

struct racer {
	struct race	*r;
	unsigned	 t;
};

static void *
installer(void *arg)
{
	struct racer	*me = arg;
	struct race	*r = me->r;
	size_t		 k, first = me->t * SLICE;

	for (;;) {
		pthread_barrier_wait(&r->start);
		if (atomic_load(&r->stop))
			return (NULL);
		for (k = 0; k < SLICE; k++) {
			if (madvise(arena_page(&r->ar, first + k),
			    vgs_page_size, MADV_GUARD_INSTALL) != 0) {
				r->err[me->t] = errno;
				break;
			}
			atomic_store_explicit(&r->done[me->t], k + 1,
			    memory_order_release);
		}
		pthread_barrier_wait(&r->end);
	}
}

/* In the child: judge the inherited markers against r->before. */
static int
race_child(void *arg)
{
	struct race		*r = arg;
	const struct smaps_entry *e;
	char			 err[VGS_MSG_MAX];
	size_t			 t, k, len, pg;

	if (arena_reopen_pagemap(&r->ar) != 0 ||
	    pagemap_read(r->ar.pagemap_fd, (uintptr_t)r->ar.base,
	    r->ar.npages, r->pm) != 0) {
		snprintf(r->out->msg, sizeof r->out->msg, "child: pagemap: "
		    "%s", strerror(errno));
		return (VGS_EXIT_HARD);
	}
	for (t = 0; t < r->nthreads; t++) {
		for (len = 0; len < SLICE &&
		    (r->pm[t * SLICE + len] & VGS_PM_GUARD); len++)
			;
		for (k = len; k < SLICE; k++) {
			if (r->pm[t * SLICE + k] & VGS_PM_GUARD) {
				snprintf(r->out->msg, sizeof r->out->msg,
				    "thread %zu: markers are no prefix: page "
				    "%zu has one after the gap at page %zu",
				    t, t * SLICE + k, t * SLICE + len);
				return (VGS_EXIT_FAIL);
			}
		}
		if (len < r->before[t]) {
			snprintf(r->out->msg, sizeof r->out->msg, "thread %zu: "
			    "the install of page %zu returned before fork() "
			    "but the child has no marker there (%zu of %zu "
			    "returned, child has %zu)", t, t * SLICE + len,
			    r->before[t], (size_t)SLICE, len);
			return (VGS_EXIT_FAIL);
		}
	}
	if (!r->check_gu)
		return (VGS_EXIT_PASS);
	if (smaps_read(&r->sm, "/proc/self/smaps", err, sizeof err) != 0) {
		snprintf(r->out->msg, sizeof r->out->msg, "child: %s", err);
		return (VGS_EXIT_HARD);
	}
	for (pg = 0; pg < r->ar.npages; pg++) {
		if (!(r->pm[pg] & VGS_PM_GUARD))
			continue;
		e = smaps_find(&r->sm, (uintptr_t)arena_page(&r->ar, pg));
		if (e == NULL || !(e->flags & VGS_VMF_GU)) {
			snprintf(r->out->msg, sizeof r->out->msg, "invariant: "
			    "page %zu holds a marker but its VMA shows no gu",
			    pg);
			return (VGS_EXIT_FAIL);
		}
	}
	return (VGS_EXIT_PASS);
}

static int
finished(struct race *r)
{
	unsigned	t;

	for (t = 0; t < r->nthreads; t++) {
		if (atomic_load(&r->done[t]) < SLICE && r->err[t] == 0)
			return (0);
	}
	return (1);
}

/* The race itself, in a child: threads, rounds, forks. */
static int
race_main(void *arg)
{
	struct race		*r = arg;
	struct racer		 me[MAX_THREADS];
	pthread_t		 tid[MAX_THREADS];
	struct child_result	 cr;
	unsigned		 t;
	int			 rc = VGS_EXIT_PASS;

	pthread_barrier_init(&r->start, NULL, r->nthreads + 1);
	pthread_barrier_init(&r->end, NULL, r->nthreads + 1);
	for (t = 0; t < r->nthreads; t++) {
		me[t].r = r;
		me[t].t = t;
		if (pthread_create(&tid[t], NULL, installer, &me[t]) != 0) {
			snprintf(r->out->msg, sizeof r->out->msg,
			    "pthread_create failed");
			return (VGS_EXIT_HARD);
		}
	}
	while (rc == VGS_EXIT_PASS && stress_now() < r->until) {
		if (arena_map(&r->ar, 0, r->ar.npages,
		    PROT_READ | PROT_WRITE) != 0) {
			snprintf(r->out->msg, sizeof r->out->msg, "mmap: %s",
			    strerror(errno));
			rc = VGS_EXIT_HARD;
			break;
		}
		for (t = 0; t < r->nthreads; t++)
			atomic_store(&r->done[t], 0);
		r->out->rounds++;
		pthread_barrier_wait(&r->start);
		while (rc == VGS_EXIT_PASS && !finished(r)) {
			for (t = 0; t < r->nthreads; t++)
				r->before[t] = atomic_load_explicit(
				    &r->done[t], memory_order_acquire);
			if (child_run(race_child, r, &cr) != 0) {
				snprintf(r->out->msg, sizeof r->out->msg,
				    "fork: %s", strerror(errno));
				rc = VGS_EXIT_HARD;
			} else if (cr.status != VGS_EXIT_PASS)
				rc = cr.status == VGS_EXIT_HARD ?
				    VGS_EXIT_HARD : VGS_EXIT_FAIL;
			r->out->forks++;
		}
		pthread_barrier_wait(&r->end);
		for (t = 0; t < r->nthreads && rc == VGS_EXIT_PASS; t++) {
			if (r->err[t] != 0) {
				snprintf(r->out->msg, sizeof r->out->msg,
				    "thread %u: MADV_GUARD_INSTALL: %s", t,
				    strerror(r->err[t]));
				rc = VGS_EXIT_FAIL;
			}
		}
	}
	atomic_store(&r->stop, 1);
	pthread_barrier_wait(&r->start);
	for (t = 0; t < r->nthreads; t++)
		pthread_join(tid[t], NULL);
	return (rc);
}

/*
 * Race --threads installers against fork on a fresh area of backing b
 * for secs seconds, report "stress-race.<backing>" and add the forks to
 * *forks.  Returns an exit status.
 */
int
race_run(const struct vgs_opts *o, const struct features *f, enum backing b,
    double secs, uint64_t *forks)
{
	static char		 summary[VGS_MSG_MAX + 64];
	struct race		*r;
	struct report_check	 rc;
	struct child_result	 cr;
	char			 name[64], err[VGS_MSG_MAX];
	unsigned		 saved = child_timeout();
	double			 t0 = stress_now();
	int			 status;

	r = xcalloc(1, sizeof *r);
	r->nthreads = o->threads > MAX_THREADS ? MAX_THREADS : o->threads;
	r->check_gu = f->gu || o->require_gu;
	r->until = t0 + (secs > 0 ? secs : 1.0);
	r->out = mmap(NULL, sizeof *r->out, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->out == MAP_FAILED)
		fatal("mmap");
	memset(r->out, 0, sizeof *r->out);
	snprintf(name, sizeof name, "stress-race.%s", model_backing_name(b));
	if (arena_create(&r->ar, b, r->nthreads * SLICE, err,
	    sizeof err) != 0) {
		fflush(stdout);
		fprintf(stderr, "%s: %s: setup: %s\n", vgs_progname, name, err);
		free(r);
		return (VGS_EXIT_HARD);
	}
	r->pm = xcalloc(r->ar.npages, sizeof *r->pm);
	child_set_timeout((unsigned)((r->until - t0) * 1000) + saved + 10000);
	if (child_run(race_main, r, &cr) != 0)
		fatal("fork");
	child_set_timeout(saved);
	status = cr.status;
	if (cr.timed_out || cr.signo != 0) {
		status = VGS_EXIT_FAIL;
		snprintf(r->out->msg, sizeof r->out->msg, "the race %s",
		    cr.timed_out ? "missed its deadline" : "crashed");
	}
	*forks += r->out->forks;
	memset(&rc, 0, sizeof rc);
	rc.name = name;
	rc.summary = summary;
	rc.seconds = stress_now() - t0;
	if (status == VGS_EXIT_PASS) {
		rc.result = VGS_RES_PASS;
		snprintf(summary, sizeof summary, "%llu forks, %u thread%s, "
		    "%llu rounds of %u pages each, no violation",
		    (unsigned long long)r->out->forks, r->nthreads,
		    r->nthreads == 1 ? "" : "s",
		    (unsigned long long)r->out->rounds, (unsigned)SLICE);
	} else if (status == VGS_EXIT_FAIL) {
		rc.result = VGS_RES_FAIL;
		snprintf(summary, sizeof summary, "fork %llu of round %llu: "
		    "%s", (unsigned long long)r->out->forks,
		    (unsigned long long)r->out->rounds, r->out->msg);
	} else {
		fflush(stdout);
		fprintf(stderr, "%s: %s: %s\n", vgs_progname, name,
		    r->out->msg);
	}
	if (status != VGS_EXIT_HARD)
		report_result(&rc);
	arena_destroy(&r->ar);
	munmap(r->out, sizeof *r->out);
	free(r->pm);
	free(r);
	return (status == VGS_EXIT_PASS || status == VGS_EXIT_FAIL ? status :
	    VGS_EXIT_HARD);
}
