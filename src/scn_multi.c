/*
 * scn_multi.c: guards across several VMAs and holes (the kselftest's
 * multi_vma, munmap, pagemap and pagemap_scan), copy-on-write pages
 * under a child's guards (fork_cow), and the series discriminator: the
 * best evidence of the VM_MAYBE_GUARD series that does not read gu
 * (doc/behaviour.md §4.6).
 *
 * Drawings: one character per page; G a guard marker, | a VMA boundary,
 * ' ' a hole, R a read-only VMA; (gu) marks VMAs that must show gu.
 */
#include "vgs.h"
#include "step.h"

#include <errno.h>

#define RW	(PROT_READ | PROT_WRITE)
#define ALL	VGS_BACKING_ALL
#define OBJECT	(VGS_BACKING_BIT(VGS_BACKING_SHMEM) | \
		    VGS_BACKING_BIT(VGS_BACKING_FILE_SHARED) | \
		    VGS_BACKING_BIT(VGS_BACKING_FILE_PRIVATE))

/*
 *   p0   p4   p8  p11  p15
 *   [dddd]    [ddd]    [ddddd]         three VMAs, holes p4-7, p11-14
 *   [GGGG]    [GGG]    [GGGGG]  (gu)   INSTALL p0-19: ENOMEM, all done
 *   [dddd]    [ddd]    [ddddd]  (gu)   REMOVE p0-19: ENOMEM, all undone
 *   [dddd|RRRR|ddd|RRRR|ddddd]         holes filled read-only: 5 VMAs
 *   [GGGG|GGGG|GGG|GGGG|GGGGG]  (gu)   INSTALL p0-19: 0; REMOVE: 0
 */
