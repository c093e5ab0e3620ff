/*
 * backing.h: the kinds of memory a test area can be (doc/behaviour.md
 * §1): the one kernel-facing type that the model, the observers, the
 * arena and the command line all speak of.
 */
#ifndef BACKING_H
#define BACKING_H

#include <stddef.h>

enum backing {
	VGS_BACKING_ANON,		/* MAP_PRIVATE | MAP_ANONYMOUS */
	VGS_BACKING_SHMEM,		/* a memfd, MAP_SHARED */
	VGS_BACKING_FILE_SHARED,	/* a regular file, MAP_SHARED */
	VGS_BACKING_FILE_PRIVATE,	/* the same file, MAP_PRIVATE */
	VGS_BACKING_COUNT
};
#define VGS_BACKING_ALL		0xfU
#define VGS_BACKING_BIT(b)	(1U << (b))

const char	*backing_name(enum backing);
int		 backing_lookup(const char *, size_t);
int		 backing_shared(enum backing);
int		 backing_file(enum backing);

#endif
