/*
 * scn_fork.c: copy-on-fork of guard markers (doc/behaviour.md §4.9).  The child
 * checks its own view against model_fork() of the parent's model:
 * markers copied even where nothing was ever faulted in, WIPEONFORK
 * ranges lose markers and data, DONTFORK ranges are absent.
 */
#include "vgs.h"
#include "step.h"

#define RW	(PROT_READ | PROT_WRITE)
#define ALL	VGS_BACKING_ALL

static enum outcome
child_check_unfaulted(struct scn *s)
{
	TRY(step_verify(s, "child, before any access", VGS_SEE_NO_ACCESS));
	TRY(step_verify(s, "child, probed", VGS_SEE_ALL));
	return (VGS_PASS);
}

/*
 *   [.G........] (gu), never touched -> fork -> child [.G........] (gu)
 * No page was faulted in: for shmem and file mappings only the series
 * makes fork copy the page tables that hold the marker.
 */
static enum outcome
run_fork_unfaulted(struct scn *s)
{
	TRY(step_install(s, 1, 1));
	TRY(step_verify(s, "parent, unfaulted + guard p1", VGS_SEE_NO_ACCESS));
	TRY(step_fork(s, child_check_unfaulted, "unfaulted"));
	TRY(step_verify(s, "parent after fork", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_fork_unfaulted = {
	.name = "fork-unfaulted",
	.claim = "fork copies markers of a never-touched area to the child",
	.rule = "4.9",
	.backings = ALL,
	.npages = 10,
	.run = run_fork_unfaulted,
};

static enum outcome
child_check(struct scn *s)
{
	TRY(step_verify(s, "child", VGS_SEE_ALL));
	return (VGS_PASS);
}

/*
 *   [dGdddddGdd] (gu) written -> fork -> child sees the same, data intact
 */
static enum outcome
run_fork_written(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 1, 1));
	TRY(step_install(s, 7, 1));
	TRY(step_verify(s, "parent, written + guard p1,p7", VGS_SEE_ALL));
	TRY(step_fork(s, child_check, "written"));
	TRY(step_verify(s, "parent after fork", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_fork_written = {
	.name = "fork-written",
	.claim = "fork of a written area: child has the markers and the data",
	.rule = "4.9",
	.backings = ALL,
	.npages = 10,
	.run = run_fork_written,
};

/*
 *   [dGddd|dGddd] (gu|gu+wf) -> child [dGddd|00000] (gu|gu+wf)
 * WIPEONFORK is EINVAL on shmem and file mappings: no split, the child
 * keeps everything.
 */
static enum outcome
run_fork_wipeonfork(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 1, 1));
	TRY(step_install(s, 6, 1));
	TRY(step_advise(s, 5, 5, MADV_WIPEONFORK, "WIPEONFORK"));
	TRY(step_verify(s, "parent, WIPEONFORK p5-9", VGS_SEE_ALL));
	TRY(step_fork(s, child_check, "wipeonfork"));
	TRY(step_verify(s, "parent after fork", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_fork_wipeonfork = {
	.name = "fork-wipeonfork",
	.claim = "WIPEONFORK half: the child loses its markers and data "
	    "there, keeps gu",
	.rule = "4.9",
	.backings = ALL,
	.npages = 10,
	.run = run_fork_wipeonfork,
};

/*
 *   [dGddd|dGddd] (gu|gu+dc) -> child [dGddd] (gu), p5-9 absent
 */
static enum outcome
run_fork_dontfork(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 1, 1));
	TRY(step_install(s, 6, 1));
	TRY(step_advise(s, 5, 5, MADV_DONTFORK, "DONTFORK"));
	TRY(step_verify(s, "parent, DONTFORK p5-9", VGS_SEE_ALL));
	TRY(step_fork(s, child_check, "dontfork"));
	TRY(step_verify(s, "parent after fork", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_fork_dontfork = {
	.name = "fork-dontfork",
	.claim = "DONTFORK half: the child has only the other half, with its "
	    "marker",
	.rule = "4.9",
	.backings = ALL,
	.npages = 10,
	.run = run_fork_dontfork,
};

static enum outcome
grandchild_check(struct scn *s)
{
	TRY(step_verify(s, "grandchild inherits the child's guard",
	    VGS_SEE_ALL));
	return (VGS_PASS);
}

static enum outcome
child_guard(struct scn *s)
{
	TRY(step_verify(s, "child before install", VGS_SEE_ALL));
	TRY(step_install(s, 2, 1));
	TRY(step_verify(s, "child, guard p2", VGS_SEE_ALL));
	TRY(step_fork(s, grandchild_check, "grandchild"));
	return (VGS_PASS);
}

/*
 *   parent [dddd] -> child installs p2 [ddGd] (gu) -> grandchild [ddGd]
 *   parent still [dddd], no gu: markers are per mm
 */
static enum outcome
run_fork_child_guard(struct scn *s)
{
	TRY(step_write(s, 0, 4));
	TRY(step_fork(s, child_guard, "child installs a guard"));
	TRY(step_verify(s, "parent (guard was child-local)", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_fork_child_guard = {
	.name = "fork-child-guard",
	.claim = "a guard installed in a child is inherited by a grandchild, "
	    "never seen by the parent",
	.rule = "4.9",
	.backings = ALL,
	.npages = 4,
	.run = run_fork_child_guard,
};
