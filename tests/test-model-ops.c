/*
 * test-model-ops.c: the model's extensions for the scenario catalogue
 * (model_remap, model_punch, and the KEEPONFORK rule of model_advise)
 * against doc/behaviour.md §4.7, §4.8 and §4.10 as observed in
 * reference-run-6.18.44.txt, without touching the kernel.
 */
#include "vgs.h"
#include "model.h"
#include "state.h"

#include <errno.h>

#include "unit-model.h"


/* Row 7: expand in place, shrink, move, move next to a plain VMA. */
static void
test_remap(void)
{
	struct model	m;
	enum backing	b;

	model_init(&m, VGS_BACKING_ANON, 20, 2);
	model_map(&m, 0, 5, RW, 1);
	model_write(&m, 0, 5, 40);
	model_guard(&m, 1, 1, 1);
	model_remap(&m, 0, 5, 0, 8, 1);
	EXPECT(&m, "count=1 vmas=[8:rw-p:gu] guards=.G..................");
	UNIT_OK(m.pg[6].data == VGS_DATA_ZERO && m.pg[4].data == 40);
	model_remap(&m, 0, 8, 0, 3, 1);
	EXPECT(&m, "count=1 vmas=[3:rw-p:gu] guards=.G..................");
	model_remap(&m, 0, 3, 10, 3, 2);
	EXPECT(&m, "count=1 vmas=[3@10:rw-p:gu] guards=...........G........");
	UNIT_OK(m.pg[10].data == 40 && !m.pg[0].mapped);
	model_free(&m);

	for (b = VGS_BACKING_ANON; b < VGS_BACKING_COUNT; b++) {
		model_init(&m, b, 20, 2);
		model_map(&m, 0, 5, RW, 1);
		model_map(&m, 12, 5, RW, b == VGS_BACKING_ANON ? 2 : 1);
		model_guard(&m, 13, 1, 1);
		model_remap(&m, 12, 5, 5, 5, b == VGS_BACKING_ANON ? 2 : 1);
		if (b == VGS_BACKING_ANON)
			EXPECT(&m, "count=2 vmas=[5:rw-p:-,5:rw-p:gu] "
			    "guards=......G.............");
		else if (backing_shared(b))
			EXPECT(&m, "count=1 vmas=[10:rw-s:gu] "
			    "guards=......G.............");
		else
			EXPECT(&m, "count=1 vmas=[10:rw-p:gu] "
			    "guards=......G.............");
		model_free(&m);
	}

	/* A grown tail of a file mapping shows the file's pages. */
	model_init(&m, VGS_BACKING_FILE_SHARED, 6, 2);
	model_map(&m, 0, 3, RW, 1);
	model_remap(&m, 0, 3, 0, 6, 1);
	UNIT_OK(m.pg[5].data == 2);
	model_free(&m);
}

/* Row 8: WIPEONFORK EINVAL on shmem and files, KEEPONFORK fine. */
static void
test_keeponfork(void)
{
	struct model	m;
	enum backing	b;

	for (b = VGS_BACKING_ANON; b < VGS_BACKING_COUNT; b++) {
		model_init(&m, b, 10, 2);
		model_map(&m, 0, 10, RW, 1);
		UNIT_OK(model_advise(&m, 5, 5, MADV_WIPEONFORK) ==
		    (b == VGS_BACKING_ANON ? 0 : EINVAL));
		UNIT_OK(model_advise(&m, 5, 5, MADV_KEEPONFORK) == 0);
		model_free(&m);
	}
}

/* Row 10: REMOVE zeroes the object; punches keep private copies. */
static void
test_holes(void)
{
	struct model	m;

	model_init(&m, VGS_BACKING_SHMEM, 6, 2);
	model_map(&m, 0, 6, RW, 1);
	model_write(&m, 0, 6, 40);
	model_guard(&m, 2, 1, 1);
	UNIT_OK(model_advise(&m, 0, 6, MADV_REMOVE) == 0);
	model_guard(&m, 2, 1, 0);
	UNIT_OK(m.pg[1].data == VGS_DATA_ZERO && m.obj[1] == VGS_DATA_ZERO);
	EXPECT(&m, "count=1 vmas=[6:rw-s:gu] guards=......");
	model_free(&m);

	/* A punch keeps private copies; a truncation does not. */
	model_init(&m, VGS_BACKING_FILE_PRIVATE, 6, 2);
	model_map(&m, 0, 6, RW, 1);
	model_write(&m, 0, 3, 40);
	model_punch(&m, 0, 6, 0);
	UNIT_OK(m.pg[0].data == 40 && m.pg[4].data == VGS_DATA_ZERO);
	model_punch(&m, 0, 6, 1);
	UNIT_OK(m.pg[0].data == VGS_DATA_ZERO);
	model_free(&m);
}

int
main(void)
{
	vgs_init();
	test_remap();
	test_keeponfork();
	test_holes();
	return (unit_done("test-model-ops"));
}
