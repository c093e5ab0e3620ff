/*
 * scn_mremap.c: mremap() of guarded VMAs (doc/behaviour.md §4.7).  Markers live
 * in the page tables, so they travel with the pages: expanding in place
 * keeps them (the new tail has none), shrinking drops those in the cut
 * tail, moving carries markers, gu and content.  Where a moved VMA lands
 * next to a plain one, shmem and file VMAs merge; a moved anon VMA keeps
 * its old pgoff and anon_vma and stays apart.
 *
 * Drawings: one character per page; G a guard marker, | a VMA boundary,
 * ' ' a hole; (gu) marks VMAs that must show gu.
 */
#include "vgs.h"
#include "step.h"

#define RW	(PROT_READ | PROT_WRITE)
#define ALL	VGS_BACKING_ALL
#define MOVE	(MREMAP_MAYMOVE | MREMAP_FIXED)

static unsigned
moved_seg(const struct scn *s, unsigned seg)
{
	return (s->backing == VGS_BACKING_ANON ? seg : 1);
}

/*
 *   p0         p10
 *   [G...G]                     (gu) hole p5-19, written
 *   [G...G...]                  expand in place: tail p5-7 plain
 *              [G...G.....]     MAYMOVE|FIXED to p10, grown to 10 pages
 */
static enum outcome
run_mremap_expand(struct scn *s)
{
	TRY(step_unmap(s, 5, 15));
	TRY(step_write(s, 0, 5));
	TRY(step_install(s, 0, 1));
	TRY(step_install(s, 4, 1));
	TRY(step_verify(s, "p0-4 guards p0,p4, hole p5-19", VGS_SEE_ALL));
	TRY(step_mremap(s, 0, 5, 0, 8, 0, 1));
	TRY(step_verify(s, "expanded in place to 8 pages", VGS_SEE_ALL));
	TRY(step_mremap(s, 0, 8, 10, 10, MOVE, moved_seg(s, 2)));
	TRY(step_verify_moved(s, "moved to p10, grown to 10", VGS_SEE_ALL, 10,
	    10, 0));
	return (VGS_PASS);
}

const struct scenario scen_mremap_expand = {
	.name = "mremap-expand",
	.claim = "mremap grows a gu VMA in place and while moving: markers "
	    "stay put, the tail is plain",
	.rule = "4.7",
	.backings = ALL,
	.npages = 20,
	.run = run_mremap_expand,
};

/*
 *   [G...G]   (gu) written
 *   [G..]     shrink to 3: the marker in p4 goes with the cut tail
 *   [G....]   grow back in place: p3-4 plain, content per backing
 */
