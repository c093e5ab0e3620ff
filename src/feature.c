/*
 * feature.c: kernel feature probing in the order of doc/behaviour.md
 * §5.2, gathering the evidence that verdict.c weighs.  Each probe uses
 * fresh mappings, never under mlock (guard install is EINVAL there for
 * reasons unrelated to support), and a page probed with an install has
 * an unguarded neighbour on each side that is looked at too: a marker
 * the kernel puts one page off lands there, not on a page of ours, and
 * is evidence, not a crash.
 */
#include "vgs.h"
#include "arena.h"
#include "feature.h"
#include "pagemap.h"
#include "smaps.h"
#include "state.h"

#include <sys/statfs.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAD		1	/* unguarded pages on each side of a probe */
#define PROBE_PAGES	(2 * PAD + 1)

/* File systems by statfs magic: a name, and whether files never merge. */
static const struct {
	unsigned long	 magic;
	const char	*name;
	int		 never_merges;
} fs_table[] = {
	{ 0xef53, "ext4", 0 },
	{ 0x01021994, "tmpfs", 0 },
	{ 0x9123683e, "btrfs", 0 },
	{ 0x58465342, "xfs", 0 },
	{ 0xf2f52010, "f2fs", 0 },
	{ 0x2fc12fc1, "zfs", 0 },
	{ 0x858458f6, "ramfs", 0 },
	/* Stacked and network file systems map another file, or none. */
	{ 0x794c7630, "overlayfs", 1 },
	{ 0x65735546, "fuse", 1 },
	{ 0x6969, "nfs", 1 },
	{ 0xff534d42, "cifs", 1 },
	{ 0xfe534d42, "smb2", 1 },
	{ 0x01021997, "9p", 1 },
	{ 0x00c36400, "ceph", 1 },
	{ 0xf15f, "ecryptfs", 1 },
};
#define NFS_TABLE	(sizeof fs_table / sizeof fs_table[0])

/* Does a file system by this magic keep adjacent mappings apart? */
int
feature_fs_never_merges(unsigned long magic)
{
	size_t	i;

	for (i = 0; i < NFS_TABLE; i++) {
		if (fs_table[i].magic == magic)
			return (fs_table[i].never_merges);
	}
	return (0);
}

static void
fs_describe(struct features *f, const char *dir)
{
	struct statfs	sb;
	size_t		i;

	f->fs_magic = 0;
	snprintf(f->fs_name, sizeof f->fs_name, "unknown");
	if (statfs(dir, &sb) != 0)
		return;
	f->fs_magic = (unsigned long)sb.f_type;
	snprintf(f->fs_name, sizeof f->fs_name, "0x%lx", f->fs_magic);
	for (i = 0; i < NFS_TABLE; i++) {
		if (fs_table[i].magic == f->fs_magic)
			snprintf(f->fs_name, sizeof f->fs_name, "%s",
			    fs_table[i].name);
	}
}

static void
probe_thp(struct features *f)
{
	char	buf[128], *l, *r;
	int	fd;
	ssize_t	n;

	snprintf(f->thp, sizeof f->thp, "unavailable");
	fd = open("/sys/kernel/mm/transparent_hugepage/enabled",
	    O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if ((l = strchr(buf, '[')) != NULL && (r = strchr(l, ']')) != NULL) {
		*r = '\0';
		snprintf(f->thp, sizeof f->thp, "%s", l + 1);
	}
}

/*
 * A probe mapping of PROBE_PAGES pages, anonymous or of a new memfd
 * (shared); the probe page is the middle one.  NULL with errno.
 */
static char *
probe_map(int shared)
{
	size_t	 len = PROBE_PAGES * vgs_page_size;
	char	*p;
	int	 fd;

	if (!shared)
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS, -1, 0);
	else {
		if ((fd = memfd_create("vgs-probe", MFD_CLOEXEC)) == -1)
			return (NULL);
		if (ftruncate(fd, (off_t)len) == -1) {
			close(fd);
			return (NULL);
		}
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    0);
		close(fd);
	}
	return (p == MAP_FAILED ? NULL : p);
}

/*
 * Install a guard on the middle page of a probe mapping; then the
 * markers pagemap shows on its pages, as "G" or not, in marks.  0, or
 * the install's errno; -1 when pagemap cannot be read.
 */
