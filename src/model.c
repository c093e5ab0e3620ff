/*
 * model.c: what the series says the kernel must show.  The model keeps one
 * record per page; VMAs are derived as maximal runs of mapped pages with equal
 * protection, equal merge-relevant advice and equal segment (doc/behaviour.md
 * §7).  `gu' is sticky: after every operation it is spread over each run
 * holding any page that had it, which is what a merge does, and a split keeps
 * it on both sides because it is stored per page.
 */
#include "vgs.h"
#include "model.h"
#include "state.h"

#include <errno.h>
#include <string.h>
#include <stdlib.h>

/*
 * Start a model of npages unmapped pages.  file_tag is the content tag
 * of the backing file's pages (file backings); shmem starts zero.
 */
void
model_init(struct model *m, enum backing b, size_t npages, uint32_t file_tag)
{
	size_t	i;

	m->backing = b;
	m->npages = npages;
	m->pg = xcalloc(npages, sizeof *m->pg);
	m->obj = xcalloc(npages, sizeof *m->obj);
	m->lazy = 0;
	for (i = 0; i < npages; i++)
		m->obj[i] = backing_file(b) ? file_tag : VGS_DATA_ZERO;
}

/* Release a model. */
void
model_free(struct model *m)
{
	free(m->pg);
	free(m->obj);
	memset(m, 0, sizeof *m);
}

/* Make dst an independent copy of src (dst uninitialised). */
void
model_copy(struct model *dst, const struct model *src)
{
	*dst = *src;
	dst->pg = xcalloc(src->npages, sizeof *dst->pg);
	dst->obj = xcalloc(src->npages, sizeof *dst->obj);
	memcpy(dst->pg, src->pg, src->npages * sizeof *dst->pg);
	memcpy(dst->obj, src->obj, src->npages * sizeof *dst->obj);
}

static int
same_vma(const struct mpage *a, const struct mpage *b)
{
	return (a->mapped && b->mapped && a->prot == b->prot &&
	    a->adv == b->adv && a->seg == b->seg);
}

/* Spread gu over every run that holds a gu page: what a merge does. */
static void
model_settle(struct model *m)
{
	size_t	i = 0, j, k;
	int	gu;

	/* O(area) each time: large areas settle around each change. */
	if (m->lazy)
		return;
	while (i < m->npages) {
		if (!m->pg[i].mapped) {
			i++;
			continue;
		}
		gu = 0;
		for (j = i; j < m->npages && same_vma(&m->pg[i], &m->pg[j]);
		    j++)
			gu |= m->pg[j].gu;
		for (k = i; k < j; k++)
			m->pg[k].gu = gu;
		i = j;
	}
}

static size_t
clamp(const struct model *m, size_t first, size_t n)
{
	if (first >= m->npages)
		return (0);
	return (n > m->npages - first ? m->npages - first : n);
}

/* Pages first..first+n-1 freshly mapped with prot, in segment seg. */
void
model_map(struct model *m, size_t first, size_t n, int prot, unsigned seg)
{
	size_t	i;

	n = clamp(m, first, n);
	for (i = first; i < first + n; i++) {
		memset(&m->pg[i], 0, sizeof m->pg[i]);
		m->pg[i].mapped = 1;
		m->pg[i].prot = prot & (PROT_READ | PROT_WRITE);
		m->pg[i].seg = seg;
		m->pg[i].data = m->backing == VGS_BACKING_ANON ?
		    VGS_DATA_ZERO : m->obj[i];
	}
	model_settle(m);
}

/* Pages unmapped: markers, flags and gu go with the VMA. */
void
model_unmap(struct model *m, size_t first, size_t n)
{
	n = clamp(m, first, n);
	memset(&m->pg[first], 0, n * sizeof m->pg[0]);
	model_settle(m);
}

