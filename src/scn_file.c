/*
 * scn_file.c: guards in mappings of an object beyond the plain area: a
 * shared and a private view of one file side by side, read-only files
 * and write-sealed memfds, fault-around and readahead that must not
 * fill a guarded entry, and read-only mappings of the zero page (the
 * kselftest's map_private, readonly_file, memfd_write_seal,
 * fault_around, madvise_sequential and anon_zeropage).
 *
 * Drawings: one character per page; G a guard marker, | a VMA boundary,
 * R read-only; (gu) marks VMAs that must show gu.
 */
#include "vgs.h"
#include "step.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RW		(PROT_READ | PROT_WRITE)
#define BIT(b)		VGS_BACKING_BIT(VGS_BACKING_##b)
#define SHARED		(BIT(SHMEM) | BIT(FILE_SHARED))
#define FILES		(BIT(FILE_SHARED) | BIT(FILE_PRIVATE))
#define OBJECT		(BIT(SHMEM) | BIT(FILE_SHARED) | BIT(FILE_PRIVATE))

static int
rc_of(int r)
{
	return (r == 0 ? 0 : errno);
}

static enum outcome
install_even(struct scn *s, size_t first, size_t n)
{
	size_t	i;

	for (i = first; i < first + n; i += 2)
		TRY(step_install(s, i, 1));
	return (0);
}

/*
 *   p0         p10
 *   [G.G.G.G.G.|dddddddddd]  (gu|-)   shared view guarded; the private
 *                                     view of the same pages reads them
 *   [G.G.G.G.G.|G.G.G.G.G.]  (gu|gu)  private view guarded too
 *   [..........|G.G.G.G.G.]           shared markers removed: private
 *                                     ones stay; then those too
 *   [..........|GGGGGccccc]           private copies written, p10-14
 *   [..........|ssssscccccc]          guarded, unguarded: copies there
 *                                     dropped, the shared data shows
 */
static enum outcome
run_map_private(struct scn *s)
{
	char		sc = step_share_char(s);
	uint32_t	tag, ctag;

	TRY(step_unmap(s, 10, 10));
	TRY(step_map_fd(s, 10, 10, RW, MAP_PRIVATE, s->ar.fd, -10, 2));
	TRY(step_write(s, 0, 10));
	tag = s->m.pg[0].data;
	TRY(install_even(s, 0, 10));
	TRY(step_verify_expect(s, "shared view guarded", VGS_SEE_ALL,
	    "count=2 vmas=[10:rw-%c:gu,10:rw-p:-] guards=G.G.G.G.G..........."
	    " access=SrSrSrSrSrrrrrrrrrrr", sc));
	TRY(step_expect_data(s, "private view reads the object", 10, 10, 0,
	    tag));
	TRY(install_even(s, 10, 10));
	TRY(step_verify_expect(s, "private view guarded too", VGS_SEE_ALL,
	    "count=2 vmas=[10:rw-%c:gu,10:rw-p:gu] "
	    "guards=G.G.G.G.G.G.G.G.G.G. access=SrSrSrSrSrSrSrSrSrSr", sc));
	TRY(step_remove(s, 0, 10));
	TRY(step_verify_expect(s, "shared markers removed", VGS_SEE_ALL,
	    "count=2 vmas=[10:rw-%c:gu,10:rw-p:gu] "
	    "guards=..........G.G.G.G.G. access=rrrrrrrrrrSrSrSrSrSr", sc));
	TRY(step_remove(s, 10, 10));
	TRY(step_expect_data(s, "shared view intact", 0, 10, 0, tag));
	TRY(step_expect_data(s, "private view intact", 10, 10, 0, tag));
	if ((ctag = step_write_raw(s, 10, 10, 0)) == VGS_DATA_UNKNOWN)
		return (VGS_FAIL);
	TRY(step_install(s, 10, 5));
	TRY(step_verify_expect(s, "private copies, p10-14 guarded",
	    VGS_SEE_ALL, "count=2 vmas=[10:rw-%c:gu,10:rw-p:gu] "
	    "guards=..........GGGGG..... access=rrrrrrrrrrSSSSSrrrrr", sc));
	TRY(step_remove(s, 10, 5));
	TRY(step_expect_data(s, "copies under the markers dropped", 10, 5, 0,
	    tag));
	TRY(step_expect_data(s, "the other copies kept", 15, 5, 5, ctag));
	TRY(step_expect_data(s, "shared view untouched", 0, 10, 0, tag));
	TRY(step_verify_expect(s, "all unguarded", VGS_SEE_ALL,
	    "count=2 vmas=[10:rw-%c:gu,10:rw-p:gu] guards=.................... "
	    "access=rrrrrrrrrrrrrrrrrrrr", sc));
	return (VGS_PASS);
}

