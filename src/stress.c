/*
 * stress.c: one stream of the random stress engine.  An area of one
 * backing goes through a sequence of operations; each is applied to the
 * kernel and to the model, then judged:
 *
 *   - the operation's window (its pages and one neighbour each side,
 *     where merges happen) and a sampled 8-page window elsewhere:
 *     VMA boundaries and permissions (PROCMAP_QUERY), markers
 *     (PAGEMAP_SCAN, else pagemap), access and data (probes);
 *   - every --smaps-interval operations, at the end and on failure, a
 *     checkpoint of the whole area: smaps (VmFlags, gu, the invariant
 *     marker => gu), pagemap against PAGEMAP_SCAN, probes.
 *
 * Everything per operation is O(its window): the model settles around
 * the change and derives the window only (model_incr.c), the observers
 * read the window only.  A checkpoint is O(area), so by default its
 * interval grows with the area.
 *
 * A fork operation's child applies the fork rules to the model
 * (model_fork) and checks every VMA and marker of the area, the content
 * of the WIPEONFORK pages and a sample of the others; every
 * VGS_FORK_SMAPS_EVERY forks it checks everything, smaps included.  The
 * result structure lives in shared memory, so the child writes its
 * findings straight into it.  stress_check.c observes and judges.
 *
 * The initial write of page 0 gives anon and file-private areas their
 * anon_vma before the first split (doc/behaviour.md §7).
 */
#include "vgs.h"
#include "metrics.h"
#include "child.h"
#include "feature.h"
#include "probe.h"
#include "stress_int.h"

#include <sys/pidfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RW		(PROT_READ | PROT_WRITE)

/* Monotonic seconds. */
double
stress_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Default checkpoint interval: O(area) work amortised over O(area) ops. */
unsigned
stress_default_interval(size_t npages)
{
	return (npages / 16 > 64 ? (unsigned)(npages / 16) : 64);
}

/* The first count operations a seed generates for an area. */
void
stress_gen_ops(uint64_t seed, size_t npages, uint64_t count, struct opseq *q)
{
	struct prng	p;
	struct op	op;
	uint64_t	i;

	prng_seed(&p, seed);
	for (i = 0; i < count; i++) {
		prng_op(&p, npages, i, &op);
		opseq_add(q, &op);
	}
}

static int
fork_child(struct eng *e, struct model *cm)
{
	struct model	tmp;
	char		err[VGS_MSG_MAX];
	int		rc;

	e->in_child = 1;
	if (arena_reopen_pagemap(&e->ar) != 0)
		return (stress_hard(e, "open /proc/self/pagemap in the "
		    "child: %s", strerror(errno)), VGS_HARD);
	if (procmap_reopen(&e->pm, err, sizeof err) != 0)
		return (stress_hard(e, "in the child: %s", err), VGS_HARD);
	if (!e->cfg->bare) {
		/* A swap: the parent's model stays reachable (memcheck). */
		tmp = e->m;
		e->m = *cm;
		*cm = tmp;
	}
	/*
	 * Every page's VMA and marker, the WIPEONFORK pages' content and a
	 * sample of the others; now and then everything, smaps included.
	 */
	if (e->fork_no % VGS_FORK_SMAPS_EVERY == 0)
		rc = stress_checkpoint(e);
	else {
		e->sparse = 1;
		rc = stress_check_window(e, 0, e->m.npages);
		e->sparse = 0;
	}
	if (rc == 0)
		return (VGS_PASS);
	return (e->res->status == VGS_HARD ? VGS_HARD :
	    VGS_FAIL);
}

/*
 * Wait for pid until ms pass; 0 with *st, or 1 when it was killed for
 * missing its deadline.  A pidfd wakes us once, at the child's exit.
 */
static int
reap(pid_t pid, unsigned ms, int *st)
{
	struct pollfd	pfd;
	double		until = stress_now() + ms / 1000.0;
	int		n = 1, late = 0;

	if ((pfd.fd = pidfd_open(pid, 0)) != -1) {
		pfd.events = POLLIN;
		while ((n = poll(&pfd, 1, (int)ms)) == -1 && errno == EINTR)
			;
		close(pfd.fd);
		late = n == 0;
	} else {
		while (!late && waitpid(pid, st, WNOHANG) == 0) {
			late = stress_now() > until;
			usleep(200);
		}
	}
	if (late) {
		kill(pid, SIGKILL);
		child_reap_killed(pid, st);
		return (late);
	}
	while (waitpid(pid, st, 0) == -1 && errno == EINTR)
		;
	return (late);
}