/* mprotect(): markers stay (doc/behaviour.md §4.3). */
void
model_protect(struct model *m, size_t first, size_t n, int prot)
{
	size_t	i;

	n = clamp(m, first, n);
	for (i = first; i < first + n; i++) {
		if (m->pg[i].mapped)
			m->pg[i].prot = prot & (PROT_READ | PROT_WRITE);
	}
	model_settle(m);
}

/* Set or clear a VGS_VMF_* bit (mlock's lo, mseal's sl) on pages. */
void
model_flag(struct model *m, size_t first, size_t n, unsigned bit, int on)
{
	size_t	i;

	n = clamp(m, first, n);
	for (i = first; i < first + n; i++) {
		if (!m->pg[i].mapped)
			continue;
		if (on)
			m->pg[i].adv |= bit;
		else
			m->pg[i].adv &= ~bit;
	}
	model_settle(m);
}

/* Content a zapped page shows again: zero, or the file's page. */
static uint32_t
refill(const struct model *m, size_t i)
{
	return (m->backing == VGS_BACKING_ANON ? VGS_DATA_ZERO : m->obj[i]);
}

static int
advise_flags(int advice, unsigned *set, unsigned *clr)
{
	*set = *clr = 0;
	switch (advice) {
	case MADV_NORMAL:
		*clr = VGS_VMF_RR | VGS_VMF_SR;
		break;
	case MADV_RANDOM:
		*set = VGS_VMF_RR;
		*clr = VGS_VMF_SR;
		break;
	case MADV_SEQUENTIAL:
		*set = VGS_VMF_SR;
		*clr = VGS_VMF_RR;
		break;
	case MADV_DONTFORK:
		*set = VGS_VMF_DC;
		break;
	case MADV_DOFORK:
		*clr = VGS_VMF_DC;
		break;
	case MADV_DONTDUMP:
		*set = VGS_VMF_DD;
		break;
	case MADV_DODUMP:
		*clr = VGS_VMF_DD;
		break;
	case MADV_WIPEONFORK:
		*set = VGS_VMF_WF;
		break;
	case MADV_KEEPONFORK:
		*clr = VGS_VMF_WF;
		break;
	case MADV_HUGEPAGE:
		*set = VGS_VMF_HG;
		*clr = VGS_VMF_NH;
		break;
	case MADV_NOHUGEPAGE:
		*set = VGS_VMF_NH;
		*clr = VGS_VMF_HG;
		break;
	default:
		return (0);
	}
	return (1);
}

/*
 * madvise(advice) over pages; returns the errno the kernel should give
 * (0 for success).  Advice the model does not know changes nothing.
 */
int
model_advise(struct model *m, size_t first, size_t n, int advice)
{
	unsigned	set, clr;
	size_t		i;
	int		anon = m->backing == VGS_BACKING_ANON;

	n = clamp(m, first, n);
	/*
	 * KEEPONFORK only clears a flag: any VMA takes it
	 * (doc/behaviour.md §4.8).
	 */
	if (advice == MADV_WIPEONFORK && !anon)
		return (EINVAL);
	if (advice == MADV_FREE && !anon)
		return (EINVAL);
	if (advice == MADV_REMOVE && anon)
		return (EINVAL);
	if (advice == MADV_REMOVE && m->backing == VGS_BACKING_FILE_PRIVATE)
		return (EACCES);
	if ((advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE) &&
	    model_has_guard(m, first, n))
		return (EFAULT);
	if (advise_flags(advice, &set, &clr)) {
		for (i = first; i < first + n; i++) {
			if (m->pg[i].mapped)
				m->pg[i].adv = (m->pg[i].adv & ~clr) | set;
		}
		model_settle(m);
		return (0);
	}
	for (i = first; i < first + n; i++) {
		/*
		 * MADV_REMOVE punches the object under a guarded page too:
		 * once the marker goes, the page reads zero.
		 */
		if (advice == MADV_REMOVE && m->pg[i].mapped &&
		    m->pg[i].guard) {
			m->obj[i] = VGS_DATA_ZERO;
			m->pg[i].data = VGS_DATA_ZERO;
		}
		if (!m->pg[i].mapped || m->pg[i].guard)
			continue;
		switch (advice) {
		case MADV_DONTNEED:
		case MADV_DONTNEED_LOCKED:
			if (!backing_shared(m->backing))
				m->pg[i].data = refill(m, i);
			break;
		case MADV_FREE:
			/* Lazily freed: old content or zero, both right. */
			m->pg[i].data = VGS_DATA_UNKNOWN;
			break;
		case MADV_REMOVE:
			m->obj[i] = VGS_DATA_ZERO;
			m->pg[i].data = VGS_DATA_ZERO;
			break;
		}
	}
	return (0);
}

