/*
 * stress_look.c: how the stress engine looks at the pages of a window,
 * once their VMAs and markers are observed: access and data.
 *
 * Observing a page costs what it makes the kernel do: a load of a page
 * that is readable and present costs nothing, one that faults costs an
 * exception, the most expensive thing here (a signal on top for a
 * SIGSEGV).  So plan() chooses per page, from the model and what the
 * window's VMAs and markers showed:
 *
 *   readable, present                 a load: access and data
 *   readable, absent, anonymous       nothing to read: zero, unread (a
 *                                     load would fault a page in); a
 *                                     checkpoint reads a few
 *   readable, absent, otherwise       process_vm_readv: data, no
 *                                     exception
 *   unreadable, made so by the op     VGS_FAULTS_OP get a load, which
 *   (markers installed or moved,      must raise SIGSEGV; VGS_ORACLES_OP
 *   protection changed)               others MADV_POPULATE_READ, which
 *                                     must refuse
 *   unreadable otherwise              nothing: the markers (PAGEMAP_SCAN)
 *                                     and permissions (PROCMAP_QUERY)
 *                                     that make it so are judged exactly
 *
 * A page where the observers contradict the model gets a load, caught
 * if it faults, so that the report shows the access too.  Checkpoints
 * (and strict replays) ask of every unreadable page, and read some (a
 * replay: all) absent ones through the kernel.  A fork child looked at
 * from its parent is read through /proc/PID/mem; its own loads are
 * laid over what the parent saw.
 */
#include "vgs.h"
#include "observe.h"
#include "stress_int.h"

#include <string.h>

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
		cand[i] = 0;
		if (unrd && rd)
			e->look[i] = VGS_LOOK_FAULT;
		else if (unrd && (e->full || (lo + i >= e->chg_lo &&
		    lo + i < e->chg_hi))) {
			cand[i] = 1;
			nfault++;
		} else if (unrd)
			e->look[i] = VGS_LOOK_NONE;
		else if (!rd || st->marks[i] == 'p')
			e->look[i] = VGS_LOOK_READ;
		else if (anon) {
			cand[i] = 2;
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
	choose(e, n, cand, 1, nfault, &e->faults, 3);
	nfault -= k - e->faults;
	choose(e, n, cand, 1, nfault, &e->oracles, 4);
	choose(e, n, cand, 2, ngup, &e->gups, 5);
	for (i = 0; i < n; i++) {
		switch (cand[i]) {
		case 1:
			e->look[i] = VGS_LOOK_NONE;
			break;
		case 2:
			e->look[i] = VGS_LOOK_EMPTY;
			break;
		case 3:
			e->look[i] = VGS_LOOK_FAULT;
			break;
		case 4:
			e->look[i] = VGS_LOOK_ORACLE;
			break;
		case 5:
			e->look[i] = VGS_LOOK_GUP;
			break;
		}
	}
}

/*
 * A fork child of a large area: of the window's pages lo..lo+n-1 look
 * at those fork changes (WIPEONFORK, a sample of VGS_SAMPLE_WF) and
 * VGS_SAMPLE_PAGES others; markers and VMAs of every page are judged
 * all the same.
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
	for (i = 0; i < n; i++) {
		if (!keep[i])
			e->look[i] = VGS_LOOK_NONE;
	}
}

/*
 * Look at pages lo..lo+n-1 as plan() says into st, which holds their
 * VMAs (maybe) and markers already.
 */
void
stress_look_pages(struct eng *e, size_t lo, size_t n, struct state *st)
{
	const struct mpage	*pg = stress_window_pages(e, lo, n);
	struct child_probe	*p;
	size_t			 i;

	plan(e, lo, n, pg, st, e->pick);
	if (e->sparse)
		thin(e, n, pg);
	observe_pages(&e->ar, lo, n, e->look, st, e->memfd);
	/* A fork child looked at from outside: its own loads. */
	for (i = 0; e->memfd != -1 && i < e->cl->n; i++) {
		p = &e->cl->p[i];
		if (p->page < lo || p->page >= lo + n)
			continue;
		st->access[p->page - lo] = p->sig ? 'S' : 'r';
		st->data[p->page - lo] = p->sig ? VGS_DATA_UNKNOWN :
		    probe_decode(p->w, p->page);
	}
}

