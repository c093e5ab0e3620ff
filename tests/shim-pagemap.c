/*
 * shim-pagemap.c: the page-table view of a broken kernel.
 *   pagemap-extra-guard  pagemap (bit 58) and PAGEMAP_SCAN both show a
 *                        marker on the page after every real one; only
 *                        the access probe tells the truth
 *   pagemap-lose-guard   pagemap clears bit 58 (PAGEMAP_SCAN is right)
 *   scan-miss            PAGEMAP_SCAN reports no guard pages (pagemap is
 *                        right)
 * and, for fork-wipe-keeps-guards, the parent's markers in WIPEONFORK
 * ranges, noted before fork() and installed again in the child.  The
 * PROCMAP_QUERY ioctl on /proc/PID/maps (6.11):
 *   procmap-query-enotty PROCMAP_QUERY fails ENOTTY, as before 6.11
 *   mprotect-ro-writable (with shim-fault.c) the range mprotect left
 *                        writable is reported as a VMA of its own, r--
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

#define MAX_WIPE	512

/* The kernel's struct pm_scan_arg and struct page_region (6.7). */
struct scan_region {
	uint64_t	start;
	uint64_t	end;
	uint64_t	categories;
};
struct scan_arg {
	uint64_t	size;
	uint64_t	flags;
	uint64_t	start;
	uint64_t	end;
	uint64_t	walk_end;
	uint64_t	vec;
	uint64_t	vec_len;
	uint64_t	max_pages;
	uint64_t	category_inverted;
	uint64_t	category_mask;
	uint64_t	category_anyof_mask;
	uint64_t	return_mask;
};
#define SCAN_IOCTL	_IOWR('f', 16, struct scan_arg)

/* The kernel's struct procmap_query (6.11), as far as it matters here. */
struct query_arg {
	uint64_t	size;
	uint64_t	query_flags;
	uint64_t	query_addr;
	uint64_t	vma_start;
	uint64_t	vma_end;
	uint64_t	vma_flags;
	uint64_t	rest[7];
};
#define QUERY_IOCTL	_IOWR('f', 17, struct query_arg)
#define QUERY_WRITABLE	0x02ULL

/* The one range mprotect-ro-writable left writable, or lie_lo == 0. */
static uintptr_t	lie_lo, lie_hi;

static uintptr_t	wipe[MAX_WIPE];
static size_t		nwipe;

/* Is fd open on a pagemap file? */
int
shim_is_pagemap(int fd)
{
	char	link[64], target[256];
	ssize_t	n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, target, sizeof target - 1)) <= 0)
		return (0);
	target[n] = '\0';
	return (n > 8 && strcmp(target + n - 8, "/pagemap") == 0);
}

static void
doctor_entries(uint64_t *e, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (shim_fault_on("pagemap-lose-guard"))
			e[i] &= ~(SHIM_PM_GUARD | SHIM_PM_SWAP);
		else if (shim_fault_on("pagemap-extra-guard") &&
		    (e[i] & SHIM_PM_GUARD) && i + 1 < n &&
		    !(e[i + 1] & SHIM_PM_GUARD)) {
			e[i + 1] &= ~SHIM_PM_PRESENT;
			e[i + 1] |= SHIM_PM_GUARD | SHIM_PM_SWAP;
			i++;
		}
	}
}

ssize_t
pread(int fd, void *buf, size_t len, off_t off)
{
	static ssize_t	(*real)(int, void *, size_t, off_t);
	ssize_t		 n;

	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t, off_t))
		    shim_real("pread");
	n = real(fd, buf, len, off);
	if (n >= 8 && off % 8 == 0 && (shim_fault_on("pagemap-lose-guard") ||
	    shim_fault_on("pagemap-extra-guard")) && shim_is_pagemap(fd))
		doctor_entries(buf, n / 8);
	return (n);
}

ssize_t
pread64(int fd, void *buf, size_t len, off_t off)
{
	return (pread(fd, buf, len, off));
}

