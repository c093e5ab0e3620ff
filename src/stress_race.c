/*
 * stress_race.c: guard installs racing fork() (doc/behaviour.md §4.16),
 * one core for the race-fork scenario and for --threads.  N threads
 * each install guards on their own slice of the area, one page per
 * madvise() and in page order, publishing how many calls returned;
 * meanwhile the caller's thread forks again and again.  Each child
 * checks its whole area:
 *
 *   - every page whose install returned before fork() holds a marker,
 *   - the markers of each slice form a prefix (no marker after a gap),
 *   - the area is still one VMA, and it shows gu where it holds a
 *     marker (with the series),
 *   - a page with a marker raises SIGSEGV on a read, a page without one
 *     reads (every page of a small area; of a large one, the pages at
 *     each slice's edge of the markers).
 *
 *   [slice 0: GGGGGGG......][slice 1: GGGG.........]   at one fork
 *
 * fork() takes the mmap lock for writing, so no install is half done
 * inside it.  A fork proves something only if it landed while the
 * threads were installing: those forks are counted, and a race in which
 * none did is inconclusive, never a pass.  Each round maps the area
 * afresh (markers and gu gone) before the threads go.
 *
 * race_run() is --threads: the race runs in a child of its own, so the
 * main process never has threads when it forks, and it reports
 * "stress-race.<backing>".  Children of a threaded process call only
 * what glibc keeps safe after fork (it resets malloc's locks).
 */
#include "vgs.h"
#include "arena.h"
#include "child.h"
#include "feature.h"
#include "options.h"
#include "pagemap.h"
#include "probe.h"
#include "report.h"
#include "smaps.h"
#include "state.h"
#include "stress_race.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * --threads: pages per thread, 32 MiB (8192 pages of 4K).  A byte size,
 * not a page count: with 16K pages 8192 pages are 128 MiB a thread, and
 * a file backing is written whole, so --threads=4 wanted 512 MiB of the
 * guest's tmpfs /tmp (half its 1 GiB) and failed with ENOSPC on
 * arm64-16k.
 */
#define RACE_SLICE	((size_t)(32UL << 20) / vgs_page_size)

struct race {
	const struct race_cfg	*cfg;
	pthread_barrier_t	 start, end;
	atomic_int		 stop;
	atomic_size_t		 done[VGS_RACE_MAX_THREADS];
	int			 err[VGS_RACE_MAX_THREADS];
	size_t			 before[VGS_RACE_MAX_THREADS];
	uint64_t		 fork_no;
	uint64_t		 round;
	uint64_t		*pm;		/* the child's pagemap */
	struct smaps		 sm;
	struct state		 st;
};

struct racer {
	struct race	*r;
	unsigned	 t;
};

static void *
installer(void *arg)
{
	struct racer		*me = arg;
	struct race		*r = me->r;
	const struct race_cfg	*c = r->cfg;
	struct timespec		 pause = { 0, c->pause_ns };
	size_t			 k, first = me->t * c->slice;

	for (;;) {
		pthread_barrier_wait(&r->start);
		if (atomic_load(&r->stop))
			return (NULL);
		for (k = 0; k < c->slice; k++) {
			if (madvise(arena_page(c->ar, first + k),
			    vgs_page_size, MADV_GUARD_INSTALL) != 0) {
				r->err[me->t] = errno;
				break;
			}
			atomic_store_explicit(&r->done[me->t], k + 1,
			    memory_order_release);
			if (c->pause_ns > 0)
				nanosleep(&pause, NULL);
		}
		pthread_barrier_wait(&r->end);
	}
}

