/*
 * stress_look.c: how the stress engine looks at the pages of a window,
 * once their VMAs and markers are observed: access and data.
 *
 * Observing a page costs what it makes the kernel do: a load of a page
 * that is readable and present costs little, one that faults costs an
 * exception, the most expensive thing here (a signal on top for a
 * SIGSEGV).  So only the pages an operation can have changed are looked
 * at (e->chg_lo..chg_hi: its range, but for madvise flag toggles,
 * which change only VMAs), and plan() chooses per page, from the model
 * and what the window's VMAs and markers showed:
 *
 *   readable, present                 a load: access and data
 *   readable, absent, anonymous       nothing to read: zero, unread (a
 *                                     load would fault a page in); a
 *                                     checkpoint reads a few
 *   readable, absent, otherwise       process_vm_readv: data, no
 *                                     exception
 *   unreadable, made so by the op     e->faults (after an install) get
 *   (markers installed or moved,      a load, which must raise SIGSEGV;
 *   protection changed)               e->oracles others
 *                                     MADV_POPULATE_READ, which must
 *                                     refuse
 *   unreadable otherwise              nothing: the markers (PAGEMAP_SCAN)
 *                                     and permissions (PROCMAP_QUERY)
 *                                     that make it so are judged exactly
 *
 * A page where the observers contradict the model gets a load, caught
 * if it faults, so that the report shows the access too.  Checkpoints
 * (and strict replays) ask of every unreadable page, and read some (a
 * replay: all) absent ones through the kernel.  A fork child is looked
 * at from its parent: a page it maps from the frame the parent maps
 * (pagemap shows frames to CAP_SYS_ADMIN) holds what the parent's does,
 * which the parent's checks judge; others are read through /proc/PID/mem
 * (a sample: thin()); its own loads are laid over what the parent saw.
 */
#include "vgs.h"
#include "observe.h"
#include "stress_int.h"

#include <errno.h>
#include <string.h>

/* What plan() may still do with a page: choose() decides. */
enum pick {
	PICK_NONE,
	PICK_UNREADABLE,	/* a load, MADV_POPULATE_READ or nothing */
	PICK_ABSENT,		/* read through the kernel, or zero */
	PICK_FAULT,		/* chosen: a load that must fault */
	PICK_ORACLE,		/* chosen: MADV_POPULATE_READ */
	PICK_GUP		/* chosen: process_vm_readv */
};

/* The model's pages lo..lo+n-1 as the judged process has them. */
const struct mpage *
stress_window_pages(struct eng *e, size_t lo, size_t n)
{
	size_t	i;

	if (!e->in_child)
		return (e->m.pg + lo);
	for (i = 0; i < n; i++)
		model_fork_page(&e->m.pg[lo + i], &e->wpg[i]);
	return (e->wpg);
}

/*
 * Mark as to m of the c pages marked k in cand, chosen at random (each
 * with probability still-to-choose over still-to-see); m is *left at
 * most, and what is chosen comes off it.
 */
static void
choose(struct eng *e, size_t n, unsigned char *cand, unsigned char k,
    size_t c, size_t *left, unsigned char to)
{
	size_t	i, m = *left < c ? *left : c;

	*left -= m;
	for (i = 0; i < n && m > 0; i++) {
		if (cand[i] != k)
			continue;
		if (prng_below(&e->samp, c--) < m) {
			cand[i] = to;
			m--;
		}
	}
}

/*
 * How to look at each page of the window (see the top of this file):
 * pg is the model's view of it, st holds what the window's VMAs and
 * markers showed (VMAs maybe not: then the model's permissions).  cand
 * is scratch, a byte a page.
 */