const struct scenario scen_map_private = {
	.name = "map-private",
	.claim = "a shared and a private view of one object carry independent "
	    "guards; private copies drop",
	.rule = "4.12",
	.backings = SHARED,
	.na_reason = "needs a shared view of the object (anon has none; "
	    "file-shared covers the file)",
	.npages = 20,
	.run = run_map_private,
};

/*
 *   [G.G.G.G.G.] R (gu)   a file opened O_RDONLY, mapped read-only: it
 *   [..........] R (gu)   takes guards and gives the file data back
 */
static enum outcome
run_readonly_file(struct scn *s)
{
	char	path[64];
	int	fd, shared = s->backing == VGS_BACKING_FILE_SHARED, rc;

	snprintf(path, sizeof path, "/proc/self/fd/%d", s->ar.fd);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (step_skip(s, "reopen the backing file read-only: %s",
		    strerror(errno)));
	rc = VGS_FAIL;
	if (step_unmap(s, 0, 10) != 0 || step_map_fd(s, 0, 10, PROT_READ,
	    shared ? MAP_SHARED : MAP_PRIVATE, fd, 0, 1) != 0)
		goto out;
	if (shared && step_expect_errno(s, "mprotect RW of a read-only fd",
	    rc_of(mprotect(arena_page(&s->ar, 0), 10 * vgs_page_size, RW)),
	    EACCES) != 0)
		goto out;
	if (install_even(s, 0, 10) != 0 ||
	    step_verify(s, "every other page guarded", VGS_SEE_ALL) != 0 ||
	    step_remove(s, 0, 10) != 0 ||
	    step_verify(s, "removed: the file's data", VGS_SEE_ALL) != 0)
		goto out;
	rc = VGS_PASS;
out:
	close(fd);
	return (rc);
}

const struct scenario scen_readonly_file = {
	.name = "readonly-file",
	.claim = "a read-only mapping of a file opened O_RDONLY takes guards "
	    "and keeps its data",
	.rule = "4.14",
	.backings = FILES,
	.na_reason = "needs a regular file (memfd-write-seal covers shmem)",
	.npages = 10,
	.run = run_readonly_file,
};

/*
 *   memfd written, write-sealed, mapped read-only shared:
 *   [G.G.G.G.G.] R (gu)  guards go in and out; writes still fault,
 *   [..........] R (gu)  mprotect RW is refused, the data is intact
 */
