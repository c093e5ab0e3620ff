/*
 * scn_zap.c: advice that zaps, reclaims or populates pages, and holes
 * punched in the backing object (doc/behaviour.md §4.10).  Markers are not page
 * content: every one of these keeps them and gu, and only the content
 * around them changes, per backing.  The return codes differ by backing
 * and the model predicts them: FREE is EINVAL on shmem and files, REMOVE
 * EINVAL on anon and EACCES on a private file mapping, POPULATE_* EFAULT
 * over a marker.
 *
 * Layout of every scenario here: six written pages, a guard in p2,
 *
 *   [ddGddd] (gu)   advice over all six -> markers and gu stay
 *
 * then the marker removed to see what the page under it holds.
 */
#include "vgs.h"
#include "step.h"

#include <stdio.h>

#define ALL		VGS_BACKING_ALL
#define OBJECT		(VGS_BACKING_BIT(VGS_BACKING_SHMEM) | \
			    VGS_BACKING_BIT(VGS_BACKING_FILE_SHARED) | \
			    VGS_BACKING_BIT(VGS_BACKING_FILE_PRIVATE))
#define NO_OBJECT	"private anonymous memory has no object to punch"

static enum outcome
setup(struct scn *s)
{
	TRY(step_write(s, 0, 6));
	TRY(step_install(s, 2, 1));
	TRY(step_verify(s, "written, guard p2", VGS_SEE_ALL));
	return (0);
}

static enum outcome
advise_all(struct scn *s, int advice, const char *name)
{
	char	label[64];

	TRY(step_advise(s, 0, 6, advice, name));
	snprintf(label, sizeof label, "%s over p0-5", name);
	TRY(step_verify(s, label, VGS_SEE_ALL));
	return (0);
}

static enum outcome
remove_p2(struct scn *s)
{
	TRY(step_remove(s, 2, 1));
	TRY(step_verify(s, "marker p2 removed", VGS_SEE_ALL));
	return (0);
}

/*
 *   DONTNEED: anon and private copies read zero or file data again,
 *   shared pages keep theirs; written again, then DONTNEED_LOCKED.
 */
static enum outcome
run_zap_dontneed(struct scn *s)
{
	TRY(setup(s));
	TRY(advise_all(s, MADV_DONTNEED, "DONTNEED"));
	TRY(step_write(s, 0, 6));
	TRY(advise_all(s, MADV_DONTNEED_LOCKED, "DONTNEED_LOCKED"));
	TRY(step_write(s, 0, 6));
	TRY(step_verify(s, "written again around the marker", VGS_SEE_ALL));
	TRY(remove_p2(s));
	return (VGS_PASS);
}

const struct scenario scen_zap_dontneed = {
	.name = "zap-dontneed",
	.claim = "DONTNEED and DONTNEED_LOCKED over a marker keep it and gu; "
	    "content per backing",
	.rule = "4.10",
	.backings = ALL,
	.npages = 6,
	.run = run_zap_dontneed,
};

/*
 *   FREE: anon pages lazily freed (old data or zero), the marker stays;
 *   EINVAL on shmem and files, nothing changes.
 */
static enum outcome
run_zap_free(struct scn *s)
{
	TRY(setup(s));
	TRY(advise_all(s, MADV_FREE, "FREE"));
	TRY(remove_p2(s));
	return (VGS_PASS);
}

const struct scenario scen_zap_free = {
	.name = "zap-free",
	.claim = "FREE over a marker keeps it (EINVAL on shmem and files)",
	.rule = "4.10",
	.backings = ALL,
	.npages = 6,
	.run = run_zap_free,
};

/*
 *   PAGEOUT, COLD, WILLNEED: reclaim hints; nothing visible changes.
 */
static enum outcome
run_zap_reclaim(struct scn *s)
{
	TRY(setup(s));
	TRY(advise_all(s, MADV_PAGEOUT, "PAGEOUT"));
	TRY(advise_all(s, MADV_COLD, "COLD"));
	TRY(advise_all(s, MADV_WILLNEED, "WILLNEED"));
	TRY(remove_p2(s));
	return (VGS_PASS);
}