/*
 * fork(); the child checks itself and writes what it found into the
 * shared result.  Not child_run(): its pipe and second wakeup would
 * double the cost of a fork cycle.  The child stays in the worker's
 * process group, so whatever kills the workers kills it too, and dies
 * with the worker.  Its deadline is the ceiling (--child-timeout), not
 * the adaptive one: its work grows with --pages.
 */
static int
do_fork(struct eng *e)
{
	struct model	cm;
	pid_t		pid, self = getpid();
	int		st = 0, lazy = e->m.lazy;

	/*
	 * The child's model is made here, before fork(): the child then
	 * only reads it and copies no pages it would write.
	 */
	memset(&cm, 0, sizeof cm);
	if (!e->cfg->bare) {
		e->m.lazy = 0;
		model_fork(&e->m, &cm);
		e->m.lazy = lazy;
		cm.lazy = 1;
	}
	e->fork_no = e->res->forks++;
	if ((pid = fork()) == -1) {
		model_free(&cm);
		return (stress_hard(e, "fork: %s", strerror(errno)));
	}
	if (pid == 0)
		child_die_with_parent(self);
	/* --bare twice: the bare cycle, a baseline for the benchmark. */
	if (pid == 0 && e->cfg->bare > 1)
		_exit(0);
	if (pid == 0)
		_exit(fork_child(e, &cm));
	model_free(&cm);
	if (reap(pid, child_ceiling(), &st))
		return (stress_fail(e, "fork", "the forked child missed its "
		    "%u ms deadline: killed", child_ceiling()));
	if (WIFSIGNALED(st))
		return (stress_fail(e, "fork", "the forked child was killed by "
		    "signal %d (%s)", WTERMSIG(st), sigabbrev_np(WTERMSIG(st)) ?
		    sigabbrev_np(WTERMSIG(st)) : "?"));
	if (WEXITSTATUS(st) == VGS_PASS)
		return (0);
	if (e->res->status == VGS_PASS)
		return (stress_fail(e, "fork", "the forked child exited "
		    "with status %d", WEXITSTATUS(st)));
	return (-1);
}

static int
write_pages(struct eng *e, size_t first, size_t n, uint32_t tag)
{
	uint64_t		 w[VGS_PROBE_WORDS];
	const struct mpage	*p;
	size_t			 i;

	for (i = first; i < first + n; i++) {
		p = &e->m.pg[i];
		if (!e->cfg->bare && (!p->mapped || p->guard ||
		    !(p->prot & PROT_WRITE)))
			continue;
		probe_words(tag, i, w);
		if (probe_write(arena_page(&e->ar, i), w) != 0 &&
		    !e->cfg->bare)
			return (stress_fail(e, "access", "writing page %zu "
			    "faulted, though the model has it writable", i));
	}
	return (0);
}

static int
move_out_back(struct eng *e, char *src, size_t len, char *dst)
{
	if (mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst) ==
	    MAP_FAILED)
		return (errno);
	if (mremap(dst, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, src) ==
	    MAP_FAILED)
		return (stress_hard(e, "mremap back to the area: %s",
		    strerror(errno)), -1);
	return (0);
}

/*
 * mremap() the range out of the area and back.  Before 6.17 a move may
 * not span VMAs (EFAULT): then each VMA of the range moves on its own.
 */
