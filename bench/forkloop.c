/*
 * forkloop.c: the baseline of bench/run's fork figure: fork, _exit and
 * waitpid in a loop, nothing checked, with an area like the stress
 * engine's (npages written, a guard on page 1) in the process.
 * Usage: forkloop NPAGES CYCLES; prints "CYCLES forks in SECONDS s".
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

int
main(int argc, char **argv)
{
	size_t	ps = (size_t)sysconf(_SC_PAGESIZE), np, i;
	long	n, k;
	char	*a;
	double	t0;
	pid_t	pid;

	if (argc != 3 || (np = strtoul(argv[1], NULL, 10)) < 2 ||
	    (n = strtol(argv[2], NULL, 10)) < 1) {
		fprintf(stderr, "usage: forkloop NPAGES CYCLES\n");
		return (2);
	}
	a = mmap(NULL, np * ps, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return (1);
	for (i = 0; i < np; i++)
		a[i * ps] = 1;
	madvise(a + ps, ps, 102);
	t0 = now();
	for (k = 0; k < n; k++) {
		if ((pid = fork()) == -1)
			return (1);
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, NULL, 0) != pid)
			return (1);
	}
	printf("%ld forks in %.3f s\n", n, now() - t0);
	return (0);
}
