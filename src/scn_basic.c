/*
 * scn_basic.c: install, remove, splits and merges of one area (doc/behaviour.md
 * §4.1-4.5), unmap and remap (row 11) and content (row 12).
 *
 * Drawings: one character per page; G a guard marker, | a VMA boundary,
 * ' ' a hole; (gu) marks VMAs that must show gu.
 */
#include "vgs.h"
#include "step.h"

#define RW	(PROT_READ | PROT_WRITE)
#define ALL	VGS_BACKING_ALL

/*
 *   before  [..........]
 *   after   [.G........] (gu)    one VMA, no split
 */
static enum outcome
run_install(struct scn *s)
{
	TRY(step_verify(s, "fresh", VGS_SEE_ALL));
	TRY(step_install(s, 1, 1));
	TRY(step_verify(s, "after install p1", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_install = {
	.name = "install",
	.claim = "install a guard in p1: one VMA, gu, SIGSEGV only there",
	.rule = "4.1",
	.backings = ALL,
	.needs = VGS_NEED_GU,
	.npages = 10,
	.run = run_install,
};

/*
 *   [.G........] (gu) -> remove p1 -> [..........] (gu stays)
 *   remove the whole range again      [..........] (gu stays)
 */
static enum outcome
run_remove(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 1, 1));
	TRY(step_verify(s, "after install p1", VGS_SEE_ALL));
	TRY(step_remove(s, 1, 1));
	TRY(step_verify(s, "after remove p1 (gu stays)", VGS_SEE_ALL));
	TRY(step_remove(s, 0, 10));
	TRY(step_verify(s, "after remove all", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_remove = {
	.name = "remove",
	.claim = "remove markers: they go, gu stays (sticky)",
	.rule = "4.2",
	.backings = ALL,
	.needs = VGS_NEED_GU,
	.npages = 10,
	.run = run_remove,
};

/*
 *   [..G..|.....]   (gu|gu)   mprotect p5-9 R splits, both keep gu
 *   [..G.......]    (gu)      back to RW merges
 *   PROT_NONE over all and back: markers and content survive
 */
static enum outcome
run_mprotect(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_install(s, 2, 1));
	TRY(step_verify(s, "install p2", VGS_SEE_ALL));
	TRY(step_protect(s, 5, 5, PROT_READ));
	TRY(step_verify(s, "mprotect p5-9 R (split)", VGS_SEE_ALL));
	TRY(step_protect(s, 5, 5, RW));
	TRY(step_verify(s, "mprotect back RW (merge)", VGS_SEE_ALL));
	TRY(step_protect(s, 0, 10, PROT_NONE));
	TRY(step_verify(s, "PROT_NONE over all", VGS_SEE_ALL));
	TRY(step_protect(s, 0, 10, RW));
	TRY(step_verify(s, "back to RW, content intact", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_mprotect = {
	.name = "mprotect",
	.claim = "mprotect splits keep gu on both sides, merges and PROT_NONE "
	    "keep markers and data",
	.rule = "4.3",
	.backings = ALL,
	.needs = VGS_NEED_GU,
	.npages = 10,
	.run = run_mprotect,
};

/*
 *   [.G...|.....]  rw (gu) | r plain  -> mprotect right RW -> [10 rw gu]
 *   [.....|.G...]  rw plain | r (gu)  -> mprotect left R   -> [10 r gu]
 * gu differs between the neighbours, yet the merge must happen.
 */
static enum outcome
run_merge_mprotect(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_protect(s, 5, 5, PROT_READ));
	TRY(step_install(s, 1, 1));
	TRY(step_verify(s, "L gu rw | R ro", VGS_SEE_ALL));
	TRY(step_protect(s, 5, 5, RW));
	TRY(step_verify(s, "mprotect R->rw (merge)", VGS_SEE_ALL));

	TRY(step_unmap(s, 0, 10));
	TRY(step_map(s, 0, 10, RW, 1));
	TRY(step_write(s, 0, 10));
	TRY(step_protect(s, 5, 5, PROT_READ));
	TRY(step_install(s, 6, 1));
	TRY(step_verify(s, "L rw | R gu ro", VGS_SEE_ALL));
	TRY(step_protect(s, 0, 5, PROT_READ));
	TRY(step_verify(s, "mprotect L->ro (merge)", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_merge_mprotect = {
	.name = "merge-mprotect",
	.claim = "a gu VMA and a plain neighbour merge by mprotect, both "
	    "directions",
	.rule = "4.4",
	.backings = ALL,
	.needs = VGS_NEED_GU,
	.npages = 10,
	.run = run_merge_mprotect,
};

/*
 *   [.G...]     (gu), hole p5-9
 *   [.G...|.....] mmap p5-9 adjacent -> [10 (gu)]
 */
static enum outcome
run_merge_mmap(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_unmap(s, 5, 5));
	TRY(step_install(s, 1, 1));
	TRY(step_verify(s, "gu VMA p0-4, hole p5-9", VGS_SEE_ALL));
	TRY(step_map(s, 5, 5, RW, 1));
	TRY(step_verify(s, "mmap fresh p5-9 adjacent (merge)", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_merge_mmap = {
	.name = "merge-mmap",
	.claim = "a fresh mapping next to a gu VMA merges into it",
	.rule = "4.5",
	.backings = ALL,
	.needs = VGS_NEED_GU,
	.npages = 10,
	.run = run_merge_mmap,
};

/*
 *   [G..G ..G..G]  (gu|gu) p4 unmapped
 *   map p4 again -> [G..G...G..G] one VMA (gu): a three-way merge
 */
static enum outcome
run_merge_refill(struct scn *s)
{
	size_t	i;

	TRY(step_write(s, 0, 10));
	for (i = 0; i < 10; i += 3)
		TRY(step_install(s, i, 1));
	TRY(step_unmap(s, 4, 1));
	TRY(step_verify(s, "gu VMA, p4 unmapped", VGS_SEE_ALL));
	TRY(step_map(s, 4, 1, RW, 1));
	TRY(step_verify(s, "refill p4 (3-way merge)", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_merge_refill = {
	.name = "merge-refill",
	.claim = "refilling a one-page hole merges both gu pieces and the new "
	    "page",
	.rule = "4.5",
	.backings = ALL,
	.needs = VGS_NEED_GU,
	.npages = 10,
	.run = run_merge_refill,
};

/*
 *   [..G...] (gu) -> munmap all -> mmap again -> [......] no gu, no marker
 */
static enum outcome
run_unmap_remap(struct scn *s)
{
	TRY(step_write(s, 0, 6));
	TRY(step_install(s, 2, 1));
	TRY(step_verify(s, "guard p2", VGS_SEE_ALL));
	TRY(step_unmap(s, 0, 6));
	TRY(step_map(s, 0, 6, RW, 1));
	TRY(step_verify(s, "munmap + remap same range", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_unmap_remap = {
	.name = "unmap-remap",
	.claim = "unmapping drops markers and gu; a new mapping is plain",
	.rule = "4.11",
	.backings = ALL,
	.npages = 6,
	.run = run_unmap_remap,
};

/*
 *   written [dddddddd] -> install p1-3 -> remove p1-3 -> [d???dddd]
 * anon pages read zero; shmem and file-shared keep the written data;
 * a CoW'd file-private page reverts to the file's data.
 */
static enum outcome
run_content(struct scn *s)
{
	TRY(step_write(s, 0, 8));
	TRY(step_verify(s, "written", VGS_SEE_ALL));
	TRY(step_install(s, 1, 3));
	TRY(step_verify(s, "install p1-3", VGS_SEE_ALL));
	TRY(step_remove(s, 1, 3));
	TRY(step_verify(s, "remove p1-3: data per backing", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_content = {
	.name = "content",
	.claim = "install then remove over written data: zero, kept or file "
	    "data by backing",
	.rule = "4.12",
	.backings = ALL,
	.npages = 8,
	.run = run_content,
};