static void
doctor_scan(struct scan_arg *a, int n)
{
	struct scan_region	*v = (struct scan_region *)(uintptr_t)a->vec;
	uint64_t		 ps = shim_page_size();
	int			 i;

	for (i = 0; i < n; i++) {
		if (v[i].end + ps <= a->end &&
		    (i + 1 == n || v[i + 1].start > v[i].end))
			v[i].end += ps;
	}
}

/* Remember the range mprotect-ro-writable lied about. */
void
shim_lie_add(uintptr_t lo, uintptr_t hi)
{
	lie_lo = lo;
	lie_hi = hi;
}

/* Forget the lie when a call remaps or reprotects any of its pages. */
void
shim_lie_forget(uintptr_t lo, uintptr_t hi)
{
	if (lie_lo != 0 && lo < lie_hi && hi > lie_lo)
		lie_lo = lie_hi = 0;
}

/*
 * The VMA PROCMAP_QUERY found, as a kernel would show it had mprotect
 * split off the lie range read-only: clip it to the piece that holds
 * the address asked about (or the next piece).
 */
static void
doctor_query(struct query_arg *q)
{
	uint64_t	a = q->query_addr > q->vma_start ? q->query_addr :
			    q->vma_start;

	if (lie_lo == 0 || q->vma_end <= lie_lo || q->vma_start >= lie_hi)
		return;
	if (a < lie_lo) {
		q->vma_end = lie_lo;
		return;
	}
	if (a < lie_hi) {
		if (q->vma_start < lie_lo)
			q->vma_start = lie_lo;
		if (q->vma_end > lie_hi)
			q->vma_end = lie_hi;
		q->vma_flags &= ~QUERY_WRITABLE;
		return;
	}
	q->vma_start = lie_hi;
}

int
ioctl(int fd, unsigned long req, ...)
{
	static int	(*real)(int, unsigned long, ...);
	va_list		 ap;
	void		*arg;
	int		 n;

	if (real == NULL)
		real = (int (*)(int, unsigned long, ...))shim_real("ioctl");
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == QUERY_IOCTL && shim_fault_on("procmap-query-enotty")) {
		errno = ENOTTY;
		return (-1);
	}
	n = real(fd, req, arg);
	if (req == QUERY_IOCTL && n == 0 && shim_fault_on("mprotect-ro-writable"))
		doctor_query(arg);
	if (req != SCAN_IOCTL || n <= 0 || !shim_is_pagemap(fd))
		return (n);
	if (shim_fault_on("scan-miss"))
		return (0);
	if (shim_fault_on("pagemap-extra-guard"))
		doctor_scan(arg, n);
	return (n);
}

/*
 * Before fork(): note the pages holding markers in every WIPEONFORK
 * (wf) VMA, which the child should not inherit.
 */
void
shim_wipe_collect(void)
{
	char		*text, *l, *nl, *e;
	size_t		 len, ps = shim_page_size();
	uintptr_t	 lo = 0, hi = 0, a;
	uint64_t	 pme;
	int		 fd;

	nwipe = 0;
	if ((text = shim_slurp("/proc/self/smaps", &len)) == NULL)
		return;
	fd = shim_real_open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	for (l = text; fd != -1 && l < text + len; l = nl + 1) {
		nl = memchr(l, '\n', text + len - l);
		if (nl == NULL)
			nl = text + len;
		*nl = '\0';
		if (strncmp(l, "VmFlags:", 8) != 0) {
			a = strtoul(l, &e, 16);
			if (*e == '-') {
				lo = a;
				hi = strtoul(e + 1, NULL, 16);
			}
			continue;
		}
		if (strstr(l, " wf") == NULL)
			continue;
		for (a = lo; a < hi && nwipe < MAX_WIPE; a += ps) {
			if (pread(fd, &pme, 8, a / ps * 8) == 8 &&
			    (pme & SHIM_PM_GUARD))
				wipe[nwipe++] = a;
		}
	}
	if (fd != -1)
		close(fd);
	free(text);
}

/* In the child: put back the markers WIPEONFORK removed. */
void
shim_wipe_restore(void)
{
	size_t	i;

	for (i = 0; i < nwipe; i++)
		shim_real_madvise((void *)wipe[i], shim_page_size(),
		    SHIM_GUARD_INSTALL);
}
