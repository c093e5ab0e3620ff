/*
 * stress_fork.c: the stress engine's fork operation.  The child is
 * judged as the fork rules say it must look (model_fork_page() applied
 * to the parent's model on the fly), but it does almost nothing itself.
 * Every VGS_FORK_SMAPS_EVERY-th child, and every child of a replay
 * (the minimiser), is a full check, as a checkpoint would be: smaps
 * (gu, VmFlags, the invariant marker => gu), pagemap against
 * PAGEMAP_SCAN, every page, and VGS_FAULTS_CHECKPOINT loads in the
 * child that must fault and one that must read:
 *
 *   parent                              child
 *   before_fork(): windows, our frames
 *   plan_child(): loads for it
 *   _Fork() -------------------------->  (a broken kernel, or a shim,
 *                                         does its damage in fork())
 *                                        the planned loads: SIGSEGV
 *                                        or data, in shared memory
 *          <--------- a byte on e->sync  poll(), till the deadline
 *   check_child(): VMAs, markers,
 *   frames, content through /proc/PID/
 *   SIGKILL, waitpid() ---------------->  (gone)
 *
 * Any other child has no loads to make, so the parent does not wait for
 * it: fork() has completed its VMAs and page tables when it returns in
 * the parent, which looks at once and kills the child, most often
 * before it has run at all.
 *
 * A page a fork child touches first costs a page fault (under shadow
 * paging, a hypervisor exit), and a page either side writes while both
 * live is copied: so the child touches a few pages (its stack, the
 * probed pages, the shared results) and the parent keeps what it
 * writes while the child lives in memory the child does not inherit
 * (MADV_DONTFORK, see eng_alloc() in stress.c).  Every observation a
 * child could make of itself but a load is made from the parent
 * instead, the same system calls on the child's /proc files.  A fork
 * cycle then costs about what a bare fork, _exit and waitpid cost.
 */
#include "vgs.h"
#include "child.h"
#include "metrics.h"
#include "pagemap.h"
#include "probe.h"
#include "stress_int.h"

#include <sys/pidfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * _Fork() (glibc 2.34, POSIX.1-2024) makes the same clone() as fork()
 * without fork()'s work in user space: no atfork handlers, no locks
 * taken before and reset after.  That work matters here: the main
 * process starts a watchdog thread, after which glibc treats every
 * process forked from it as multi-threaded for good, and each fork()
 * wrote a dozen pages that the fork had just made copy-on-write
 * (measured: 29 page faults a fork cycle with fork(), 15 with _Fork(),
 * 10 for a bare fork of a small single-threaded process).  The child
 * makes only async-signal-safe calls, which is what _Fork() asks.
 */
#ifndef HAVE__FORK
#define _Fork	fork
#endif

/*
 * The first page from a random one on that the child's view has
 * unreadable (readable 0) or readable (readable 1), and not planned
 * yet; (size_t)-1 if none.  O(area) at worst, in one fork of 32.
 */
static size_t
find_page(struct eng *e, int readable)
{
	struct mpage	v;
	size_t		np = e->m.npages, start, i, pg, k;
	int		rd, dup;

	start = prng_below(&e->samp, np);
	for (i = 0; i < np; i++) {
		pg = (start + i) % np;
		model_fork_page(&e->m.pg[pg], &v);
		rd = v.mapped && !v.guard && (v.prot & PROT_READ);
		if (rd != readable)
			continue;
		for (k = dup = 0; k < e->cl->n; k++)
			dup |= e->cl->p[k].page == pg;
		if (!dup)
			return (pg);
	}
	return ((size_t)-1);
}

/*
 * Before fork(): the loads the child makes, nfault of pages that must
 * fault (markers, PROT_NONE, pages fork did not copy) and one of a
 * page that must read what the model says.
 */
static void
plan_child(struct eng *e, size_t nfault)
{
	size_t	i, pg;

	for (i = 0; i <= nfault && e->cl->n < VGS_CHILD_PROBES; i++) {
		if ((pg = find_page(e, i == nfault)) == (size_t)-1)
			continue;
		memset(&e->cl->p[e->cl->n], 0, sizeof e->cl->p[0]);
		e->cl->p[e->cl->n++].page = pg;
	}
}

/*
 * The child: the n planned loads, then, if say, a word to the parent;
 * then wait to be killed, ms at most (a minute past its deadline):
 * should the parent die first, nothing is left for long.
 * It has only what fork() copied: not the engine (MADV_DONTFORK), so
 * what it needs comes in arguments, kept on its stack; the shared page
 * of loads is touched only when there are loads (a first touch is a
 * page fault).
 */
