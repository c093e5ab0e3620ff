/*
 * feature.c: kernel feature probing in the order of doc/behaviour.md §5.  Each
 * probe uses a fresh one-page mapping, never under mlock (guard install is
 * EINVAL there for reasons unrelated to support).
 */
#include "vgs.h"
#include "arena.h"
#include "feature.h"
#include "pagemap.h"
#include "smaps.h"
#include "state.h"

#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* 1 guards work on shmem, 0 not, -1 with errno if the probe failed. */
static int
probe_shared(void)
{
	int	fd, ok = 0;
	void	*p;

	if ((fd = memfd_create("vgs-probe", MFD_CLOEXEC)) == -1)
		return (-1);
	if (ftruncate(fd, vgs_page_size) == -1) {
		close(fd);
		return (-1);
	}
	p = mmap(NULL, vgs_page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	close(fd);
	if (p == MAP_FAILED)
		return (-1);
	if (madvise(p, vgs_page_size, MADV_GUARD_INSTALL) == 0)
		ok = 1;
	munmap(p, vgs_page_size);
	return (ok);
}

/*
 * Do two adjacent mmaps of one file in the temporary directory merge into one
 * VMA?  On overlayfs they may never (doc/behaviour.md §10), and every file
 * scenario would then fail for a reason that is not the kernel's mm.  1 yes, 0
 * no, -1 no file could be made (the arena reports that later).
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

/*
 * Probe the kernel.  -1 with err filled in when the probe itself cannot
 * run (no memory, /proc unreadable): a hard error, not a missing feature.
 */
int
feature_probe(struct features *f, char *err, size_t errsz)
{
	struct utsname		 u;
	struct smaps		 sm;
	const struct smaps_entry *e;
	uint64_t		 pme;
	char			*p, scan[1];
	size_t			 nreg;
	int			 pm;

	memset(f, 0, sizeof *f);
	if (uname(&u) == 0) {
		snprintf(f->release, sizeof f->release, "%s", u.release);
		snprintf(f->machine, sizeof f->machine, "%s", u.machine);
	}
	probe_thp(f);
	p = mmap(NULL, vgs_page_size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errsz, "mmap: %s", strerror(errno));
		return (-1);
	}
	if ((pm = pagemap_open()) == -1) {
		snprintf(err, errsz, "open /proc/self/pagemap: %s",
		    strerror(errno));
		munmap(p, vgs_page_size);
		return (-1);
	}
	memset(&sm, 0, sizeof sm);
	if (smaps_read(&sm, "/proc/self/smaps", err, errsz) != 0)
		goto hard;
	if ((e = smaps_find(&sm, (uintptr_t)p)) != NULL)
		f->softdirty = (e->flags & VGS_VMF_SD) != 0;
	if (madvise(p, vgs_page_size, MADV_GUARD_INSTALL) != 0) {
		f->guard_errno = errno;
		goto out;
	}
	f->guard = 1;
	if (pagemap_read(pm, (uintptr_t)p, 1, &pme) != 0) {
		snprintf(err, errsz, "read /proc/self/pagemap: %s",
		    strerror(errno));
		goto hard;
	}
	f->pagemap_bit = (pme & VGS_PM_GUARD) != 0;
	if (pagemap_scan(pm, (uintptr_t)p, 1, VGS_PAGE_IS_GUARD,
	    VGS_PAGE_IS_GUARD, scan, &nreg) == 0) {
		f->scan = f->scan_guard = 1;
	} else if (errno == EINVAL)
		f->scan = 1;
	if (smaps_read(&sm, "/proc/self/smaps", err, errsz) != 0)
		goto hard;
	if ((e = smaps_find(&sm, (uintptr_t)p)) != NULL)
		f->gu = (e->flags & VGS_VMF_GU) != 0;
	/* A memfd we cannot make is our failure, not a missing feature. */
	if ((f->shared = probe_shared()) == -1) {
		snprintf(err, errsz, "memfd for the shared-memory probe: %s",
		    strerror(errno));
		goto hard;
	}
	f->file_merge = probe_file_merge(&sm);
out:
	smaps_free(&sm);
	close(pm);
	munmap(p, vgs_page_size);
	return (0);
hard:
	smaps_free(&sm);
	close(pm);
	munmap(p, vgs_page_size);
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
	if (b != VGS_BACKING_ANON && !f->shared)
		return ("kernel supports guard regions on private anonymous "
		    "memory only (before 6.15)");
	if (backing_file(b) && f->file_merge == 0) {
		snprintf(buf, size, "files in %s never merge (overlayfs?): "
		    "use --tmpdir on a local file system or tmpfs",
		    arena_tmpdir());
		return (buf);
	}
	return (NULL);
}

static const char *
yesno(int v)
{
	return (v ? "yes" : "no");
}

/* One-line summary of the features for the report header. */
void
feature_describe(const struct features *f, char *buf, size_t size)
{
	snprintf(buf, size, "guard-regions=%s shared=%s pagemap-bit=%s "
	    "pagemap-scan=%s scan-guard=%s gu=%s (series %s) thp=%s "
	    "soft-dirty=%s", yesno(f->guard), yesno(f->shared), yesno(f->pagemap_bit),
	    yesno(f->scan), yesno(f->scan_guard), yesno(f->gu),
	    f->gu ? "present" : "absent", f->thp, yesno(f->softdirty));
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
	    "guard-regions: %s%s\n"
	    "guard-shared: %s\n"
	    "pagemap-guard-bit: %s\n"
	    "pagemap-scan: %s\n"
	    "pagemap-scan-guard: %s\n"
	    "gu: %s\n"
	    "series: %s\n"
	    "thp: %s\n"
	    "soft-dirty: %s\n"
	    "file-merge: %s (%s)\n",
	    f->release, f->machine, vgs_page_size, yesno(f->guard), why,
	    yesno(f->shared), yesno(f->pagemap_bit), yesno(f->scan), yesno(f->scan_guard),
	    yesno(f->gu), f->gu ? "present" : "absent", f->thp,
	    yesno(f->softdirty), f->file_merge < 0 ? "unknown" :
	    yesno(f->file_merge), arena_tmpdir());
}
