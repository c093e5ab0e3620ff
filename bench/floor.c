/*
 * floor.c: the floor of bench/run: replay a --record file with the
 * mutating system calls only, no observation and no model, so that the
 * verified engine can be measured against what the operations cost the
 * kernel by themselves.
 *
 *   floor FILE		prints "floor: N ops, F forks in S streams, T s"
 *
 * Each stream runs in a process of its own, all at once (a -j 2 record
 * replays on two CPUs), on an area laid out as the engine's (arena.c):
 *
 *   [border][ area: npages of anon | memfd | file ][border]
 *
 * An operation does what the engine's does to the kernel: madvise,
 * mprotect, munmap and mmap afresh, mremap out of the area and back,
 * fork+_exit+waitpid, and writes of the same pattern words to the pages
 * the engine writes (mapped, writable, not guarded: the only state kept,
 * two bytes a page).  Nothing is read back.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define GUARD_INSTALL	102
#define GUARD_REMOVE	103
#define FILE_TAG	2U
#define FIRST_TAG	3U
#define MAXSTREAMS	64

enum kind { INSTALL, REMOVE, PROTECT, ADVISE, WRITE, DONTNEED, REMAP,
    MREMAP, FORK };

struct op {
	int		kind;
	uint32_t	first, n, arg;
};

struct stream {
	char		 backing[32];
	size_t		 npages;
	struct op	*ops;
	size_t		 n, cap;
};

static size_t	ps;

static const char *kinds[] = { "install", "remove", "protect", "advise",
    "write", "dontneed", "remap", "mremap", "fork" };
static const struct { const char *name; int v; } args[] = {
	{ "rw-", PROT_READ | PROT_WRITE }, { "r--", PROT_READ },
	{ "---", PROT_NONE }, { "random", MADV_RANDOM },
	{ "normal", MADV_NORMAL }, { "dontfork", MADV_DONTFORK },
	{ "dofork", MADV_DOFORK }, { "wipeonfork", MADV_WIPEONFORK },
	{ "keeponfork", MADV_KEEPONFORK },
};

static void
die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* One operation line, as opseq.c writes it. */
static int
parse(char *s, struct op *op)
{
	char		*w, *e;
	unsigned long	 a, b;
	size_t		 i;

	memset(op, 0, sizeof *op);
	if ((w = strtok(s, " \t\n")) == NULL)
		return (-1);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(w, kinds[i]) == 0)
			break;
	if (i == sizeof kinds / sizeof kinds[0])
		return (-1);
	op->kind = (int)i;
	if (op->kind == FORK)
		return (0);
	if ((w = strtok(NULL, " \t\n")) == NULL || *w != 'p')
		return (-1);
	a = b = strtoul(w + 1, &e, 10);
	if (*e == '-')
		b = strtoul(e + 1, &e, 10);
	op->first = (uint32_t)a;
	op->n = (uint32_t)(b - a + 1);
	if ((w = strtok(NULL, " \t\n")) == NULL)
		return (0);
	if (strncmp(w, "tag=", 4) == 0) {
		op->arg = (uint32_t)strtoul(w + 4, NULL, 10);
		return (0);
	}
	for (i = 0; i < sizeof args / sizeof args[0]; i++)
		if (strcmp(w, args[i].name) == 0)
			op->arg = (uint32_t)args[i].v;
	return (0);
}

static size_t
load(const char *path, struct stream *st)
{
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0, n = 0;
	unsigned long	 pages;
	struct op	 op;
	struct stream	*s;

	if ((f = fopen(path, "r")) == NULL)
		die(path);
	while (getline(&line, &cap, f) != -1) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (strncmp(line, "stream ", 7) == 0) {
			if (n == MAXSTREAMS)
				break;
			s = &st[n++];
			memset(s, 0, sizeof *s);
			if (sscanf(line, "stream backing=%31s pages=%lu",
			    s->backing, &pages) != 2)
				die("bad stream line");
			s->npages = pages;
			continue;
		}
		if (n == 0 || parse(line, &op) != 0)
			continue;
		s = &st[n - 1];
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 1024;
			if ((s->ops = realloc(s->ops, s->cap *
			    sizeof *s->ops)) == NULL)
				die("realloc");
		}
		s->ops[s->n++] = op;
	}
	free(line);
	fclose(f);
	return (n);
}

