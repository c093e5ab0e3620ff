/*
 * shim-fault.c: an LD_PRELOAD shim that makes the kernel give wrong
 * answers, so tests can prove every check is able to fail.  This file
 * holds fault selection and the wrappers of madvise, mprotect, fork,
 * mmap, open and the calls that create resources; shim-smaps.c and
 * shim-pagemap.c doctor what /proc shows.
 *
 * VGS_FAULT names one or more faults (comma-separated); tests/FAULTS
 * is the catalogue, one line per fault.  Kernel behaviour:
 *   install-einval   MADV_GUARD_INSTALL fails with EINVAL (no guard regions)
 *   install-noop     MADV_GUARD_INSTALL returns 0 and does nothing
 *   install-drop-nth the VGS_FAULT_NTH-th (default 3) MADV_GUARD_INSTALL
 *                    of each process returns 0 and does nothing; a forked
 *                    child counts afresh, so a replay in a fresh child or
 *                    a reproducer program meets the fault at the same call
 *   remove-zaps-next MADV_GUARD_REMOVE also drops the next page (DONTNEED)
 *   wipeonfork-noop  MADV_WIPEONFORK returns 0 and does nothing
 *   mprotect-unmergeable  mprotect back to read-write also marks the
 *                    range's last page DONTDUMP, so it cannot merge
 *   mprotect-ro-writable  mprotect to read-only leaves the pages
 *                    writable, while PROCMAP_QUERY says r-- (the page
 *                    tables disagree with the VMA; shim-pagemap.c)
 *   populate-write-lies  MADV_POPULATE_WRITE returns 0 and does
 *                    nothing: a write would not fault, it says
 *   fork-lose-guards a forked child removes every marker it inherited
 *   fork-child-dies  a child of _Fork() (the stress engine's fork) dies
 *                    of SIGSEGV as soon as it runs
 *   fork-child-unkillable  a child of _Fork() is never reaped: waitpid()
 *                    WNOHANG of it answers "still there", as for a task
 *                    that SIGKILL cannot end (uninterruptible sleep)
 *   fork-wipe-keeps-guards  a forked child gets back the markers that
 *                    WIPEONFORK should have dropped
 *   child-hang       a forked child (and a grandchild) hang for ever
 *   fork-late        fork() waits 200 ms before it forks: in a race, the
 *                    installs are done before any fork lands
 *   install-off-by-one  MADV_GUARD_INSTALL puts its markers one page
 *                    after the range it was given
 *   guard-sigbus     a fault with SEGV_MAPERR (a marker, a hole) reaches
 *                    the tool as SIGBUS
 *   guard-own-stack  one MADV_GUARD_INSTALL (the first after
 *                    VGS_FAULT_SKIP) also guards a page of the caller's
 *                    stack just below its frame
 *   (fork-hang, install-hang and install-dstate: shim-hang.c)
 * VGS_FAULT_UNAME=RELEASE makes uname() report that kernel release, so
 * a fault can pose as a kernel of another version.
 * Resources (each makes one call fail):
 *   fork-eagain      fork() EAGAIN
 *   mmap-enomem      a PROT_NONE reservation mmap() ENOMEM
 *   memfd-emfile     memfd_create() EMFILE
 *   tmpfile-eacces   mkostemp() EACCES
 *   pwrite-enospc    pwrite() ENOSPC (the file system is full)
 *   proc-eacces      open() of /proc/.../smaps or pagemap EACCES
 * VGS_FAULT_SKIP=N lets the first N calls a fault applies to through
 * untouched (e.g. past the feature probe); VGS_FAULT_COUNT=M faults at
 * most M calls; VGS_FAULT_CHILD=1 faults only in forked children.
 * VGS_FAULT_LOG=FILE gets a line per hanging process
 * ("hang pid=N"), so tests can check none is left.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

static int	skip_left = -1;
static int	count_left = -1;
static int	hang_armed;
static int	in_child;
static int	installs;	/* MADV_GUARD_INSTALLs in this process */
static int	stack_guarded;	/* guard-own-stack did its work */
static void	(*tool_segv)(int, siginfo_t *, void *);

