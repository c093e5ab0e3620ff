/*
 * observe.h: fill a struct state from what the kernel shows for an area.
 */
#ifndef OBSERVE_H
#define OBSERVE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct arena;
struct features;
struct state;

/* How observe_pages() looks at a page: one of these per page. */
#define VGS_LOOK_NONE	0	/* not at all: access and data stay '?' */
#define VGS_LOOK_READ	1	/* a load of a page that is readable */
#define VGS_LOOK_GUP	2	/* process_vm_readv: fault in, no exception */
#define VGS_LOOK_FAULT	3	/* a load that should fault (SIGSEGV) */
#define VGS_LOOK_ORACLE	4	/* MADV_POPULATE_READ: would a load fault? */
#define VGS_LOOK_EMPTY	5	/* anonymous, nothing there: zero, unread */

/*
 * Another process's pages (a fork child's, looked at from its parent):
 * its pagemap entries and the parent's, both window-relative, which
 * pages are worth a read of its memory when the frames do not tell,
 * and how many pages the frames told about.
 */
struct remote {
	pid_t			 pid;
	int			 memfd;		/* its /proc/PID/mem, or -1 */
	const uint64_t		*child;		/* its pagemap entries */
	const uint64_t		*parent;	/* ours from before fork() */
	const unsigned char	*keep;
	size_t			 same;		/* pages on the parent's frame */
};

void	observe_init(const struct features *);
int	observe_area(const struct arena *, unsigned, struct state *, char *,
	    size_t);
void	observe_free(void);
int	observe_vmas(const struct arena *, pid_t, struct state *, char *,
	    size_t);
void	observe_pages(const struct arena *, size_t, size_t,
	    const unsigned char *, struct state *, struct remote *);

#endif
