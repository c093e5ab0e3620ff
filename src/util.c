/*
 * util.c: process-wide basics: the page size, the program name, allocation
 * that cannot fail and fatal() for errors nothing can recover from (they
 * end the run with the hard-error status, 99).
 */
#include "vgs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

size_t		 vgs_page_size;
const char	*vgs_progname = "vmaguard-stress";
int		 vgs_stdout_said;
volatile sig_atomic_t	 vgs_stop;
static char	 fatal_msg[VGS_MSG_MAX];	/* what fatal() said */
static pid_t	 stdout_owner;

/* Fill in the process-wide constants; call first. */
void
vgs_init(void)
{
	long	ps;

	ps = sysconf(_SC_PAGESIZE);
	if (ps <= 0)
		fatal("sysconf(_SC_PAGESIZE)");
	vgs_page_size = (size_t)ps;
}

static void
vfatal(int with_errno, const char *fmt, va_list ap)
{
	int	saved = errno;

	fflush(stdout);
	vsnprintf(fatal_msg, sizeof fatal_msg, fmt, ap);
	if (with_errno)
		strlcat_fmt(fatal_msg, sizeof fatal_msg, ": %s",
		    strerror(saved));
	fprintf(stderr, "%s: %s\n", vgs_progname, fatal_msg);
}

/* What fatal() or fatalx() said, for the report; NULL if neither ran. */
const char *
vgs_fatal_reason(void)
{
	return (fatal_msg[0] != '\0' ? fatal_msg : NULL);
}

/*
 * At exit, like gnulib's close_stdout: output that never reached
 * standard output is an error, 99, said once on stderr, whatever mode
 * the tool ran in.  Forked children leave stdout to the main process.
 */
static void
close_stdout(void)
{
	int	bad, e;

	if (getpid() != stdout_owner)
		return;
	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	e = errno;
	if (fclose(stdout) != 0 && errno != EBADF && !bad) {
		bad = 1;
		e = errno;
	}
	if (!bad)
		return;
	/* The failed write may be long past: its errno with it. */
	if (!vgs_stdout_said && e != 0)
		fprintf(stderr, "%s: write error on standard output: %s\n",
		    vgs_progname, strerror(e));
	else if (!vgs_stdout_said)
		fprintf(stderr, "%s: write error on standard output\n",
		    vgs_progname);
	_exit(VGS_HARD);
}

/* Check standard output at exit; call first, so it runs last. */
void
vgs_close_stdout(void)
{
	stdout_owner = getpid();
	if (atexit(close_stdout) != 0)
		fatalx("atexit failed");
}

/* Report a failed system call and exit with the hard-error status. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vfatal(1, fmt, ap);
	va_end(ap);
	exit(VGS_HARD);
}

/* As fatal(), without errno. */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vfatal(0, fmt, ap);
	va_end(ap);
	exit(VGS_HARD);
}

/* malloc() that exits on failure. */
void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		fatal("malloc");
	return (p);
}

/* calloc() that exits on failure. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		fatal("calloc");
	return (p);
}

/* reallocarray() that exits on failure. */
void *
xreallocarray(void *old, size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		fatal("reallocarray");
	}
	if ((p = realloc(old, n * size == 0 ? 1 : n * size)) == NULL)
		fatal("realloc");
	return (p);
}

/* strdup() that exits on failure. */
char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("strdup");
	return (p);
}

/* asprintf() that exits on failure. */
int
xasprintf(char **out, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("vasprintf");
	return (n);
}

/* Append formatted text to a malloc'd string (*buf may be NULL). */
void
xappend(char **buf, const char *fmt, ...)
{
	char	*more, *old = *buf;
	va_list	 ap;

	va_start(ap, fmt);
	if (vasprintf(&more, fmt, ap) < 0)
		fatal("vasprintf");
	va_end(ap);
	if (old == NULL)
		*buf = more;
	else {
		xasprintf(buf, "%s%s", old, more);
		free(old);
		free(more);
	}
}

/*
 * Append formatted text to a fixed buffer, truncating silently; returns
 * the new length.  Used to build one-line messages without allocation
 * (also in forked children, where the heap is best left alone).
 */
size_t
strlcat_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list	ap;
	size_t	len;

	len = strnlen(buf, size);
	if (len + 1 >= size)
		return (len);
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	return (strnlen(buf, size));
}

/* Monotonic time in nanoseconds: the one clock of the tool. */
uint64_t
vgs_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

/* The same clock in seconds. */
double
vgs_now(void)
{
	return (vgs_now_ns() / 1e9);
}

/*
 * Does s (len bytes) name name?  A '_' in s stands for a '-' in name,
 * so every name the command line takes may be spelt either way.
 */
int
vgs_name_eq(const char *name, const char *s, size_t len)
{
	size_t	i;

	if (strlen(name) != len)
		return (0);
	for (i = 0; i < len; i++) {
		if (name[i] != s[i] && !(name[i] == '-' && s[i] == '_'))
			return (0);
	}
	return (1);
}

/*
 * Walk a comma-separated list: start with *p at the list; each call
 * gives the next item (which may be empty) and its length, and 0 once
 * the list is done.
 */
int
vgs_list_next(const char **p, const char **item, size_t *len)
{
	if (*p == NULL)
		return (0);
	*item = *p;
	*len = strcspn(*p, ",");
	*p = (*p)[*len] == '\0' ? NULL : *p + *len + 1;
	return (1);
}

/* Is name among the items of the comma-separated list (NULL: none)? */
int
vgs_list_has(const char *list, const char *name)
{
	const char	*p = list, *item;
	size_t		 n;

	while (vgs_list_next(&p, &item, &n)) {
		if (vgs_name_eq(name, item, n))
			return (1);
	}
	return (0);
}

/* The symbolic name of an errno value ("EINVAL"), or "E?". */
const char *
vgs_errno_name(int e)
{
	const char	*s = strerrorname_np(e);

	return (s != NULL ? s : "E?");
}

/* The abbreviation of a signal without "SIG" ("SEGV"), or "?". */
const char *
vgs_signal_name(int sig)
{
	const char	*s = sigabbrev_np(sig);

	return (s != NULL ? s : "?");
}