static int
probe_install(int pm, char *p, char *marks)
{
	uint64_t	pme[PROBE_PAGES];
	int		e;

	if (madvise(p + PAD * vgs_page_size, vgs_page_size,
	    MADV_GUARD_INSTALL) != 0)
		return (errno);
	e = pagemap_read(pm, (uintptr_t)p, PROBE_PAGES, pme);
	if (e != 0)
		return (-1);
	pagemap_marks(pme, PROBE_PAGES, marks);
	marks[PROBE_PAGES] = '\0';
	return (0);
}

/* Markers on the pads around the probe page: the install went astray. */
static int
astray(const char *marks)
{
	int	i;

	for (i = 0; i < PROBE_PAGES; i++) {
		if (i != PAD && marks[i] == 'G')
			return (1);
	}
	return (0);
}

/* Do guards work on shmem?  1, 0, -1 if the probe could not run. */
static int
probe_shared(struct features *f, int pm)
{
	char	*p, marks[PROBE_PAGES + 1];
	int	 r;

	if ((p = probe_map(1)) == NULL)
		return (-1);
	r = probe_install(pm, p, marks);
	if (r == 0) {
		f->stray |= astray(marks);
		/* (one page off is astray, not lost) */
		f->lost |= f->pagemap_bit && strchr(marks, 'G') == NULL;
	}
	munmap(p, PROBE_PAGES * vgs_page_size);
	return (r == 0 ? 1 : r == -1 ? -1 : 0);
}

/*
 * The series discriminator (doc/behaviour.md §4.6): two separately
 * guarded shmem VMAs A and B, then the gap between them mapped.  With
 * the series the three merge into one VMA; before it every install gave
 * its VMA an anon_vma and they stay apart.
 *
 *   [A.G.][    ][B.G.]  ->  [A.G.|gap.|B.G.]  1 VMA (series), else 2-3
 *
 * Where bit 58 works, two markers must show (two installs that did
 * nothing would merge on any kernel): f->lost if not.  1 merged, 0
 * not, -1 the probe could not run.
 */
static int
probe_merge(struct features *f, int pm)
{
	struct arena	 ar;
	struct smaps	 sm;
	struct state	 st;
	uint64_t	 pme[12];
	char		 err[VGS_MSG_MAX], marks[12];
	int		 rc = -1, i, n;

	if (arena_create(&ar, VGS_BACKING_SHMEM, 12, err, sizeof err) != 0)
		return (-1);
	memset(&sm, 0, sizeof sm);
	state_init(&st, 12);
	if (arena_unmap(&ar, 4, 4) == 0 &&
	    madvise(arena_page(&ar, 1), vgs_page_size,
	    MADV_GUARD_INSTALL) == 0 &&
	    madvise(arena_page(&ar, 9), vgs_page_size,
	    MADV_GUARD_INSTALL) == 0 &&
	    arena_map(&ar, 4, 4, PROT_READ | PROT_WRITE) == 0 &&
	    smaps_read(&sm, "/proc/self/smaps", err, sizeof err) == 0) {
		smaps_area(&sm, (uintptr_t)ar.base, 12, vgs_page_size, &st);
		rc = st.nvmas == 1;
		if (f->pagemap_bit &&
		    pagemap_read(pm, (uintptr_t)ar.base, 12, pme) == 0) {
			pagemap_marks(pme, 12, marks);
			for (i = n = 0; i < 12; i++)
				n += marks[i] == 'G';
			f->lost |= n < 2;
		}
	}
	smaps_free(&sm);
	state_free(&st);
	arena_destroy(&ar);
	return (rc);
}

/* Write to /proc/self/clear_refs: 4 clears soft-dirty everywhere. */
static int
clear_soft_dirty(void)
{
	int	fd, rc;

	if ((fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)) == -1)
		return (-1);
	rc = write(fd, "4", 1) == 1 ? 0 : -1;
	close(fd);
	return (rc);
}

/*
 * Is soft-dirty sticky (doc/behaviour.md §6)?  A clean VMA A merging
 * into a freshly mapped (dirty) B must keep sd.  1, 0, -1 unknown.
 */
