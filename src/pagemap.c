/*
 * pagemap.c: reading guard markers from the page tables.  A guard entry
 * is a non-present PTE marker, so pagemap reports it with the "swapped"
 * bit 62 as well as PM_GUARD_REGION (58): test 58 first.  A pagemap fd
 * opened before fork() reads the parent's tables: children reopen.
 */
#include "vgs.h"
#include "pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SCAN_VEC	64	/* regions a call: the stack stays small */

/* PAGEMAP_SCAN categories (6.7): what pagemap calls present or swapped. */
#define PAGE_IS_PRESENT	(1ULL << 3)
#define PAGE_IS_SWAPPED	(1ULL << 4)

/* Open this process's pagemap; -1 with errno on failure. */
int
pagemap_open(void)
{
	return (open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC));
}

/*
 * "/proc/PID/name" into buf (64 bytes): stdio's formatting costs a
 * fork cycle of the stress engine more than the open itself.
 */
char *
pagemap_proc_path(char *buf, pid_t pid, const char *name)
{
	char	digits[24];
	size_t	n = 0, k = 6, len = strlen(name);

	do
		digits[n++] = (char)('0' + pid % 10);
	while ((pid /= 10) > 0 && n < sizeof digits);
	memcpy(buf, "/proc/", 6);
	while (n > 0)
		buf[k++] = digits[--n];
	buf[k++] = '/';
	if (len > 63 - k)
		len = 63 - k;
	memcpy(buf + k, name, len);
	buf[k + len] = '\0';
	return (buf);
}

/*
 * Open /proc/PID/name of another process (a fork child's) to read; -1
 * with errno.
 */
int
pagemap_proc_open(pid_t pid, const char *name)
{
	char	path[64];

	return (open(pagemap_proc_path(path, pid, name), O_RDONLY |
	    O_CLOEXEC));
}

/* Read npages entries from base with one pread; -1 with errno. */
int
pagemap_read(int fd, uintptr_t base, size_t npages, uint64_t *out)
{
	size_t	want = npages * sizeof *out, got = 0;
	off_t	off = (off_t)(base / vgs_page_size) * sizeof *out;
	ssize_t	n;

	while (got < want) {
		n = pread(fd, (char *)out + got, want - got, off + got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		if (n == 0) {
			errno = EIO;
			return (-1);
		}
		got += n;
	}
	return (0);
}

/* One strip character for a pagemap entry: G guard, p present, . none. */
char
pagemap_mark(uint64_t e)
{
	if (e & VGS_PM_GUARD)
		return ('G');
	if (e & (VGS_PM_PRESENT | VGS_PM_SWAP))
		return ('p');
	return ('.');
}

/* Decode n entries into strip characters. */
void
pagemap_marks(const uint64_t *e, size_t n, char *out)
{
	size_t	i;

	for (i = 0; i < n; i++)
		out[i] = pagemap_mark(e[i]);
}

/*
 * PAGEMAP_SCAN over npages from base for pages in any of the categories
 * cats, returned with them: out[i] is 'G' for a page in a region that
 * has PAGE_IS_GUARD, 'p' for one in any other returned region, '.'
 * elsewhere.  *nregions gets the region count.  -1 with errno (ENOTTY:
 * no ioctl; EINVAL: a category unknown).
 */
static int
scan_walk(int fd, uintptr_t base, size_t npages, uint64_t cats, char *out,
    size_t *nregions)
{
	struct vgs_pm_scan_arg	arg;
	struct vgs_page_region	vec[SCAN_VEC];
	uintptr_t		end = base + npages * vgs_page_size, a;
	long			n, i;
	char			c;

	memset(out, '.', npages);
	*nregions = 0;
	memset(&arg, 0, sizeof arg);
	arg.size = sizeof arg;
	arg.start = base;
	arg.end = end;
	arg.vec = (uintptr_t)vec;
	arg.vec_len = SCAN_VEC;
	arg.category_anyof_mask = cats;
	arg.return_mask = cats;
	while (arg.start < end) {
		/* Tools such as valgrind cannot know the ioctl fills vec. */
		memset(vec, 0, sizeof vec);
		n = ioctl(fd, VGS_PAGEMAP_SCAN, &arg);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		for (i = 0; i < n; i++) {
			c = (vec[i].categories & VGS_PAGE_IS_GUARD) ? 'G' : 'p';
			for (a = vec[i].start; a < vec[i].end;
			    a += vgs_page_size) {
				if (a >= base && a < end)
					out[(a - base) / vgs_page_size] = c;
			}
		}
		*nregions += n;
		if (arg.walk_end <= arg.start)
			break;
		arg.start = arg.walk_end;
	}
	return (0);
}

/*
 * The guard markers in npages from base by PAGEMAP_SCAN (PAGE_IS_GUARD,
 * 6.16): 'G' or '.' in out, and a region the kernel returns without the
 * category it was asked for a 'p' (which no model strip holds).
 * *nregions gets the region count.  -1 with errno (ENOTTY: no ioctl;
 * EINVAL: PAGE_IS_GUARD unknown).
 */
int
pagemap_scan(int fd, uintptr_t base, size_t npages, char *out,
    size_t *nregions)
{
	return (scan_walk(fd, base, npages, VGS_PAGE_IS_GUARD, out, nregions));
}

/*
 * One PAGEMAP_SCAN walk for pagemap_marks()'s strip of npages from
 * base: 'G' guard, 'p' present or swapped, '.' nothing, like reading
 * pagemap but in regions, not entries.  A marker reports "swapped" too:
 * guard first, as with bit 58.  -1 with errno.
 */
int
pagemap_scan_marks(int fd, uintptr_t base, size_t npages, char *out)
{
	size_t	nreg;

	return (scan_walk(fd, base, npages, VGS_PAGE_IS_GUARD |
	    PAGE_IS_PRESENT | PAGE_IS_SWAPPED, out, &nreg));
}
