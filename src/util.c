/*
 * util.c: process-wide basics: the page size, the program name, allocation
 * that cannot fail and fatal() for errors nothing can recover from (they
 * end the run with the hard-error status, 99).
 */
#include "vgs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t		 vgs_page_size;
const char	*vgs_progname = "vmaguard-stress";

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
	fprintf(stderr, "%s: ", vgs_progname);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
}

/* Report a failed system call and exit with the hard-error status. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vfatal(1, fmt, ap);
	va_end(ap);
	exit(VGS_EXIT_HARD);
}

/* As fatal(), without errno. */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vfatal(0, fmt, ap);
	va_end(ap);
	exit(VGS_EXIT_HARD);
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
