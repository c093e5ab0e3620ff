/*
 * parallel.c: does this machine run two processes' memory work side by
 * side?  bench/run prints it beside the -j 2 figure, which no tool can
 * bring above what the machine gives.  Each kind of work runs N times
 * in one process, then in two processes at once; the scaling is
 * 2 x (one's time) / (both's time): 2 for work that runs side by side,
 * 1 for work that runs one process at a time, below 1 when the two get
 * in each other's way.
 *   syscall     getppid(), a system call that touches no memory
 *   mprotect    a page's protection toggled
 *   fault+zap   a page written (a page fault) and zapped again
 *               (MADV_DONTNEED of a present page: a TLB flush)
 * Usage: parallel N; prints one line per kind.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

#define NPAGES	64

enum kind { SYSCALL, MPROTECT, FAULT_ZAP, NKINDS };

static const char *const names[NKINDS] = { "syscall", "mprotect",
    "fault+zap" };

static void
work(enum kind k, long n)
{
	size_t		 ps = (size_t)sysconf(_SC_PAGESIZE);
	volatile char	*p;
	char		*a;
	long		 i;

	a = mmap(NULL, NPAGES * ps, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		_exit(1);
	/* A system call costs about a tenth of the others. */
	if (k == SYSCALL)
		n *= 10;
	for (i = 0; i < n; i++) {
		p = a + (size_t)(i % NPAGES) * ps;
		switch (k) {
		case SYSCALL:
			(void)getppid();
			break;
		case MPROTECT:
			if (mprotect((char *)p, ps, i & 1 ? PROT_READ :
			    PROT_READ | PROT_WRITE) == -1)
				_exit(1);
			break;
		case FAULT_ZAP:
			*p = 1;
			if (madvise((char *)p, ps, MADV_DONTNEED) == -1)
				_exit(1);
			break;
		default:
			break;
		}
	}
	_exit(0);
}

/* Run k in nproc processes at once; their wall time, or -1. */
static double
run(enum kind k, long n, int nproc)
{
	double	t0 = now();
	int	i, st, ok = 1;

	for (i = 0; i < nproc; i++) {
		switch (fork()) {
		case -1:
			return (-1);
		case 0:
			work(k, n);
		}
	}
	for (i = 0; i < nproc; i++) {
		if (wait(&st) == -1 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			ok = 0;
	}
	return (ok ? now() - t0 : -1);
}

int
main(int argc, char **argv)
{
	double	one, two;
	long	n;
	int	k;

	if (argc != 2 || (n = strtol(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: parallel N\n");
		return (2);
	}
	for (k = 0; k < NKINDS; k++) {
		if ((one = run(k, n, 1)) <= 0 || (two = run(k, n, 2)) <= 0) {
			fprintf(stderr, "parallel: %s failed\n", names[k]);
			return (1);
		}
		printf("%s %.2f\n", names[k], 2 * one / two);
	}
	return (0);
}
