/*
 * feature.h: what the running kernel supports, probed at run time
 * (doc/behaviour.md §5), never guessed from version strings or headers.
 */
#ifndef FEATURE_H
#define FEATURE_H

#include <stddef.h>

#include "backing.h"

struct features {
	int	guard;		/* MADV_GUARD_INSTALL on private anon */
	int	guard_errno;	/* its errno when it failed */
	int	shared;		/* ... on shmem and files too (6.15) */
	int	pagemap_bit;	/* pagemap bit 58 (6.15) */
	int	scan;		/* PAGEMAP_SCAN ioctl (6.7) */
	int	scan_guard;	/* PAGE_IS_GUARD category (6.16) */
	int	gu;		/* smaps shows gu: the series is present */
	int	softdirty;	/* a fresh mapping shows sd */
	int	file_merge;	/* adjacent mmaps of a temp file merge: 1, 0,
				   or -1 when no file could be made */
	char	thp[16];	/* transparent_hugepage/enabled setting */
	char	release[65];	/* uname -r */
	char	machine[65];
};

int	feature_probe(struct features *, char *, size_t);
void	feature_describe(const struct features *, char *, size_t);
void	feature_lines(const struct features *, char *, size_t);
const char *feature_backing_blocked(const struct features *, enum backing,
	    char *, size_t);

#endif
