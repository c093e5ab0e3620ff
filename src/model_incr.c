/*
 * model_incr.c: the model used incrementally, as the stress engine does
 * on areas of up to a million pages.  Settling the whole model and
 * deriving the whole expected state cost O(area) per operation; here
 * both cost O(pages the operation touched), so that the engine's cost
 * per operation does not grow with the area.  Pure bookkeeping, like
 * model.c: no system calls.
 *
 * Usage: set m->lazy, and after each model operation on pages
 * first..first+n-1 call model_settle_range(m, first, n).
 */
#include "vgs.h"
#include "model.h"
#include "state.h"

#include <string.h>

static size_t
clamp_n(const struct model *m, size_t first, size_t n)
{
	if (first >= m->npages)
		return (0);
	return (n > m->npages - first ? m->npages - first : n);
}

static int
joined(const struct model *m, size_t a, size_t b)
{
	return (model_same_vma(&m->pg[a], &m->pg[b]));
}

/*
 * Spread gu after pages first..first+n-1 changed.  Outside them every
 * run is as it was, uniform in gu (the model was settled before), so
 * only the runs meeting the range can need gu; a run that gains it
 * spreads it outwards only as far as pages lack it.  A page gains gu
 * once per mapping, so the spreading costs amortised O(n).
 */
void
model_settle_range(struct model *m, size_t first, size_t n)
{
	size_t	i, j, k, end;
	int	gu;

	n = clamp_n(m, first, n);
	end = first + n;
	for (i = first; i < end; i = j) {
		if (!m->pg[i].mapped) {
			j = i + 1;
			continue;
		}
		gu = 0;
		for (j = i; j < end && joined(m, i, j); j++)
			gu |= m->pg[j].gu;
		if (i == first && i > 0 && joined(m, i - 1, i))
			gu |= m->pg[i - 1].gu;
		if (j == end && j < m->npages && joined(m, j - 1, j))
			gu |= m->pg[j].gu;
		if (!gu)
			continue;
		for (k = i; k < j; k++)
			m->pg[k].gu = 1;
		for (k = i; i == first && k > 0 && joined(m, k - 1, k) &&
		    !m->pg[k - 1].gu; k--)
			m->pg[k - 1].gu = 1;
		for (k = j; j == end && k < m->npages && joined(m, k - 1, k) &&
		    !m->pg[k].gu; k++)
			m->pg[k].gu = 1;
	}
}

/* Settle the whole model now, lazy or not (after model_fork, say). */
void
model_settle_all(struct model *m)
{
	int	lazy = m->lazy;

	m->lazy = 0;
	model_settle_range(m, 0, m->npages);
	m->lazy = lazy;
}

static int
fresh_like(const struct mpage *p, int same_prot)
{
	return (p->mapped && p->adv == 0 &&
	    (!same_prot || p->prot == (PROT_READ | PROT_WRITE)));
}

/*
 * The segment that pages first..first+n-1 join when they are mapped
 * afresh read-write and written at once, as the engine's remap does.
 * For anon and file-private a segment is an anon_vma (the neighbours
 * must have one: they were written before).  mmap() merges the new VMA
 * with a neighbour of equal protection and flags, gu aside since it is
 * sticky, taking the left one when both qualify but have different
 * anon_vmas.  Failing that, the write's anon_vma_prepare() borrows the
 * anon_vma of a neighbour whose flags differ at most in protection, the
 * right one first (find_mergeable_anon_vma(): it keeps a later mprotect
 * able to merge).  Else the VMA gets an anon_vma of its own: segment
 * *fresh, which is then advanced.  Shared mappings have no anon_vma:
 * any neighbour's segment will do.
 */
unsigned
model_remap_seg(const struct model *m, size_t first, size_t n,
    unsigned *fresh)
{
	const struct mpage	*l = NULL, *r = NULL;

	n = clamp_n(m, first, n);
	if (first > 0 && m->pg[first - 1].mapped)
		l = &m->pg[first - 1];
	if (first + n < m->npages && m->pg[first + n].mapped)
		r = &m->pg[first + n];
	if (model_backing_shared(m->backing))
		return (l != NULL ? l->seg : r != NULL ? r->seg : 1);
	if (l != NULL && fresh_like(l, 1))
		return (l->seg);
	if (r != NULL && fresh_like(r, 1))
		return (r->seg);
	if (r != NULL && fresh_like(r, 0))
		return (r->seg);
	if (l != NULL && fresh_like(l, 0))
		return (l->seg);
	return ((*fresh)++);
}

/*
 * model_expect() for the window of pages first..first+n-1 only: st
 * (whose npages is n) gets the VMAs clipped to the window, in pages
 * relative to first, and the window's pages.  The window is a view of
 * the model, so the rules are model_expect()'s own.
 */
void
model_expect_window(const struct model *m, size_t first, size_t n,
    struct state *st)
{
	struct model	view = *m;

	n = clamp_n(m, first, n);
	view.pg = m->pg + first;
	view.obj = m->obj + first;
	view.npages = n;
	model_expect(&view, st);
}

/*
 * Page p as a child sees it right after fork() (model_fork()'s rules):
 * DONTFORK pages are not there, WIPEONFORK pages have lost their
 * markers and content, locks are not inherited.  Dropping pages only
 * splits runs and the stress engine never locks, so a settled model's
 * view needs no settling: the engine's fork child judges through it
 * and copies nothing of the area's size.
 */
void
model_fork_page(const struct mpage *p, struct mpage *out)
{
	*out = *p;
	if (!out->mapped)
		return;
	if (out->adv & VGS_VMF_DC) {
		memset(out, 0, sizeof *out);
		return;
	}
	if (out->adv & VGS_VMF_WF) {
		out->guard = 0;
		out->data = VGS_DATA_ZERO;
	}
	out->adv &= ~VGS_VMF_LO;
}

/*
 * model_expect_window() of pages that are not the model's own: pg holds
 * n pages (pages first.. of m, as model_fork_page() shows them, say).
 */
void
model_expect_pages(const struct model *m, const struct mpage *pg, size_t n,
    struct state *st)
{
	struct model	view = *m;

	view.pg = (struct mpage *)pg;
	view.obj = NULL;
	view.npages = n;
	model_expect(&view, st);
}
