/*
 * scn_softdirty.c: soft-dirty, the other sticky flag (doc/behaviour.md §6).
 * The series' follow-up makes VM_SOFTDIRTY sticky like VM_MAYBE_GUARD: when a
 * clean VMA merges into a soft-dirty one the result must stay `sd', or a
 * soft-dirty tracker would miss writes.  Only kernels built with
 * CONFIG_MEM_SOFT_DIRTY show `sd'; elsewhere this skips.
 */
#include "vgs.h"
#include "feature.h"
#include "observe.h"
#include "options.h"
#include "step.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define RW	(PROT_READ | PROT_WRITE)

/* echo 4 > /proc/self/clear_refs: clear sd on every VMA. */
static enum outcome
clear_soft_dirty(struct scn *s)
{
	int	fd, rc;

	if ((fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)) == -1)
		return (step_hard(s, "open /proc/self/clear_refs: %s",
		    strerror(errno)));
	rc = write(fd, "4", 1) == 1 ? 0 : -1;
	close(fd);
	if (rc != 0)
		return (step_hard(s, "write /proc/self/clear_refs: %s",
		    strerror(errno)));
	step_note(s, "clear_refs 4 (soft-dirty cleared on every VMA)");
	return (0);
}

/*
 * Does the observed VMA holding page pg show sd?  *sd is 1 or 0, or -1
 * when no VMA holds the page.
 */
static enum outcome
soft_dirty_at(struct scn *s, size_t pg, int *sd)
{
	char			 err[VGS_MSG_MAX];
	const struct vma	*v;

	if (observe_area(&s->ar, VGS_HAVE_VMAS, &s->obs, err,
	    sizeof err) != 0)
		return (step_hard(s, "%s", err));
	v = state_vma_at(&s->obs, pg);
	*sd = v == NULL ? -1 : (v->flags & VGS_VMF_SD) != 0;
	return (VGS_PASS);
}

static enum outcome
expect_sd(struct scn *s, size_t pg, int want, const char *what)
{
	int	sd;

	TRY(soft_dirty_at(s, pg, &sd));
	if (sd == want)
		return (VGS_PASS);
	return (step_fail(s, "step %u: %s: expected %s on the VMA holding "
	    "p%zu, saw %s", s->steps, what, want ? "sd" : "no sd", pg,
	    sd == -1 ? "no VMA" : sd ? "sd" : "no sd"));
}

/*
 *   A [rrrrr] clean  B [wwwww] fresh (sd)
 *   shape 1: mprotect A RW, A merges into B   -> [10 sd]   (sticky only)
 *   shape 2: B R fresh, mprotect B RW into A  -> [10 sd]   (always)
 *   shape 3: B mapped RW next to a clean A    -> [10 sd]   (always)
 */
static enum outcome
run_softdirty(struct scn *s)
{
	int	sd;

	/* Shape 2: B merging into a clean A keeps sd. */
	TRY(step_unmap(s, 0, 10));
	TRY(step_map(s, 0, 5, RW, 1));
	TRY(clear_soft_dirty(s));
	TRY(expect_sd(s, 0, 0, "after clear_refs"));
	TRY(step_map(s, 5, 5, PROT_READ, 1));
	TRY(step_verify(s, "clean A rw | fresh B r", VGS_SEE_NO_ACCESS));
	TRY(expect_sd(s, 5, 1, "a fresh mapping"));
	TRY(step_protect(s, 5, 5, RW));
	TRY(step_verify(s, "B merged into clean A", VGS_SEE_NO_ACCESS));
	TRY(expect_sd(s, 0, 1, "B (sd) merged into a clean A"));

	/* Shape 3: a new mapping merging with a clean neighbour. */
	TRY(step_unmap(s, 0, 10));
	TRY(step_map(s, 0, 5, RW, 1));
	TRY(clear_soft_dirty(s));
	TRY(step_map(s, 5, 5, RW, 1));
	TRY(step_verify(s, "fresh B mapped next to clean A",
	    VGS_SEE_NO_ACCESS));
	TRY(expect_sd(s, 0, 1, "a new mapping merged with a clean VMA"));

	/* Shape 1: a clean A merging into B; sticky kernels keep sd. */
	TRY(step_unmap(s, 0, 10));
	TRY(step_map(s, 0, 5, PROT_READ, 1));
	TRY(clear_soft_dirty(s));
	TRY(step_map(s, 5, 5, RW, 1));
	TRY(step_verify(s, "clean A r | fresh B rw", VGS_SEE_NO_ACCESS));
	TRY(expect_sd(s, 0, 0, "clean A"));
	TRY(expect_sd(s, 5, 1, "fresh B"));
	TRY(step_protect(s, 0, 5, RW));
	TRY(step_verify(s, "clean A merged into B", VGS_SEE_NO_ACCESS));
	TRY(soft_dirty_at(s, 0, &sd));
	if (sd == -1)
		return (VGS_FAIL);
	if (sd)
		return (VGS_PASS);
	if (s->feat->series || s->opts->require_softdirty)
		return (step_fail(s, "step %u: a clean VMA merged into a "
		    "soft-dirty one: expected sd on p0-9, saw none "
		    "(VM_SOFTDIRTY is not sticky)", s->steps));
	return (step_skip(s, "pre-series kernel: soft-dirty is not sticky "
	    "(sd lost when a clean VMA merged into a soft-dirty one)"));
}

const struct scenario scen_softdirty_sticky = {
	.name = "softdirty-sticky",
	.claim = "soft-dirty survives merges like gu: a clean VMA merging "
	    "into a dirty one keeps sd",
	.rule = "6",
	.backings = VGS_BACKING_ALL,
	.needs = VGS_NEED_SOFTDIRTY,
	.npages = 10,
	.run = run_softdirty,
};