static void __attribute__((noreturn))
child_main(struct child_look *cl, size_t n, int say, char *base, int fd,
    int ms)
{
	struct child_probe	*p;
	size_t			 i;
	char			 b = 'x';

	for (i = 0; i < n; i++) {
		p = &cl->p[i];
		p->acc = probe_access(base + p->page * vgs_page_size, p->w);
	}
	if (!say || write(fd, &b, 1) == 1)
		poll(NULL, 0, ms);
	_exit(VGS_HARD);
}

/*
 * Before fork(): the windows a child is looked at in (its area up to
 * VGS_PROBE_ALL_MAX pages, else VGS_FORK_WINDOWS windows of
 * VGS_STRIP_WINDOW pages) and our pagemap entries over them, so that
 * a page the child maps from the same frame can be read here.
 */
static void
before_fork(struct eng *e)
{
	size_t		np = e->m.npages, k;
	uintptr_t	a;

	e->nfw = np <= VGS_PROBE_ALL_MAX ? 1 : VGS_FORK_WINDOWS;
	e->fw_n = np <= VGS_PROBE_ALL_MAX ? np : VGS_STRIP_WINDOW;
	for (k = 0; k < e->nfw; k++) {
		e->fw_lo[k] = e->nfw == 1 ? 0 :
		    prng_below(&e->samp, np - e->fw_n + 1);
		a = (uintptr_t)arena_page(&e->ar, e->fw_lo[k]);
		e->fw_ok[k] = pagemap_read(e->ar.pagemap_fd, a, e->fw_n,
		    e->fw_pm + k * e->fw_n) == 0;
	}
}

/*
 * Look at fork child pid from the parent: its VMAs (PROCMAP_QUERY on
 * /proc/PID/maps), markers and presence (its pagemap), the content of
 * its pages (stress_look.c) and its own loads, in the windows
 * before_fork() chose.  With full, a checkpoint instead, smaps
 * included.  0 or -1.
 */
static int
check_child(struct eng *e, pid_t pid, int full)
{
	struct procmap	own = e->pm;
	char		err[VGS_MSG_MAX];
	size_t		k;
	int		pmfd = e->ar.pagemap_fd, rc = 0;

	if (procmap_open_pid(&e->pm, &own, pid, err, sizeof err) != 0) {
		e->pm = own;
		return (stress_hard(e, "look at the forked child: %s", err));
	}
	/* Its memory, where a read is needed: stress_look_pages(). */
	e->memfd = -1;
	if ((e->ar.pagemap_fd = pagemap_proc_open(pid, "pagemap")) == -1)
		rc = stress_hard(e, "look at the forked child: open "
		    "/proc/%d/pagemap: %s", (int)pid, strerror(errno));
	e->in_child = 1;
	e->child = pid;
	e->faults = e->gups = 0;
	e->chg_lo = 0;
	e->chg_hi = e->m.npages;
	e->chg_access = 0;
	if (rc == 0 && full) {
		/* Frames tell of the pages up to VGS_PROBE_ALL_MAX. */
		e->ppm = e->nfw == 1 && e->fw_ok[0] ? e->fw_pm : NULL;
		e->ppm_lo = 0;
		e->ppm_n = e->fw_n;
		rc = stress_checkpoint(e);
	}
	for (k = 0; rc == 0 && !full && k < e->nfw; k++) {
		e->sparse = 1;
		e->ppm = e->fw_ok[k] ? e->fw_pm + k * e->fw_n : NULL;
		e->ppm_lo = e->fw_lo[k];
		e->ppm_n = e->fw_n;
		rc = stress_check_window(e, e->fw_lo[k], e->fw_n,
		    VGS_LOOK_VMAS | VGS_LOOK_PAGES);
	}
	e->ppm = NULL;
	e->in_child = e->sparse = 0;
	e->child = 0;
	procmap_close(&e->pm);
	e->pm = own;
	if (e->ar.pagemap_fd != -1)
		close(e->ar.pagemap_fd);
	if (e->memfd != -1)
		close(e->memfd);
	e->ar.pagemap_fd = pmfd;
	e->memfd = -1;
	return (rc);
}

/*
 * Wait for the child's word, with its deadline: 0 when it came (the
 * child waits in poll()), else 1 with the child reaped (*st) or
 * killed late (*late).
 */
