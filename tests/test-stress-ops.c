/*
 * test-stress-ops.c: the stress engine's pure parts.  The incremental
 * model (model_incr.c) must agree with model.c's whole-area settling
 * after every generated operation, and its window with model_expect();
 * operations must survive their text form; a seed must give one
 * sequence; remapped ranges must join the segments the kernel's
 * anon_vma rules give them.
 */
#include "vgs.h"
#include "model.h"
#include "opseq.h"
#include "pagemap.h"
#include "prng.h"
#include "state.h"
#include "stress.h"

#include "unit.h"

#define RW	(PROT_READ | PROT_WRITE)

static void
start(struct model *m, enum backing b, size_t np, int lazy)
{
	model_init(m, b, np, 2);
	m->lazy = lazy;
	model_map(m, 0, np, RW, 1);
}

/* A window of the whole expectation, clipped as model_expect_window's. */
static int
window_agrees(const struct state *all, const struct state *w, size_t lo)
{
	size_t	i, k = 0, a, z;

	for (i = 0; i < w->npages; i++) {
		if (all->marks[lo + i] != w->marks[i] ||
		    all->access[lo + i] != w->access[i] ||
		    all->data[lo + i] != w->data[i])
			return (0);
	}
	for (i = 0; i < all->nvmas; i++) {
		a = all->vmas[i].first;
		z = a + all->vmas[i].npages;
		if (z <= lo || a >= lo + w->npages)
			continue;
		a = a < lo ? lo : a;
		z = z > lo + w->npages ? lo + w->npages : z;
		if (k >= w->nvmas || w->vmas[k].first != a - lo ||
		    w->vmas[k].npages != z - a ||
		    w->vmas[k].flags != all->vmas[i].flags ||
		    strcmp(w->vmas[k].perms, all->vmas[i].perms) != 0)
			return (0);
		k++;
	}
	return (k == w->nvmas);
}

static void
incremental_agrees(enum backing b, size_t np, uint64_t seed, int nops)
{
	struct model	lazy, full;
	struct prng	p, s;
	struct op	op;
	struct state	all, w;
	unsigned	seg1 = 2, seg2 = 2;
	size_t		lo, n;
	int		i, bad = 0, wbad = 0;

	start(&lazy, b, np, 1);
	start(&full, b, np, 0);
	state_init(&all, np);
	state_init(&w, np);
	prng_seed(&p, seed);
	prng_seed(&s, seed + 1);
	for (i = 0; i < nops; i++) {
		prng_op(&p, np, i, &op);
		if (op.kind == VGS_OP_FORK)
			continue;
		stress_model_op(&lazy, &op, &seg1);
		stress_model_op(&full, &op, &seg2);
		if (memcmp(lazy.pg, full.pg, np * sizeof *lazy.pg) != 0)
			bad++;
		lo = prng_below(&s, np);
		n = 1 + prng_below(&s, np - lo);
		w.npages = n;
		model_expect(&full, &all);
		model_expect_window(&lazy, lo, n, &w);
		if (!window_agrees(&all, &w, lo))
			wbad++;
	}
	UNIT_OK(bad == 0);
	UNIT_OK(wbad == 0);
	UNIT_OK(seg1 == seg2);
	if (bad || wbad)
		fprintf(stderr, "  %s, %zu pages, seed %llu: %d model, %d "
		    "window disagreements\n", model_backing_name(b), np,
		    (unsigned long long)seed, bad, wbad);
	model_free(&lazy);
	model_free(&full);
	state_free(&all);
	state_free(&w);
}

/*
 * What the stress engine's fork child is judged against, windows of the
 * parent's model seen through model_fork_page(), must be what
 * model_fork() makes of the whole model.
 */
static void
fork_view_agrees(enum backing b, size_t np, uint64_t seed, int nops)
{
	struct model	 m, child;
	struct prng	 p, s;
	struct op	 op;
	struct state	 all, w;
	struct mpage	*view;
	unsigned	 seg = 2;
	size_t		 lo, n, k;
	int		 i, bad = 0, checked = 0;

	start(&m, b, np, 1);
	state_init(&all, np);
	state_init(&w, np);
	view = calloc(np, sizeof *view);
	prng_seed(&p, seed);
	prng_seed(&s, seed + 7);
	for (i = 0; i < nops; i++) {
		prng_op(&p, np, i, &op);
		if (op.kind != VGS_OP_FORK) {
			stress_model_op(&m, &op, &seg);
			continue;
		}
		/* As the engine's fork did: the child settled whole. */
		m.lazy = 0;
		model_fork(&m, &child);
		m.lazy = 1;
		model_expect(&child, &all);
		lo = prng_below(&s, np);
		n = 1 + prng_below(&s, np - lo);
		for (k = 0; k < n; k++)
			model_fork_page(&m.pg[lo + k], &view[k]);
		w.npages = n;
		model_expect_pages(&m, view, n, &w);
		bad += !window_agrees(&all, &w, lo);
		checked++;
		model_free(&child);
	}
	UNIT_OK(checked > 0 && bad == 0);
	if (bad)
		fprintf(stderr, "  %s, %zu pages, seed %llu: %d of %d fork "
		    "views disagree\n", model_backing_name(b), np,
		    (unsigned long long)seed, bad, checked);
	free(view);
	model_free(&m);
	state_free(&all);
	state_free(&w);
}

