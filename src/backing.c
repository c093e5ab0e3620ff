/*
 * backing.c: backing names and what each kind of backing is.
 */
#include "vgs.h"
#include "backing.h"

#include <string.h>

static const char *backing_names[VGS_BACKING_COUNT] = {
	"anon", "shmem", "file-shared", "file-private"
};

/* The user-visible name of a backing. */
const char *
backing_name(enum backing b)
{
	return ((unsigned)b < VGS_BACKING_COUNT ? backing_names[b] : "?");
}

/* The backing called name (len bytes, '_' for '-' allowed), or -1. */
int
backing_lookup(const char *name, size_t len)
{
	int	b;

	for (b = 0; b < VGS_BACKING_COUNT; b++) {
		if (vgs_name_eq(backing_names[b], name, len))
			return (b);
	}
	return (-1);
}

/* Does the backing map MAP_SHARED? */
int
backing_shared(enum backing b)
{
	return (b == VGS_BACKING_SHMEM || b == VGS_BACKING_FILE_SHARED);
}

/* Is the backing a regular file? */
int
backing_file(enum backing b)
{
	return (b == VGS_BACKING_FILE_SHARED || b == VGS_BACKING_FILE_PRIVATE);
}