static int
await_child(struct eng *e, pid_t pid, int *st, int *late)
{
	struct pollfd	pfd[2];
	char		b;
	int		n, pidfd = pidfd_open(pid, 0);

	pfd[0].fd = e->sync[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = pidfd;
	pfd[1].events = POLLIN;
	/* A stop request (SIGINT, SIGTERM) ends the wait at once. */
	while ((n = poll(pfd, pidfd == -1 ? 1 : 2, (int)child_ceiling())) ==
	    -1 && errno == EINTR && !vgs_stop)
		;
	if (pidfd != -1)
		close(pidfd);
	if (n > 0 && (pfd[0].revents & POLLIN) &&
	    read(e->sync[0], &b, 1) == 1)
		return (0);
	*late = n == 0;
	kill(pid, SIGKILL);
	child_reap_killed(pid, st);
	return (1);
}

/*
 * How a fork child that was not killed by us ended, as a failure: it
 * died of its own before or while it was looked at (st from waitpid),
 * or did not die of SIGKILL within the bound (stuck).
 */
static int
child_ended(struct eng *e, int st, int stuck)
{
	if (stuck)
		return (stress_fail(e, "fork", "the forked child did not die "
		    "of SIGKILL: it stays in uninterruptible sleep"));
	if (WIFSIGNALED(st))
		return (stress_fail(e, "fork", "the forked child was killed by "
		    "signal %d (%s)", WTERMSIG(st),
		    vgs_signal_name(WTERMSIG(st))));
	return (stress_fail(e, "fork", "the forked child exited with status "
	    "%d before it could be looked at", WEXITSTATUS(st)));
}

/*
 * The fork operation: fork(), look at the child, kill it.  Not
 * child_run(): its pipe and second wakeup would double the cost of a
 * fork cycle.  The child stays in the worker's process group, so
 * whatever kills the workers kills it too, and dies with the worker.
 *
 * A child with loads to make (a full check) is waited for: its word
 * says the loads are done.  Its deadline is the ceiling
 * (--child-timeout), not the adaptive one: its work grows with --pages.
 * Any other child is looked at as soon as fork() returns here, which
 * is when its VMAs and page tables are complete, and then killed: most
 * die before they ever run, which spares a sleep and a wakeup each way,
 * a third of a fork cycle on a paravirtualised guest.  One that died
 * of its own meanwhile fails the operation: if the look failed for
 * want of the child, the death is the finding.  0 or -1.
 */
int
stress_fork(struct eng *e)
{
	struct child_look	*cl = e->cl;
	char			*base = e->ar.base;
	pid_t			 pid, self = getpid();
	int			 st = 0, late = 0, full, rc, stuck;
	int			 fd = e->sync[1], bare = e->cfg->bare;
	int			 ms = (int)child_ceiling() + 60000;

	e->fork_no = e->res->forks++;
	full = e->cfg->strict || e->fork_no % VGS_FORK_SMAPS_EVERY == 0;
	e->cl->n = 0;
	if (full)
		plan_child(e, VGS_FAULTS_CHECKPOINT);
	before_fork(e);
	metrics_hold(1);
	if ((pid = _Fork()) == -1) {
		metrics_hold(0);
		return (stress_hard(e, "fork: %s", strerror(errno)));
	}
	/* --bare twice: the bare cycle, a baseline for the benchmark. */
	if (pid == 0 && bare > 1)
		_exit(0);
	if (pid == 0) {
		/* It dies with the worker, even one SIGKILLed. */
		child_die_with_parent(self);
		child_main(cl, cl->n, full, base, fd, ms);
	}
	if (bare > 1) {
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
		metrics_hold(0);
		return (0);
	}
	/*
	 * Not stopped (SIGSTOP) meanwhile, though that would spare the
	 * child's few faults: one stopped before it ever ran has not set
	 * its parent-death signal, and outlives a worker that is killed
	 * with its main process (seen in tests/signal-kill-workers.sh).
	 */
	if (!full || await_child(e, pid, &st, &late) == 0) {
		rc = check_child(e, pid, full);
		kill(pid, SIGKILL);
		stuck = child_reap_killed(pid, &st) != 0;
		metrics_hold(0);
		if (!stuck && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			return (rc);
		if (e->res->status == VGS_HARD)
			e->res->status = VGS_PASS;
		return (child_ended(e, st, stuck));
	}
	metrics_hold(0);
	if (late)
		return (stress_fail(e, "fork", "the forked child missed its "
		    "%u ms deadline: killed", child_ceiling()));
	return (child_ended(e, st, 0));
}