static int
probe_sd_sticky(void)
{
	struct arena			 ar;
	struct smaps			 sm;
	const struct smaps_entry	*e;
	char				 err[VGS_MSG_MAX];
	int				 rc = -1;

	if (arena_create(&ar, VGS_BACKING_ANON, 10, err, sizeof err) != 0)
		return (-1);
	memset(&sm, 0, sizeof sm);
	if (arena_unmap(&ar, 0, 10) == 0 &&
	    arena_map(&ar, 0, 5, PROT_READ) == 0 && clear_soft_dirty() == 0 &&
	    arena_map(&ar, 5, 5, PROT_READ | PROT_WRITE) == 0 &&
	    mprotect(arena_page(&ar, 0), 5 * vgs_page_size,
	    PROT_READ | PROT_WRITE) == 0 &&
	    smaps_read(&sm, "/proc/self/smaps", err, sizeof err) == 0 &&
	    (e = smaps_find(&sm, (uintptr_t)ar.base)) != NULL &&
	    e->end >= (uintptr_t)arena_page(&ar, 10))
		rc = (e->flags & VGS_VMF_SD) != 0;
	smaps_free(&sm);
	arena_destroy(&ar);
	return (rc);
}

/*
 * Do two adjacent mmaps of one file in the temporary directory merge
 * into one VMA?  On some file systems they never do (§9.4), and every
 * file scenario would then fail for a reason that is not the kernel's
 * mm: fs_describe() names the file system, verdict.c weighs it.
 * 1 yes, 0 no, -1 no file could be made (the arena reports that later).
 */
