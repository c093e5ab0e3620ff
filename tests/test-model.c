/*
 * test-model.c: the model against the rows of doc/behaviour.md §4 as observed
 * in reference-run-6.18.44.txt: same operations, same expected VMAs, markers
 * and return codes, without touching the kernel.
 */
#include "vgs.h"
#include "model.h"
#include "state.h"

#include <errno.h>

#include "unit-model.h"


static void
fresh(struct model *m, enum backing b, size_t n)
{
	model_init(m, b, n, 2);
	model_map(m, 0, n, RW, 1);
}

static void
test_rows_1_to_5(void)
{
	struct model	m;

	fresh(&m, VGS_BACKING_ANON, 10);
	model_guard(&m, 1, 1, 1);
	EXPECT(&m, "count=1 vmas=[10:rw-p:gu] guards=.G........");
	model_guard(&m, 1, 1, 0);
	EXPECT(&m, "count=1 vmas=[10:rw-p:gu] guards=..........");
	model_free(&m);

	/* Row 3, shmem: split keeps gu on both sides, merge back. */
	fresh(&m, VGS_BACKING_SHMEM, 10);
	model_guard(&m, 2, 1, 1);
	model_protect(&m, 5, 5, PROT_READ);
	EXPECT(&m, "count=2 vmas=[5:rw-s:gu,5:r--s:gu] guards=..G.......");
	model_protect(&m, 5, 5, RW);
	EXPECT(&m, "count=1 vmas=[10:rw-s:gu] guards=..G.......");
	model_free(&m);

	/* Row 4 and its mirror. */
	fresh(&m, VGS_BACKING_FILE_PRIVATE, 10);
	model_protect(&m, 5, 5, PROT_READ);
	model_guard(&m, 1, 1, 1);
	EXPECT(&m, "count=2 vmas=[5:rw-p:gu,5:r--p:-] guards=.G........");
	model_protect(&m, 5, 5, RW);
	EXPECT(&m, "count=1 vmas=[10:rw-p:gu] guards=.G........");
	model_unmap(&m, 0, 10);
	model_map(&m, 0, 10, RW, 1);
	model_protect(&m, 5, 5, PROT_READ);
	model_guard(&m, 6, 1, 1);
	EXPECT(&m, "count=2 vmas=[5:rw-p:-,5:r--p:gu] guards=......G...");
	model_protect(&m, 0, 5, PROT_READ);
	EXPECT(&m, "count=1 vmas=[10:r--p:gu] guards=......G...");
	model_free(&m);

	/* Row 5: a hole refilled. */
	fresh(&m, VGS_BACKING_FILE_SHARED, 10);
	model_guard(&m, 0, 1, 1);
	model_guard(&m, 3, 1, 1);
	model_guard(&m, 6, 1, 1);
	model_guard(&m, 9, 1, 1);
	model_unmap(&m, 4, 1);
	EXPECT(&m, "count=2 vmas=[4:rw-s:gu,5@5:rw-s:gu] guards=G..G..G..G");
	model_map(&m, 4, 1, RW, 1);
	EXPECT(&m, "count=1 vmas=[10:rw-s:gu] guards=G..G..G..G");
	model_unmap(&m, 0, 10);
	model_map(&m, 0, 10, RW, 1);
	EXPECT(&m, "count=1 vmas=[10:rw-s:-] guards=..........");
	model_free(&m);
}

static void
test_fork(void)
{
	struct model	m, c;

	fresh(&m, VGS_BACKING_ANON, 10);
	model_guard(&m, 1, 1, 1);
	model_guard(&m, 6, 1, 1);
	UNIT_OK(model_advise(&m, 5, 5, MADV_WIPEONFORK) == 0);
	EXPECT(&m, "count=2 vmas=[5:rw-p:gu,5:rw-p:gu+wf] guards=.G....G...");
	model_fork(&m, &c);
	EXPECT(&c, "count=2 vmas=[5:rw-p:gu,5:rw-p:gu+wf] guards=.G........");
	UNIT_OK(c.pg[6].data == VGS_DATA_ZERO);
	model_free(&c);
	UNIT_OK(model_advise(&m, 5, 5, MADV_KEEPONFORK) == 0);
	UNIT_OK(model_advise(&m, 5, 5, MADV_DONTFORK) == 0);
	EXPECT(&m, "count=2 vmas=[5:rw-p:gu,5:rw-p:gu+dc] guards=.G....G...");
	model_fork(&m, &c);
	EXPECT(&c, "count=1 vmas=[5:rw-p:gu] guards=.G........");
	model_free(&c);
	model_free(&m);

	fresh(&m, VGS_BACKING_SHMEM, 10);
	UNIT_OK(model_advise(&m, 5, 5, MADV_WIPEONFORK) == EINVAL);
	EXPECT(&m, "count=1 vmas=[10:rw-s:-] guards=..........");
	model_free(&m);
}

static void
test_content_and_codes(void)
{
	struct model	m;
	enum backing	b;

	/* Row 12: what an installed-then-removed written page reads. */
	for (b = 0; b < VGS_BACKING_COUNT; b++) {
		fresh(&m, b, 4);
		model_write(&m, 0, 4, 40);
		model_guard(&m, 1, 1, 1);
		model_guard(&m, 1, 1, 0);
		switch (b) {
		case VGS_BACKING_ANON:
			UNIT_OK(m.pg[1].data == VGS_DATA_ZERO);
			break;
		case VGS_BACKING_FILE_PRIVATE:
			UNIT_OK(m.pg[1].data == 2);
			break;
		default:
			UNIT_OK(m.pg[1].data == 40);
			break;
		}
		UNIT_OK(m.pg[0].data == 40);
		/* Row 10 return codes. */
		model_guard(&m, 2, 1, 1);
		UNIT_OK(model_advise(&m, 0, 4, MADV_FREE) ==
		    (b == VGS_BACKING_ANON ? 0 : EINVAL));
		UNIT_OK(model_advise(&m, 0, 4, MADV_REMOVE) ==
		    (b == VGS_BACKING_ANON ? EINVAL :
		    b == VGS_BACKING_FILE_PRIVATE ? EACCES : 0));
		UNIT_OK(model_advise(&m, 0, 4, MADV_POPULATE_READ) == EFAULT);
		UNIT_OK(model_advise(&m, 0, 2, MADV_POPULATE_WRITE) == 0);
		UNIT_OK(model_has_guard(&m, 2, 1));
		model_free(&m);
	}
}

int
main(void)
{
	vgs_init();
	test_rows_1_to_5();
	test_fork();
	test_content_and_codes();
	return (unit_done("test-model"));
}
