/*
 * scn_race.c: INSTALL racing fork() (doc/behaviour.md §4.16), the
 * catalogue's use of the race core (stress_race.c).  One thread guards
 * the pages of a small area one madvise() at a time, in order, with a
 * short pause between them; the main thread forks again and again, and
 * each child checks its whole area: every install that returned before
 * the fork is a marker there, the markers form a prefix, the area is
 * one VMA showing gu, and reads fault exactly on the markers.
 *
 *   parent  [GGGGGGG.........]  (gu)  the thread is at p7
 *   child   [GGGGGGG(G)......]  (gu)  at least p0-6, a prefix
 *
 * It runs three rounds, and more (up to eight) until a fork has landed
 * while the thread was installing; if none did, the check is
 * inconclusive (SKIP).
 * Then the parent's own area must be the model's, with the last
 * round's prefix guarded.
 */
#include "vgs.h"
#include "feature.h"
#include "options.h"
#include "step.h"
#include "stress_race.h"

#include <stdio.h>
#include <string.h>

#define NPAGES		128
#define MAX_FORKS	48	/* per round */
#define MIN_ROUNDS	3	/* more forks, more interleavings */
#define MAX_ROUNDS	8
#define PAUSE_NS	20000

static enum outcome
run_race_fork(struct scn *s)
{
	struct race_cfg	 c;
	struct race_out	 out;
	enum outcome	 rc;

	/* Before the series only VMAs with an anon_vma had their page
	 * tables copied, and INSTALL gave one to every private VMA. */
	if (!s->feat->series && backing_shared(s->backing))
		return (step_skip(s, "pre-series kernel: fork copies no page "
		    "tables of a shared mapping, markers are not inherited"));
	memset(&c, 0, sizeof c);
	c.ar = &s->ar;
	c.nthreads = 1;
	c.slice = NPAGES;
	c.check_gu = s->judge.check_gu;
	c.pause_ns = PAUSE_NS;
	c.max_forks = MAX_FORKS;
	c.min_rounds = MIN_ROUNDS;
	c.max_rounds = MAX_ROUNDS;
	c.until = vgs_now() + 10;
	c.probe_max = NPAGES;
	rc = race_core(&c, &out);
	s->steps++;
	step_note(s, "%llu forks in %llu rounds, %llu while INSTALL was in "
	    "flight; the last round installed %zu pages",
	    (unsigned long long)out.forks, (unsigned long long)out.rounds,
	    (unsigned long long)out.overlapped, out.done_last);
	switch (rc) {
	case VGS_PASS:
		break;
	case VGS_SKIP:
		return (step_skip(s, "inconclusive: none of %llu forks in "
		    "%llu rounds landed while INSTALL was in flight",
		    (unsigned long long)out.forks,
		    (unsigned long long)out.rounds));
	case VGS_HARD:
		return (step_hard(s, "%s", out.msg));
	default:
		return (step_fail(s, "%s", out.msg));
	}
	snprintf(s->note, sizeof s->note, "%llu of %llu forks landed while "
	    "INSTALL was in flight", (unsigned long long)out.overlapped,
	    (unsigned long long)out.forks);
	/* Every round mapped the area afresh: so does the model. */
	model_unmap(&s->m, 0, NPAGES);
	model_map(&s->m, 0, NPAGES, PROT_READ | PROT_WRITE, 1);
	model_guard(&s->m, 0, out.done_last, 1);
	TRY(step_verify(s, "parent after the race", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_race_fork = {
	.name = "race-fork",
	.claim = "a thread installs guards in order while the main thread "
	    "forks: each child sees a prefix",
	.rule = "4.16",
	.backings = VGS_BACKING_ALL,
	.npages = NPAGES,
	.run = run_race_fork,
};
