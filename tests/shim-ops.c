/*
 * shim-ops.c: a second LD_PRELOAD shim (tests/shim-ops.so) with the
 * wrong kernel answers the scenarios of scn_mremap.c .. scn_race.c must
 * catch.  It stands alone or in front of shim-fault.so (each wrapper
 * calls the next definition, RTLD_NEXT), and like it takes the faults
 * from VGS_FAULT (comma-separated):
 *   advice-noop        RANDOM, SEQUENTIAL, DONTFORK, DONTDUMP, WIPEONFORK,
 *                      HUGEPAGE, NOHUGEPAGE return 0 and change nothing
 *   zap-drops-guards   DONTNEED(_LOCKED), FREE, PAGEOUT, COLD, WILLNEED,
 *                      REMOVE, POPULATE_* also remove markers in range
 *   remove-noop        MADV_GUARD_REMOVE returns 0 and does nothing
 *   install-skip-last  MADV_GUARD_INSTALL over more than one page leaves
 *                      the last page out
 *   collapse-succeeds  MADV_COLLAPSE returns 0 and does nothing
 *   collapse-eagain-gu MADV_COLLAPSE fails EAGAIN over a range that ever
 *                      held a guard (a kernel refusing gu VMAs)
 *   collapse-eagain    every MADV_COLLAPSE fails EAGAIN (no huge page)
 *   file-nomerge       a MAP_FIXED mapping of a file (not a memfd) at an
 *                      offset > 0 is made DONTDUMP: it never merges
 *   mremap-drop-guards a successful mremap() drops the markers it moved
 *   mseal-noop         mseal(2) of a range returns 0 and seals nothing
 *   punch-noop         fallocate(PUNCH_HOLE) returns 0, punches nothing
 *   truncate-noop      ftruncate() to 0 returns 0 and truncates nothing
 *   pmadvise-lie       process_madvise() reports a page less than it
 *                      advised, and success where it failed
 *   mlock-noop         mlock() returns 0 and locks nothing
 *   io-hide-efault     read(), pread() and process_vm_readv() that fail
 *                      with EFAULT or EIO claim to have done it all
 *   mmap-skew          a MAP_FIXED file mapping at an offset > 0 maps
 *                      one page further into the file
 *   munmap-noop        munmap() of a single page returns 0, unmaps nothing
 *   uffd-zeropage-ok   UFFDIO_ZEROPAGE returns 0 and does nothing
 *   fork-lose-first-guard  a forked child removes its first marker
 *                      when the next page holds one too
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/falloc.h>
#include <linux/userfaultfd.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GUARD_INSTALL	102
#define GUARD_REMOVE	103
#define COLLAPSE	25
#define POP_READ	22
#define POP_WRITE	23
#define DONTNEED_LOCKED	24
#define MSEAL_NR	462
#define PM_GUARD	(1ULL << 58)

static int
fault_on(const char *name)
{
	const char	*f = getenv("VGS_FAULT"), *p;
	size_t		 n = strlen(name);

	if (f == NULL)
		return (0);
	for (p = f; (p = strstr(p, name)) != NULL; p += n) {
		if ((p == f || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return (1);
	}
	return (0);
}

static void *
next(const char *name)
{
	void	*f = dlsym(RTLD_NEXT, name);

	if (f == NULL)
		abort();
	return (f);
}

static size_t
page(void)
{
	return ((size_t)sysconf(_SC_PAGESIZE));
}

static int
real_madvise(void *addr, size_t len, int advice)
{
	static int	(*real)(void *, size_t, int);

	if (real == NULL)
		real = (int (*)(void *, size_t, int))next("madvise");
	return (real(addr, len, advice));
}

/* Remove markers in a range, keeping errno. */
static void
drop_guards(void *addr, size_t len)
{
	int	saved = errno;

	real_madvise(addr, len, GUARD_REMOVE);
	errno = saved;
}

static int
is_flag_advice(int a)
{
	return (a == MADV_RANDOM || a == MADV_SEQUENTIAL ||
	    a == MADV_DONTFORK || a == MADV_DONTDUMP || a == MADV_WIPEONFORK ||
	    a == MADV_HUGEPAGE || a == MADV_NOHUGEPAGE);
}

static int
is_zap_advice(int a)
{
	return (a == MADV_DONTNEED || a == DONTNEED_LOCKED || a == MADV_FREE ||
	    a == MADV_PAGEOUT || a == MADV_COLD || a == MADV_WILLNEED ||
	    a == MADV_REMOVE || a == POP_READ || a == POP_WRITE);
}

/*
 * The ranges MADV_GUARD_INSTALL was asked for, for collapse-eagain-gu:
 * the last GUARDED_MAX of them, so that a whole run, whose installs
 * are many more, still knows what its latest check guarded.
 */
#define GUARDED_MAX	4096
static struct {
	uintptr_t	lo, hi;
}		guarded[GUARDED_MAX];
static size_t	nguarded;	/* installs seen, kept or not */