static enum outcome
run_mremap_shrink(struct scn *s)
{
	TRY(step_write(s, 0, 5));
	TRY(step_install(s, 0, 1));
	TRY(step_install(s, 4, 1));
	TRY(step_verify(s, "guards p0,p4", VGS_SEE_ALL));
	TRY(step_mremap(s, 0, 5, 0, 3, MREMAP_MAYMOVE, 1));
	TRY(step_verify(s, "shrunk to 3 pages", VGS_SEE_ALL));
	TRY(step_mremap(s, 0, 3, 0, 5, 0, 1));
	TRY(step_verify(s, "grown back to 5 in place", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_mremap_shrink = {
	.name = "mremap-shrink",
	.claim = "mremap shrinks a gu VMA: markers in the cut tail go, "
	    "growing back brings none",
	.rule = "4.7",
	.backings = ALL,
	.npages = 5,
	.run = run_mremap_shrink,
};

/*
 *   [.G.G.]                     (gu) p0-4 written, hole p5-19
 *              [.G.G.]          MAYMOVE|FIXED to p10: markers, gu, data
 *   [.G.G.]                     and back to p0
 */
static enum outcome
run_mremap_move(struct scn *s)
{
	TRY(step_unmap(s, 5, 15));
	TRY(step_write(s, 0, 5));
	TRY(step_install(s, 1, 1));
	TRY(step_install(s, 3, 1));
	TRY(step_verify(s, "p0-4 guards p1,p3", VGS_SEE_ALL));
	TRY(step_mremap(s, 0, 5, 10, 5, MOVE, moved_seg(s, 2)));
	TRY(step_verify_moved(s, "moved to p10-14", VGS_SEE_ALL, 10, 5, 0));
	TRY(step_mremap(s, 10, 5, 0, 5, MOVE, moved_seg(s, 3)));
	TRY(step_verify(s, "moved back to p0-4", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_mremap_move = {
	.name = "mremap-move",
	.claim = "mremap MAYMOVE|FIXED carries markers, gu and content, there "
	    "and back",
	.rule = "4.7",
	.backings = ALL,
	.npages = 20,
	.run = run_mremap_move,
};

/*
 *   [.....]      [.G...]    plain p0-4; gu VMA p12-16 (file offset 5)
 *   [.....|.G...]           moved to p5: anon stays 2 VMAs (old pgoff
 *   [.....,.G...] (gu)      and anon_vma); shmem and file merge into 1
 *
 * The anon VMA is written, so its content must arrive too; file
 * VMAs carry the file's pages.
 */
static enum outcome
run_mremap_merge(struct scn *s)
{
	int	anon = s->backing == VGS_BACKING_ANON;
	size_t	origin = anon ? 12 : 5;

	TRY(step_unmap(s, 5, 15));
	if (anon)
		TRY(step_map(s, 12, 5, RW, 2));
	else
		TRY(step_map_fd(s, 12, 5, RW, backing_shared(s->backing) ?
		    MAP_SHARED : MAP_PRIVATE, s->ar.fd, -7, 1));
	/*
	 * Only anon is written: a written file-private VMA has an anon_vma
	 * its plain neighbour lacks, and whether such a pair merges after a
	 * move changed in 7.x (6.19.14 merges, 7.3.4 does not), which says
	 * nothing about gu.
	 */
	if (anon)
		TRY(step_write(s, 12, 5));
	TRY(step_install(s, 13, 1));
	TRY(step_verify_moved(s, "plain p0-4, gu VMA p12-16", VGS_SEE_ALL, 12,
	    5, origin));
	TRY(step_mremap(s, 12, 5, 5, 5, MOVE, moved_seg(s, 2)));
	TRY(step_verify_moved(s, "gu VMA moved next to the plain one",
	    VGS_SEE_ALL, 5, 5, origin));
	return (VGS_PASS);
}

const struct scenario scen_mremap_merge = {
	.name = "mremap-merge",
	.claim = "a gu VMA moved next to a plain one: shmem/file merge into "
	    "1, anon stays 2",
	.rule = "4.7",
	.backings = ALL,
	.npages = 20,
	.run = run_mremap_merge,
};

/*
 *   [.G..G..G..]               (gu) written, guards p1, p4, p7
 *   [.G.   ..G..]    [.G.]     MAYMOVE|FIXED p3-5 to p12: the source
 *                              splits around the hole, all pieces gu
 *   [.G..G..G..]               moved home again: it merges back, anon
 *                              too (same pgoff and anon_vma as before)
 */
static enum outcome
run_mremap_split(struct scn *s)
{
	TRY(step_unmap(s, 10, 10));
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 1, 1));
	TRY(step_install(s, 4, 1));
	TRY(step_install(s, 7, 1));
	TRY(step_verify(s, "guards p1,p4,p7", VGS_SEE_ALL));
	TRY(step_mremap(s, 3, 3, 12, 3, MOVE, moved_seg(s, 2)));
	TRY(step_verify_moved(s, "p3-5 moved to p12-14", VGS_SEE_ALL, 12, 3,
	    3));
	TRY(step_mremap(s, 12, 3, 3, 3, MOVE, 1));
	TRY(step_verify(s, "moved home: merged again", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_mremap_split = {
	.name = "mremap-split",
	.claim = "mremap of the middle of a gu VMA splits it, gu on every "
	    "piece; moved home it merges back",
	.rule = "4.7",
	.backings = ALL,
	.npages = 20,
	.run = run_mremap_split,
};
