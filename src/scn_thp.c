/*
 * scn_thp.c: transparent huge pages and guards (doc/behaviour.md §4.13).  A
 * guard installed in a PMD-mapped THP splits the mapping (smaps
 * AnonHugePages drops to 0); MADV_COLLAPSE over a range holding any
 * marker is refused with EINVAL and the markers stay; once every marker
 * is gone (gu stays, it means "maybe") the collapse goes through.
 *
 * The area is twice the PMD size so that a PMD-aligned range H pages
 * long lies inside it, at page k:
 *
 *   [.....|HHHHHHHH...HHHHHHHH|.....]   one VMA (hg), H = PMD / page
 *         k                  k+H-1
 *
 * The PMD size follows the page size (a PMD table is one page of 8-byte
 * entries): 2 MiB with 4K pages (H = 512), 32 MiB with 16K pages (H =
 * 2048), 512 MiB with 64K pages.  So the catalogue gives npages
 * VGS_NPAGES_2PMD and thp_area_pages() sizes the area from hpage_pmd_size
 * at run time; past VGS_THP_AREA_MAX (64K pages) the scenarios skip rather
 * than map and fill a gigabyte.
 *
 * The shmem area maps its own memfd at an offset that keeps the file
 * index and the address aligned alike, as a PMD mapping of a file needs.
 */
#include "vgs.h"
#include "feature.h"
#include "step.h"
#include "smaps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RW		(PROT_READ | PROT_WRITE)
#define BIT(b)		VGS_BACKING_BIT(VGS_BACKING_##b)
#define NPAGES		VGS_NPAGES_2PMD
/* Largest area (two PMDs) the scenarios map and write. */
#define VGS_THP_AREA_MAX	(128UL << 20)
#define PMD_SIZE_PATH	"/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"
#define NO_FILE		"regular-file collapse needs " \
			"CONFIG_READ_ONLY_THP_FOR_FS and no writer; the " \
			"area's file is open for writing"

struct thp {
	size_t	h;		/* pages per PMD */
	size_t	k;		/* first page of the aligned range */
	int	fd;		/* shmem: our memfd */
};

static size_t
read_size(const char *path)
{
	char	buf[64];
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (0);
	buf[n] = '\0';
	return ((size_t)strtoull(buf, NULL, 10));
}

