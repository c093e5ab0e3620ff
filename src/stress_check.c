/*
 * stress_check.c: observing and judging a stress stream's area.  After
 * an operation the engine checks windows: the operation's pages and a
 * neighbour each side, VMAs and permissions from PROCMAP_QUERY, markers
 * and presence from one PAGEMAP_SCAN (else pagemap), access and data
 * from looking at the pages (stress_look.c), against the model's view
 * of the same window; the markers elsewhere.  A checkpoint takes the
 * whole area, a chunk at a time: smaps (VmFlags, gu, the invariant
 * marker => gu), pagemap against PAGEMAP_SCAN, every page looked at.
 *
 * When a window disagrees, up to VGS_CHUNK pages around it are judged
 * the same way so that the report names area pages, and the report
 * shows strips of the area (or of 64 pages around the first difference
 * in a large one) and what smaps says.
 */
#include "vgs.h"
#include "metrics.h"
#include "feature.h"
#include "observe.h"
#include "pagemap.h"
#include "probe.h"
#include "stress_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Append to the failure detail, within its bounds. */
void
stress_detail(struct eng *e, const char *fmt, ...)
{
	va_list	ap;
	size_t	len = strlen(e->res->detail);

	va_start(ap, fmt);
	vsnprintf(e->res->detail + len, sizeof e->res->detail - len, fmt, ap);
	va_end(ap);
}

/* Record the stream's first failure, at the current operation; -1. */
int
stress_fail(struct eng *e, const char *aspect, const char *fmt, ...)
{
	struct stress_result	*r = e->res;
	char			 buf[VGS_OP_TEXT], msg[VGS_MSG_MAX];
	va_list			 ap;

	if (r->status != VGS_EXIT_PASS)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->status = VGS_EXIT_FAIL;
	r->fail_index = e->index;
	r->fail_op = e->op;
	r->in_child = e->in_child;
	snprintf(r->aspect, sizeof r->aspect, "%s", aspect);
	if (e->index == UINT64_MAX)
		snprintf(r->reason, sizeof r->reason, "before the first "
		    "operation: %s", msg);
	else
		snprintf(r->reason, sizeof r->reason, "op %llu '%s'%s: %s",
		    (unsigned long long)e->index, op_format(&e->op, buf,
		    sizeof buf), e->in_child ? " (in the forked child)" : "",
		    msg);
	return (-1);
}

/* Record a hard error (the run ends with status 99); -1. */
int
stress_hard(struct eng *e, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(e->res->reason, sizeof e->res->reason, fmt, ap);
	va_end(ap);
	e->res->status = VGS_EXIT_HARD;
	e->res->fail_index = e->index;
	return (-1);
}

static void
set_window(struct state *st, size_t n)
{
	st->npages = n;
	state_reset(st);
}

static void
expect(struct eng *e, size_t lo, size_t n, struct state *exp)
{
	set_window(exp, n);
	model_expect_pages(&e->m, stress_window_pages(e, lo, n), n, exp);
}

/*
 * Markers and presence of pages lo..lo+n-1 into marks ('G', 'p', '.'):
 * one PAGEMAP_SCAN, or pagemap where the kernel lacks PAGE_IS_GUARD.
 * Markers count as observed (VGS_HAVE_MARKS) only with bit 58 or better.
 */
static int
observe_marks(struct eng *e, size_t lo, size_t n, struct state *st)
{
	const struct features	*f = e->cfg->feat;
	uintptr_t		 a = (uintptr_t)arena_page(&e->ar, lo);
	uint64_t		 t0 = metrics_now();
	int			 rc;

	/* A fork child's: pagemap, whose frames stress_look.c compares. */
	if (f->scan_guard && e->child == 0) {
		rc = pagemap_scan_marks(e->ar.pagemap_fd, a, n, st->marks);
		metrics_add(VGS_MET_SCAN, metrics_now() - t0);
	} else {
		rc = pagemap_read(e->ar.pagemap_fd, a, n, e->pmbuf);
		metrics_add(VGS_MET_PAGEMAP, metrics_now() - t0);
		if (rc == 0)
			pagemap_marks(e->pmbuf, n, st->marks);
	}
	if (rc != 0)
		return (stress_hard(e, "reading markers: %s",
		    strerror(errno)));
	if (f->pagemap_bit)
		st->have |= VGS_HAVE_MARKS;
	return (0);
}

/* Observe the window lo..lo+n-1 (n <= e->wmax) into st. */
static int
observe_window(struct eng *e, size_t lo, size_t n, unsigned what,
    struct state *st)
{
	char		err[VGS_MSG_MAX];
	uint64_t	t0 = metrics_now();
	int		rc;

