/*
 * stress_check.c: observing and judging a stress stream's area.  After
 * an operation the engine checks windows (the operation's pages and a
 * neighbour each side, a sampled window elsewhere): VMAs and permissions
 * from PROCMAP_QUERY, markers from PAGEMAP_SCAN (else pagemap), access
 * and data from probes, against the model's view of the same window
 * (model_expect_window).  A checkpoint takes the whole area with the
 * catalogue's observers, smaps included, so VmFlags, gu and the
 * invariant marker => gu are judged there.
 *
 * When a window disagrees, the whole area is judged the same way so
 * that the report names area pages, and the report shows strips of the
 * area (or of 64 pages around the first difference in a large one) and
 * what smaps says.
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

	if (r->status != VGS_PASS)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->status = VGS_FAIL;
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
	e->res->status = VGS_HARD;
	e->res->fail_index = e->index;
	return (-1);
}

static void
set_window(struct state *st, size_t n)
{
	st->npages = n;
	state_reset(st);
}

/* Markers of pages lo..lo+n-1 into marks: 'G' or not. */
static int
observe_marks(struct eng *e, size_t lo, size_t n, char *marks)
{
	const struct features	*f = e->cfg->feat;
	uintptr_t		 a = (uintptr_t)arena_page(&e->ar, lo);
	size_t			 nreg;
	uint64_t		 t0 = metrics_now();
	int			 rc;

	if (f->scan_guard) {
		rc = pagemap_scan(e->ar.pagemap_fd, a, n, VGS_PAGE_IS_GUARD,
		    VGS_PAGE_IS_GUARD, marks, &nreg);
		metrics_add(VGS_MET_SCAN, metrics_now() - t0);
		return (rc);
	}
	rc = pagemap_read(e->ar.pagemap_fd, a, n, e->pmbuf);
	metrics_add(VGS_MET_PAGEMAP, metrics_now() - t0);
	if (rc != 0)
		return (-1);
	pagemap_marks(e->pmbuf, n, marks);
	return (0);
}

static void
probe_page(struct eng *e, size_t lo, size_t i, struct state *st)
{
	uint64_t	w[VGS_PROBE_WORDS], t0 = metrics_now();

	st->access[i] = probe_access(arena_page(&e->ar, lo + i), w);
	metrics_add(VGS_MET_PROBE, metrics_now() - t0);
	st->data[i] = st->access[i] == VGS_ACC_READ ?
	    probe_decode(w, lo + i) : VGS_DATA_UNKNOWN;
}

/*
 * Observe the window of pages lo..lo+n-1 into st (resized to n): VMAs,
 * markers and probes, every page or, in a large window, a sample.
 */
static int
observe_window(struct eng *e, size_t lo, size_t n, struct state *st)
{
	char		err[VGS_MSG_MAX];
	size_t		i, k, step = n / VGS_PROBE_ALL_MAX + 1;
	uint64_t	t0 = metrics_now();
	int		rc;

	set_window(st, n);
	rc = procmap_area(&e->pm, (uintptr_t)e->ar.base, lo, n, st, err,
	    sizeof err);
	metrics_add(VGS_MET_PROCMAP, metrics_now() - t0);
	if (rc != 0)
		return (stress_hard(e, "%s", err));
	if (e->cfg->feat->pagemap_bit) {
		if (observe_marks(e, lo, n, st->marks) != 0)
			return (stress_hard(e, "reading markers: %s",
			    strerror(errno)));
		st->have |= VGS_HAVE_MARKS;
	}
	if (e->sparse) {
		/* A fork child: the pages fork changes, and a sample. */
		for (i = k = 0; i < n && !e->cfg->bare; i++)
			k += (e->m.pg[lo + i].adv & VGS_VMF_WF) != 0;
		step = k / VGS_SAMPLE_WF + 1;
		for (i = k = 0; i < n && !e->cfg->bare; i++) {
			if ((e->m.pg[lo + i].adv & VGS_VMF_WF) &&
			    k++ % step == 0)
				probe_page(e, lo, i, st);
		}
		for (i = 0; i < VGS_SAMPLE_PAGES; i++)
			probe_page(e, lo, prng_below(&e->samp, n), st);
	} else {
		for (i = prng_below(&e->samp, step); i < n; i += step)
			probe_page(e, lo, i, st);
	}
	st->have |= VGS_HAVE_ACCESS | VGS_HAVE_DATA;
	return (0);
}