static void
guarded_add(void *addr, size_t len)
{
	size_t	i = nguarded++ % GUARDED_MAX;

	guarded[i].lo = (uintptr_t)addr;
	guarded[i].hi = (uintptr_t)addr + len;
}

static int
ever_guarded(void *addr, size_t len)
{
	uintptr_t	lo = (uintptr_t)addr, hi = lo + len;
	size_t		i, n = nguarded < GUARDED_MAX ? nguarded : GUARDED_MAX;

	for (i = 0; i < n; i++) {
		if (guarded[i].lo < hi && lo < guarded[i].hi)
			return (1);
	}
	return (0);
}

int
madvise(void *addr, size_t len, int advice)
{
	size_t	ps = page(), rlen = (len + ps - 1) / ps * ps;
	int	rc;

	if (advice == GUARD_INSTALL)
		guarded_add(addr, rlen);
	if (advice == COLLAPSE && (fault_on("collapse-eagain") ||
	    (fault_on("collapse-eagain-gu") && ever_guarded(addr, rlen)))) {
		errno = EAGAIN;
		return (-1);
	}
	if (is_flag_advice(advice) && fault_on("advice-noop"))
		return (0);
	if (advice == GUARD_REMOVE && fault_on("remove-noop"))
		return (0);
	if (advice == COLLAPSE && fault_on("collapse-succeeds"))
		return (0);
	if (advice == GUARD_INSTALL && rlen > ps &&
	    fault_on("install-skip-last"))
		return (real_madvise(addr, rlen - ps, advice));
	rc = real_madvise(addr, len, advice);
	if (is_zap_advice(advice) && fault_on("zap-drops-guards"))
		drop_guards(addr, len);
	return (rc);
}

void *
mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	static void	*(*real)(void *, size_t, size_t, int, ...);
	va_list		 ap;
	void		*want = NULL, *p;

	if (real == NULL)
		real = (void *(*)(void *, size_t, size_t, int, ...))
		    next("mremap");
	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		want = va_arg(ap, void *);
		va_end(ap);
		p = real(old, old_len, new_len, flags, want);
	} else
		p = real(old, old_len, new_len, flags);
	if (p != MAP_FAILED && fault_on("mremap-drop-guards"))
		drop_guards(p, new_len);
	return (p);
}

long
syscall(long nr, ...)
{
	static long	(*real)(long, ...);
	va_list		 ap;
	long		 a[6];
	int		 i;

	if (real == NULL)
		real = (long (*)(long, ...))next("syscall");
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == MSEAL_NR && a[1] > 0 && fault_on("mseal-noop"))
		return (0);
	return (real(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

int
fallocate(int fd, int mode, off_t off, off_t len)
{
	static int	(*real)(int, int, off_t, off_t);

	if (real == NULL)
		real = (int (*)(int, int, off_t, off_t))next("fallocate");
	if ((mode & FALLOC_FL_PUNCH_HOLE) && fault_on("punch-noop"))
		return (0);
	return (real(fd, mode, off, len));
}

int
fallocate64(int fd, int mode, off_t off, off_t len)
{
	return (fallocate(fd, mode, off, len));
}

int
ftruncate(int fd, off_t len)
{
	static int	(*real)(int, off_t);

	if (real == NULL)
		real = (int (*)(int, off_t))next("ftruncate");
	if (len == 0 && fault_on("truncate-noop"))
		return (0);
	return (real(fd, len));
}

int
ftruncate64(int fd, off_t len)
{
	return (ftruncate(fd, len));
}

static size_t
iov_bytes(const struct iovec *iov, size_t n)
{
	size_t	i, sum = 0;

	for (i = 0; i < n; i++)
		sum += iov[i].iov_len;
	return (sum);
}

ssize_t
process_madvise(int pidfd, const struct iovec *iov, size_t n, int advice,
    unsigned int flags)
{
	static ssize_t	(*real)(int, const struct iovec *, size_t, int,
			    unsigned int);
	ssize_t		 r;

	if (real == NULL)
		real = (ssize_t (*)(int, const struct iovec *, size_t, int,
		    unsigned int))next("process_madvise");
	r = real(pidfd, iov, n, advice, flags);
	if (!fault_on("pmadvise-lie"))
		return (r);
	if (r == -1)
		return ((ssize_t)iov_bytes(iov, n));
	return (r >= (ssize_t)page() ? r - (ssize_t)page() : r);
}

int
mlock(const void *addr, size_t len)
{
	static int	(*real)(const void *, size_t);

	if (real == NULL)
		real = (int (*)(const void *, size_t))next("mlock");
	if (fault_on("mlock-noop"))
		return (0);
	return (real(addr, len));
}

static ssize_t
hide(ssize_t r, size_t len)
{
	if (r == -1 && (errno == EFAULT || errno == EIO) &&
	    fault_on("io-hide-efault"))
		return ((ssize_t)len);
	return (r);
}

ssize_t
read(int fd, void *buf, size_t len)
{
	static ssize_t	(*real)(int, void *, size_t);

	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t))next("read");
	return (hide(real(fd, buf, len), len));
}