/*
 * Guard install (install != 0) or remove.  Install replaces the page's content
 * by a marker: afterwards an anon page reads zero and a file page reads the
 * file again (doc/behaviour.md §4.12); it sets gu on every VMA it touches.
 * Remove never clears gu.
 */
void
model_guard(struct model *m, size_t first, size_t n, int install)
{
	size_t	i;

	n = clamp(m, first, n);
	for (i = first; i < first + n; i++) {
		if (!m->pg[i].mapped)
			continue;
		if (install) {
			m->pg[i].guard = 1;
			m->pg[i].gu = 1;
			m->pg[i].data = refill(m, i);
		} else
			m->pg[i].guard = 0;
	}
	model_settle(m);
}

/* Pattern tag written to mapped, writable, unguarded pages. */
void
model_write(struct model *m, size_t first, size_t n, uint32_t tag)
{
	size_t	i;

	n = clamp(m, first, n);
	for (i = first; i < first + n; i++) {
		if (!m->pg[i].mapped || m->pg[i].guard ||
		    !(m->pg[i].prot & PROT_WRITE))
			continue;
		m->pg[i].data = tag;
		if (backing_shared(m->backing))
			m->obj[i] = tag;
	}
}

/*
 * The child's expected state after fork(): DONTFORK pages are not
 * there, WIPEONFORK pages lose markers and content, everything else
 * (markers included, doc/behaviour.md §4.9) is copied.
 */
void
model_fork(const struct model *parent, struct model *child)
{
	size_t		 i;
	struct mpage	*p;

	model_copy(child, parent);
	for (i = 0; i < child->npages; i++) {
		p = &child->pg[i];
		if (!p->mapped)
			continue;
		if (p->adv & VGS_VMF_DC)
			memset(p, 0, sizeof *p);
		else if (p->adv & VGS_VMF_WF) {
			p->guard = 0;
			p->data = VGS_DATA_ZERO;
		}
		/* Locks are not inherited. */
		p->adv &= ~VGS_VMF_LO;
	}
	model_settle(child);
}

/* Does any mapped page in the range hold a marker? */
int
model_has_guard(const struct model *m, size_t first, size_t n)
{
	size_t	i;

	n = clamp(m, first, n);
	for (i = first; i < first + n; i++) {
		if (m->pg[i].mapped && m->pg[i].guard)
			return (1);
	}
	return (0);
}

/*
 * How an access that needs prot ends on page p (doc/behaviour.md §1.5):
 * 'r' it goes through; 'S' SIGSEGV with SEGV_MAPERR where nothing is
 * mapped or a marker is; 'P' SIGSEGV for the protection, which the
 * kernel checks before it looks at the page tables.
 */
static char
access_class(const struct mpage *p, int prot)
{
	if (!p->mapped)
		return ('S');
	if (!(p->prot & prot))
		return ('P');
	return (p->guard ? 'S' : 'r');
}

