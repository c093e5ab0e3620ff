/*
 * minimise.c: shrink a failing operation sequence by delta debugging
 * (Zeller's ddmin).  The list is cut into g chunks; if one chunk alone,
 * or the list without one chunk, still fails, that becomes the list;
 * otherwise the chunks are halved, until single operations cannot be
 * taken out.  The result is 1-minimal: dropping any one operation makes
 * the failure go away.
 *
 * Every candidate runs in a fresh child (child_run) on a fresh area, in
 * the engine's strict mode: after every operation the whole area is
 * checked as at a checkpoint, smaps included, and every fork child as
 * every 32nd one is, because the windows and checkpoints that found the
 * failure depend on the operations before and do not come round again.
 * So a failure that only a checkpoint saw (a VmFlags or gu difference
 * in smaps) shrinks to the operations that cause it, like one seen
 * right after its operation.  A candidate counts as failing only with
 * the same aspect (marker, vmas, data...) as the original, gu and the
 * invariant marker => gu being one, so the search does not drift to
 * another failure.
 * Each candidate's result comes back through shared memory, like a
 * worker's.
 */
#include "vgs.h"
#include "child.h"
#include "stress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPLAYS	4000
#define MAX_SECONDS	120.0

struct trial {
	const struct stress_cfg	*cfg;
	struct stress_result	*res;
};

struct ddmin {
	const struct stress_cfg	*base;
	const char		*aspect;
	struct stress_result	*res;
	unsigned		*replays;
	double			 until;
	int			 hard;
	char			 hard_msg[VGS_MSG_MAX];
};

static int
trial_main(void *arg)
{
	struct trial	*t = arg;

	stress_stream(t->cfg, t->res);
	return (0);
}

/*
 * The same kind of failure?  A gu lost shows as a VMA without gu
 * ("gu") or, sooner when a marker lies in it, as the invariant: a
 * replay that checks after every operation may see the other one.
 */
static int
same_aspect(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return (1);
	return ((strcmp(a, "gu") == 0 || strcmp(a, "invariant") == 0) &&
	    (strcmp(b, "gu") == 0 || strcmp(b, "invariant") == 0));
}

/* Does the sequence ops[0..n-1] still fail as the original did? */
static int
still_fails(struct ddmin *d, const struct op *ops, size_t n)
{
	struct stress_cfg	cfg = *d->base;
	struct opseq		q;
	struct trial		t;
	struct child_result	cr;

	q.ops = (struct op *)ops;
	q.n = q.cap = n;
	cfg.ops = &q;
	cfg.strict = 1;
	cfg.max_ops = 0;
	cfg.deadline = 0;
	t.cfg = &cfg;
	t.res = d->res;
	memset(d->res, 0, sizeof *d->res);
	(*d->replays)++;
	if (child_run(trial_main, &t, &cr) != 0) {
		d->hard = 1;
		snprintf(d->hard_msg, sizeof d->hard_msg, "fork: %s",
		    strerror(errno));
		return (0);
	}
	if (d->res->done && d->res->status == VGS_EXIT_HARD) {
		d->hard = 1;
		snprintf(d->hard_msg, sizeof d->hard_msg, "%s",
		    d->res->reason);
		return (0);
	}
	return (d->res->done && d->res->status == VGS_EXIT_FAIL &&
	    same_aspect(d->res->aspect, d->aspect));
}

static int
out_of_budget(const struct ddmin *d)
{
	return (d->hard || vgs_stop || *d->replays >= MAX_REPLAYS ||
	    stress_now() > d->until);
}

/*
 * Minimise in (which fails with aspect) into out.  0 with *replays
 * candidates run and note saying whether the search was cut short; -1
 * with note saying why (the sequence does not fail again in a fresh
 * process, or a candidate could not run).
 */
int
minimise_ops(const struct stress_cfg *base, const struct opseq *in,
    const char *aspect, struct opseq *out, unsigned *replays, char *note,
    size_t notesz)
{
	struct ddmin	 d;
	struct op	*cur, *cand;
	size_t		 n = in->n, g = 2, chunk, lo, hi, i, k;
	int		 reduced;

	memset(&d, 0, sizeof d);
	d.base = base;
	d.aspect = aspect;
	d.replays = replays;
	d.until = stress_now() + MAX_SECONDS;
	d.res = mmap(NULL, sizeof *d.res, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (d.res == MAP_FAILED)
		fatal("mmap");
	note[0] = '\0';
	cur = xcalloc(n, sizeof *cur);
	cand = xcalloc(n, sizeof *cand);
	memcpy(cur, in->ops, n * sizeof *cur);
	if (!still_fails(&d, cur, n)) {
		if (d.hard)
			snprintf(note, notesz, "a replay could not run: %s",
			    d.hard_msg);
		else
			snprintf(note, notesz, "the %zu operations did not "
			    "fail again (%s) in a fresh process", n,
			    d.res->done && d.res->status == VGS_EXIT_FAIL ?
			    "it failed differently" : "it passed");
		free(cur);
		free(cand);
		munmap(d.res, sizeof *d.res);
		return (-1);
	}
	while (n >= 2 && !out_of_budget(&d)) {
		chunk = (n + g - 1) / g;
		reduced = 0;
		/* A chunk alone. */
		for (lo = 0; lo < n && !reduced && g > 2; lo += chunk) {
			hi = lo + chunk > n ? n : lo + chunk;
			if (still_fails(&d, cur + lo, hi - lo)) {
				memmove(cur, cur + lo, (hi - lo) * sizeof *cur);
				n = hi - lo;
				g = 2;
				reduced = 1;
			}
		}
		/* Everything but a chunk. */
		for (lo = 0; lo < n && !reduced && !out_of_budget(&d);
		    lo += chunk) {
			hi = lo + chunk > n ? n : lo + chunk;
			for (i = k = 0; i < n; i++) {
				if (i < lo || i >= hi)
					cand[k++] = cur[i];
			}
			if (k > 0 && still_fails(&d, cand, k)) {
				memcpy(cur, cand, k * sizeof *cur);
				n = k;
				g = g > 2 ? g - 1 : 2;
				reduced = 1;
			}
		}
		if (!reduced) {
			if (g >= n)
				break;
			g = g * 2 > n ? n : g * 2;
		}
	}
	if (d.hard)
		snprintf(note, notesz, "stopped: %s", d.hard_msg);
	else if (n >= 2 && out_of_budget(&d))
		snprintf(note, notesz, "stopped at the limit of %u replays "
		    "or %.0f s", (unsigned)MAX_REPLAYS, MAX_SECONDS);
	for (i = 0; i < n; i++)
		opseq_add(out, &cur[i]);
	free(cur);
	free(cand);
	munmap(d.res, sizeof *d.res);
	return (0);
}
