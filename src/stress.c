/*
 * stress.c: one stream of the random stress engine.  An area of one
 * backing goes through a sequence of operations (stress_op.c); each is
 * applied to the kernel and to the model, then judged (check_after()):
 *
 *   - the operation's window (its pages and one neighbour each side,
 *     where merges happen): VMA boundaries and permissions
 *     (PROCMAP_QUERY; not after removes, writes and zaps, which change
 *     no VMA), markers and presence (PAGEMAP_SCAN, else pagemap; a
 *     written anonymous page that holds nothing is data lost), access
 *     and data of its pages (stress_look.c; not after flag toggles);
 *   - in areas larger than VGS_PROBE_ALL_MAX pages, whose checkpoints
 *     do not look at every page, a sampled 8-page window elsewhere:
 *     markers, presence, access and data;
 *   - every --smaps-interval operations, at the end and on failure, a
 *     checkpoint of the whole area: smaps (VmFlags, gu, the invariant
 *     marker => gu), pagemap against PAGEMAP_SCAN, every page.
 *
 * Everything per operation is O(its window): the model settles around
 * the change and derives the window only (model_incr.c), the observers
 * read the window only.  A checkpoint is O(area), so by default its
 * interval grows with the area.  Per-page buffers hold a window or a
 * chunk of VGS_CHUNK pages: the model is the engine's only O(area)
 * allocation.
 *
 * A fork operation's child is looked at from the parent (stress_fork.c).
 * The engine, the model and the buffers live in memory fork() does not
 * copy (eng_alloc()), so a fork costs about what a bare one does.
 *
 * The initial write of page 0 gives anon and file-private areas their
 * anon_vma before the first split (SPEC §5).
 */
#include "vgs.h"
#include "child.h"
#include "feature.h"
#include "metrics.h"
#include "stress_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RW		(PROT_READ | PROT_WRITE)

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

/*
 * After an operation: its window (the pages it changed and a neighbour
 * each side, where merges happen) and the markers elsewhere (of the
 * whole area if it is small: one PAGEMAP_SCAN either way; else of a
 * sampled window, whose pages are read too), a checkpoint.  A fork
 * changes nothing in the parent, and its child was checked.  Replays
 * (the minimiser) check everything after every operation, smaps
 * included: a failure that only a checkpoint sees then shrinks to the
 * operations that cause it.
 */
static int
check_after(struct eng *e)
{
	const struct op	*op = &e->op;
	size_t		 np = e->m.npages, lo, hi, s;
	unsigned	 what = VGS_LOOK_PAGES | VGS_LOOK_ABSENT;

	if (op->kind != VGS_OP_FORK) {
		if (np > VGS_PROBE_ALL_MAX) {
			s = prng_below(&e->samp, np);
			e->chg_lo = s;
			e->chg_hi = np;
			e->chg_access = 0;
			if (stress_check_window(e, s, np - s <
			    VGS_SAMPLE_PAGES ? np - s : VGS_SAMPLE_PAGES,
			    VGS_LOOK_PAGES) != 0)
				return (-1);
		}
		lo = op->first > 0 ? op->first - 1 : 0;
		hi = (size_t)op->first + op->n + 1;
		/*
		 * The pages the operation can have changed (flag toggles
		 * change only VMAs), and whether it can have made them
		 * unreadable: markers installed or moved, protection.
		 */
		e->chg_lo = e->chg_hi = 0;
		if (op->kind != VGS_OP_ADVISE) {
			e->chg_lo = op->first;
			e->chg_hi = (size_t)op->first + op->n;
		}
		e->chg_access = op->kind == VGS_OP_INSTALL ||
		    op->kind == VGS_OP_PROTECT || op->kind == VGS_OP_MREMAP;
		/* Writes and zaps change pages, never VMAs. */
		if (op->kind != VGS_OP_WRITE && op->kind != VGS_OP_DONTNEED &&
		    op->kind != VGS_OP_REMOVE)
			what |= VGS_LOOK_VMAS;
		/* A load that must fault where markers were installed. */
		e->faults = op->kind == VGS_OP_INSTALL ? VGS_FAULTS_OP : 0;
		e->oracles = VGS_ORACLES_OP;
		e->gups = 0;
		if (stress_check_window(e, lo, (hi > np ? np : hi) - lo,
		    what) != 0)
			return (-1);
		e->chg_lo = e->chg_hi = 0;
	}
	if (e->cfg->strict && np <= VGS_STRICT_MAX && op->kind != VGS_OP_FORK)
		return (stress_checkpoint(e));
	if ((e->index + 1) % e->cfg->smaps_interval == 0)
		return (stress_checkpoint(e));
	return (0);
}

