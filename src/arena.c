/*
 * arena.c: the test window and its backings.
 *
 *   [border][ area: npages of anon | memfd | file ][border]
 *
 * The borders are one-page MAP_SHARED mappings of a memfd of their own,
 * which merge with nothing, so neither the process's own mappings nor a
 * PROT_NONE reservation can ever merge into the area.  Inside, every
 * mapping is MAP_FIXED and maps page i of the area at offset i of the
 * backing object, so split pieces may merge back.  Backing files are
 * unlinked as soon as they are open: nothing is left behind on any exit.
 */
#include "vgs.h"
#include "arena.h"
#include "pagemap.h"
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int		 border_fd = -1;
static const char	*tmpdir;

/* Use dir for backing files instead of $TMPDIR or /tmp. */
void
arena_set_tmpdir(const char *dir)
{
	tmpdir = dir;
}

/* The directory backing files are created in. */
const char *
arena_tmpdir(void)
{
	const char	*d;

	if (tmpdir != NULL)
		return (tmpdir);
	if ((d = getenv("TMPDIR")) != NULL && *d != '\0')
		return (d);
	return ("/tmp");
}

static int
open_backing(enum backing b, size_t npages, char *err, size_t errsz)
{
	char		*path, *page;
	uint64_t	 w[VGS_PROBE_WORDS];
	size_t		 i;
	int		 fd, k;

	if (b == VGS_BACKING_SHMEM) {
		if ((fd = memfd_create("vgs-shmem", MFD_CLOEXEC)) == -1) {
			snprintf(err, errsz, "memfd_create: %s",
			    strerror(errno));
			return (-1);
		}
		if (ftruncate(fd, npages * vgs_page_size) == -1) {
			snprintf(err, errsz, "ftruncate memfd: %s",
			    strerror(errno));
			close(fd);
			return (-1);
		}
		return (fd);
	}
	xasprintf(&path, "%s/vmaguard-stress.XXXXXX", arena_tmpdir());
	if ((fd = mkostemp(path, O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "create a file in %s: %s", arena_tmpdir(),
		    strerror(errno));
		free(path);
		return (-1);
	}
	unlink(path);
	free(path);
	page = xcalloc(1, vgs_page_size);
	for (i = 0; i < npages; i++) {
		probe_words(VGS_TAG_FILE, i, w);
		for (k = 0; k < VGS_PROBE_WORDS; k++)
			memcpy(page + probe_word_offset(k), &w[k], sizeof w[k]);
		if (pwrite(fd, page, vgs_page_size, i * vgs_page_size) !=
		    (ssize_t)vgs_page_size) {
			snprintf(err, errsz, "write to a file in %s: %s",
			    arena_tmpdir(), errno ? strerror(errno) :
			    "short write");
			free(page);
			close(fd);
			return (-1);
		}
	}
	free(page);
	return (fd);
}

/*
 * Can the backing files' directory hold one: a file created there (and
 * unlinked at once), written, mapped shared and read back?  Checked
 * before the run, so a bad --tmpdir stops it before the first check.
 * 0, or -1 with err.
 */
int
arena_check_tmpdir(char *err, size_t errsz)
{
	volatile const char	*p;
	char			 c;
	int			 fd;

	if ((fd = open_backing(VGS_BACKING_FILE_SHARED, 1, err, errsz)) == -1)
		return (-1);
	p = mmap(NULL, vgs_page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	if (p == MAP_FAILED) {
		snprintf(err, errsz, "map a file in %s: %s", arena_tmpdir(),
		    strerror(errno));
		close(fd);
		return (-1);
	}
	c = p[0];
	(void)c;
	munmap((void *)p, vgs_page_size);
	close(fd);
	return (0);
}

/* Where an area's window is asked for: 4 GiB, above a non-PIE program. */
#define ARENA_HINT	((uintptr_t)1 << 32)

/*
 * Create an area of npages pages of backing b, mapped read-write over its
 * whole length.  0, or -1 with err (a setup failure: hard error).
 */
int
arena_create(struct arena *ar, enum backing b, size_t npages, char *err,
    size_t errsz)
{
	size_t	ps = vgs_page_size;
	void	*p;

	memset(ar, 0, sizeof *ar);
	ar->fd = ar->pagemap_fd = -1;
	ar->backing = b;
	ar->npages = npages;
	if (border_fd == -1) {
		border_fd = memfd_create("vgs-border", MFD_CLOEXEC);
		if (border_fd == -1 || ftruncate(border_fd, ps) == -1) {
			snprintf(err, errsz, "memfd_create: %s",
			    strerror(errno));
			return (-1);
		}
	}
	if (b != VGS_BACKING_ANON &&
	    (ar->fd = open_backing(b, npages, err, errsz)) == -1)
		return (-1);
	ar->win_len = (npages + 2) * ps;
	/*
	 * Low in the address space if that is free (else where the kernel
	 * likes): smaps lists VMAs in address order, so the area's come
	 * first and observe_vmas() stops reading after them.  Up high,
	 * among the libraries, it read the program's and the heap's VMAs
	 * first (the kernel walks the page tables of each): a third of a
	 * checkpoint's smaps time.
	 */
	ar->win = mmap((void *)ARENA_HINT, ar->win_len, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ar->win == MAP_FAILED) {
		snprintf(err, errsz, "mmap window of %zu pages: %s",
		    npages + 2, strerror(errno));
		ar->win = NULL;
		arena_destroy(ar);
		return (-1);
	}
	ar->base = ar->win + ps;
	p = mmap(ar->win, ps, PROT_READ, MAP_SHARED | MAP_FIXED, border_fd, 0);
	if (p != MAP_FAILED)
		p = mmap(ar->base + npages * ps, ps, PROT_READ,
		    MAP_SHARED | MAP_FIXED, border_fd, 0);
	if (p == MAP_FAILED ||
	    arena_map(ar, 0, npages, PROT_READ | PROT_WRITE) != 0) {
		snprintf(err, errsz, "mmap test area: %s", strerror(errno));
		arena_destroy(ar);
		return (-1);
	}
	if ((ar->pagemap_fd = pagemap_open()) == -1) {
		snprintf(err, errsz, "open /proc/self/pagemap: %s",
		    strerror(errno));
		arena_destroy(ar);
		return (-1);
	}
	return (0);
}

/* Unmap the window and close what the area holds. */
void
arena_destroy(struct arena *ar)
{
	if (ar->win != NULL)
		munmap(ar->win, ar->win_len);
	if (ar->fd != -1)
		close(ar->fd);
	if (ar->pagemap_fd != -1)
		close(ar->pagemap_fd);
	ar->win = ar->base = NULL;
	ar->fd = ar->pagemap_fd = -1;
}

/* The address of area page pg. */
char *
arena_page(const struct arena *ar, size_t pg)
{
	return (ar->base + pg * vgs_page_size);
}

/*
 * Map pages first..first+n-1 afresh (MAP_FIXED), at the matching offset of
 * the backing object.  -1 with errno.
 */
int
arena_map(struct arena *ar, size_t first, size_t n, int prot)
{
	int	flags = MAP_FIXED;
	void	*p;

	switch (ar->backing) {
	case VGS_BACKING_ANON:
		flags |= MAP_PRIVATE | MAP_ANONYMOUS;
		break;
	case VGS_BACKING_FILE_PRIVATE:
		flags |= MAP_PRIVATE;
		break;
	default:
		flags |= MAP_SHARED;
		break;
	}
	p = mmap(arena_page(ar, first), n * vgs_page_size, prot, flags,
	    ar->backing == VGS_BACKING_ANON ? -1 : ar->fd,
	    ar->backing == VGS_BACKING_ANON ? 0 :
	    (off_t)(first * vgs_page_size));
	return (p == MAP_FAILED ? -1 : 0);
}

/* Unmap area pages; -1 with errno. */
int
arena_unmap(struct arena *ar, size_t first, size_t n)
{
	return (munmap(arena_page(ar, first), n * vgs_page_size));
}

/* After fork(): read the child's own page tables, not the parent's. */
int
arena_reopen_pagemap(struct arena *ar)
{
	if (ar->pagemap_fd != -1)
		close(ar->pagemap_fd);
	ar->pagemap_fd = pagemap_open();
	return (ar->pagemap_fd == -1 ? -1 : 0);
}