static enum outcome
run_memfd_write_seal(struct scn *s)
{
	int	fd, rc = VGS_FAIL;

	if ((fd = memfd_create("vgs-sealed", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1 ||
	    ftruncate(fd, (off_t)(10 * vgs_page_size)) == -1)
		return (step_hard(s, "sealable memfd: %s", strerror(errno)));
	if (step_unmap(s, 0, 10) != 0 ||
	    step_map_fd(s, 0, 10, RW, MAP_SHARED, fd, 0, 1) != 0 ||
	    step_write(s, 0, 10) != 0 || step_unmap(s, 0, 10) != 0 ||
	    step_expect_errno(s, "F_ADD_SEALS F_SEAL_WRITE",
	    rc_of(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)), 0) != 0 ||
	    step_map_fd(s, 0, 10, PROT_READ, MAP_SHARED, fd, 0, 1) != 0 ||
	    step_verify(s, "sealed, mapped read-only", VGS_SEE_ALL) != 0 ||
	    install_even(s, 0, 10) != 0 ||
	    step_verify(s, "every other page guarded", VGS_SEE_ALL) != 0 ||
	    step_remove(s, 0, 10) != 0 ||
	    step_verify(s, "removed: data intact", VGS_SEE_ALL) != 0 ||
	    step_expect_write_fault(s, 0, 10) != 0 ||
	    step_expect_errno(s, "mprotect RW of the sealed mapping",
	    rc_of(mprotect(arena_page(&s->ar, 0), 10 * vgs_page_size, RW)),
	    EACCES) != 0)
		goto out;
	rc = VGS_PASS;
out:
	close(fd);
	return (rc);
}

const struct scenario scen_memfd_write_seal = {
	.name = "memfd-write-seal",
	.claim = "a write-sealed memfd mapped read-only takes guards; the "
	    "seal and data survive",
	.rule = "4.14",
	.backings = BIT(SHMEM),
	.na_reason = "F_SEAL_WRITE is a memfd seal (readonly-file covers "
	    "files)",
	.npages = 10,
	.run = run_memfd_write_seal,
};

/*
 *   object written, paged out, area mapped afresh, every other page
 *   guarded; reading the odd pages makes the kernel map their cached
 *   neighbours too (fault-around), but never over a marker:
 *   [G.G.G.G.G.G.G.G.] (gu)
 */
static enum outcome
run_fault_around(struct scn *s)
{
	if (s->backing != VGS_BACKING_FILE_PRIVATE)
		TRY(step_write(s, 0, 16));
	TRY(step_advise(s, 0, 16, MADV_PAGEOUT, "PAGEOUT"));
	TRY(step_unmap(s, 0, 16));
	TRY(step_map(s, 0, 16, RW, 1));
	TRY(install_even(s, 0, 16));
	TRY(step_touch(s, 1, 15, 2));
	TRY(step_verify(s, "odd pages read: markers intact", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_fault_around = {
	.name = "fault-around",
	.claim = "reading between guards maps cached neighbours but never "
	    "fills a guarded entry",
	.rule = "4.14",
	.backings = OBJECT,
	.na_reason = "fault-around maps page-cache pages; anon has none",
	.npages = 16,
	.run = run_fault_around,
};

/*
 *   [G.G.G.G.G.] R (gu)   read-only, never written: the zero page (anon)
 *   [..........] R (gu)   or shmem holes; unguarded, all read zero
 */
static enum outcome
run_anon_zeropage(struct scn *s)
{
	TRY(step_unmap(s, 0, 10));
	TRY(step_map(s, 0, 10, PROT_READ, 1));
	TRY(install_even(s, 0, 10));
	TRY(step_verify(s, "every other page guarded", VGS_SEE_ALL));
	TRY(step_remove(s, 0, 10));
	TRY(step_verify(s, "removed: zero everywhere", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_anon_zeropage = {
	.name = "anon-zeropage",
	.claim = "a read-only mapping of the zero page takes guards and reads "
	    "zero after",
	.rule = "4.14",
	.backings = BIT(ANON) | BIT(SHMEM),
	.na_reason = "file pages hold file data, not the zero page "
	    "(readonly-file)",
	.npages = 10,
	.run = run_anon_zeropage,
};

/*
 *   [dGdGdGdGdG] sr (gu)   SEQUENTIAL over the written area, every other
 *                          page guarded, then PAGEOUT: readahead on the
 *   [dddddddddd] sr (gu)   faults that follow fills no marker; removed,
 *                          the pages show the object's data again
 */
static enum outcome
run_madvise_sequential(struct scn *s)
{
	TRY(step_write(s, 0, 10));
	TRY(step_advise(s, 0, 10, MADV_SEQUENTIAL, "SEQUENTIAL"));
	TRY(install_even(s, 0, 10));
	TRY(step_advise(s, 0, 10, MADV_PAGEOUT, "PAGEOUT"));
	TRY(step_verify(s, "paged out, read back", VGS_SEE_ALL));
	TRY(step_remove(s, 0, 10));
	TRY(step_verify(s, "removed: the object's data", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_madvise_sequential = {
	.name = "madvise-sequential",
	.claim = "SEQUENTIAL readahead after PAGEOUT fills no guarded entry",
	.rule = "4.14",
	.backings = OBJECT,
	.na_reason = "readahead reads page cache; anon has none",
	.npages = 10,
	.run = run_madvise_sequential,
};