static int
do_mremap(struct eng *e, size_t first, size_t n)
{
	size_t	 ps = vgs_page_size, i, j, end = first + n;
	char	*scratch;
	int	 rc;

	scratch = mmap(NULL, (n + 2) * ps, PROT_NONE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (scratch == MAP_FAILED)
		return (stress_hard(e, "mmap scratch: %s", strerror(errno)));
	rc = move_out_back(e, arena_page(&e->ar, first), n * ps,
	    scratch + ps);
	for (i = first; rc == EFAULT && !e->cfg->bare && i < end; i = j) {
		for (j = i + 1; j < end && model_same_vma(&e->m.pg[i],
		    &e->m.pg[j]); j++)
			;
		if (j == end && i == first)
			break;
		if ((rc = move_out_back(e, arena_page(&e->ar, i),
		    (j - i) * ps, scratch + ps)) != 0)
			break;
		rc = j == end ? 0 : EFAULT;
	}
	munmap(scratch, (n + 2) * ps);
	if (rc > 0 && !e->cfg->bare)
		return (stress_fail(e, "errno", "mremap out of the area: %s, "
		    "expected success", strerrorname_np(rc)));
	return (rc < 0 ? -1 : 0);
}

static int
expect_ok(struct eng *e, const char *call, int got)
{
	if (got == 0 || e->cfg->bare)
		return (0);
	return (stress_fail(e, "errno", "%s returned %s, expected success",
	    call, strerrorname_np(got) ? strerrorname_np(got) : "an error"));
}

/*
 * The model's side of an operation (fork aside: the child's view is
 * model_fork()'s); returns the errno the kernel should give.  The engine
 * and the C emitter share it, so a reproducer expects what the engine
 * expected.
 */
int
stress_model_op(struct model *m, const struct op *op, unsigned *next_seg)
{
	unsigned	seg;
	int		want = 0;

	switch (op->kind) {
	case VGS_OP_INSTALL:
	case VGS_OP_REMOVE:
		model_guard(m, op->first, op->n, op->kind == VGS_OP_INSTALL);
		break;
	case VGS_OP_PROTECT:
		model_protect(m, op->first, op->n, op->arg);
		break;
	case VGS_OP_ADVISE:
		want = model_advise(m, op->first, op->n, op->arg);
		break;
	case VGS_OP_DONTNEED:
		want = model_advise(m, op->first, op->n, MADV_DONTNEED);
		break;
	case VGS_OP_WRITE:
		model_write(m, op->first, op->n, op->arg);
		break;
	case VGS_OP_REMAP:
		seg = model_remap_seg(m, op->first, op->n, next_seg);
		model_unmap(m, op->first, op->n);
		model_map(m, op->first, op->n, RW, seg);
		model_settle_range(m, op->first, op->n);
		model_write(m, op->first, op->n, op->arg);
		break;
	default:
		return (0);
	}
	model_settle_range(m, op->first, op->n);
	return (want);
}

/* Apply the current operation to the kernel, then to the model. */
static int
apply(struct eng *e)
{
	const struct op	*op = &e->op;
	char		*a = arena_page(&e->ar, op->first);
	size_t		 len = (size_t)op->n * vgs_page_size;
	int		 bare = e->cfg->bare, want, got = 0, adv;
	const char	*call = NULL;

	switch (op->kind) {
	case VGS_OP_INSTALL:
	case VGS_OP_REMOVE:
		adv = op->kind == VGS_OP_INSTALL ? MADV_GUARD_INSTALL :
		    MADV_GUARD_REMOVE;
		got = madvise(a, len, adv) == 0 ? 0 : errno;
		call = adv == MADV_GUARD_INSTALL ?
		    "madvise(MADV_GUARD_INSTALL)" :
		    "madvise(MADV_GUARD_REMOVE)";
		break;
	case VGS_OP_PROTECT:
		got = mprotect(a, len, op->arg) == 0 ? 0 : errno;
		call = "mprotect";
		break;
	case VGS_OP_ADVISE:
	case VGS_OP_DONTNEED:
		adv = op->kind == VGS_OP_DONTNEED ? MADV_DONTNEED :
		    (int)op->arg;
		got = madvise(a, len, adv) == 0 ? 0 : errno;
		break;
	case VGS_OP_WRITE:
		if (write_pages(e, op->first, op->n, op->arg) != 0)
			return (-1);
		break;
	case VGS_OP_REMAP:
		if (expect_ok(e, "munmap", munmap(a, len) == 0 ? 0 : errno))
			return (-1);
		if (arena_map(&e->ar, op->first, op->n, RW) != 0)
			return (stress_hard(e, "mmap p%u-%u: %s", op->first,
			    op->first + op->n - 1, strerror(errno)));
		/* Fresh pages: the model's write rule would skip none. */
		if (!bare) {
			model_unmap(&e->m, op->first, op->n);
			model_map(&e->m, op->first, op->n, RW, 1);
		}
		if (write_pages(e, op->first, op->n, op->arg) != 0)
			return (-1);
		break;
	case VGS_OP_MREMAP:
		return (do_mremap(e, op->first, op->n));
	case VGS_OP_FORK:
		return (do_fork(e));
	default:
		return (stress_hard(e, "unknown operation %d", op->kind));
	}
	if (bare)
		return (0);
	want = stress_model_op(&e->m, op, &e->next_seg);
	if (call != NULL)
		return (expect_ok(e, call, got));
	if (want == got)
		return (0);
	return (stress_fail(e, "errno", "madvise returned %s, the model "
	    "expects %s", got ? strerrorname_np(got) : "success",
	    want ? strerrorname_np(want) : "success"));
}

/*
 * After an operation: its window, a sampled window, a checkpoint.  A
 * fork changes nothing in the parent, and its child checked itself.
 */
static int
check_after(struct eng *e)
{
	const struct op	*op = &e->op;
	size_t		 np = e->m.npages, lo, hi, s;

	if (op->kind != VGS_OP_FORK) {
		lo = op->first > 0 ? op->first - 1 : 0;
		hi = (size_t)op->first + op->n + 1;
		if (stress_check_window(e, lo, (hi > np ? np : hi) - lo) != 0)
			return (-1);
		s = prng_below(&e->samp, np);
		if (stress_check_window(e, s, np - s < VGS_SAMPLE_PAGES ?
		    np - s : VGS_SAMPLE_PAGES) != 0)
			return (-1);
		/*
		 * Replays: a sample of elsewhere may not come round again,
		 * so look at everything (large areas: at the end).
		 */
		if (e->cfg->strict && np <= VGS_STRICT_MAX &&
		    stress_check_window(e, 0, np) != 0)
			return (-1);
	}
	if ((e->index + 1) % e->cfg->smaps_interval == 0)
		return (stress_checkpoint(e));
	return (0);
}

static int
setup(struct eng *e, const struct stress_cfg *cfg, struct stress_result *r)
{
	char	err[VGS_MSG_MAX];
	size_t	np = cfg->npages;

	memset(e, 0, sizeof *e);
	e->cfg = cfg;
	e->res = r;
	e->pm.fd = -1;
	if (arena_create(&e->ar, cfg->backing, np, err, sizeof err) != 0)
		return (stress_hard(e, "setup: %s", err));
	if (procmap_open(&e->pm, err, sizeof err) != 0)
		return (stress_hard(e, "setup: %s", err));
	model_init(&e->m, cfg->backing, np, VGS_TAG_FILE);
	e->m.lazy = 1;
	model_map(&e->m, 0, np, RW, 1);
	e->next_seg = 2;
	state_init(&e->wexp, np);
	state_init(&e->wobs, np);
	state_init(&e->fexp, np);
	state_init(&e->fobs, np);
	e->pmbuf = xcalloc(np, sizeof *e->pmbuf);
	e->fj.check_gu = cfg->check_gu;
	e->fj.flag_mask = VGS_VMF_MODELLED;
	prng_seed(&e->gen, cfg->seed);
	prng_seed(&e->samp, prng_derive(cfg->seed, 0x73616d70ULL));
	e->index = UINT64_MAX;
	/*
	 * DONTFORK leaves holes in a fork child's area, and an mmap() of
	 * malloc's would land in one and pass for a VMA of the area: keep
	 * allocations on the heap (set here, inherited by every child).
	 */
	mallopt(M_MMAP_MAX, 0);
	model_write(&e->m, 0, 1, VGS_TAG_FIRST_STRESS);
	return (write_pages(e, 0, 1, VGS_TAG_FIRST_STRESS));
}

static void
teardown(struct eng *e)
{
	arena_destroy(&e->ar);
	procmap_close(&e->pm);
	model_free(&e->m);
	state_free(&e->wexp);
	state_free(&e->wobs);
	state_free(&e->fexp);
	state_free(&e->fobs);
	free(e->pmbuf);
}

/*
 * Run one stream to its end (operations, op count or deadline) or its
 * first failure.  r must be zeroed (and shared with children to learn
 * what a fork child found).  Returns r->status.
 */
int
stress_stream(const struct stress_cfg *cfg, struct stress_result *r)
{
	struct eng	e;
	uint64_t	t0;
	int		rc, k;

	r->status = VGS_PASS;
	if (setup(&e, cfg, r) == 0 && stress_checkpoint(&e) == 0) {
		for (e.index = 0; !vgs_stop; e.index++) {
			if (cfg->ops != NULL && e.index >= cfg->ops->n)
				break;
			if (cfg->max_ops != 0 && e.index >= cfg->max_ops)
				break;
			if (cfg->deadline > 0 && stress_now() >= cfg->deadline)
				break;
			if (cfg->ops != NULL)
				e.op = cfg->ops->ops[e.index];
			else
				prng_op(&e.gen, cfg->npages, e.index, &e.op);
			t0 = metrics_now();
			rc = apply(&e);
			metrics_add(op_table[e.op.kind].metric,
			    metrics_now() - t0);
			if (rc != 0 || check_after(&e) != 0)
				break;
			r->ops = e.index + 1;
		}
		if (r->status == VGS_PASS && r->ops > 0) {
			e.index = r->ops - 1;
			stress_checkpoint(&e);
		}
	}
	teardown(&e);
	for (k = 0; k < VGS_MET_COUNT; k++)
		metrics_get(k, &r->met[k]);
	r->done = 1;
	return (r->status);
}
