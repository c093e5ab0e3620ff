/*
 * stress_op.c: the stress engine's operations on the kernel (install,
 * remove, mprotect, madvise, writes, munmap and mmap, mremap; fork is
 * stress_fork.c's), each then applied to the model: stress_model_op()
 * is the model's side, shared with the C emitter, so that a
 * reproducer expects what the engine expected.  A write op also
 * checks that writes to the pages the model has unwritable fault.
 */
#include "vgs.h"
#include "metrics.h"
#include "probe.h"
#include "stress_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RW		(PROT_READ | PROT_WRITE)

static const char *
unwritable(const struct mpage *p)
{
	if (!p->mapped)
		return ("unmapped");
	if (p->guard)
		return ("a guard page");
	return (p->prot & PROT_READ ? "read-only" : "PROT_NONE");
}

/*
 * A write op's pages the model has unwritable (guard, read-only, none):
 * writes must fault there and change nothing.  One of them (at random)
 * gets a real store, whose SIGSEGV is caught; the others are asked of
 * the kernel with MADV_POPULATE_WRITE, a write fault without a store,
 * which must be refused.  The window check that follows reads the
 * pages back: a store that landed shows as foreign data.
 */
static int
write_refused(struct eng *e, size_t first, size_t n, uint32_t tag)
{
	uint64_t		 w[VGS_PROBE_WORDS], t0;
	const struct mpage	*p;
	size_t			 i, c = 0, pick;
	int			 sig, rc;

	for (i = first; i < first + n; i++) {
		p = &e->m.pg[i];
		c += !p->mapped || p->guard || !(p->prot & PROT_WRITE);
	}
	if (c == 0)
		return (0);
	pick = prng_below(&e->samp, c);
	for (i = first, c = 0; i < first + n; i++) {
		p = &e->m.pg[i];
		if (p->mapped && !p->guard && (p->prot & PROT_WRITE))
			continue;
		t0 = metrics_now();
		if (c++ == pick) {
			probe_words(tag, i, w);
			sig = probe_write(arena_page(&e->ar, i), w);
			metrics_add(VGS_MET_PROBE, metrics_now() - t0);
			if (sig == 0 && !e->cfg->bare)
				return (stress_fail(e, "access", "writing page "
				    "%zu did not fault, though the model has it "
				    "%s", i, unwritable(p)));
			continue;
		}
		rc = probe_oracle(arena_page(&e->ar, i), 1);
		metrics_add(VGS_MET_ORACLE, metrics_now() - t0);
		if (rc == 0 && !e->cfg->bare)
			return (stress_fail(e, "access", "page %zu: "
			    "MADV_POPULATE_WRITE succeeded (a write would not "
			    "fault), though the model has it %s", i,
			    unwritable(p)));
	}
	return (0);
}

/*
 * Write the pattern of tag to pages first..first+n-1: the ones the
 * model has writable must take it; with refused, writes to the others
 * must fault (write_refused()).
 */
int
stress_write(struct eng *e, size_t first, size_t n, uint32_t tag,
    int refused)
{
	uint64_t		 w[VGS_PROBE_WORDS];
	const struct mpage	*p;
	size_t			 i;

	for (i = first; i < first + n; i++) {
		p = &e->m.pg[i];
		if (!p->mapped || p->guard || !(p->prot & PROT_WRITE))
			continue;
		probe_words(tag, i, w);
		if (probe_write(arena_page(&e->ar, i), w) != 0 &&
		    !e->cfg->bare)
			return (stress_fail(e, "access", "writing page %zu "
			    "faulted, though the model has it writable", i));
	}
	return (refused ? write_refused(e, first, n, tag) : 0);
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
	for (i = first; rc == EFAULT && i < end; i = j) {
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
int
stress_apply(struct eng *e)
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
		if (stress_write(e, op->first, op->n, op->arg, 1) != 0)
			return (-1);
		break;
	case VGS_OP_REMAP:
		if (expect_ok(e, "munmap", munmap(a, len) == 0 ? 0 : errno))
			return (-1);
		if (arena_map(&e->ar, op->first, op->n, RW) != 0)
			return (stress_hard(e, "mmap p%u-%u: %s", op->first,
			    op->first + op->n - 1, strerror(errno)));
		/* Fresh pages: the model's write rule would skip none. */
		model_unmap(&e->m, op->first, op->n);
		model_map(&e->m, op->first, op->n, RW, 1);
		if (stress_write(e, op->first, op->n, op->arg, 0) != 0)
			return (-1);
		break;
	case VGS_OP_MREMAP:
		return (do_mremap(e, op->first, op->n));
	case VGS_OP_FORK:
		return (stress_fork(e));
	default:
		return (stress_hard(e, "unknown operation %d", op->kind));
	}
	want = stress_model_op(&e->m, op, &e->next_seg);
	if (bare)
		return (0);
	if (call != NULL)
		return (expect_ok(e, call, got));
	if (want == got)
		return (0);
	return (stress_fail(e, "errno", "madvise returned %s, the model "
	    "expects %s", got ? strerrorname_np(got) : "success",
	    want ? strerrorname_np(want) : "success"));
}