/* Is fault name among VGS_FAULT's? */
int
shim_fault_on(const char *name)
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

/* Should this call be faulted, given VGS_FAULT_SKIP and _COUNT? */
int
shim_fault_now(void)
{
	const char	*s;

	if (skip_left == -1) {
		s = getenv("VGS_FAULT_SKIP");
		skip_left = s ? atoi(s) : 0;
		s = getenv("VGS_FAULT_COUNT");
		count_left = s ? atoi(s) : -2;
	}
	if (!in_child && getenv("VGS_FAULT_CHILD") != NULL)
		return (0);
	if (skip_left > 0) {
		skip_left--;
		return (0);
	}
	if (count_left == 0)
		return (0);
	if (count_left > 0)
		count_left--;
	return (1);
}

/* The next definition of a libc function: the real one. */
void *
shim_real(const char *name)
{
	void	*p;

	if ((p = dlsym(RTLD_NEXT, name)) == NULL)
		abort();
	return (p);
}

/* The page size. */
size_t
shim_page_size(void)
{
	return ((size_t)sysconf(_SC_PAGESIZE));
}

/* Append one line to $VGS_FAULT_LOG, if set. */
void
shim_log(const char *fmt, ...)
{
	const char	*path = getenv("VGS_FAULT_LOG");
	char		 line[256];
	va_list		 ap;
	int		 fd, n;

	if (path == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof line - 1)
		return;
	line[n++] = '\n';
	fd = ((int (*)(const char *, int, ...))shim_real("open"))(path,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		return;
	if (write(fd, line, n) != n)
		abort();
	close(fd);
}

/* open() without the shim. */
int
shim_real_open(const char *path, int flags)
{
	static int	(*real)(const char *, int, ...);

	if (real == NULL)
		real = (int (*)(const char *, int, ...))shim_real("open");
	return (real(path, flags));
}

/* madvise() without the shim. */
int
shim_real_madvise(void *addr, size_t len, int advice)
{
	static int	(*real)(void *, size_t, int);

	if (real == NULL)
		real = (int (*)(void *, size_t, int))shim_real("madvise");
	return (real(addr, len, advice));
}

/* A whole file read with the real open(); malloc'd, NULL on error. */
char *
shim_slurp(const char *path, size_t *lenp)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0;
	ssize_t	 n;
	int	 fd;

	if ((fd = shim_real_open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (NULL);
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		if ((n = read(fd, buf + len, cap - len)) <= 0)
			break;
		len += n;
	}
	close(fd);
	*lenp = len;
	return (buf);
}

/* An fd reading text (len bytes) back: a memfd named name. */
int
shim_serve(const char *name, const char *text, size_t len)
{
	static int	(*real)(const char *, unsigned int);
	int		 mfd;

	if (real == NULL)
		real = (int (*)(const char *, unsigned int))
		    shim_real("memfd_create");
	mfd = real(name, MFD_CLOEXEC);
	if (mfd == -1 || write(mfd, text, len) != (ssize_t)len)
		abort();
	lseek(mfd, 0, SEEK_SET);
	return (mfd);
}

static int
fail(int e)
{
	errno = e;
	return (-1);
}

int
madvise(void *addr, size_t len, int advice)
{
	size_t	ps = shim_page_size();
	char	*next;
	int	rc;

	if (advice == SHIM_GUARD_INSTALL)
		shim_hang_install(in_child);
	if (advice == SHIM_GUARD_INSTALL && shim_fault_on("install-einval") &&
	    shim_fault_now())
		return (fail(EINVAL));
	if (advice == SHIM_GUARD_INSTALL && shim_fault_on("install-noop") &&
	    shim_fault_now())
		return (0);
	if (advice == SHIM_GUARD_INSTALL &&
	    shim_fault_on("install-off-by-one") && shim_fault_now())
		return (shim_real_madvise((char *)addr + ps, len, advice));
	if (advice == SHIM_GUARD_INSTALL && shim_fault_on("guard-own-stack") &&
	    !stack_guarded && shim_fault_now()) {
		stack_guarded = 1;
		shim_real_madvise((void *)(((uintptr_t)&rc & ~(ps - 1)) - ps),
		    ps, SHIM_GUARD_INSTALL);
	}
	if (advice == SHIM_GUARD_INSTALL && shim_fault_on("install-drop-nth") &&
	    ++installs == (getenv("VGS_FAULT_NTH") != NULL ?
	    atoi(getenv("VGS_FAULT_NTH")) : 3))
		return (0);
	if (advice == MADV_WIPEONFORK && shim_fault_on("wipeonfork-noop") &&
	    shim_fault_now())
		return (0);
	if (advice == MADV_POPULATE_WRITE &&
	    shim_fault_on("populate-write-lies") && shim_fault_now())
		return (0);
	rc = shim_real_madvise(addr, len, advice);
	if (rc == 0 && advice == SHIM_GUARD_REMOVE &&
	    shim_fault_on("remove-zaps-next") && shim_fault_now()) {
		next = (char *)addr + (len + ps - 1) / ps * ps;
		shim_real_madvise(next, ps, MADV_DONTNEED);
	}
	return (rc);
}

int
mprotect(void *addr, size_t len, int prot)
{
	static int	(*real)(void *, size_t, int);
	size_t		 ps = shim_page_size();
	int		 rc;

	if (real == NULL)
		real = (int (*)(void *, size_t, int))shim_real("mprotect");
	shim_lie_forget((uintptr_t)addr, (uintptr_t)addr + len);
	if (prot == PROT_READ && shim_fault_on("mprotect-ro-writable") &&
	    shim_fault_now()) {
		rc = real(addr, len, PROT_READ | PROT_WRITE);
		if (rc == 0)
			shim_lie_add((uintptr_t)addr, (uintptr_t)addr +
			    (len + ps - 1) / ps * ps);
		return (rc);
	}
	rc = real(addr, len, prot);
	/* A flag the tool never set: the pieces can no longer merge. */
	if (rc == 0 && prot == (PROT_READ | PROT_WRITE) && len >= 2 * ps &&
	    shim_fault_on("mprotect-unmergeable") && shim_fault_now())
		shim_real_madvise((char *)addr + (len - 1) / ps * ps, ps,
		    MADV_DONTDUMP);
	return (rc);
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void	*(*real)(void *, size_t, int, int, int, off_t);
	char		*p;

	if (real == NULL)
		real = (void *(*)(void *, size_t, int, int, int, off_t))
		    shim_real("mmap");
	if (prot == PROT_NONE && !(flags & MAP_FIXED) &&
	    shim_fault_on("mmap-enomem") && shim_fault_now()) {
		errno = ENOMEM;
		return (MAP_FAILED);
	}
	p = real(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED)
		shim_lie_forget((uintptr_t)p, (uintptr_t)p + len);
	if (p != MAP_FAILED && shim_smaps_doctored()) {
		/* What was mapped here before is gone, edges included
		 * unless MAP_FIXED (a neighbour may merge over them). */
		if (flags & MAP_FIXED)
			shim_smaps_forget((uintptr_t)p + 1,
			    (uintptr_t)p + len - 1);
		else
			shim_smaps_forget((uintptr_t)p, (uintptr_t)p + len);
	}
	return (p);
}

int
munmap(void *addr, size_t len)
{
	static int	(*real)(void *, size_t);
	int		 rc;

	if (real == NULL)
		real = (int (*)(void *, size_t))shim_real("munmap");
	rc = real(addr, len);
	if (rc == 0)
		shim_lie_forget((uintptr_t)addr, (uintptr_t)addr + len);
	if (rc == 0 && shim_smaps_doctored())
		shim_smaps_forget((uintptr_t)addr, (uintptr_t)addr + len);
	return (rc);
}

static void
hang(void)
{
	pid_t	pid;

	shim_log("hang pid=%d", (int)getpid());
	pid = ((pid_t (*)(void))shim_real("fork"))();
	if (pid == 0)
		shim_log("hang pid=%d", (int)getpid());
	for (;;)
		pause();
}

int
open(const char *path, int flags, ...)
{
	static int	(*real)(const char *, int, ...);
	va_list		 ap;
	mode_t		 mode = 0;

	if (real == NULL)
		real = (int (*)(const char *, int, ...))shim_real("open");
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	/* The child's first act is reopening its pagemap: hang there. */
	if (hang_armed && strstr(path, "/pagemap") != NULL)
		hang();
	if (strncmp(path, "/proc/", 6) == 0 &&
	    (strstr(path, "/smaps") != NULL ||
	    strstr(path, "/pagemap") != NULL) &&
	    shim_fault_on("proc-eacces") && shim_fault_now())
		return (fail(EACCES));
	if (strstr(path, "/smaps") != NULL && shim_smaps_doctored())
		return (shim_smaps_open(path, flags));
	return (real(path, flags, mode));
}

int
open64(const char *path, int flags, ...)
{
	va_list	ap;
	mode_t	mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (open(path, flags, mode));
}

/*
 * In a child just forked, maybe from a threaded parent: no stdio, no
 * malloc (another thread may have held the allocator's lock at fork).
 */
static void
remove_all_guards(void)
{
	static char	 buf[1 << 18];
	char		*l, *e, *nl;
	size_t		 len = 0;
	ssize_t		 n;
	unsigned long	 lo, hi;
	int		 fd;

	if ((fd = shim_real_open("/proc/self/maps", O_RDONLY)) == -1)
		return;
	while (len < sizeof buf - 1 &&
	    (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (l = buf; *l != '\0'; l = nl + 1) {
		if ((nl = strchr(l, '\n')) == NULL)
			break;
		*nl = '\0';
		lo = strtoul(l, &e, 16);
		if (*e != '-' || strstr(l, "[v") != NULL)
			continue;
		hi = strtoul(e + 1, NULL, 16);
		shim_real_madvise((void *)lo, hi - lo, SHIM_GUARD_REMOVE);
	}
}

/*
 * fork() and _Fork() (the stress engine's per-operation fork): name is
 * the one called, *real the libc function under it, looked up once.
 */
static pid_t
shim_fork(const char *name, pid_t (**real)(void))
{
	pid_t		 pid;
	int		 hangs = 0, wipe = 0, blocks = 0;

	if (*real == NULL)
		*real = (pid_t (*)(void))shim_real(name);
	if (shim_fault_on("fork-eagain") && shim_fault_now())
		return (fail(EAGAIN));
	if (shim_fault_on("child-hang") && shim_fault_now())
		hangs = 1;
	if (shim_fault_on("fork-late")) {
		struct timespec	late = { 0, 200 * 1000 * 1000 };

		nanosleep(&late, NULL);
	}
	if (shim_fault_on("fork-hang") && shim_fault_now())
		blocks = 1;
	if (shim_fault_on("fork-wipe-keeps-guards") && shim_fault_now()) {
		wipe = 1;
		shim_wipe_collect();
	}
	pid = (*real)();
	if (pid != 0)
		return (pid);
	if (blocks)
		shim_hang_here();
	hang_armed = hangs;
	in_child = 1;
	installs = 0;
	if (shim_fault_on("fork-lose-guards"))
		remove_all_guards();
	if (wipe)
		shim_wipe_restore();
	return (0);
}

pid_t
fork(void)
{
	static pid_t	(*real)(void);

	return (shim_fork("fork", &real));
}

/* The child fork-child-unkillable keeps from being reaped. */
static pid_t	unkillable;

pid_t
_Fork(void)
{
	static pid_t	(*real)(void);
	pid_t		 pid;
	int		 dies, stays;

	dies = shim_fault_on("fork-child-dies") && shim_fault_now();
	stays = shim_fault_on("fork-child-unkillable") && shim_fault_now();
	pid = shim_fork("_Fork", &real);
	if (pid == 0 && dies) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (pid > 0 && stays)
		unkillable = pid;
	return (pid);
}

/*
 * fork-child-unkillable: the child is dead (it got SIGKILL), but a
 * look whether it is gone says it is not; it stays a zombie until the
 * process that adopts it reaps it.
 */
pid_t
waitpid(pid_t pid, int *st, int options)
{
	static pid_t	(*real)(pid_t, int *, int);

	if (real == NULL)
		real = (pid_t (*)(pid_t, int *, int))shim_real("waitpid");
	if (pid > 0 && pid == unkillable && (options & WNOHANG))
		return (0);
	return (real(pid, st, options));
}

int
memfd_create(const char *name, unsigned int flags)
{
	static int	(*real)(const char *, unsigned int);

	if (real == NULL)
		real = (int (*)(const char *, unsigned int))
		    shim_real("memfd_create");
	if (shim_fault_on("memfd-emfile") && shim_fault_now())
		return (fail(EMFILE));
	return (real(name, flags));
}

int
mkostemp(char *tmpl, int flags)
{
	static int	(*real)(char *, int);

	if (real == NULL)
		real = (int (*)(char *, int))shim_real("mkostemp");
	if (shim_fault_on("tmpfile-eacces") && shim_fault_now())
		return (fail(EACCES));
	return (real(tmpl, flags));
}

int
mkostemp64(char *tmpl, int flags)
{
	return (mkostemp(tmpl, flags));
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	static ssize_t	(*real)(int, const void *, size_t, off_t);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t, off_t))
		    shim_real("pwrite");
	if (shim_fault_on("pwrite-enospc") && shim_fault_now())
		return (fail(ENOSPC));
	return (real(fd, buf, len, off));
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	return (pwrite(fd, buf, len, off));
}

/* guard-sigbus: the tool's SIGSEGV handler gets SEGV_MAPERR as SIGBUS. */
static void
segv_as_bus(int sig, siginfo_t *si, void *uc)
{
	siginfo_t	bus;

	if (si->si_code != SEGV_MAPERR) {
		tool_segv(sig, si, uc);
		return;
	}
	bus = *si;
	bus.si_signo = SIGBUS;
	bus.si_code = BUS_ADRERR;
	tool_segv(SIGBUS, &bus, uc);
}

int
sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	static int		(*real)(int, const struct sigaction *,
				    struct sigaction *);
	struct sigaction	mine;

	if (real == NULL)
		real = (int (*)(int, const struct sigaction *,
		    struct sigaction *))shim_real("sigaction");
	if (sig != SIGSEGV || act == NULL || !(act->sa_flags & SA_SIGINFO) ||
	    !shim_fault_on("guard-sigbus"))
		return (real(sig, act, old));
	tool_segv = act->sa_sigaction;
	mine = *act;
	mine.sa_sigaction = segv_as_bus;
	return (real(sig, &mine, old));
}

/* VGS_FAULT_UNAME: the release uname() reports. */
int
uname(struct utsname *u)
{
	static int	(*real)(struct utsname *);
	const char	*rel = getenv("VGS_FAULT_UNAME");
	int		 rc;

	if (real == NULL)
		real = (int (*)(struct utsname *))shim_real("uname");
	rc = real(u);
	if (rc == 0 && rel != NULL && *rel != '\0')
		snprintf(u->release, sizeof u->release, "%s", rel);
	return (rc);
}