	set_window(st, n);
	if (what & VGS_LOOK_VMAS) {
		rc = procmap_area(&e->pm, (uintptr_t)e->ar.base, lo, n, st,
		    err, sizeof err);
		metrics_add(VGS_MET_PROCMAP, metrics_now() - t0);
		if (rc != 0)
			return (stress_hard(e, "%s", err));
	}
	if (observe_marks(e, lo, n, st) != 0)
		return (-1);
	if ((what & VGS_LOOK_PAGES) && stress_look_pages(e, lo, n, st) != 0)
		return (-1);
	if (what & VGS_LOOK_ABSENT)
		stress_look_absent(e, lo, n, st);
	return (0);
}

/* Judge nothing where nothing was observed. */
static void
mask_unobserved(struct state *exp, const struct state *obs)
{
	size_t	i;

	for (i = 0; i < exp->npages; i++) {
		if (obs->access[i] == '?')
			exp->access[i] = '?';
		if (obs->data[i] == VGS_DATA_UNKNOWN)
			exp->data[i] = VGS_DATA_UNKNOWN;
	}
}

/* Expected and observed, in the parts in have, with strips if asked. */
static void
show(struct eng *e, const struct state *exp, const struct state *obs,
    unsigned have, int strips, const char *what)
{
	struct state	 shown = *exp, seen = *obs;
	char		*a, *b, *c = NULL, *d = NULL;

	shown.have &= (obs->have | VGS_HAVE_VMAS) & have;
	seen.have &= have;
	a = state_format(&shown);
	b = state_format(&seen);
	if (strips) {
		c = state_strips(&shown, "expected");
		d = state_strips(&seen, "observed");
	}
	stress_detail(e, "  %sexpected: %s\n  %sobserved: %s\n%s%s", what,
	    a, what, b, c ? c : "", d ? d : "");
	free(a);
	free(b);
	free(c);
	free(d);
}

/* The first page where two VMA lists part, or (size_t)-1. */
static size_t
vma_diff(const struct state *a, const struct state *b)
{
	size_t	i;

	for (i = 0; i < a->nvmas && i < b->nvmas; i++) {
		if (a->vmas[i].first != b->vmas[i].first ||
		    a->vmas[i].npages != b->vmas[i].npages ||
		    strcmp(a->vmas[i].perms, b->vmas[i].perms) != 0)
			return (a->vmas[i].first < b->vmas[i].first ?
			    a->vmas[i].first : b->vmas[i].first);
	}
	if (i < a->nvmas)
		return (a->vmas[i].first);
	if (i < b->nvmas)
		return (b->vmas[i].first);
	return ((size_t)-1);
}

/* Where a verdict without a page (a VMA count) points: the first split. */
static size_t
fail_page(const struct verdict *v, const struct state *exp,
    const struct state *obs)
{
	size_t	pg;

	if (v->page != (size_t)-1)
		return (v->page);
	pg = vma_diff(exp, obs);
	return (pg == (size_t)-1 ? 0 : pg);
}

/* The chunk of at most e->wmax pages that holds lo..lo+n-1, centred. */
static size_t
chunk_around(const struct eng *e, size_t lo, size_t n)
{
	size_t	np = e->m.npages, w = e->wmax;

	if (np <= w)
		return (0);
	lo = lo > (w - n) / 2 ? lo - (w - n) / 2 : 0;
	return (lo + w > np ? np - w : lo);
}

/* The area's VMAs (e->avmas, from smaps) clipped to lo..lo+n-1 into st. */
static void
clip_vmas(const struct eng *e, size_t lo, size_t n, struct state *st)
{
	const struct vma	*a;
	struct vma		*v;
	size_t			 i, s, t;

	st->nvmas = 0;
	for (i = 0; i < e->avmas.nvmas; i++) {
		a = &e->avmas.vmas[i];
		if (a->first + a->npages <= lo || a->first >= lo + n)
			continue;
		s = a->first < lo ? lo : a->first;
		t = a->first + a->npages > lo + n ? lo + n :
		    a->first + a->npages;
		v = state_add_vma(st);
		*v = *a;
		v->first = s - lo;
		v->npages = t - s;
	}
	st->have |= VGS_HAVE_VMAS;
}

/*
 * The checkpoint's observers over the chunk lo..lo+n-1: the VMAs from
 * e->avmas, markers from pagemap bit 58 and PAGEMAP_SCAN, and (areas up
 * to VGS_PROBE_ALL_MAX pages) every page looked at.
 */