ssize_t
pread(int fd, void *buf, size_t len, off_t off)
{
	static ssize_t	(*real)(int, void *, size_t, off_t);

	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t, off_t))next("pread");
	return (hide(real(fd, buf, len, off), len));
}

ssize_t
pread64(int fd, void *buf, size_t len, off_t off)
{
	return (pread(fd, buf, len, off));
}

ssize_t
process_vm_readv(pid_t pid, const struct iovec *lv, unsigned long ln,
    const struct iovec *rv, unsigned long rn, unsigned long flags)
{
	static ssize_t	(*real)(pid_t, const struct iovec *, unsigned long,
			    const struct iovec *, unsigned long, unsigned long);

	if (real == NULL)
		real = (ssize_t (*)(pid_t, const struct iovec *,
		    unsigned long, const struct iovec *, unsigned long,
		    unsigned long))next("process_vm_readv");
	return (hide(real(pid, lv, ln, rv, rn, flags), iov_bytes(lv, ln)));
}

/* Is fd a memfd (shmem), not a file of a file system? */
static int
is_memfd(int fd)
{
	char	link[64], path[32];
	ssize_t	n;

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof link - 1);
	return (n > 7 && strncmp(link, "/memfd:", 7) == 0);
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void	*(*real)(void *, size_t, int, int, int, off_t);
	struct stat	 sb;
	void		*p;

	if (real == NULL)
		real = (void *(*)(void *, size_t, int, int, int, off_t))
		    next("mmap");
	if ((flags & MAP_FIXED) && fd >= 0 && off > 0 &&
	    fault_on("mmap-skew"))
		off += (off_t)page();
	p = real(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED && (flags & MAP_FIXED) && fd >= 0 && off > 0 &&
	    fault_on("file-nomerge") && fstat(fd, &sb) == 0 &&
	    S_ISREG(sb.st_mode) && !is_memfd(fd))
		real_madvise(p, len, MADV_DONTDUMP);
	return (p);
}

void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (mmap(addr, len, prot, flags, fd, off));
}

int
munmap(void *addr, size_t len)
{
	static int	(*real)(void *, size_t);

	if (real == NULL)
		real = (int (*)(void *, size_t))next("munmap");
	if (len == page() && fault_on("munmap-noop"))
		return (0);
	return (real(addr, len));
}

int
ioctl(int fd, unsigned long req, ...)
{
	static int	(*real)(int, unsigned long, ...);
	va_list		 ap;
	void		*arg;

	if (real == NULL)
		real = (int (*)(int, unsigned long, ...))next("ioctl");
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == UFFDIO_ZEROPAGE && fault_on("uffd-zeropage-ok"))
		return (0);
	return (real(fd, req, arg));
}

/*
 * In a child: remove the marker of the lowest guarded page, if the page
 * after it holds one too (so what is left cannot be a prefix).
 */
static void
lose_first_guard(void)
{
	static ssize_t	(*rpread)(int, void *, size_t, off_t);
	FILE		*f;
	char		 line[512];
	unsigned long	 lo, hi, a;
	uint64_t	 e;
	size_t		 ps = page();
	int		 pm;

	if (rpread == NULL)
		rpread = (ssize_t (*)(int, void *, size_t, off_t))
		    next("pread");
	if ((f = fopen("/proc/self/maps", "re")) == NULL)
		return;
	if ((pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)) == -1) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 ||
		    strstr(line, "[v") != NULL)
			continue;
		for (a = lo; a < hi; a += ps) {
			if (rpread(pm, &e, sizeof e, (off_t)(a / ps * 8)) !=
			    (ssize_t)sizeof e || !(e & PM_GUARD))
				continue;
			if (rpread(pm, &e, sizeof e, (off_t)(a / ps * 8 + 8)) ==
			    (ssize_t)sizeof e && (e & PM_GUARD))
				real_madvise((void *)a, ps, GUARD_REMOVE);
			goto out;
		}
	}
out:
	close(pm);
	fclose(f);
}

/*
 * fork() and _Fork() (the stress engine's per-operation fork): name is
 * the one called, *real the libc function under it, looked up once.
 */
static pid_t
shim_fork(const char *name, pid_t (**real)(void))
{
	pid_t	pid;

	if (*real == NULL)
		*real = (pid_t (*)(void))next(name);
	pid = (*real)();
	if (pid == 0 && fault_on("fork-lose-first-guard"))
		lose_first_guard();
	return (pid);
}

pid_t
fork(void)
{
	static pid_t	(*real)(void);

	return (shim_fork("fork", &real));
}

pid_t
_Fork(void)
{
	static pid_t	(*real)(void);

	return (shim_fork("_Fork", &real));
}