/* Judge nothing where nothing was observed. */
static void
mask_unobserved(struct state *exp, const struct state *obs)
{
	size_t	i;

	for (i = 0; i < exp->npages; i++) {
		if (obs->access[i] == '?') {
			exp->access[i] = '?';
			exp->data[i] = VGS_DATA_UNKNOWN;
		}
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

/*
 * Strips around area page pg as the window observers see them now (no
 * VmFlags: PROCMAP_QUERY has none), then what smaps says.
 */
static void
render(struct eng *e, size_t pg)
{
	struct verdict	v;
	size_t		lo = 0, n = e->m.npages, i;
	char		err[VGS_MSG_MAX];

	if (n > VGS_STRIP_MAX) {
		lo = pg > VGS_STRIP_WINDOW / 2 ? pg - VGS_STRIP_WINDOW / 2 : 0;
		n = VGS_STRIP_WINDOW;
		if (lo + n > e->m.npages)
			lo = e->m.npages - n;
		stress_detail(e, "  pages p%zu-%zu of %zu (strip offsets "
		    "relative to p%zu):\n", lo, lo + n - 1, e->m.npages, lo);
	}
	set_window(&e->wexp, n);
	model_expect_window(&e->m, lo, n, &e->wexp);
	if (observe_window(e, lo, n, &e->wobs) != 0)
		return;
	mask_unobserved(&e->wexp, &e->wobs);
	for (i = 0; i < e->wexp.nvmas; i++)
		e->wexp.vmas[i].flags = 0;
	show(e, &e->wexp, &e->wobs, VGS_HAVE_ALL, 1, "");
	if (observe_area(&e->ar, VGS_HAVE_VMAS | (e->cfg->feat->pagemap_bit ?
	    VGS_HAVE_MARKS : 0), &e->fobs, err, sizeof err) != 0) {
		stress_detail(e, "  smaps: %s\n", err);
		return;
	}
	model_expect(&e->m, &e->fexp);
	if (judge_state(&e->fj, &e->fexp, &e->fobs, &v) == 0)
		stress_detail(e, "  whole area (smaps, pagemap): VMAs, "
		    "VmFlags, gu and markers agree with the model\n");
	else {
		stress_detail(e, "  whole area (smaps, pagemap): %s\n", v.msg);
		show(e, &e->fexp, &e->fobs, VGS_HAVE_VMAS, 0, "smaps ");
	}
}

/*
 * A window disagreed: judge the whole area, observed the same way, so
 * that the report names area pages; fall back to the window's verdict.
 */
static int
window_failed(struct eng *e, size_t lo, size_t n, const struct verdict *wv)
{
	struct verdict	v;
	char		err[VGS_MSG_MAX];

	state_reset(&e->fobs);
	if (procmap_area(&e->pm, (uintptr_t)e->ar.base, 0, e->m.npages,
	    &e->fobs, err, sizeof err) == 0 &&
	    (!(e->wobs.have & VGS_HAVE_MARKS) ||
	    observe_marks(e, 0, e->m.npages, e->fobs.marks) == 0)) {
		e->fobs.have |= e->wobs.have & VGS_HAVE_MARKS;
		memcpy(e->fobs.access + lo, e->wobs.access, n);
		memcpy(e->fobs.data + lo, e->wobs.data, n *
		    sizeof *e->fobs.data);
		e->fobs.have |= VGS_HAVE_ACCESS | VGS_HAVE_DATA;
		model_expect(&e->m, &e->fexp);
		mask_unobserved(&e->fexp, &e->fobs);
		if (judge_state(&e->wj, &e->fexp, &e->fobs, &v) != 0) {
			stress_fail(e, v.aspect, "%s", v.msg);
			render(e, fail_page(&v, &e->fexp, &e->fobs));
			return (-1);
		}
	}
	stress_fail(e, wv->aspect, "%s (page numbers relative to p%zu)",
	    wv->msg, lo);
	render(e, lo);
	return (-1);
}

/* Check the window of pages lo..lo+n-1 against the model; 0 or -1. */
int
stress_check_window(struct eng *e, size_t lo, size_t n)
{
	struct verdict	v;

	if (observe_window(e, lo, n, &e->wobs) != 0)
		return (-1);
	if (e->cfg->bare)
		return (0);
	set_window(&e->wexp, n);
	model_expect_window(&e->m, lo, n, &e->wexp);
	mask_unobserved(&e->wexp, &e->wobs);
	if (judge_state(&e->wj, &e->wexp, &e->wobs, &v) == 0)
		return (0);
	return (window_failed(e, lo, n, &v));
}

/* Check the whole area, VmFlags and gu from smaps included; 0 or -1. */
int
stress_checkpoint(struct eng *e)
{
	const struct features	*f = e->cfg->feat;
	struct verdict		 v;
	char			 err[VGS_MSG_MAX];
	unsigned		 what = VGS_HAVE_VMAS;

	e->res->checkpoints++;
	if (f->pagemap_bit)
		what |= VGS_HAVE_MARKS | VGS_HAVE_SCAN;
	if (e->m.npages <= VGS_PROBE_ALL_MAX)
		what |= VGS_HAVE_ACCESS | VGS_HAVE_DATA;
	if (observe_area(&e->ar, what, &e->fobs, err, sizeof err) != 0)
		return (stress_hard(e, "checkpoint: %s", err));
	if (e->cfg->bare)
		return (0);
	model_expect(&e->m, &e->fexp);
	if (judge_state(&e->fj, &e->fexp, &e->fobs, &v) == 0)
		return (0);
	stress_fail(e, v.aspect, "checkpoint: %s", v.msg);
	if (e->m.npages <= VGS_STRIP_MAX)
		show(e, &e->fexp, &e->fobs, VGS_HAVE_ALL, 1, "");
	else
		render(e, fail_page(&v, &e->fexp, &e->fobs));
	return (-1);
}

