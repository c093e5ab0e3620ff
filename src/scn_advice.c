/*
 * scn_advice.c: madvise() flag changes, mseal() and mprotect() that
 * split a guarded VMA and their undo that merges it back (doc/behaviour.md
 * §4.8, and the kselftest's split_merge).  gu is sticky: every split piece
 * keeps it, and a merge never waits for the pieces to agree on it.
 *
 * Drawings: one character per page; G a guard marker, | a VMA boundary,
 * ' ' a hole; (gu) marks VMAs that must show gu.
 */
#include "vgs.h"
#include "feature.h"
#include "step.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RW	(PROT_READ | PROT_WRITE)
#define ALL	VGS_BACKING_ALL

struct advice_pair {
	int		 set;
	int		 undo;
	const char	*name;
	const char	*undo_name;
};

static const struct advice_pair pairs[] = {
	{ MADV_RANDOM, MADV_NORMAL, "RANDOM", "NORMAL" },
	{ MADV_SEQUENTIAL, MADV_NORMAL, "SEQUENTIAL", "NORMAL" },
	{ MADV_DONTFORK, MADV_DOFORK, "DONTFORK", "DOFORK" },
	{ MADV_DONTDUMP, MADV_DODUMP, "DONTDUMP", "DODUMP" },
	{ MADV_WIPEONFORK, MADV_KEEPONFORK, "WIPEONFORK", "KEEPONFORK" },
};

/*
 *   [.G...|.....]  (gu|gu+flag)   advice on p5-9 splits, both keep gu
 *   [.G.........]  (gu)           its undo merges them again
 * for RANDOM, SEQUENTIAL, DONTFORK, DONTDUMP and WIPEONFORK; WIPEONFORK
 * is EINVAL (no split) on shmem and files, KEEPONFORK succeeds anyway.
 */
static enum outcome
run_advice_split(struct scn *s)
{
	char	label[64];
	size_t	i;

	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 1, 1));
	TRY(step_verify(s, "guard p1", VGS_SEE_ALL));
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		TRY(step_advise(s, 5, 5, pairs[i].set, pairs[i].name));
		snprintf(label, sizeof label, "%s p5-9", pairs[i].name);
		TRY(step_verify(s, label, VGS_SEE_ALL));
		TRY(step_advise(s, 5, 5, pairs[i].undo, pairs[i].undo_name));
		snprintf(label, sizeof label, "%s p5-9 (undo)",
		    pairs[i].undo_name);
		TRY(step_verify(s, label, VGS_SEE_ALL));
	}
	return (VGS_PASS);
}

const struct scenario scen_advice_split = {
	.name = "advice-split",
	.claim = "madvise flags on half a gu VMA split it, gu on both; the "
	    "undo merges it back",
	.rule = "4.8",
	.backings = ALL,
	.npages = 10,
	.run = run_advice_split,
};

/*
 *   [.G...|.....]  (gu|gu+hg)   HUGEPAGE on p5-9
 *   [.G...|.....]  (gu|gu+nh)   NOHUGEPAGE: nh differs from neither side
 *                               having a flag, so it stays split
 */
