/*
 * procmap.h: VMA boundaries and permissions of part of an area, cheaply:
 * the PROCMAP_QUERY ioctl (6.11) on /proc/self/maps, or the text of that
 * file where the kernel lacks the ioctl.  No VmFlags: those need smaps.
 */
#ifndef PROCMAP_H
#define PROCMAP_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct state;

struct procmap {
	int	 fd;
	int	 query;		/* PROCMAP_QUERY works */
	char	*buf;		/* /proc/self/maps text (fallback) */
	size_t	 cap;
	unsigned long calls;	/* ioctls or reads, for the benchmark */
};

int	procmap_open(struct procmap *, char *, size_t);
int	procmap_reopen(struct procmap *, char *, size_t);
int	procmap_open_pid(struct procmap *, const struct procmap *, pid_t,
	    char *, size_t);
void	procmap_close(struct procmap *);
int	procmap_area(struct procmap *, uintptr_t, size_t, size_t,
	    struct state *, char *, size_t);

#endif
