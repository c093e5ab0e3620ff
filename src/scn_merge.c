/*
 * scn_merge.c: merging of separately created VMAs (doc/behaviour.md §4.6), the
 * best behavioural discriminator of the series after gu itself.
 */
#include "vgs.h"
#include "step.h"

#define RW	(PROT_READ | PROT_WRITE)

/*
 *   A [.G..]  hole [    ]  B [.G..]      two mmaps, each guarded
 *   fill the gap:
 *     anon:        [.G......|.G..]  2 VMAs: A and B have distinct
 *                                   anon_vmas (install prepares one)
 *     shmem, file: [.G.......G..]   1 VMA (gu); before the series every
 *                                   install made an anon_vma: 2 VMAs
 *   only A guarded, B untouched:     [.G..........] 1 VMA everywhere
 *   A and B written, no guards:      anon and file-private 2, shared 1
 */
static enum outcome
run_anonvma_merge(struct scn *s)
{
	int		anon = s->backing == VGS_BACKING_ANON;
	int		priv = anon ||
			    s->backing == VGS_BACKING_FILE_PRIVATE;

	TRY(step_unmap(s, 0, 12));
	TRY(step_map(s, 0, 4, RW, 1));
	TRY(step_map(s, 8, 4, RW, anon ? 2 : 1));
	TRY(step_install(s, 1, 1));
	TRY(step_install(s, 9, 1));
	TRY(step_verify(s, "A(gu) and B(gu), gap p4-7", VGS_SEE_NO_ACCESS));
	TRY(step_map(s, 4, 4, RW, 1));
	TRY(step_verify_series(s, "A(gu)+gap-fill+B(gu)", VGS_SEE_ALL));

	TRY(step_unmap(s, 0, 12));
	TRY(step_map(s, 0, 4, RW, 1));
	TRY(step_map(s, 8, 4, RW, 1));
	TRY(step_install(s, 1, 1));
	TRY(step_map(s, 4, 4, RW, 1));
	TRY(step_verify(s, "A(gu)+gap-fill+B(plain)", VGS_SEE_ALL));

	TRY(step_unmap(s, 0, 12));
	TRY(step_map(s, 0, 4, RW, 1));
	TRY(step_map(s, 8, 4, RW, priv ? 2 : 1));
	TRY(step_write(s, 0, 4));
	TRY(step_write(s, 8, 4));
	TRY(step_map(s, 4, 4, RW, 1));
	TRY(step_verify(s, "A(faulted)+gap-fill+B(faulted)", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_anonvma_merge = {
	.name = "anonvma-merge",
	.claim = "separate gu VMAs joined by a gap fill: anon stays 2, "
	    "shared/file merge to 1 (series)",
	.rule = "4.6",
	.backings = VGS_BACKING_ALL,
	.needs = VGS_NEED_GU,
	.npages = 12,
	.run = run_anonvma_merge,
};