static enum outcome
run_advice_hugepage(struct scn *s)
{
	if (strcmp(s->feat->thp, "unavailable") == 0)
		return (step_skip(s, "no transparent hugepage support: "
		    "MADV_HUGEPAGE is EINVAL"));
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 1, 1));
	TRY(step_advise(s, 5, 5, MADV_HUGEPAGE, "HUGEPAGE"));
	TRY(step_verify(s, "HUGEPAGE p5-9 (split)", VGS_SEE_ALL));
	TRY(step_advise(s, 5, 5, MADV_NOHUGEPAGE, "NOHUGEPAGE"));
	TRY(step_verify(s, "NOHUGEPAGE p5-9 (stays split)", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_advice_hugepage = {
	.name = "advice-hugepage",
	.claim = "HUGEPAGE then NOHUGEPAGE on half a gu VMA: split, and it "
	    "stays split",
	.rule = "4.8",
	.backings = ALL,
	.npages = 10,
	.run = run_advice_hugepage,
};

static enum outcome
sealed_child(struct scn *s)
{
	TRY(step_mseal(s, 5, 5, 0));
	TRY(step_verify(s, "mseal p5-9 (split)", VGS_SEE_ALL));
	TRY(step_install(s, 7, 1));
	TRY(step_verify(s, "guard p7 in the sealed RW VMA", VGS_SEE_ALL));
	TRY(step_remove(s, 7, 1));
	TRY(step_verify(s, "and removed again", VGS_SEE_ALL));
	return (VGS_PASS);
}

/*
 *   [.G...|.....]  (gu|gu+sl)   mseal p5-9 splits, both keep gu
 *   [.G...|..G..]  (gu|gu+sl)   a sealed writable VMA takes guards
 * Sealing cannot be undone, and a sealed VMA cannot be unmapped, so this
 * runs in a child whose address space goes away with it.
 */
static enum outcome
run_advice_mseal(struct scn *s)
{
	if (step_sys_mseal(arena_page(&s->ar, 0), 0) != 0)
		return (step_skip(s, "no mseal(2) (Linux 6.10): %s",
		    vgs_errno_name(errno)));
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 1, 1));
	TRY(step_verify(s, "guard p1", VGS_SEE_ALL));
	TRY(step_fork(s, sealed_child, "mseal"));
	TRY(step_verify(s, "parent (seals were the child's)", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_advice_mseal = {
	.name = "advice-mseal",
	.claim = "mseal on half a gu VMA splits it, gu on both; the sealed "
	    "half still takes guards",
	.rule = "4.8",
	.backings = ALL,
	.npages = 10,
	.run = run_advice_mseal,
};

/*
 *   [GGGGGGGGGG]    (gu)           guard everything
 *   [GG GG GG G]    (gu x4)        munmap p2, p5, p8
 *   [GG.GG.GG.G]    (gu)           map them again: one VMA, new pages plain
 *   [GGG|GGGG|GGG]  (gu x3)        guard all, p0-2 and p7-9 read-only
 *   [GGGGGGGGGG]    (gu)           read-write again: merged
 *   [...|....|...]  (gu x3)        split again, remove every marker
 *   [..........]    (gu)           and merge
 */
static enum outcome
run_split_merge(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 0, 10));
	TRY(step_verify(s, "guard all", VGS_SEE_ALL));
	TRY(step_unmap(s, 2, 1));
	TRY(step_unmap(s, 5, 1));
	TRY(step_unmap(s, 8, 1));
	TRY(step_verify(s, "munmap p2,p5,p8", VGS_SEE_ALL));
	TRY(step_map(s, 2, 1, RW, 1));
	TRY(step_map(s, 5, 1, RW, 1));
	TRY(step_map(s, 8, 1, RW, 1));
	TRY(step_verify(s, "mapped again (merge)", VGS_SEE_ALL));
	TRY(step_install(s, 0, 10));
	TRY(step_protect(s, 0, 3, PROT_READ));
	TRY(step_protect(s, 7, 3, PROT_READ));
	TRY(step_verify(s, "guard all, ends read-only", VGS_SEE_ALL));
	TRY(step_protect(s, 0, 3, RW));
	TRY(step_protect(s, 7, 3, RW));
	TRY(step_verify(s, "read-write again (merge)", VGS_SEE_ALL));
	TRY(step_protect(s, 0, 3, PROT_READ));
	TRY(step_protect(s, 7, 3, PROT_READ));
	TRY(step_remove(s, 0, 10));
	TRY(step_verify(s, "split again, remove all", VGS_SEE_ALL));
	TRY(step_protect(s, 0, 3, RW));
	TRY(step_protect(s, 7, 3, RW));
	TRY(step_verify(s, "merged, no markers", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_split_merge = {
	.name = "split-merge",
	.claim = "munmap and mprotect split a fully guarded VMA; refills and "
	    "undo merge it, markers kept",
	.rule = "4.3, 4.5",
	.backings = ALL,
	.npages = 10,
	.run = run_split_merge,
};