const struct scenario scen_zap_reclaim = {
	.name = "zap-reclaim",
	.claim = "PAGEOUT, COLD and WILLNEED over a marker keep it, gu and "
	    "the content",
	.rule = "4.10",
	.backings = ALL,
	.npages = 6,
	.run = run_zap_reclaim,
};

/*
 *   REMOVE: shared backings punch a hole (zero, under the marker too);
 *   EINVAL on anon, EACCES on a private file mapping.
 */
static enum outcome
run_zap_remove(struct scn *s)
{
	TRY(setup(s));
	TRY(advise_all(s, MADV_REMOVE, "REMOVE"));
	TRY(remove_p2(s));
	return (VGS_PASS);
}

const struct scenario scen_zap_remove = {
	.name = "zap-remove",
	.claim = "REMOVE over a marker keeps it; EINVAL on anon, EACCES on "
	    "file-private",
	.rule = "4.10",
	.backings = ALL,
	.npages = 6,
	.run = run_zap_remove,
};

/*
 *   POPULATE_READ/WRITE: EFAULT over the marker, which stays;
 *   over p3-5 (no marker) they succeed.
 */
static enum outcome
run_zap_populate(struct scn *s)
{
	TRY(setup(s));
	TRY(advise_all(s, MADV_POPULATE_READ, "POPULATE_READ"));
	TRY(advise_all(s, MADV_POPULATE_WRITE, "POPULATE_WRITE"));
	TRY(step_advise(s, 3, 3, MADV_POPULATE_READ, "POPULATE_READ"));
	TRY(step_advise(s, 3, 3, MADV_POPULATE_WRITE, "POPULATE_WRITE"));
	TRY(step_verify(s, "POPULATE_* over p3-5", VGS_SEE_ALL));
	TRY(remove_p2(s));
	return (VGS_PASS);
}

const struct scenario scen_zap_populate = {
	.name = "zap-populate",
	.claim = "POPULATE_READ/WRITE are EFAULT over a marker and keep it; "
	    "fine beside it",
	.rule = "4.10",
	.backings = ALL,
	.npages = 6,
	.run = run_zap_populate,
};

/*
 *   fallocate(PUNCH_HOLE) under p1-3: markers stay; shared pages read
 *   zero, private copies survive (p1's was dropped first, so it shows
 *   the hole); under the removed marker: zero.
 */
static enum outcome
run_zap_punch_hole(struct scn *s)
{
	TRY(setup(s));
	TRY(step_advise(s, 1, 1, MADV_DONTNEED, "DONTNEED"));
	TRY(step_punch(s, 1, 3));
	TRY(step_verify(s, "hole punched under p1-3", VGS_SEE_ALL));
	TRY(remove_p2(s));
	return (VGS_PASS);
}

const struct scenario scen_zap_punch_hole = {
	.name = "zap-punch-hole",
	.claim = "fallocate PUNCH_HOLE under a marker keeps it; the page "
	    "under it reads zero",
	.rule = "4.10",
	.backings = OBJECT,
	.na_reason = NO_OBJECT,
	.npages = 6,
	.run = run_zap_punch_hole,
};

/*
 *   ftruncate to 0 and back: every page reads zero, private copies
 *   too, and the marker is still there.
 */
static enum outcome
run_zap_truncate(struct scn *s)
{
	TRY(setup(s));
	TRY(step_truncate(s));
	TRY(step_verify(s, "truncated to 0 and back", VGS_SEE_ALL));
	TRY(remove_p2(s));
	return (VGS_PASS);
}

const struct scenario scen_zap_truncate = {
	.name = "zap-truncate",
	.claim = "ftruncate to 0 and back keeps markers and gu; everything "
	    "reads zero",
	.rule = "4.10",
	.backings = OBJECT,
	.na_reason = NO_OBJECT,
	.npages = 6,
	.run = run_zap_truncate,
};