static int
shmem_denied(void)
{
	char	buf[128];
	ssize_t	n;
	int	fd;

	fd = open("/sys/kernel/mm/transparent_hugepage/shmem_enabled",
	    O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return (0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return (strstr(buf, "[deny]") != NULL);
}

/*
 * The area of a VGS_NPAGES_2PMD scenario: two PMDs, or, when the PMD size
 * is unknown or too large, the one page thp_setup() needs to say why it
 * skips.
 */
size_t
thp_area_pages(void)
{
	size_t	pmd;

	pmd = read_size(PMD_SIZE_PATH);
	if (pmd == 0 || pmd % vgs_page_size != 0 ||
	    pmd > VGS_THP_AREA_MAX / 2)
		return (1);
	return (2 * (pmd / vgs_page_size));
}

/* Find the aligned range; map shmem's own memfd.  VGS_PASS to go on. */
static enum outcome
thp_setup(struct scn *s, struct thp *t)
{
	size_t		pmd, base, n = s->ar.npages;
	long		delta;

	t->fd = -1;
	pmd = read_size(PMD_SIZE_PATH);
	if (pmd == 0 || pmd % vgs_page_size != 0)
		return (step_skip(s, "no PMD size in %s", PMD_SIZE_PATH));
	t->h = pmd / vgs_page_size;
	if (2 * t->h > n)
		return (step_skip(s, "PMD size %zu kB with %zu kB pages: an "
		    "area of two PMDs would be %zu MB, more than the %lu MB "
		    "these scenarios map", pmd / 1024, vgs_page_size / 1024,
		    pmd >> 19, VGS_THP_AREA_MAX >> 20));
	base = (uintptr_t)arena_page(&s->ar, 0) / vgs_page_size;
	t->k = (t->h - base % t->h) % t->h;
	if (s->backing == VGS_BACKING_SHMEM) {
		if (shmem_denied())
			return (step_skip(s, "shmem_enabled is deny"));
		if ((t->fd = memfd_create("vgs-thp", MFD_CLOEXEC)) == -1 ||
		    ftruncate(t->fd, (off_t)((n + t->h) *
		    vgs_page_size)) == -1)
			return (step_hard(s, "memfd: %s", strerror(errno)));
		delta = (long)(base % t->h);
		TRY(step_map_fd(s, 0, n, RW, MAP_SHARED, t->fd, delta, 1));
	}
	TRY(step_advise(s, 0, n, MADV_HUGEPAGE, "HUGEPAGE"));
	TRY(step_write(s, t->k, t->h));
	return (VGS_PASS);
}

/* AnonHugePages of the area's VMA, in kB; -1 if it cannot be read. */
static long
anon_huge_kb(struct scn *s, const struct thp *t)
{
	struct smaps			 sm;
	const struct smaps_entry	*e;
	char				 err[VGS_MSG_MAX];
	long				 kb = -1;

	memset(&sm, 0, sizeof sm);
	if (smaps_read(&sm, "/proc/self/smaps", err, sizeof err) == 0 &&
	    (e = smaps_find(&sm, (uintptr_t)arena_page(&s->ar, t->k))) !=
	    NULL)
		kb = (long)e->anon_huge_kb;
	smaps_free(&sm);
	return (kb);
}

static enum outcome
expect_huge(struct scn *s, const struct thp *t, int huge)
{
	long	want = huge ? (long)(t->h * vgs_page_size / 1024) : 0;

	if (s->backing != VGS_BACKING_ANON)
		return (0);
	return (step_expect_result(s, "AnonHugePages (kB) of the area",
	    anon_huge_kb(s, t), 0, want, 0));
}

/*
 * The control for a refused collapse (doc/behaviour.md §5.5): the same
 * kind of memory, PMD-aligned, written, never guarded, collapsed.  Its
 * errno (0: it collapsed), or -1 when the control could not be set up.
 */
static int
control_collapse(enum backing b, size_t h)
{
	size_t	 len = h * vgs_page_size;
	char	*res, *p;
	int	 fd = -1, got = -1;

	res = mmap(NULL, 2 * len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED)
		return (-1);
	p = res + (len - (uintptr_t)res % len) % len;
	if (b == VGS_BACKING_SHMEM) {
		if ((fd = memfd_create("vgs-thp-control", MFD_CLOEXEC)) == -1 ||
		    ftruncate(fd, (off_t)len) == -1)
			goto out;
		p = mmap(p, len, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	} else
		p = mmap(p, len, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		    -1, 0);
	if (p == MAP_FAILED || madvise(p, len, MADV_HUGEPAGE) != 0)
		goto out;
	memset(p, 0x5a, len);
	got = madvise(p, len, MADV_COLLAPSE) == 0 ? 0 : errno;
out:
	if (fd != -1)
		close(fd);
	munmap(res, 2 * len);
	return (got);
}

/*
 * MADV_COLLAPSE over the aligned range, expecting errno want.  Where a
 * collapse that must work is refused for want of memory (EAGAIN,
 * ENOMEM), a never-guarded control range decides: if it is refused too,
 * the machine has no huge page to give, a SKIP.  If it collapses, the
 * range is tried once more, now that the control's huge page is free
 * again (a first attempt may only have set compaction going: seen with
 * 32 MiB PMDs on arm64-16k in 1 GiB): refused again, it is the kernel's
 * answer to a range that held guards, a FAIL.
 */
static enum outcome
collapse(struct scn *s, const struct thp *t, int want)
{
	char	what[64];
	int	got, ctl;

	snprintf(what, sizeof what, "MADV_COLLAPSE p%zu-%zu", t->k,
	    t->k + t->h - 1);
	got = madvise(arena_page(&s->ar, t->k), t->h * vgs_page_size,
	    MADV_COLLAPSE) == 0 ? 0 : errno;
	if (want != 0 || (got != EAGAIN && got != ENOMEM))
		return (step_expect_errno(s, what, got, want));
	ctl = control_collapse(s->backing, t->h);
	step_note(s, "%s -> %s; a never-guarded control range -> %s", what,
	    vgs_errno_name(got), ctl == 0 ? "0" : ctl < 0 ? "not set up" :
	    vgs_errno_name(ctl));
	if (ctl == 0) {
		got = madvise(arena_page(&s->ar, t->k), t->h * vgs_page_size,
		    MADV_COLLAPSE) == 0 ? 0 : errno;
		step_note(s, "%s again -> %s", what, got == 0 ? "0" :
		    vgs_errno_name(got));
		if (got == 0)
			return (VGS_PASS);
		return (step_fail(s, "step %u: %s (the range once held guards, "
		    "gu set): %s, twice, while a never-guarded control range "
		    "collapsed in between", s->steps, what,
		    vgs_errno_name(got)));
	}
	if (ctl < 0)
		return (step_hard(s, "step %u: %s: %s, and the control range "
		    "could not be set up: %s", s->steps, what,
		    vgs_errno_name(got), strerror(errno)));
	return (step_skip(s, "MADV_COLLAPSE could not get a huge page: %s "
	    "here and %s on a never-guarded control range",
	    vgs_errno_name(got), vgs_errno_name(ctl)));
}

/*
 *   [HHHHHHHH] (hg) written: one PMD-mapped THP (AnonHugePages = PMD)
 *   [HHHHHGHH] (gu+hg)   INSTALL in p k+5 splits it: AnonHugePages 0,
 *                        every other page's data intact
 */
static enum outcome
run_thp_split(struct scn *s)
{
	struct thp	t;
	long		kb;

	TRY(thp_setup(s, &t));
	kb = anon_huge_kb(s, &t);
	step_note(s, "AnonHugePages (kB) after the write -> %ld", kb);
	if (kb != (long)(t.h * vgs_page_size / 1024))
		return (step_skip(s, "no THP could be allocated: "
		    "AnonHugePages %ld kB after writing the aligned range",
		    kb));
	TRY(step_verify(s, "THP written", VGS_SEE_ALL));
	TRY(step_install(s, t.k + 5, 1));
	TRY(expect_huge(s, &t, 0));
	TRY(step_verify(s, "guard in the THP", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_thp_split = {
	.name = "thp-split",
	.claim = "INSTALL in a PMD-mapped THP splits it; data around the "
	    "marker intact",
	.rule = "4.13",
	.backings = BIT(ANON),
	.na_reason = "only anonymous memory gets a PMD-mapped THP on a write "
	    "here",
	.needs = VGS_NEED_THP,
	.npages = NPAGES,
	.run = run_thp_split,
};

static enum outcome
thp_collapse(struct scn *s, struct thp *t)
{
	size_t	i;

	TRY(step_install(s, t->k + 5, 1));
	TRY(step_remove(s, t->k + 5, 1));
	TRY(collapse(s, t, 0));
	TRY(expect_huge(s, t, 1));
	TRY(step_verify(s, "collapsed (no marker)", VGS_SEE_ALL));
	for (i = t->k; i < t->k + t->h; i += 2)
		TRY(step_install(s, i, 1));
	TRY(collapse(s, t, EINVAL));
	TRY(expect_huge(s, t, 0));
	TRY(step_verify(s, "every other page guarded: refused",
	    VGS_SEE_ALL));
	TRY(step_remove(s, t->k, t->h));
	TRY(step_install(s, t->k + (100 % t->h), 1));
	TRY(collapse(s, t, EINVAL));
	TRY(step_verify(s, "one marker: refused", VGS_SEE_ALL));
	TRY(step_remove(s, t->k + (100 % t->h), 1));
	TRY(collapse(s, t, 0));
	TRY(expect_huge(s, t, 1));
	TRY(step_verify(s, "markers gone, gu kept: collapsed", VGS_SEE_ALL));
	return (VGS_PASS);
}

/*
 *   [HHHHHHHH] (hg)        guard and unguard p k+5, collapse: 0
 *   [GHGHGHGH] (gu+hg)     every other page guarded: EINVAL, all stay
 *   [HHHHGHHH] (gu+hg)     one marker: EINVAL, it stays
 *   [HHHHHHHH] (gu+hg)     removed, gu still set: collapse 0
 * anon shows the THP in AnonHugePages; shmem collapses into the page
 * cache (0 returned) without AnonHugePages.
 */
static enum outcome
run_thp_collapse(struct scn *s)
{
	struct thp	t;
	enum outcome	rc;

	if ((rc = thp_setup(s, &t)) == VGS_PASS)
		rc = thp_collapse(s, &t);
	if (t.fd != -1)
		close(t.fd);
	return (rc);
}

const struct scenario scen_thp_collapse = {
	.name = "thp-collapse",
	.claim = "MADV_COLLAPSE over any marker is EINVAL and keeps them; "
	    "without markers (gu kept) it works",
	.rule = "4.13",
	.backings = BIT(ANON) | BIT(SHMEM),
	.na_reason = NO_FILE,
	.needs = VGS_NEED_THP,
	.npages = NPAGES,
	.run = run_thp_collapse,
};
