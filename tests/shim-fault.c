/*
 * shim-fault.c: an LD_PRELOAD shim that makes the kernel give wrong
 * answers, so tests can prove every check is able to fail.
 *
 * VGS_FAULT names one or more faults (comma-separated):
 *   install-einval   MADV_GUARD_INSTALL fails with EINVAL (no guard regions)
 *   install-noop     MADV_GUARD_INSTALL returns 0 and does nothing
 *   smaps-no-gu      /proc/self/smaps is served without the gu token
 *   fork-lose-guards a forked child removes every marker it inherited
 * VGS_FAULT_SKIP=N lets the first N calls a fault applies to through
 * untouched (e.g. past the feature probe).
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GUARD_INSTALL	102
#define GUARD_REMOVE	103

static int	skip_left = -1;

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

/* Should this call be faulted, given VGS_FAULT_SKIP? */
static int
fault_now(void)
{
	const char	*s;

	if (skip_left == -1) {
		s = getenv("VGS_FAULT_SKIP");
		skip_left = s ? atoi(s) : 0;
	}
	if (skip_left > 0) {
		skip_left--;
		return (0);
	}
	return (1);
}

int
madvise(void *addr, size_t len, int advice)
{
	static int (*real)(void *, size_t, int);

	if (real == NULL)
		real = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT,
		    "madvise");
	if (advice == GUARD_INSTALL && fault_on("install-einval") &&
	    fault_now()) {
		errno = EINVAL;
		return (-1);
	}
	if (advice == GUARD_INSTALL && fault_on("install-noop") &&
	    fault_now())
		return (0);
	return (real(addr, len, advice));
}

static int
serve_without_gu(const char *path, int flags)
{
	static int	(*real_open)(const char *, int, ...);
	char		*buf = NULL, *p;
	size_t		 len = 0, cap = 0;
	ssize_t		 n;
	int		 fd, mfd;

	if (real_open == NULL)
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT,
		    "open");
	if ((fd = real_open(path, flags)) == -1)
		return (-1);
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
	/* Blank every " gu" token on VmFlags lines. */
	for (p = buf; p != NULL && p + 3 <= buf + len; p++) {
		p = memmem(p, buf + len - p, " gu ", 4);
		if (p == NULL)
			break;
		p[1] = p[2] = ' ';
	}
	mfd = memfd_create("smaps-no-gu", MFD_CLOEXEC);
	if (mfd == -1 || write(mfd, buf, len) != (ssize_t)len)
		abort();
	free(buf);
	lseek(mfd, 0, SEEK_SET);
	return (mfd);
}

int
open(const char *path, int flags, ...)
{
	static int	(*real)(const char *, int, ...);
	va_list		 ap;
	mode_t		 mode = 0;

	if (real == NULL)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT,
		    "open");
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (fault_on("smaps-no-gu") && strstr(path, "/smaps") != NULL)
		return (serve_without_gu(path, flags));
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

static void
remove_all_guards(void)
{
	static int	(*real)(void *, size_t, int);
	FILE		*f;
	char		 line[512];
	unsigned long	 lo, hi;

	if (real == NULL)
		real = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT,
		    "madvise");
	if ((f = fopen("/proc/self/maps", "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    strstr(line, "[v") == NULL)
			real((void *)lo, hi - lo, GUARD_REMOVE);
	}
	fclose(f);
}

pid_t
fork(void)
{
	static pid_t	(*real)(void);
	pid_t		 pid;

	if (real == NULL)
		real = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
	pid = real();
	if (pid == 0 && fault_on("fork-lose-guards"))
		remove_all_guards();
	return (pid);
}