/*
 * What each operation is judged against, for --metrics (the man page
 * says the same): npages and interval as the run has them.
 */
void
stress_describe(size_t npages, unsigned interval, char *buf, size_t size)
{
	buf[0] = '\0';
	strlcat_fmt(buf, size, "stress checks, after each operation:\n"
	    "  VMAs and permissions of its pages and a neighbour each side "
	    "(PROCMAP_QUERY), but after remove, write and dontneed, which "
	    "change no VMA\n"
	    "  markers and presence of the same pages (PAGEMAP_SCAN): a "
	    "written anonymous page that holds nothing is data lost\n"
	    "  content of its readable pages (loads; absent anonymous pages "
	    "hold zero, unread), but after madvise flag toggles\n"
	    "  install: %d load that must raise SIGSEGV; install, protect, "
	    "mremap: %d MADV_POPULATE_READ that must be refused, on pages "
	    "made unreadable\n"
	    "  write: stores to writable pages; to the others 1 store that "
	    "must fault, MADV_POPULATE_WRITE refused for the rest\n"
	    "  fork: the child's VMAs, markers, presence, page frames and "
	    "sampled content, from the parent as soon as fork returns; "
	    "1 child in %d first makes loads that must fault or read\n%s",
	    VGS_FAULTS_OP, VGS_ORACLES_OP, VGS_FORK_SMAPS_EVERY,
	    npages > VGS_PROBE_ALL_MAX ? "  elsewhere: a "
	    "sampled 8-page window, markers, presence and content\n" : "");
	strlcat_fmt(buf, size, "  gu: every %u operations (a checkpoint: "
	    "smaps VmFlags, gu, marker => gu, every page), in 1 fork child "
	    "of %d, after every operation of a replay; not per operation "
	    "(PROCMAP_QUERY has no VmFlags, smaps costs O(VMAs))\n",
	    interval, VGS_FORK_SMAPS_EVERY);
}

/*
 * The observers a kernel must have, from its verdict (doc/behaviour.md
 * §5): the series (judged, expected or implied) means 6.18.37 or later,
 * so gu, PAGE_IS_GUARD and bit 58; PAGE_IS_GUARD seen, or a release of
 * 6.16 or later, PAGE_IS_GUARD; guards on shmem, bit 58 seen, or 6.15 or
 * later, bit 58; guard regions at all 6.13, so PROCMAP_QUERY (6.11).
 */
unsigned
stress_needs(const struct features *f)
{
	unsigned	need = f->guard ? VGS_OBS_PROCMAP : 0;

	if (f->series)
		need |= VGS_OBS_GU | VGS_OBS_SCAN | VGS_OBS_PAGEMAP;
	if (f->guard && (f->scan_guard || f->version >= 61600))
		need |= VGS_OBS_SCAN | VGS_OBS_PAGEMAP;
	if (f->guard && (f->pagemap_bit || f->shared == 1 ||
	    f->version >= 61500))
		need |= VGS_OBS_PAGEMAP;
	return (need);
}

static const char *
observer_name(unsigned bit)
{
	switch (bit) {
	case VGS_OBS_PROCMAP:
		return ("the PROCMAP_QUERY ioctl (6.11)");
	case VGS_OBS_PAGEMAP:
		return ("pagemap bit 58 (6.15)");
	case VGS_OBS_SCAN:
		return ("PAGEMAP_SCAN with PAGE_IS_GUARD (6.16)");
	default:
		return ("gu in smaps (the VM_MAYBE_GUARD series)");
	}
}

/*
 * Fail the stream, before its first operation, if an observer it needs
 * is missing: judging without it would be a quiet narrowing.
 */
static int
check_observers(struct eng *e)
{
	const struct features	*f = e->cfg->feat;
	const char		*why;
	unsigned		 have = 0, miss, bit;

	have |= e->pm.query ? VGS_OBS_PROCMAP : 0;
	have |= f->pagemap_bit ? VGS_OBS_PAGEMAP : 0;
	have |= f->scan_guard ? VGS_OBS_SCAN : 0;
	have |= f->gu ? VGS_OBS_GU : 0;
	if ((miss = e->cfg->need & ~have) == 0)
		return (0);
	for (bit = 1; !(miss & bit); bit <<= 1)
		;
	if (f->gu)
		why = "which has the series";
	else if (e->cfg->check_gu)
		why = "--require=gu";
	else if (f->scan_guard)
		why = "which has PAGE_IS_GUARD (6.16)";
	else if (f->pagemap_bit)
		why = "which has pagemap bit 58 (6.15)";
	else if (f->shared)
		why = "which has guards on shared memory (6.15)";
	else
		why = "which has guard regions (6.13)";
	return (stress_fail(e, "observer", "%s does not work, though this "
	    "kernel must have it (%s): the stream would judge less than it "
	    "claims", observer_name(bit), why));
}

