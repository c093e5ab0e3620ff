/*
 * procmap.c: which VMAs cover a window of an area, and with which
 * permissions.  PROCMAP_QUERY answers one VMA per ioctl (the one covering
 * an address, or the next), so a walk costs O(VMAs in the window) and
 * not O(VMAs in the process) like reading smaps or maps; smaps also
 * walks page tables.  The fd is per process: like pagemap, a maps fd
 * opened before fork() describes the parent, so children reopen it.
 * Observation only: nothing here judges.
 */
#include "vgs.h"
#include "pagemap.h"
#include "procmap.h"
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PROCMAP_QUERY, 6.11: 104 bytes, fields in this order. */
struct vgs_procmap_query {
	uint64_t	size;
	uint64_t	query_flags;
	uint64_t	query_addr;
	uint64_t	vma_start;
	uint64_t	vma_end;
	uint64_t	vma_flags;
	uint64_t	vma_page_size;
	uint64_t	vma_offset;
	uint64_t	inode;
	uint32_t	dev_major;
	uint32_t	dev_minor;
	uint32_t	vma_name_size;
	uint32_t	build_id_size;
	uint64_t	vma_name_addr;
	uint64_t	build_id_addr;
};
#define VGS_PROCMAP_QUERY	_IOWR('f', 17, struct vgs_procmap_query)
#define VGS_PMQ_READABLE	0x01ULL
#define VGS_PMQ_WRITABLE	0x02ULL
#define VGS_PMQ_EXECUTABLE	0x04ULL
#define VGS_PMQ_SHARED		0x08ULL
#define VGS_PMQ_COVERING_OR_NEXT 0x10ULL

static int
query(struct procmap *pm, uintptr_t addr, struct vgs_procmap_query *q)
{
	memset(q, 0, sizeof *q);
	q->size = sizeof *q;
	q->query_flags = VGS_PMQ_COVERING_OR_NEXT;
	q->query_addr = addr;
	pm->calls++;
	while (ioctl(pm->fd, VGS_PROCMAP_QUERY, q) == -1) {
		if (errno != EINTR)
			return (-1);
	}
	return (0);
}

static int
open_maps(struct procmap *pm, const char *path, char *err, size_t errsz)
{
	if ((pm->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "open %s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}

/* Open /proc/self/maps and find out whether PROCMAP_QUERY works. */
int
procmap_open(struct procmap *pm, char *err, size_t errsz)
{
	struct vgs_procmap_query	q;

	memset(pm, 0, sizeof *pm);
	if (open_maps(pm, "/proc/self/maps", err, errsz) != 0)
		return (-1);
	/* Any mapping will do: the probe asks for the first one. */
	pm->query = query(pm, 0, &q) == 0;
	return (0);
}

/* After fork(): describe this process, not the parent (same kernel). */
int
procmap_reopen(struct procmap *pm, char *err, size_t errsz)
{
	if (pm->fd != -1)
		close(pm->fd);
	return (open_maps(pm, "/proc/self/maps", err, errsz));
}

/*
 * Open another process's maps (a fork child's, looked at from its
 * parent) as pm, whether PROCMAP_QUERY works taken from like: the same
 * kernel.  Close it with procmap_close().
 */
int
procmap_open_pid(struct procmap *pm, const struct procmap *like, pid_t pid,
    char *err, size_t errsz)
{
	char	path[64];

	memset(pm, 0, sizeof *pm);
	pm->query = like->query;
	pagemap_proc_path(path, pid, "maps");
	if (open_maps(pm, path, err, errsz) != 0) {
		pm->fd = -1;
		return (-1);
	}
	return (0);
}

/* Close and free. */
void
procmap_close(struct procmap *pm)
{
	if (pm->fd != -1)
		close(pm->fd);
	free(pm->buf);
	memset(pm, 0, sizeof *pm);
	pm->fd = -1;
}

static void
add(struct state *st, uintptr_t lo, uintptr_t hi, uintptr_t wlo,
    uintptr_t whi, const char *perms)
{
	struct vma	*v;

	if (hi <= wlo || lo >= whi)
		return;
	lo = lo < wlo ? wlo : lo;
	hi = hi > whi ? whi : hi;
	v = state_add_vma(st);
	v->first = (lo - wlo) / vgs_page_size;
	v->npages = (hi - lo) / vgs_page_size;
	memcpy(v->perms, perms, 4);
	v->perms[4] = '\0';
}

static int
walk_query(struct procmap *pm, uintptr_t wlo, uintptr_t whi,
    struct state *st)
{
	struct vgs_procmap_query	q;
	uintptr_t			a = wlo;
	char				perms[5];

	while (a < whi) {
		if (query(pm, a, &q) != 0) {
			if (errno == ENOENT)
				return (0);
			return (-1);
		}
		if (q.vma_start >= whi)
			break;
		perms[0] = (q.vma_flags & VGS_PMQ_READABLE) ? 'r' : '-';
		perms[1] = (q.vma_flags & VGS_PMQ_WRITABLE) ? 'w' : '-';
		perms[2] = (q.vma_flags & VGS_PMQ_EXECUTABLE) ? 'x' : '-';
		perms[3] = (q.vma_flags & VGS_PMQ_SHARED) ? 's' : 'p';
		perms[4] = '\0';
		add(st, q.vma_start, q.vma_end, wlo, whi, perms);
		a = q.vma_end;
	}
	return (0);
}

static int
walk_text(struct procmap *pm, uintptr_t wlo, uintptr_t whi,
    struct state *st)
{
	size_t			 len = 0;
	ssize_t			 n;
	char			*line, *nl, *end;
	unsigned long long	 lo, hi;

	pm->calls++;
	if (lseek(pm->fd, 0, SEEK_SET) == -1)
		return (-1);
	for (;;) {
		if (pm->cap - len < 4096) {
			pm->cap = pm->cap ? pm->cap * 2 : 65536;
			pm->buf = xreallocarray(pm->buf, pm->cap, 1);
		}
		n = read(pm->fd, pm->buf + len, pm->cap - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		if (n == 0)
			break;
		len += n;
	}
	pm->buf[len] = '\0';
	for (line = pm->buf; line < pm->buf + len; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = pm->buf + len;
		lo = strtoull(line, &end, 16);
		if (*end != '-')
			continue;
		hi = strtoull(end + 1, &end, 16);
		if (*end != ' ' || strlen(end) < 5)
			continue;
		add(st, (uintptr_t)lo, (uintptr_t)hi, wlo, whi, end + 1);
	}
	return (0);
}

/*
 * Fill st (whose npages is n) with the VMAs that cover pages first..
 * first+n-1 of the area at base, clipped to them, in pages relative to
 * first, with permissions but no flags.  0, or -1 with err.
 */
int
procmap_area(struct procmap *pm, uintptr_t base, size_t first, size_t n,
    struct state *st, char *err, size_t errsz)
{
	uintptr_t	wlo = base + first * vgs_page_size;
	uintptr_t	whi = wlo + n * vgs_page_size;
	int		rc;

	st->nvmas = 0;
	rc = pm->query ? walk_query(pm, wlo, whi, st) :
	    walk_text(pm, wlo, whi, st);
	if (rc != 0) {
		snprintf(err, errsz, "%s on /proc/self/maps: %s",
		    pm->query ? "PROCMAP_QUERY" : "read", strerror(errno));
		return (-1);
	}
	st->have |= VGS_HAVE_VMAS;
	return (0);
}
