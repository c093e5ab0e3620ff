/*
 * scn_race.c: INSTALL racing fork() (SPEC §3 row 16).  A thread guards
 * the pages of the area one madvise() at a time, in order, publishing
 * how many calls have returned; the main thread forks again and again.
 * Each child must see every page whose madvise() returned before the
 * fork as a marker (fork takes the mmap lock for writing, so no INSTALL
 * is half done inside it), markers forming a prefix of the area, and
 * its VMA showing gu wherever it holds one.
 *
 *   parent  [GGGGGGG.........]  (gu)  the thread is at p7
 *   child   [GGGGGGG(G)......]  (gu)  at least p0-6, a prefix
 *
 * Bounded by a number of forks and by the thread finishing, so it costs
 * a few tens of milliseconds per backing.
 */
#include "vgs.h"
#include "child.h"
#include "feature.h"
#include "options.h"
#include "observe.h"
#include "step.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NPAGES		128
#define MAX_FORKS	48

struct race {
	struct scn	*s;
	atomic_size_t	 done;		/* INSTALLs returned, in order */
	atomic_int	 finished;
	atomic_int	 stop;
	int		 err;		/* errno of a failed INSTALL */
	size_t		 before;	/* done, read just before fork() */
	unsigned	 fork_no;
};

static void *
installer(void *arg)
{
	struct race	*r = arg;
	struct timespec	 pause = { 0, 20000 };
	size_t		 i;

	for (i = 0; i < NPAGES && !atomic_load(&r->stop); i++) {
		if (madvise(arena_page(&r->s->ar, i), vgs_page_size,
		    MADV_GUARD_INSTALL) != 0) {
			r->err = errno;
			break;
		}
		atomic_store_explicit(&r->done, i + 1, memory_order_release);
		nanosleep(&pause, NULL);
	}
	atomic_store(&r->finished, 1);
	return (NULL);
}

/* In the child: the three properties, on its own page tables. */
static int
race_child(void *arg)
{
	struct race		*r = arg;
	struct scn		*s = r->s;
	const struct vma	*v;
	char			 err[VGS_MSG_MAX];
	size_t			 i, end;

	if (arena_reopen_pagemap(&s->ar) != 0 ||
	    observe_area(&s->ar, VGS_HAVE_VMAS | VGS_HAVE_MARKS, &s->obs, err,
	    sizeof err) != 0) {
		child_say("fork %u: observing the child: %s\n", r->fork_no,
		    err);
		return (VGS_HARD);
	}
	for (end = 0; end < NPAGES && s->obs.marks[end] == 'G'; end++)
		;
	for (i = end; i < NPAGES; i++) {
		if (s->obs.marks[i] == 'G') {
			child_say("fork %u: page %zu holds a marker after "
			    "unmarked page %zu: markers must form a prefix\n",
			    r->fork_no, i, end);
			return (VGS_FAIL);
		}
	}
	for (i = 0; i < r->before; i++) {
		if (s->obs.marks[i] != 'G') {
			child_say("fork %u: page %zu: its INSTALL returned "
			    "before fork() (%zu done), but the child shows "
			    "%c, not G\n", r->fork_no, i, r->before,
			    s->obs.marks[i]);
			return (VGS_FAIL);
		}
	}
	v = state_vma_at(&s->obs, 0);
	if (end > 0 && s->judge.check_gu && (v == NULL ||
	    !(v->flags & VGS_VMF_GU))) {
		child_say("fork %u: page 0 holds a marker but its VMA shows no "
		    "gu\n", r->fork_no);
		return (VGS_FAIL);
	}
	child_say("fork %u: %zu done before fork, %zu markers\n", r->fork_no,
	    r->before, end);
	return (VGS_PASS);
}

static enum outcome
race_forks(struct scn *s, struct race *r, unsigned *inflight)
{
	struct child_result	res;
	int			fin;
	unsigned		forks;

	for (forks = 0; forks < MAX_FORKS && !vgs_stop; forks++) {
		fin = atomic_load(&r->finished);
		r->before = atomic_load_explicit(&r->done,
		    memory_order_acquire);
		r->fork_no = forks + 1;
		if (r->before > 0 && r->before < NPAGES)
			(*inflight)++;
		if (child_run(race_child, r, &res) != 0)
			return (step_hard(s, "fork: %s", strerror(errno)));
		res.text[strcspn(res.text, "\n")] = '\0';
		if (res.timed_out)
			return (step_fail(s, "fork %u: the child missed its "
			    "deadline", r->fork_no));
		if (res.signo != 0)
			return (step_fail(s, "fork %u: the child was killed by "
			    "signal %d", r->fork_no, res.signo));
		if (res.status == VGS_HARD)
			return (step_hard(s, "%s", res.text));
		if (res.status != VGS_PASS)
			return (step_fail(s, "%s", res.text));
		if (fin)
			break;
	}
	return (0);
}

/*
 * Run the installer against the forks; then the parent's own state
 * must be the model's with every page guarded.
 */
static enum outcome
run_race_fork(struct scn *s)
{
	struct race	 r;
	pthread_t	 tid;
	unsigned	 inflight = 0;
	int		 rc, e;

	/* Before the series only VMAs with an anon_vma had their page
	 * tables copied, and INSTALL gave one to every private VMA. */
	if (!s->feat->gu && !s->opts->require_gu &&
	    backing_shared(s->backing))
		return (step_skip(s, "pre-series kernel: fork copies no page "
		    "tables of a shared mapping, markers are not inherited"));
	memset(&r, 0, sizeof r);
	r.s = s;
	atomic_init(&r.done, 0);
	atomic_init(&r.finished, 0);
	atomic_init(&r.stop, 0);
	if ((e = pthread_create(&tid, NULL, installer, &r)) != 0)
		return (step_hard(s, "pthread_create: %s", strerror(e)));
	rc = race_forks(s, &r, &inflight);
	atomic_store(&r.stop, 1);
	pthread_join(tid, NULL);
	s->steps++;
	step_note(s, "%u forks while INSTALL was in flight, thread did %zu "
	    "pages", inflight, atomic_load(&r.done));
	if (rc != 0)
		return (VGS_FAIL);
	if (r.err != 0)
		return (step_fail(s, "INSTALL of page %zu failed: %s",
		    atomic_load(&r.done), strerror(r.err)));
	model_guard(&s->m, 0, atomic_load(&r.done), 1);
	TRY(step_verify(s, "parent after the race", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_race_fork = {
	.name = "race-fork",
	.claim = "a thread installs guards in order while the main thread "
	    "forks: each child sees a prefix",
	.rule = "16",
	.backings = VGS_BACKING_ALL,
	.npages = NPAGES,
	.run = run_race_fork,
};