/* The /proc paths of a fork child, formatted without stdio. */
static void
proc_paths(void)
{
	char	buf[64];

	UNIT_OK(strcmp(pagemap_proc_path(buf, 1, "maps"),
	    "/proc/1/maps") == 0);
	UNIT_OK(strcmp(pagemap_proc_path(buf, 4194304, "pagemap"),
	    "/proc/4194304/pagemap") == 0);
	UNIT_OK(strcmp(pagemap_proc_path(buf, 0, "mem"), "/proc/0/mem") ==
	    0);
}

static void
text_round_trip(void)
{
	struct prng	p;
	struct op	a, b;
	char		buf[VGS_OP_TEXT], err[256];
	int		i, bad = 0;

	prng_seed(&p, 99);
	for (i = 0; i < 5000; i++) {
		prng_op(&p, 1000, i, &a);
		op_format(&a, buf, sizeof buf);
		if (op_parse(buf, &b, err, sizeof err) != 0 ||
		    memcmp(&a, &b, sizeof a) != 0)
			bad++;
	}
	UNIT_OK(bad == 0);
	UNIT_OK(op_parse("  install p3-6  # comment\n", &a, err,
	    sizeof err) == 0 && a.kind == VGS_OP_INSTALL && a.first == 3 &&
	    a.n == 4);
	UNIT_OK(op_parse("protect p7 r--", &a, err, sizeof err) == 0 &&
	    a.arg == PROT_READ && a.n == 1);
	UNIT_OK(op_parse("fork", &a, err, sizeof err) == 0 &&
	    a.kind == VGS_OP_FORK);
	UNIT_OK(op_parse("install p6-3", &a, err, sizeof err) != 0);
	UNIT_OK(op_parse("protect p1 rwx", &a, err, sizeof err) != 0);
	UNIT_OK(op_parse("write p1 tag=2", &a, err, sizeof err) != 0);
	UNIT_OK(op_parse("fork p1", &a, err, sizeof err) != 0);
	UNIT_OK(op_parse("install p1 x", &a, err, sizeof err) != 0);
}

static void
seeds(void)
{
	struct opseq	a, b, c;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	memset(&c, 0, sizeof c);
	stress_gen_ops(7, 64, 1000, &a);
	stress_gen_ops(7, 64, 1000, &b);
	stress_gen_ops(8, 64, 1000, &c);
	UNIT_OK(memcmp(a.ops, b.ops, 1000 * sizeof *a.ops) == 0);
	UNIT_OK(memcmp(a.ops, c.ops, 1000 * sizeof *a.ops) != 0);
	UNIT_OK(prng_derive(7, 1) != prng_derive(7, 2));
	opseq_free(&a);
	opseq_free(&b);
	opseq_free(&c);
}

/*
 *   [L: r-- seg1][fresh][R: rw- +dc seg1]  -> borrows from L (prot only)
 *   [L: rw- +rr][fresh][R: rw- +dc]        -> an anon_vma of its own
 *   [L: rw- seg1][fresh][R: rw- seg3]      -> mmap merges left
 */
static void
remap_segments(void)
{
	struct model	m;
	unsigned	fresh = 3;

	start(&m, VGS_BACKING_ANON, 12, 0);
	model_protect(&m, 0, 4, PROT_READ);
	model_advise(&m, 8, 4, MADV_DONTFORK);
	UNIT_OK(model_remap_seg(&m, 4, 4, &fresh) == 1 && fresh == 3);
	model_advise(&m, 0, 4, MADV_RANDOM);
	UNIT_OK(model_remap_seg(&m, 4, 4, &fresh) == 3 && fresh == 4);
	model_free(&m);
	start(&m, VGS_BACKING_ANON, 12, 0);
	model_map(&m, 8, 4, RW, 3);
	UNIT_OK(model_remap_seg(&m, 4, 4, &fresh) == 1);
	model_free(&m);
	start(&m, VGS_BACKING_SHMEM, 12, 0);
	model_advise(&m, 0, 4, MADV_RANDOM);
	UNIT_OK(model_remap_seg(&m, 4, 4, &fresh) == 1 && fresh == 4);
	model_free(&m);
}

int
main(void)
{
	enum backing	b;

	vgs_init();
	for (b = 0; b < VGS_BACKING_COUNT; b++) {
		incremental_agrees(b, 16, 1, 3000);
		incremental_agrees(b, 64, 2, 3000);
		incremental_agrees(b, 700, 3, 3000);
		fork_view_agrees(b, 64, 4, 20000);
		fork_view_agrees(b, 300, 5, 20000);
	}
	text_round_trip();
	proc_paths();
	seeds();
	remap_segments();
	return (unit_done("test-stress-ops"));
}