static int
observe_chunk(struct eng *e, size_t lo, size_t n, struct state *st)
{
	const struct features	*f = e->cfg->feat;
	uintptr_t		 a = (uintptr_t)arena_page(&e->ar, lo);
	size_t			 nreg;
	uint64_t		 t0 = metrics_now();
	int			 rc;

	set_window(st, n);
	clip_vmas(e, lo, n, st);
	rc = pagemap_read(e->ar.pagemap_fd, a, n, e->pmbuf);
	metrics_add(VGS_MET_PAGEMAP, metrics_now() - t0);
	if (rc != 0)
		return (stress_hard(e, "read /proc/self/pagemap: %s",
		    strerror(errno)));
	pagemap_marks(e->pmbuf, n, st->marks);
	if (f->pagemap_bit)
		st->have |= VGS_HAVE_MARKS;
	if (f->pagemap_bit && f->scan_guard) {
		t0 = metrics_now();
		rc = pagemap_scan(e->ar.pagemap_fd, a, n, VGS_PAGE_IS_GUARD,
		    VGS_PAGE_IS_GUARD, st->scan, &nreg);
		metrics_add(VGS_MET_SCAN, metrics_now() - t0);
		if (rc != 0)
			return (stress_hard(e, "PAGEMAP_SCAN: %s",
			    strerror(errno)));
		st->have |= VGS_HAVE_SCAN;
	}
	if (e->m.npages <= VGS_PROBE_ALL_MAX &&
	    stress_look_pages(e, lo, n, st) != 0)
		return (-1);
	return (0);
}

/*
 * Strips around area page pg as the window observers see them now (no
 * VmFlags: PROCMAP_QUERY has none), then what smaps says of the chunk
 * around it.
 */
static void
render(struct eng *e, size_t pg)
{
	struct verdict	v;
	size_t		lo = 0, n = e->m.npages, i, c;
	char		err[VGS_MSG_MAX];
	size_t		faults = e->faults, gups = e->gups, ora = e->oracles;
	int		full = e->full;

	if (n > VGS_STRIP_MAX) {
		lo = pg > VGS_STRIP_WINDOW / 2 ? pg - VGS_STRIP_WINDOW / 2 : 0;
		n = VGS_STRIP_WINDOW;
		if (lo + n > e->m.npages)
			lo = e->m.npages - n;
		stress_detail(e, "  pages p%zu-%zu of %zu (strip offsets "
		    "relative to p%zu):\n", lo, lo + n - 1, e->m.npages, lo);
	}
	e->full = 1;
	e->faults = e->gups = 0;
	e->oracles = SIZE_MAX;
	e->chg_lo = e->chg_hi = 0;
	if (observe_window(e, lo, n, VGS_LOOK_VMAS | VGS_LOOK_PAGES,
	    &e->wobs) != 0)
		return;
	e->full = full;
	e->faults = faults;
	e->gups = gups;
	e->oracles = ora;
	expect(e, lo, n, &e->wexp);
	mask_unobserved(&e->wexp, &e->wobs);
	for (i = 0; i < e->wexp.nvmas; i++)
		e->wexp.vmas[i].flags = 0;
	show(e, &e->wexp, &e->wobs, VGS_HAVE_ALL, 1, "");
	if (e->child != 0)
		return;		/* the child's smaps are gone with it */
	if (observe_vmas(&e->ar, 0, &e->avmas, err, sizeof err) != 0) {
		stress_detail(e, "  smaps: %s\n", err);
		return;
	}
	c = chunk_around(e, pg, 1);
	n = e->m.npages - c < e->wmax ? e->m.npages - c : e->wmax;
	set_window(&e->fobs, n);
	clip_vmas(e, c, n, &e->fobs);
	if (e->cfg->feat->pagemap_bit && observe_marks(e, c, n,
	    &e->fobs) != 0)
		return;
	expect(e, c, n, &e->fexp);
	if (check_state(&e->fj, &e->fexp, &e->fobs, &v) == 0)
		stress_detail(e, "  %s (smaps, pagemap): VMAs, VmFlags, gu "
		    "and markers agree with the model\n", c == 0 &&
		    n == e->m.npages ? "whole area" : "around it");
	else {
		stress_detail(e, "  %s (smaps, pagemap): %s\n", c == 0 &&
		    n == e->m.npages ? "whole area" : "around it", v.msg);
		show(e, &e->fexp, &e->fobs, VGS_HAVE_VMAS, 0, "smaps ");
	}
}

/*
 * A window disagreed: judge up to e->wmax pages around it, observed the
 * same way, so that the report names area pages; fall back to the
 * window's verdict.
 */