/* Derive the expected state: VMAs, markers, access and content. */
void
model_expect(const struct model *m, struct state *st)
{
	size_t			 i = 0, j;
	struct vma		*v;
	const struct mpage	*p;

	state_reset(st);
	while (i < m->npages) {
		if (!m->pg[i].mapped) {
			i++;
			continue;
		}
		for (j = i; j < m->npages && same_vma(&m->pg[i], &m->pg[j]);
		    j++)
			;
		p = &m->pg[i];
		v = state_add_vma(st);
		v->first = i;
		v->npages = j - i;
		v->perms[0] = (p->prot & PROT_READ) ? 'r' : '-';
		v->perms[1] = (p->prot & PROT_WRITE) ? 'w' : '-';
		v->perms[2] = '-';
		v->perms[3] = backing_shared(m->backing) ? 's' : 'p';
		v->perms[4] = '\0';
		v->flags = p->adv | (p->gu ? VGS_VMF_GU : 0);
		i = j;
	}
	for (i = 0; i < m->npages; i++) {
		p = &m->pg[i];
		st->marks[i] = p->mapped && p->guard ? 'G' : '.';
		st->access[i] = access_class(p, PROT_READ);
		st->data[i] = st->access[i] == 'r' ? p->data :
		    VGS_DATA_UNKNOWN;
		/* Only pages we wrote are written to again (observe.c). */
		st->write[i] = access_class(p, PROT_WRITE);
		if (st->write[i] == 'r')
			st->write[i] = p->data >= VGS_TAG_WRITTEN ? 'w' : '?';
	}
	st->have = VGS_HAVE_VMAS | VGS_HAVE_MARKS | VGS_HAVE_ACCESS |
	    VGS_HAVE_DATA | VGS_HAVE_WRITE;
}

/*
 * mremap() of pages src..src+oldn-1 to dst, newn pages long (dst == src in
 * place).  The pages keep their records (markers, gu, flags, data) and go to
 * segment seg: a moved anon VMA keeps its old pgoff and anon_vma and so merges
 * with nothing it lands next to (doc/behaviour.md §4.7).  A grown tail belongs
 * to the same VMA: no markers, anon zero, else the object pages that follow src
 * (file pages keep their offsets).
 */
void
model_remap(struct model *m, size_t src, size_t oldn, size_t dst,
    size_t newn, unsigned seg)
{
	struct mpage	*tmp, proto;
	size_t		 i, keep;

	oldn = clamp(m, src, oldn);
	newn = clamp(m, dst, newn);
	if (oldn == 0)
		return;
	keep = oldn < newn ? oldn : newn;
	tmp = xcalloc(oldn, sizeof *tmp);
	memcpy(tmp, &m->pg[src], oldn * sizeof *tmp);
	memset(&m->pg[src], 0, oldn * sizeof *tmp);
	proto = tmp[0];
	proto.guard = 0;
	proto.seg = seg;
	for (i = 0; i < keep; i++) {
		m->pg[dst + i] = tmp[i];
		m->pg[dst + i].seg = seg;
	}
	for (i = keep; i < newn; i++) {
		m->pg[dst + i] = proto;
		m->pg[dst + i].data = m->backing == VGS_BACKING_ANON ||
		    src + i >= m->npages ? VGS_DATA_ZERO : m->obj[src + i];
	}
	free(tmp);
	model_settle(m);
}

/*
 * A hole punched in the backing object (fallocate PUNCH_HOLE, or
 * ftruncate to 0 and back with even_cows): the object reads zero and so
 * do the mapped pages that showed it.  Private copies survive a punch,
 * not a truncation.  Markers stay either way (doc/behaviour.md §4.10).
 */
void
model_punch(struct model *m, size_t first, size_t n, int even_cows)
{
	size_t		 i;
	struct mpage	*p;

	n = clamp(m, first, n);
	for (i = first; i < first + n; i++) {
		p = &m->pg[i];
		if (p->mapped && (backing_shared(m->backing) ||
		    even_cows || p->data == m->obj[i]))
			p->data = VGS_DATA_ZERO;
		m->obj[i] = VGS_DATA_ZERO;
	}
}

/* Do pages a and b belong to one VMA when adjacent (the merge rule)? */
int
model_same_vma(const struct mpage *a, const struct mpage *b)
{
	return (same_vma(a, b));
}