/*
 * Memory for what the parent writes while a fork child lives: fork()
 * does not copy it (MADV_DONTFORK), so none of those writes copies a
 * page, and the child, which never touches it, costs nothing for it.
 */
static void *
eng_alloc(struct eng *e, size_t size)
{
	void	*p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap %zu bytes", size);
	if (madvise(p, size, MADV_DONTFORK) != 0)
		fatal("madvise(MADV_DONTFORK)");
	e->nkeep++;
	return (p);
}

static void *
carve(char **next, size_t size)
{
	void	*p = *next;

	*next += (size + 15) & ~(size_t)15;
	return (p);
}

/* A window state of e->wmax pages (at most as many VMAs) in scratch. */
static void
scratch_state(struct eng *e, char **next, struct state *st)
{
	memset(st, 0, sizeof *st);
	st->npages = e->wmax;
	st->marks = carve(next, e->wmax + 1);
	st->scan = carve(next, e->wmax + 1);
	st->access = carve(next, e->wmax + 1);
	st->write = carve(next, e->wmax + 1);
	st->data = carve(next, e->wmax * sizeof *st->data);
	st->vmas_cap = e->wmax + 1;
	st->vmas = carve(next, st->vmas_cap * sizeof *st->vmas);
	state_reset(st);
}

/* The model and the per-window buffers, in memory fork() leaves out. */
static void
setup_memory(struct eng *e)
{
	size_t	np = e->m.npages, w, sz;
	char	*next;
	void	*p;

	p = eng_alloc(e, np * sizeof *e->m.pg);
	memcpy(p, e->m.pg, np * sizeof *e->m.pg);
	free(e->m.pg);
	e->m.pg = p;
	p = eng_alloc(e, np * sizeof *e->m.obj);
	memcpy(p, e->m.obj, np * sizeof *e->m.obj);
	free(e->m.obj);
	e->m.obj = p;
	w = e->wmax = np < VGS_CHUNK ? np : VGS_CHUNK;
	sz = 4 * (4 * (w + 16) + w * sizeof(uint32_t) + (w + 1) *
	    sizeof(struct vma) + 64) + w * (sizeof *e->pmbuf +
	    sizeof *e->wpg + 2) + (w < VGS_PROBE_ALL_MAX ? w :
	    VGS_PROBE_ALL_MAX) * sizeof *e->fw_pm + 256;
	e->scratch_len = sz;
	next = e->scratch = eng_alloc(e, sz);
	scratch_state(e, &next, &e->wexp);
	scratch_state(e, &next, &e->wobs);
	scratch_state(e, &next, &e->fexp);
	scratch_state(e, &next, &e->fobs);
	e->pmbuf = carve(&next, w * sizeof *e->pmbuf);
	e->wpg = carve(&next, w * sizeof *e->wpg);
	e->look = carve(&next, w);
	e->pick = carve(&next, w);
	e->fw_pm = carve(&next, (w < VGS_PROBE_ALL_MAX ? w :
	    VGS_PROBE_ALL_MAX) * sizeof *e->fw_pm);
}