static int
window_failed(struct eng *e, size_t lo, size_t n, const struct verdict *wv)
{
	struct verdict	v;
	char		err[VGS_MSG_MAX], rel[48] = "";
	size_t		c = chunk_around(e, lo, n), cn;

	cn = e->m.npages - c < e->wmax ? e->m.npages - c : e->wmax;
	set_window(&e->fobs, cn);
	if (procmap_area(&e->pm, (uintptr_t)e->ar.base, c, cn, &e->fobs,
	    err, sizeof err) == 0 && observe_marks(e, c, cn, &e->fobs) == 0) {
		memcpy(e->fobs.access + lo - c, e->wobs.access, n);
		memcpy(e->fobs.data + lo - c, e->wobs.data, n *
		    sizeof *e->fobs.data);
		e->fobs.have |= e->wobs.have & (VGS_HAVE_ACCESS |
		    VGS_HAVE_DATA);
		expect(e, c, cn, &e->fexp);
		mask_unobserved(&e->fexp, &e->fobs);
		if (c > 0)
			snprintf(rel, sizeof rel, " (page numbers relative to "
			    "p%zu)", c);
		if (check_state(&e->wj, &e->fexp, &e->fobs, &v) != 0) {
			stress_fail(e, v.aspect, "%s%s", v.msg, rel);
			render(e, c + fail_page(&v, &e->fexp, &e->fobs));
			return (-1);
		}
	}
	stress_fail(e, wv->aspect, "%s (page numbers relative to p%zu)",
	    wv->msg, lo);
	render(e, lo);
	return (-1);
}

static int
check_chunk(struct eng *e, size_t lo, size_t n, unsigned what)
{
	struct verdict	v;

	if (observe_window(e, lo, n, what, &e->wobs) != 0)
		return (-1);
	if (e->cfg->bare)
		return (0);
	expect(e, lo, n, &e->wexp);
	mask_unobserved(&e->wexp, &e->wobs);
	if (check_state(&e->wj, &e->wexp, &e->wobs, &v) == 0)
		return (0);
	return (window_failed(e, lo, n, &v));
}

/*
 * Check the window of pages lo..lo+n-1 against the model, VGS_CHUNK
 * pages at a time: markers always, what (VGS_LOOK_*) besides; 0 or -1.
 */
int
stress_check_window(struct eng *e, size_t lo, size_t n, unsigned what)
{
	size_t	k;

	for (; n > 0; lo += k, n -= k) {
		k = n < e->wmax ? n : e->wmax;
		if (check_chunk(e, lo, k, what) != 0)
			return (-1);
	}
	return (0);
}

/*
 * Check every VMA, marker and page of the area with the window
 * observers (a fork child's check); 0 or -1.
 */
int
stress_check_area(struct eng *e)
{
	return (stress_check_window(e, 0, e->m.npages, VGS_LOOK_VMAS |
	    VGS_LOOK_PAGES));
}

static int
checkpoint_chunk(struct eng *e, size_t lo, size_t n)
{
	struct verdict	v;
	char		rel[48] = "";

	if (observe_chunk(e, lo, n, &e->fobs) != 0)
		return (-1);
	if (e->cfg->bare)
		return (0);
	expect(e, lo, n, &e->fexp);
	mask_unobserved(&e->fexp, &e->fobs);
	if (check_state(&e->fj, &e->fexp, &e->fobs, &v) == 0)
		return (0);
	if (lo > 0)
		snprintf(rel, sizeof rel, " (page numbers relative to p%zu)",
		    lo);
	stress_fail(e, v.aspect, "checkpoint: %s%s", v.msg, rel);
	if (e->m.npages <= VGS_STRIP_MAX)
		show(e, &e->fexp, &e->fobs, VGS_HAVE_ALL, 1, "");
	else
		render(e, lo + fail_page(&v, &e->fexp, &e->fobs));
	return (-1);
}

/*
 * Check the whole area, VmFlags and gu from smaps included, every page
 * looked at in areas up to VGS_PROBE_ALL_MAX pages; 0 or -1.
 */
int
stress_checkpoint(struct eng *e)
{
	char		err[VGS_MSG_MAX];
	size_t		lo, np = e->m.npages;
	size_t		faults = e->faults, gups = e->gups, ora = e->oracles;
	int		full = e->full, rc = 0;

	e->res->checkpoints++;
	if (observe_vmas(&e->ar, e->child, &e->avmas, err, sizeof err) != 0)
		return (stress_hard(e, "checkpoint: %s", err));
	e->full = 1;
	e->faults = VGS_FAULTS_CHECKPOINT;
	e->oracles = SIZE_MAX;
	e->gups = e->cfg->strict ? SIZE_MAX : VGS_GUPS_CHECKPOINT;
	for (lo = 0; lo < np && rc == 0; lo += e->wmax)
		rc = checkpoint_chunk(e, lo, np - lo < e->wmax ? np - lo :
		    e->wmax);
	e->full = full;
	e->faults = faults;
	e->gups = gups;
	e->oracles = ora;
	return (rc);
}