/* probe.c's pattern: tag high, a hash of the page index low. */
static void
write_page(char *p, uint32_t tag, size_t pg)
{
	size_t		off[3] = { 0, ps / 2, ps - 8 };
	uint64_t	w;
	int		i;

	for (i = 0; i < 3; i++) {
		w = ((uint64_t)tag << 32) | ((uint32_t)(pg * 0x9e3779b1U) ^
		    (0x5bd1e995U * (i + 1)));
		*(volatile uint64_t *)(p + off[i]) = w;
	}
}

struct area {
	char		*base;
	int		 fd, shared;
	size_t		 npages;
	unsigned char	*prot, *guard;
};

static void
map(struct area *a, size_t first, size_t n)
{
	int	flags = MAP_FIXED | (a->shared ? MAP_SHARED : MAP_PRIVATE);

	if (a->fd == -1)
		flags |= MAP_ANONYMOUS;
	if (mmap(a->base + first * ps, n * ps, PROT_READ | PROT_WRITE, flags,
	    a->fd, a->fd == -1 ? 0 : (off_t)(first * ps)) == MAP_FAILED)
		die("mmap");
	memset(a->prot + first, PROT_READ | PROT_WRITE, n);
	memset(a->guard + first, 0, n);
}

static void
setup(struct area *a, const struct stream *s)
{
	char	*win, path[] = "/tmp/vgs-floor.XXXXXX", *page;
	int	 bfd;
	size_t	 i;

	a->npages = s->npages;
	a->fd = -1;
	a->shared = strcmp(s->backing, "shmem") == 0 ||
	    strcmp(s->backing, "file-shared") == 0;
	if (strcmp(s->backing, "shmem") == 0) {
		if ((a->fd = memfd_create("vgs-floor", MFD_CLOEXEC)) == -1 ||
		    ftruncate(a->fd, a->npages * ps) == -1)
			die("memfd");
	} else if (strcmp(s->backing, "anon") != 0) {
		if ((a->fd = mkostemp(path, O_CLOEXEC)) == -1)
			die(path);
		unlink(path);
		if ((page = calloc(1, ps)) == NULL)
			die("calloc");
		for (i = 0; i < a->npages; i++) {
			write_page(page, FILE_TAG, i);
			if (pwrite(a->fd, page, ps, i * ps) != (ssize_t)ps)
				die("pwrite");
		}
		free(page);
	}
	if ((bfd = memfd_create("vgs-border", MFD_CLOEXEC)) == -1 ||
	    ftruncate(bfd, ps) == -1)
		die("memfd");
	win = mmap(NULL, (a->npages + 2) * ps, PROT_NONE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (win == MAP_FAILED)
		die("mmap window");
	a->base = win + ps;
	if (mmap(win, ps, PROT_READ, MAP_SHARED | MAP_FIXED, bfd, 0) ==
	    MAP_FAILED || mmap(a->base + a->npages * ps, ps, PROT_READ,
	    MAP_SHARED | MAP_FIXED, bfd, 0) == MAP_FAILED)
		die("mmap border");
	if ((a->prot = malloc(a->npages)) == NULL ||
	    (a->guard = malloc(a->npages)) == NULL)
		die("malloc");
	map(a, 0, a->npages);
	write_page(a->base, FIRST_TAG, 0);
}

static void
writes(struct area *a, size_t first, size_t n, uint32_t tag)
{
	size_t	i;

	for (i = first; i < first + n; i++)
		if (!a->guard[i] && (a->prot[i] & PROT_WRITE))
			write_page(a->base + i * ps, tag, i);
}

/* Out of the area and back; page by page where a move may not span VMAs. */
static void
move(struct area *a, size_t first, size_t n)
{
	char	*src = a->base + first * ps, *scratch;
	size_t	 i, len = n * ps;

	scratch = mmap(NULL, (n + 2) * ps, PROT_NONE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (scratch == MAP_FAILED)
		die("mmap scratch");
	if (mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
	    scratch + ps) != MAP_FAILED) {
		if (mremap(scratch + ps, len, len, MREMAP_MAYMOVE |
		    MREMAP_FIXED, src) == MAP_FAILED)
			die("mremap back");
	} else if (errno == EFAULT) {
		for (i = 0; i < n; i++) {
			if (mremap(src + i * ps, ps, ps, MREMAP_MAYMOVE |
			    MREMAP_FIXED, scratch + ps) == MAP_FAILED ||
			    mremap(scratch + ps, ps, ps, MREMAP_MAYMOVE |
			    MREMAP_FIXED, src + i * ps) == MAP_FAILED)
				die("mremap");
		}
	} else
		die("mremap");
	munmap(scratch, (n + 2) * ps);
}

static void
op_run(struct area *a, const struct op *op, unsigned long *forks)
{
	char	*p = a->base + (size_t)op->first * ps;
	size_t	 len = (size_t)op->n * ps, i;
	pid_t	 pid;

	switch (op->kind) {
	case INSTALL:
	case REMOVE:
		madvise(p, len, op->kind == INSTALL ? GUARD_INSTALL :
		    GUARD_REMOVE);
		for (i = op->first; i < op->first + op->n; i++)
			a->guard[i] = op->kind == INSTALL;
		break;
	case PROTECT:
		mprotect(p, len, (int)op->arg);
		memset(a->prot + op->first, (int)op->arg, op->n);
		break;
	case ADVISE:
		madvise(p, len, (int)op->arg);
		break;
	case DONTNEED:
		madvise(p, len, MADV_DONTNEED);
		break;
	case WRITE:
		writes(a, op->first, op->n, op->arg);
		break;
	case REMAP:
		if (munmap(p, len) == -1)
			die("munmap");
		map(a, op->first, op->n);
		writes(a, op->first, op->n, op->arg);
		break;
	case MREMAP:
		move(a, op->first, op->n);
		break;
	case FORK:
		if ((pid = fork()) == -1)
			die("fork");
		if (pid == 0)
			_exit(0);
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		(*forks)++;
		break;
	}
}

/*
 * With FLOOR_KINDS set in the environment, each stream prints on stderr
 * the count and wall time of each kind of operation, to be set beside
 * the tool's --metrics.
 */
static void
replay(const struct stream *s, int wfd)
{
	struct area	a;
	unsigned long	forks = 0, cnt[FORK + 1] = { 0 };
	double		t, sum[FORK + 1] = { 0 };
	size_t		i;
	int		k, timed = getenv("FLOOR_KINDS") != NULL;

	setup(&a, s);
	for (i = 0; i < s->n; i++) {
		t = timed ? now() : 0;
		op_run(&a, &s->ops[i], &forks);
		if (timed) {
			sum[s->ops[i].kind] += now() - t;
			cnt[s->ops[i].kind]++;
		}
	}
	for (k = 0; timed && k <= FORK; k++)
		fprintf(stderr, "  %-10s %8lu %10.2f us each\n", kinds[k],
		    cnt[k], cnt[k] ? sum[k] * 1e6 / cnt[k] : 0.0);
	if (write(wfd, &forks, sizeof forks) != sizeof forks)
		die("write");
}

int
main(int argc, char **argv)
{
	static struct stream	st[MAXSTREAMS];
	unsigned long		forks = 0, f;
	size_t			n, k, ops = 0;
	double			t0 = now();
	int			p[2];
	pid_t			pid;

	if (argc != 2) {
		fprintf(stderr, "usage: floor FILE\n");
		return (2);
	}
	ps = (size_t)sysconf(_SC_PAGESIZE);
	if ((n = load(argv[1], st)) == 0) {
		fprintf(stderr, "floor: %s: no stream\n", argv[1]);
		return (1);
	}
	if (pipe(p) == -1)
		die("pipe");
	fflush(stdout);
	for (k = 0; k < n; k++) {
		ops += st[k].n;
		if ((pid = fork()) == -1)
			die("fork");
		if (pid == 0) {
			close(p[0]);
			replay(&st[k], p[1]);
			_exit(0);
		}
	}
	close(p[1]);
	for (k = 0; k < n; k++) {
		if (read(p[0], &f, sizeof f) != sizeof f) {
			fprintf(stderr, "floor: a stream failed\n");
			return (1);
		}
		forks += f;
	}
	while (wait(NULL) != -1 || errno == EINTR)
		;
	printf("floor: %zu ops, %lu forks in %zu streams, %.3f s\n", ops,
	    forks, n, now() - t0);
	return (0);
}