static enum outcome
run_multi_vma(struct scn *s)
{
	TRY(step_write(s, 0, 20));
	TRY(step_unmap(s, 4, 4));
	TRY(step_unmap(s, 11, 4));
	TRY(step_guard_expect(s, 0, 20, 1, ENOMEM));
	TRY(step_verify(s, "INSTALL over three VMAs, two holes", VGS_SEE_ALL));
	TRY(step_guard_expect(s, 0, 20, 0, ENOMEM));
	TRY(step_verify(s, "REMOVE over them", VGS_SEE_ALL));
	TRY(step_map(s, 4, 4, PROT_READ, 1));
	TRY(step_map(s, 11, 4, PROT_READ, 1));
	TRY(step_verify(s, "holes filled read-only", VGS_SEE_ALL));
	TRY(step_guard_expect(s, 0, 20, 1, 0));
	TRY(step_verify(s, "INSTALL over five VMAs", VGS_SEE_ALL));
	TRY(step_guard_expect(s, 0, 20, 0, 0));
	TRY(step_verify(s, "REMOVE over five VMAs", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_multi_vma = {
	.name = "multi-vma",
	.claim = "INSTALL/REMOVE across VMAs and holes: ENOMEM but done; "
	    "across adjacent VMAs: 0",
	.rule = "4.14",
	.backings = ALL,
	.npages = 20,
	.run = run_multi_vma,
};

/*
 *   [G........G] (gu)   guards at both ends
 *   [ ........ ] (gu)   munmap p0 and p9
 *   [..........] (gu)   both mapped again: merged, no markers there
 */
static enum outcome
run_munmap_edges(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 0, 1));
	TRY(step_install(s, 9, 1));
	TRY(step_verify(s, "guards p0,p9", VGS_SEE_ALL));
	TRY(step_unmap(s, 0, 1));
	TRY(step_unmap(s, 9, 1));
	TRY(step_verify(s, "munmap p0,p9", VGS_SEE_ALL));
	TRY(step_map(s, 0, 1, RW, 1));
	TRY(step_map(s, 9, 1, RW, 1));
	TRY(step_verify(s, "mapped again: no markers", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_munmap_edges = {
	.name = "munmap-edges",
	.claim = "unmapping guarded end pages drops their markers; new pages "
	    "merge back plain",
	.rule = "4.11",
	.backings = ALL,
	.npages = 10,
	.run = run_munmap_edges,
};

/*
 *   [..........]          fresh: neither pagemap nor PAGEMAP_SCAN sees
 *   [G.G.G.G.G.] (gu)     a marker; every other page guarded, one call
 *                         each: bit 58 and PAGE_IS_GUARD agree, page by
 *                         page, before and after the access probe
 */
static enum outcome
run_guard_alternate(struct scn *s)
{
	size_t	i;

	TRY(step_verify(s, "fresh", VGS_SEE_NO_ACCESS));
	for (i = 0; i < 10; i += 2)
		TRY(step_install(s, i, 1));
	TRY(step_verify(s, "every other page, unfaulted", VGS_SEE_NO_ACCESS));
	TRY(step_verify(s, "every other page, probed", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_guard_alternate = {
	.name = "guard-alternate",
	.claim = "every other page guarded: pagemap bit 58 and PAGEMAP_SCAN "
	    "agree page by page",
	.rule = "4.1",
	.backings = ALL,
	.npages = 10,
	.run = run_guard_alternate,
};

static enum outcome
cow_child(struct scn *s)
{
	TRY(step_verify(s, "child sees the parent's data", VGS_SEE_ALL));
	TRY(step_install(s, 0, 10));
	TRY(step_verify(s, "child guards everything", VGS_SEE_ALL));
	TRY(step_remove(s, 0, 10));
	TRY(step_verify(s, "child removes them: data per backing",
	    VGS_SEE_ALL));
	return (VGS_PASS);
}

/*
 *   parent [dddddddddd] written, fork
 *   child  [GGGGGGGGGG] (gu) -> removed: anon zero, file-private the
 *          file's data, shared backings keep the data
 *   parent [dddddddddd] no gu: its copy-on-write pages are its own
 */
static enum outcome
run_fork_cow(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_fork(s, cow_child, "guard and unguard in the child"));
	TRY(step_verify(s, "parent untouched", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_fork_cow = {
	.name = "fork-cow",
	.claim = "a child guarding and unguarding shared CoW pages: its own "
	    "zero/file data, parent intact",
	.rule = "4.9",
	.backings = ALL,
	.npages = 10,
	.run = run_fork_cow,
};

static enum outcome
remove_child(struct scn *s)
{
	TRY(step_verify(s, "child inherits the markers", VGS_SEE_ALL));
	TRY(step_remove(s, 0, 10));
	TRY(step_verify(s, "child removed them", VGS_SEE_ALL));
	return (VGS_PASS);
}

/*
 *   parent [GGGGGddddd] (gu) -> child [GGGGGddddd] -> REMOVE all ->
 *   child  [.....ddddd] (gu), while the parent keeps [GGGGGddddd]
 */
static enum outcome
run_fork_child_remove(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 0, 5));
	TRY(step_fork(s, remove_child, "child removes inherited markers"));
	TRY(step_verify(s, "parent keeps its markers", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_fork_child_remove = {
	.name = "fork-child-remove",
	.claim = "a child removing the markers it inherited leaves the "
	    "parent's in place",
	.rule = "4.9",
	.backings = ALL,
	.npages = 10,
	.run = run_fork_child_remove,
};

/*
 *   A [.G..]  hole  B [.G..]     two mmaps, each guarded
 *   A [.G.......G..] B           gap p4-7 filled: one VMA
 * Before the series every INSTALL gave its VMA an anon_vma, and A and B
 * then had two that no merge can join: 2 VMAs.  The series prepares an
 * anon_vma for anonymous VMAs only, so shmem and file VMAs merge: 1.
 * Judged without gu, so it is evidence of its own; anon gives 2 either
 * way (anonvma-merge covers that).
 */
static enum outcome
run_series_discriminator(struct scn *s)
{
	TRY(step_unmap(s, 0, 12));
	TRY(step_map(s, 0, 4, RW, 1));
	TRY(step_map(s, 8, 4, RW, 1));
	TRY(step_install(s, 1, 1));
	TRY(step_install(s, 9, 1));
	TRY(step_verify_layout(s, "A and B guarded, gap p4-7",
	    VGS_SEE_NO_ACCESS));
	TRY(step_map(s, 4, 4, RW, 1));
	TRY(step_verify_layout(s, "gap filled: A, gap, B merge",
	    VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_series_discriminator = {
	.name = "series-discriminator",
	.claim = "two guarded shmem/file VMAs joined by a gap fill merge: the "
	    "series, judged without gu",
	.rule = "4.6",
	.backings = OBJECT,
	.na_reason = "anon VMAs stay apart with or without the series "
	    "(anonvma-merge)",
	.npages = 12,
	.run = run_series_discriminator,
};