static void
plan(struct eng *e, size_t lo, size_t n, const struct mpage *pg,
    const struct state *st, unsigned char *cand)
{
	const struct vma	*v;
	size_t			 i, k = 0, nfault = 0, ngup = 0;
	int			 anon = e->m.backing == VGS_BACKING_ANON;
	int			 rd, unrd;

	for (i = 0; i < n; i++) {
		rd = pg[i].mapped && !pg[i].guard && (pg[i].prot & PROT_READ);
		if (st->have & VGS_HAVE_VMAS) {
			while (k < st->nvmas &&
			    st->vmas[k].first + st->vmas[k].npages <= i)
				k++;
			v = k < st->nvmas && st->vmas[k].first <= i ?
			    &st->vmas[k] : NULL;
			unrd = v == NULL || v->perms[0] != 'r';
		} else
			unrd = !pg[i].mapped || !(pg[i].prot & PROT_READ);
		/* Without bit 58 the markers are the model's. */
		if (st->have & VGS_HAVE_MARKS)
			unrd = unrd || st->marks[i] == 'G';
		else
			unrd = unrd || pg[i].guard;
		cand[i] = PICK_NONE;
		if (!e->full && (lo + i < e->chg_lo || lo + i >= e->chg_hi))
			e->look[i] = VGS_LOOK_NONE;
		else if (unrd && rd)
			e->look[i] = VGS_LOOK_FAULT;
		else if (unrd && (e->full || e->chg_access)) {
			cand[i] = PICK_UNREADABLE;
			nfault++;
		} else if (unrd)
			e->look[i] = VGS_LOOK_NONE;
		else if (!rd || st->marks[i] == 'p')
			e->look[i] = VGS_LOOK_READ;
		else if (anon) {
			cand[i] = PICK_ABSENT;
			ngup++;
		} else
			e->look[i] = VGS_LOOK_GUP;
	}
	/*
	 * Unreadable candidates: a few get a load, some of the others the
	 * kernel's word (all of them when full); absent anonymous pages: a
	 * few are read.
	 */
	k = e->faults;
	choose(e, n, cand, PICK_UNREADABLE, nfault, &e->faults, PICK_FAULT);
	nfault -= k - e->faults;
	choose(e, n, cand, PICK_UNREADABLE, nfault, &e->oracles, PICK_ORACLE);
	choose(e, n, cand, PICK_ABSENT, ngup, &e->gups, PICK_GUP);
	for (i = 0; i < n; i++) {
		switch (cand[i]) {
		case PICK_UNREADABLE:
			e->look[i] = VGS_LOOK_NONE;
			break;
		case PICK_ABSENT:
			e->look[i] = VGS_LOOK_EMPTY;
			break;
		case PICK_FAULT:
			e->look[i] = VGS_LOOK_FAULT;
			break;
		case PICK_ORACLE:
			e->look[i] = VGS_LOOK_ORACLE;
			break;
		case PICK_GUP:
			e->look[i] = VGS_LOOK_GUP;
			break;
		}
	}
}

/*
 * Of a fork child's window: the pages whose content is worth a read of
 * its memory when the page frames do not tell (stress_fork.c): those
 * fork changes (WIPEONFORK, a sample of VGS_SAMPLE_WF) and
 * VGS_SAMPLE_PAGES others.
 */
static void
thin(struct eng *e, size_t n, const struct mpage *pg)
{
	unsigned char	*keep = e->pick;
	size_t		 i, k = 0, step;

	for (i = 0; i < n; i++)
		k += (pg[i].adv & VGS_VMF_WF) != 0;
	step = k / VGS_SAMPLE_WF + 1;
	memset(keep, 0, n);
	for (i = k = 0; i < n; i++) {
		if ((pg[i].adv & VGS_VMF_WF) && k++ % step == 0)
			keep[i] = 1;
	}
	for (i = 0; i < VGS_SAMPLE_PAGES; i++)
		keep[prng_below(&e->samp, n)] = 1;
}

/*
 * Look at pages lo..lo+n-1 as plan() says into st, which holds their
 * VMAs (maybe) and markers already.  0, or -1 after a hard error.
 */
int
stress_look_pages(struct eng *e, size_t lo, size_t n, struct state *st)
{
	const struct mpage	*pg = stress_window_pages(e, lo, n);
	struct child_probe	*p;
	struct remote		 rm;
	size_t			 i;

	plan(e, lo, n, pg, st, e->pick);
	if (e->child == 0) {
		observe_pages(&e->ar, lo, n, e->look, st, NULL);
		return (0);
	}
	rm.pid = e->child;
	rm.memfd = e->memfd;
	rm.same = 0;
	rm.child = e->pmbuf;
	rm.parent = e->ppm != NULL && lo >= e->ppm_lo &&
	    lo + n <= e->ppm_lo + e->ppm_n ? e->ppm + (lo - e->ppm_lo) : NULL;
	rm.keep = NULL;
	if (e->sparse) {
		thin(e, n, pg);
		rm.keep = e->pick;
	}
	observe_pages(&e->ar, lo, n, e->look, st, &rm);
	if (rm.memfd == -2)
		return (stress_hard(e, "look at the forked child: open "
		    "/proc/%d/mem: %s", (int)e->child, strerror(errno)));
	e->memfd = rm.memfd;
	/* A fork child looked at from outside: its own loads. */
	for (i = 0; i < e->cl->n; i++) {
		p = &e->cl->p[i];
		if (p->page < lo || p->page >= lo + n)
			continue;
		st->access[p->page - lo] = p->sig ? 'S' : 'r';
		st->data[p->page - lo] = p->sig ? VGS_DATA_UNKNOWN :
		    probe_decode(p->w, p->page);
	}
	return (0);
}


/*
 * What the markers' scan says of pages lo..lo+n-1 without a look: a
 * page of an anonymous area that holds nothing reads zero, so one the
 * model has written shows as lost at once, wherever it is.
 */
void
stress_look_absent(struct eng *e, size_t lo, size_t n, struct state *st)
{
	const struct mpage	*pg = stress_window_pages(e, lo, n);
	size_t			 i;

	if (e->m.backing != VGS_BACKING_ANON)
		return;
	for (i = 0; i < n; i++) {
		if (pg[i].mapped && !pg[i].guard &&
		    (pg[i].prot & PROT_READ) && st->marks[i] == '.')
			st->data[i] = VGS_DATA_ZERO;
	}
	st->have |= VGS_HAVE_DATA;
}