static int
setup(struct eng *e, const struct stress_cfg *cfg, struct stress_result *r)
{
	char	err[VGS_MSG_MAX];
	size_t	np = cfg->npages;

	memset(e, 0, sizeof *e);
	e->cfg = cfg;
	e->res = r;
	e->index = UINT64_MAX;
	e->pm.fd = -1;
	e->sync[0] = e->sync[1] = -1;
	e->memfd = -1;
	state_init(&e->avmas, 0);
	if (arena_create(&e->ar, cfg->backing, np, err, sizeof err) != 0)
		return (stress_hard(e, "setup: %s", err));
	if (procmap_open(&e->pm, err, sizeof err) != 0)
		return (stress_hard(e, "setup: %s", err));
	model_init(&e->m, cfg->backing, np, VGS_TAG_FILE);
	e->m.lazy = 1;
	model_map(&e->m, 0, np, RW, 1);
	e->next_seg = 2;
	setup_memory(e);
	e->cl = mmap(NULL, sizeof *e->cl, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	if (e->cl == MAP_FAILED) {
		e->cl = NULL;
		return (stress_hard(e, "setup: mmap: %s", strerror(errno)));
	}
	if (pipe2(e->sync, O_CLOEXEC) == -1)
		return (stress_hard(e, "setup: pipe: %s", strerror(errno)));
	if (check_observers(e) != 0)
		return (-1);
	e->fj.check_gu = cfg->check_gu;
	e->fj.flag_mask = VGS_VMF_MODELLED;
	prng_seed(&e->gen, cfg->seed);
	prng_seed(&e->samp, prng_derive(cfg->seed, 0x73616d70ULL));
	model_write(&e->m, 0, 1, VGS_TAG_FIRST_STRESS);
	return (stress_write(e, 0, 1, VGS_TAG_FIRST_STRESS, 0));
}

static void
teardown(struct eng *e)
{
	arena_destroy(&e->ar);
	procmap_close(&e->pm);
	if (e->nkeep > 0) {
		munmap(e->m.pg, e->m.npages * sizeof *e->m.pg);
		munmap(e->m.obj, e->m.npages * sizeof *e->m.obj);
		e->m.pg = NULL;
		e->m.obj = NULL;
	}
	if (e->scratch != NULL)
		munmap(e->scratch, e->scratch_len);
	model_free(&e->m);
	state_free(&e->avmas);
	if (e->cl != NULL)
		munmap(e->cl, sizeof *e->cl);
	if (e->sync[0] != -1) {
		close(e->sync[0]);
		close(e->sync[1]);
	}
}

/* The metrics kind an operation's time goes to. */
static enum metric
op_metric(int kind)
{
	switch (kind) {
	case VGS_OP_INSTALL:
		return (VGS_MET_INSTALL);
	case VGS_OP_REMOVE:
		return (VGS_MET_REMOVE);
	case VGS_OP_PROTECT:
		return (VGS_MET_PROTECT);
	case VGS_OP_ADVISE:
	case VGS_OP_DONTNEED:
		return (VGS_MET_ADVISE);
	case VGS_OP_WRITE:
		return (VGS_MET_WRITE);
	case VGS_OP_REMAP:
		return (VGS_MET_MAP);
	case VGS_OP_MREMAP:
		return (VGS_MET_REMAP);
	case VGS_OP_FORK:
		return (VGS_MET_FORK);
	default:
		return (VGS_MET_OTHER_OP);
	}
}

/*
 * Run one stream to its end (operations, op count or deadline) or its
 * first failure.  r must be zeroed (and shared with children to learn
 * what a fork child found).  Returns r->status.  The engine's state
 * lives in memory fork() does not copy (eng_alloc()).
 */
int
stress_stream(const struct stress_cfg *cfg, struct stress_result *r)
{
	struct eng	*e;
	uint64_t	 t0;
	int		 rc, k;

	e = mmap(NULL, sizeof *e, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (e == MAP_FAILED || madvise(e, sizeof *e, MADV_DONTFORK) != 0)
		fatal("mmap");
	r->status = VGS_PASS;
	if (setup(e, cfg, r) == 0 && stress_checkpoint(e) == 0) {
		for (e->index = 0; !vgs_stop; e->index++) {
			if (cfg->ops != NULL && e->index >= cfg->ops->n)
				break;
			if (cfg->max_ops != 0 && e->index >= cfg->max_ops)
				break;
			if (cfg->deadline > 0 && vgs_now() >= cfg->deadline)
				break;
			if (cfg->ops != NULL)
				e->op = cfg->ops->ops[e->index];
			else
				prng_op(&e->gen, cfg->npages, e->index, &e->op);
			t0 = metrics_now();
			rc = stress_apply(e);
			metrics_add(op_metric(e->op.kind), metrics_now() - t0);
			if (rc != 0 || check_after(e) != 0)
				break;
			r->ops = e->index + 1;
		}
		if (r->status == VGS_PASS && r->ops > 0) {
			e->index = r->ops - 1;
			stress_checkpoint(e);
		}
	}
	teardown(e);
	munmap(e, sizeof *e);
	for (k = 0; k < VGS_MET_COUNT; k++)
		metrics_get(k, &r->met[k]);
	r->done = 1;
	return (r->status);
}