/* In the child: a failure, said to the parent over the pipe. */
static int
child_fail(struct race *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
child_fail(struct race *r, const char *fmt, ...)
{
	char	msg[VGS_MSG_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	child_say("fork %llu of round %llu: %s\n",
	    (unsigned long long)r->fork_no, (unsigned long long)r->round, msg);
	return (VGS_FAIL);
}

/* In the child: the read of page pg must fault where it has a marker. */
static int
child_probe(struct race *r, size_t pg)
{
	uint64_t	w[VGS_PROBE_WORDS];
	int		sig, marked = (r->pm[pg] & VGS_PM_GUARD) != 0;

	sig = probe_read(arena_page(r->cfg->ar, pg), w);
	if (marked && sig != SIGSEGV)
		return (child_fail(r, "page %zu holds a marker, but the read "
		    "%s", pg, sig == 0 ? "succeeded" : "raised SIGBUS"));
	if (!marked && sig != 0)
		return (child_fail(r, "page %zu holds no marker, but the read "
		    "raised SIG%s", pg, vgs_signal_name(sig)));
	return (VGS_PASS);
}

/* In the child: judge the whole area against what was published. */
static int
race_child(void *arg)
{
	struct race		*r = arg;
	const struct race_cfg	*c = r->cfg;
	struct arena		*ar = c->ar;
	size_t			 t, k, len, pg, n = ar->npages, first;
	char			 err[VGS_MSG_MAX];
	int			 any = 0;

	if (arena_reopen_pagemap(ar) != 0 ||
	    pagemap_read(ar->pagemap_fd, (uintptr_t)ar->base, n, r->pm) != 0) {
		child_say("child: pagemap: %s\n", strerror(errno));
		return (VGS_HARD);
	}
	for (t = 0; t < c->nthreads; t++) {
		first = t * c->slice;
		for (len = 0; len < c->slice &&
		    (r->pm[first + len] & VGS_PM_GUARD); len++)
			;
		for (k = len; k < c->slice; k++) {
			if (r->pm[first + k] & VGS_PM_GUARD)
				return (child_fail(r, "page %zu holds a "
				    "marker after unmarked page %zu: markers "
				    "must form a prefix", first + k,
				    first + len));
		}
		if (len < r->before[t])
			return (child_fail(r, "page %zu: its INSTALL returned "
			    "before fork() (%zu of %zu done in thread %zu), "
			    "but the child shows no marker there", first + len,
			    r->before[t], c->slice, t));
		any |= len > 0;
	}
	if (smaps_read(&r->sm, "/proc/self/smaps", err, sizeof err) != 0) {
		child_say("child: %s\n", err);
		return (VGS_HARD);
	}
	smaps_area(&r->sm, (uintptr_t)ar->base, n, vgs_page_size, &r->st);
	if (r->st.nvmas != 1 || r->st.vmas[0].first != 0 ||
	    r->st.vmas[0].npages != n)
		return (child_fail(r, "the area is %zu VMAs, expected one of "
		    "%zu pages (installs never split a VMA)", r->st.nvmas, n));
	if (any && c->check_gu && !(r->st.vmas[0].flags & VGS_VMF_GU)) {
		for (pg = 0; !(r->pm[pg] & VGS_PM_GUARD); pg++)
			;
		return (child_fail(r, "page %zu holds a marker but its VMA "
		    "shows no gu", pg));
	}
	for (pg = 0; pg < n; pg++) {
		k = pg % c->slice;
		len = r->before[pg / c->slice];
		if (n > c->probe_max && k != 0 && k + 1 != c->slice &&
		    (k + 1 < len || k > len + 1))
			continue;
		if (child_probe(r, pg) != VGS_PASS)
			return (VGS_FAIL);
	}
	/* How many markers it inherited: did the fork land mid-race? */
	for (pg = k = 0; pg < n; pg++)
		k += (r->pm[pg] & VGS_PM_GUARD) != 0;
	child_say("%zu\n", k);
	return (VGS_PASS);
}

static int
finished(const struct race *r)
{
	unsigned	t;

	for (t = 0; t < r->cfg->nthreads; t++) {
		if (atomic_load(&r->done[t]) < r->cfg->slice && r->err[t] == 0)
			return (0);
	}
	return (1);
}

/*
 * One fork: the child judges.  *inflight tells whether the fork landed
 * while installs were going on, from the child's own view: it holds
 * some markers, but not all of them.
 */
static enum outcome
race_fork(struct race *r, struct race_out *out, int *inflight)
{
	struct child_result	cr;
	unsigned		t;
	size_t			seen;
	char			*end;

	*inflight = 0;
	for (t = 0; t < r->cfg->nthreads; t++)
		r->before[t] = atomic_load_explicit(&r->done[t],
		    memory_order_acquire);
	r->fork_no = ++out->forks;
	if (child_run(race_child, r, &cr) != 0) {
		snprintf(out->msg, sizeof out->msg, "fork: %s",
		    strerror(errno));
		return (VGS_HARD);
	}
	cr.text[strcspn(cr.text, "\n")] = '\0';
	if (cr.timed_out || cr.signo != 0) {
		snprintf(out->msg, sizeof out->msg, "fork %llu of round %llu: "
		    "the child %s", (unsigned long long)r->fork_no,
		    (unsigned long long)r->round, cr.timed_out ?
		    "missed its deadline" : "was killed by a signal");
		return (vgs_stop ? VGS_SKIP : VGS_FAIL);
	}
	if (cr.status == VGS_PASS) {
		seen = strtoul(cr.text, &end, 10);
		*inflight = end != cr.text && seen > 0 &&
		    seen < r->cfg->nthreads * r->cfg->slice;
		return (VGS_PASS);
	}
	snprintf(out->msg, sizeof out->msg, "%s", cr.text);
	return (cr.status == VGS_HARD ? VGS_HARD : VGS_FAIL);
}

/* One round: map the area afresh, let the threads go, fork meanwhile. */
static enum outcome
race_round(struct race *r, struct race_out *out)
{
	const struct race_cfg	*c = r->cfg;
	enum outcome		 rc = VGS_PASS;
	unsigned		 t, forks = 0;
	int			 inflight;

	if (arena_map(c->ar, 0, c->ar->npages, PROT_READ | PROT_WRITE) != 0) {
		snprintf(out->msg, sizeof out->msg, "mmap: %s",
		    strerror(errno));
		return (VGS_HARD);
	}
	for (t = 0; t < c->nthreads; t++) {
		atomic_store(&r->done[t], 0);
		r->err[t] = 0;
	}
	r->round = ++out->rounds;
	pthread_barrier_wait(&r->start);
	while (rc == VGS_PASS && !finished(r) && !vgs_stop &&
	    (c->max_forks == 0 || forks < c->max_forks)) {
		rc = race_fork(r, out, &inflight);
		out->overlapped += inflight;
		forks++;
	}
	pthread_barrier_wait(&r->end);
	for (t = 0, out->done_last = 0; t < c->nthreads; t++)
		out->done_last += atomic_load(&r->done[t]);
	for (t = 0; t < c->nthreads && rc == VGS_PASS; t++) {
		if (r->err[t] != 0) {
			snprintf(out->msg, sizeof out->msg, "thread %u: "
			    "MADV_GUARD_INSTALL of page %zu: %s", t,
			    t * c->slice + atomic_load(&r->done[t]),
			    strerror(r->err[t]));
			rc = VGS_FAIL;
		}
	}
	return (rc);
}

/*
 * Race cfg->nthreads installers against fork, round after round, until
 * the deadline (after at least min_rounds, and at most max_rounds; with
 * a max_rounds, stop early once a fork overlapped the installs).
 * VGS_SKIP when no fork landed while installs were in flight.
 */
enum outcome
race_core(const struct race_cfg *c, struct race_out *out)
{
	struct race	*r;
	struct racer	 me[VGS_RACE_MAX_THREADS];
	pthread_t	 tid[VGS_RACE_MAX_THREADS];
	unsigned	 t, started = 0;
	enum outcome	 rc = VGS_PASS;

	memset(out, 0, sizeof *out);
	r = xcalloc(1, sizeof *r);
	r->cfg = c;
	r->pm = xcalloc(c->ar->npages, sizeof *r->pm);
	state_init(&r->st, c->ar->npages);
	pthread_barrier_init(&r->start, NULL, c->nthreads + 1);
	pthread_barrier_init(&r->end, NULL, c->nthreads + 1);
	for (t = 0; t < c->nthreads; t++) {
		me[t].r = r;
		me[t].t = t;
		if (pthread_create(&tid[t], NULL, installer, &me[t]) != 0) {
			snprintf(out->msg, sizeof out->msg, "pthread_create "
			    "failed");
			rc = VGS_HARD;
			break;
		}
		started++;
	}
	while (rc == VGS_PASS && started == c->nthreads && !vgs_stop) {
		if (c->max_rounds != 0 && (out->rounds >= c->max_rounds ||
		    (out->rounds >= c->min_rounds && out->overlapped > 0)))
			break;
		if (out->rounds >= c->min_rounds && vgs_now() >= c->until)
			break;
		rc = race_round(r, out);
	}
	/* Every thread waits at the start barrier: let them go and end. */
	if (started == c->nthreads) {
		atomic_store(&r->stop, 1);
		pthread_barrier_wait(&r->start);
		for (t = 0; t < started; t++)
			pthread_join(tid[t], NULL);
	} else
		rc = VGS_HARD;	/* exits the process: threads die with it */
	pthread_barrier_destroy(&r->start);
	pthread_barrier_destroy(&r->end);
	smaps_free(&r->sm);
	state_free(&r->st);
	free(r->pm);
	free(r);
	if (rc == VGS_PASS && out->overlapped == 0)
		rc = VGS_SKIP;
	return (rc);
}

/* --threads: the race in a child of its own; its outcome comes back. */
struct threads_job {
	struct race_cfg	 cfg;
	struct race_out	*out;		/* shared memory */
	enum outcome	*rc;		/* shared memory */
};

static int
threads_main(void *arg)
{
	struct threads_job	*j = arg;

	*j->rc = race_core(&j->cfg, j->out);
	return (*j->rc == VGS_HARD ? VGS_HARD : VGS_PASS);
}

/*
 * Race --threads installers against fork on a fresh area of backing b
 * for secs seconds, report "stress-race.<backing>" and add the forks to
 * *forks.  Returns an outcome.
 */
int
race_run(const struct vgs_opts *o, const struct features *f, enum backing b,
    double secs, uint64_t *forks)
{
	static char		 summary[VGS_MSG_MAX + 64];
	struct threads_job	 j;
	struct arena		 ar;
	struct report_check	 rc;
	struct child_result	 cr;
	struct {
		struct race_out	out;
		enum outcome	rc;
	}			*sh;
	char			 name[64], err[VGS_MSG_MAX];
	double			 t0 = vgs_now();
	enum outcome		 st;

	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		fatal("mmap");
	memset(sh, 0, sizeof *sh);
	sh->rc = VGS_HARD;
	memset(&j, 0, sizeof j);
	j.cfg.nthreads = o->threads > VGS_RACE_MAX_THREADS ?
	    VGS_RACE_MAX_THREADS : o->threads;
	j.cfg.slice = RACE_SLICE;
	j.cfg.check_gu = f->series;
	j.cfg.min_rounds = 1;
	j.cfg.until = t0 + (secs > 0 ? secs : 1.0);
	j.cfg.probe_max = 1024;
	j.out = &sh->out;
	j.rc = &sh->rc;
	snprintf(name, sizeof name, "stress-race.%s", backing_name(b));
	if (arena_create(&ar, b, j.cfg.nthreads * RACE_SLICE, err,
	    sizeof err) != 0) {
		report_error(name, vgs_now() - t0, "setup: %s", err);
		munmap(sh, sizeof *sh);
		return (VGS_HARD);
	}
	j.cfg.ar = &ar;
	if (child_run_for(threads_main, &j, (unsigned)((j.cfg.until - t0) *
	    1000) + child_ceiling() + 10000, &cr) != 0) {
		snprintf(sh->out.msg, sizeof sh->out.msg, "fork: %s",
		    strerror(errno));
		memset(&cr, 0, sizeof cr);
	}
	st = sh->rc;
	if (vgs_stop) {
		st = VGS_SKIP;
		snprintf(sh->out.msg, sizeof sh->out.msg, "interrupted by "
		    "SIG%s after %llu forks", vgs_signal_name(vgs_stop),
		    (unsigned long long)sh->out.forks);
	} else if (cr.timed_out || cr.signo != 0) {
		st = VGS_FAIL;
		snprintf(sh->out.msg, sizeof sh->out.msg, "the race %s",
		    cr.timed_out ? "missed its deadline" : "crashed");
	}
	*forks += sh->out.forks;
	memset(&rc, 0, sizeof rc);
	rc.name = name;
	rc.summary = summary;
	rc.seconds = vgs_now() - t0;
	rc.result = st;
	if (st == VGS_PASS)
		snprintf(summary, sizeof summary, "%llu forks (%llu while "
		    "installs were in flight), %u thread%s, %llu rounds of %u "
		    "pages each, no violation",
		    (unsigned long long)sh->out.forks,
		    (unsigned long long)sh->out.overlapped, j.cfg.nthreads,
		    j.cfg.nthreads == 1 ? "" : "s",
		    (unsigned long long)sh->out.rounds, (unsigned)RACE_SLICE);
	else if (st == VGS_SKIP && vgs_stop)
		snprintf(summary, sizeof summary, "%s", sh->out.msg);
	else if (st == VGS_SKIP)
		snprintf(summary, sizeof summary, "inconclusive: none of %llu "
		    "forks in %llu rounds landed while installs were in "
		    "flight", (unsigned long long)sh->out.forks,
		    (unsigned long long)sh->out.rounds);
	else
		snprintf(summary, sizeof summary, "%s", sh->out.msg);
	if (st == VGS_HARD)
		report_error(name, rc.seconds, "%s", sh->out.msg);
	else
		report_result(&rc);
	arena_destroy(&ar);
	munmap(sh, sizeof *sh);
	return (st);
}
