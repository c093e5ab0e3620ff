/*
 * test-verdict.c: the kernel's generation from fixture evidence
 * (doc/behaviour.md §5): each generation as the matrix kernels show
 * it, and each contradiction that must make a run fail.
 */
#include "vgs.h"
#include "feature.h"

#include "unit.h"

/* Evidence as a kernel of generation g shows it, on release rel. */
static void
kernel(struct features *f, enum generation g, const char *rel)
{
	memset(f, 0, sizeof *f);
	snprintf(f->release, sizeof f->release, "%s", rel);
	f->version = verdict_version(rel);
	f->merge = f->sd_sticky = -1;
	f->file_merge = 1;
	if (g == VGS_GEN_NONE) {
		f->guard_errno = 22;	/* EINVAL */
		f->scan = 1;
		return;
	}
	f->guard = f->scan = f->softdirty = 1;
	f->sd_sticky = 0;
	if (g == VGS_GEN_GUARD)
		return;
	f->shared = f->pagemap_bit = f->scan_guard = 1;
	f->merge = 0;
	if (g == VGS_GEN_PRESERIES)
		return;
	f->gu = f->merge = f->sd_sticky = 1;
}

static enum generation
judge(struct features *f)
{
	verdict_judge(f, VGS_GEN_UNSET);
	return (f->gen);
}

static void
test_generations(void)
{
	struct features	f;

	kernel(&f, VGS_GEN_NONE, "6.12.57");
	UNIT_OK(judge(&f) == VGS_GEN_NONE);
	UNIT_STREQ(f.conflict, "");
	UNIT_OK(!f.series);

	kernel(&f, VGS_GEN_GUARD, "6.14.2");
	UNIT_OK(judge(&f) == VGS_GEN_GUARD);

	kernel(&f, VGS_GEN_PRESERIES, "6.18.15");
	UNIT_OK(judge(&f) == VGS_GEN_PRESERIES);
	UNIT_OK(!f.series);
	UNIT_CONTAINS(f.evidence, "Linux 6.18.15");

	kernel(&f, VGS_GEN_SERIES, "6.18.44");
	UNIT_OK(judge(&f) == VGS_GEN_SERIES);
	UNIT_OK(f.series);
	UNIT_STREQ(f.conflict, "");

	/* --expect=series judges gu even where the evidence says less. */
	kernel(&f, VGS_GEN_PRESERIES, "6.18.15");
	verdict_judge(&f, VGS_GEN_SERIES);
	UNIT_OK(f.gen == VGS_GEN_PRESERIES && f.series);
}

static void
test_contradictions(void)
{
	struct features	f;

	/* Series present, gu hidden: the first false green. */
	kernel(&f, VGS_GEN_SERIES, "6.18.44");
	f.gu = 0;
	UNIT_OK(judge(&f) == VGS_GEN_CONTRADICTORY);
	UNIT_CONTAINS(f.conflict, "smaps shows no gu");
	UNIT_OK(f.series);

	/* Consistent pre-series evidence on a release past the backport. */
	kernel(&f, VGS_GEN_PRESERIES, "6.18.44");
	UNIT_OK(judge(&f) == VGS_GEN_CONTRADICTORY);
	UNIT_CONTAINS(f.conflict, "at or past 6.18.37");

	/* PAGE_IS_GUARD (6.16) without bit 58 (6.15). */
	kernel(&f, VGS_GEN_PRESERIES, "6.16.12");
	f.pagemap_bit = 0;
	UNIT_OK(judge(&f) == VGS_GEN_CONTRADICTORY);

	/* An install one page off; one that marked nothing. */
	kernel(&f, VGS_GEN_SERIES, "6.19.14");
	f.stray = 1;
	UNIT_OK(judge(&f) == VGS_GEN_CONTRADICTORY);
	UNIT_CONTAINS(f.conflict, "a marker on a page beside it");
	kernel(&f, VGS_GEN_SERIES, "6.19.14");
	f.lost = 1;
	UNIT_OK(judge(&f) == VGS_GEN_CONTRADICTORY);
	UNIT_CONTAINS(f.conflict, "left no marker");

	/* MADV_GUARD_INSTALL failing on a release that has it. */
	kernel(&f, VGS_GEN_NONE, "6.18.44");
	UNIT_OK(judge(&f) == VGS_GEN_CONTRADICTORY);
	UNIT_CONTAINS(f.conflict, "which is at or past 6.13");

	/* An unknown release decides nothing by itself. */
	kernel(&f, VGS_GEN_PRESERIES, "");
	UNIT_OK(judge(&f) == VGS_GEN_PRESERIES);
}

static void
test_names(void)
{
	UNIT_OK(verdict_version("6.18.37-1-amd64") == 61837);
	UNIT_OK(verdict_version("7.3.4+deb13-cloud-amd64") == 70304);
	UNIT_OK(verdict_version("6.1") == 60100);
	UNIT_OK(verdict_version("x") == 0);
	UNIT_STREQ(verdict_name(VGS_GEN_PRESERIES), "pre-series");
	UNIT_OK(verdict_lookup("series", 6) == VGS_GEN_SERIES);
	UNIT_OK(verdict_lookup("bogus", 5) < 0);
}

int
main(void)
{
	test_generations();
	test_contradictions();
	test_names();
	return (unit_done("test-verdict"));
}