static int
probe_file_merge(struct smaps *sm)
{
	char			*path, *p, err[128];
	const struct smaps_entry *e;
	int			 fd, rc = -1;

	xasprintf(&path, "%s/vmaguard-stress.XXXXXX", arena_tmpdir());
	fd = mkostemp(path, O_CLOEXEC);
	if (fd != -1)
		unlink(path);
	free(path);
	if (fd == -1)
		return (-1);
	if (ftruncate(fd, 2 * vgs_page_size) == -1)
		goto out;
	p = mmap(NULL, 2 * vgs_page_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto out;
	if (mmap(p + vgs_page_size, vgs_page_size, PROT_READ,
	    MAP_SHARED | MAP_FIXED, fd, vgs_page_size) != MAP_FAILED &&
	    smaps_read(sm, "/proc/self/smaps", err, sizeof err) == 0 &&
	    (e = smaps_find(sm, (uintptr_t)p)) != NULL)
		rc = e->end >= (uintptr_t)p + 2 * vgs_page_size;
	munmap(p, 2 * vgs_page_size);
out:
	close(fd);
	return (rc);
}

static void
probe_release(struct features *f)
{
	struct utsname	u;

	if (uname(&u) != 0)
		return;
	snprintf(f->release, sizeof f->release, "%s", u.release);
	snprintf(f->machine, sizeof f->machine, "%s", u.machine);
	f->version = verdict_version(u.release);
}

/*
 * Probe the kernel.  -1 with err filled in when the probe itself cannot
 * run (no memory, /proc unreadable): a hard error, not a missing feature.
 */
int
feature_probe(struct features *f, char *err, size_t errsz)
{
	struct smaps		 sm;
	const struct smaps_entry *e;
	char			*p, marks[PROBE_PAGES + 1], scan[PROBE_PAGES];
	size_t			 nreg;
	int			 pm, r;

	memset(f, 0, sizeof *f);
	f->merge = f->sd_sticky = -1;
	f->gen = VGS_GEN_NONE;
	probe_release(f);
	probe_thp(f);
	fs_describe(f, arena_tmpdir());
	if ((p = probe_map(0)) == NULL) {
		snprintf(err, errsz, "mmap: %s", strerror(errno));
		return (-1);
	}
	if ((pm = pagemap_open()) == -1) {
		snprintf(err, errsz, "open /proc/self/pagemap: %s",
		    strerror(errno));
		munmap(p, PROBE_PAGES * vgs_page_size);
		return (-1);
	}
	memset(&sm, 0, sizeof sm);
	if (smaps_read(&sm, "/proc/self/smaps", err, errsz) != 0)
		goto hard;
	if ((e = smaps_find(&sm, (uintptr_t)p)) != NULL)
		f->softdirty = (e->flags & VGS_VMF_SD) != 0;
	if ((r = probe_install(pm, p, marks)) == -1) {
		snprintf(err, errsz, "read /proc/self/pagemap: %s",
		    strerror(errno));
		goto hard;
	}
	if (r != 0) {
		f->guard_errno = r;
		goto out;
	}
	f->guard = 1;
	/* A marker one page off is still a marker: bit 58 works. */
	f->stray |= astray(marks);
	f->pagemap_bit = strchr(marks, 'G') != NULL;
	if (pagemap_scan(pm, (uintptr_t)p, PROBE_PAGES, scan, &nreg) == 0)
		f->scan = f->scan_guard = 1;
	else if (errno == EINVAL)
		f->scan = 1;
	if (smaps_read(&sm, "/proc/self/smaps", err, errsz) != 0)
		goto hard;
	if ((e = smaps_find(&sm, (uintptr_t)p + PAD * vgs_page_size)) != NULL)
		f->gu = (e->flags & VGS_VMF_GU) != 0;
	/* A memfd we cannot make is our failure, not a missing feature. */
	if ((f->shared = probe_shared(f, pm)) == -1) {
		snprintf(err, errsz, "memfd for the shared-memory probe: %s",
		    strerror(errno));
		goto hard;
	}
	if (f->shared)
		f->merge = probe_merge(f, pm);
	if (f->softdirty)
		f->sd_sticky = probe_sd_sticky();
	f->file_merge = probe_file_merge(&sm);
out:
	smaps_free(&sm);
	close(pm);
	munmap(p, PROBE_PAGES * vgs_page_size);
	return (0);
hard:
	smaps_free(&sm);
	close(pm);
	munmap(p, PROBE_PAGES * vgs_page_size);
	return (-1);
}

/*
 * Why no check can run on backing b on this kernel and machine (a
 * reason for a SKIP), or NULL.  Scenarios and the stress engine add
 * their own conditions after this one.
 */
const char *
feature_backing_blocked(const struct features *f, enum backing b, char *buf,
    size_t size)
{
	if (!f->guard)
		return ("kernel lacks guard regions");
	if (b != VGS_BACKING_ANON && f->shared != 1)
		return ("kernel supports guard regions on private anonymous "
		    "memory only (before 6.15)");
	if (backing_file(b) && f->file_merge == 0) {
		if (feature_fs_never_merges(f->fs_magic))
			snprintf(buf, size, "files in %s never merge: %s "
			    "maps another file or none (use --tmpdir on a "
			    "local file system or tmpfs)", arena_tmpdir(),
			    f->fs_name);
		else
			snprintf(buf, size, "adjacent file mappings on %s do "
			    "not merge (see the file-merge check)",
			    f->fs_name);
		return (buf);
	}
	return (NULL);
}

static const char *
yesno(int v)
{
	return (v < 0 ? "unknown" : v ? "yes" : "no");
}

/* One-line summary of the features for the report header. */
void
feature_describe(const struct features *f, char *buf, size_t size)
{
	snprintf(buf, size, "guard-regions=%s shared=%s pagemap-bit=%s "
	    "pagemap-scan=%s scan-guard=%s gu=%s series-merge=%s thp=%s "
	    "soft-dirty=%s", yesno(f->guard), yesno(f->shared),
	    yesno(f->pagemap_bit), yesno(f->scan), yesno(f->scan_guard),
	    yesno(f->gu), yesno(f->merge), f->thp, yesno(f->softdirty));
}

/* The --features listing: one "name: value" line per probe. */
void
feature_lines(const struct features *f, char *buf, size_t size)
{
	char	why[64] = "";

	if (!f->guard)
		snprintf(why, sizeof why, " (MADV_GUARD_INSTALL: %s)",
		    strerror(f->guard_errno));
	snprintf(buf, size,
	    "kernel: %s %s\n"
	    "page-size: %zu\n"
	    "generation: %s\n"
	    "evidence: %s\n"
	    "%s%s%s"
	    "guard-regions: %s%s\n"
	    "guard-shared: %s\n"
	    "pagemap-guard-bit: %s\n"
	    "pagemap-scan: %s\n"
	    "pagemap-scan-guard: %s\n"
	    "gu: %s\n"
	    "series-merge: %s\n"
	    "series: %s\n"
	    "thp: %s\n"
	    "soft-dirty: %s\n"
	    "soft-dirty-sticky: %s\n"
	    "file-merge: %s (%s, %s)\n",
	    f->release, f->machine, vgs_page_size, verdict_name(f->gen),
	    f->evidence, f->conflict[0] ? "contradiction: " : "",
	    f->conflict, f->conflict[0] ? "\n" : "", yesno(f->guard), why,
	    yesno(f->shared), yesno(f->pagemap_bit), yesno(f->scan),
	    yesno(f->scan_guard), yesno(f->gu), yesno(f->merge),
	    f->gen == VGS_GEN_SERIES ? "present" : "absent", f->thp,
	    yesno(f->softdirty), yesno(f->sd_sticky), yesno(f->file_merge),
	    arena_tmpdir(), f->fs_name);
}
