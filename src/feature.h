/*
 * feature.h: what the running kernel does, observed at run time
 * (doc/behaviour.md §5.2), never guessed from headers; and the verdict
 * that the evidence supports (verdict.c).
 */
#ifndef FEATURE_H
#define FEATURE_H

#include <stddef.h>

#include "backing.h"

/* The kernel generations of doc/behaviour.md §5.1, and a misfit. */
enum generation {
	VGS_GEN_NONE,		/* no guard regions (before 6.13) */
	VGS_GEN_GUARD,		/* guards on private anon only (6.13) */
	VGS_GEN_PRESERIES,	/* guards everywhere, no series (6.15) */
	VGS_GEN_SERIES,		/* VM_MAYBE_GUARD (6.18.37+, 6.19) */
	VGS_GEN_CONTRADICTORY,	/* the evidence tells two stories */
	VGS_GEN_UNSET		/* no --expect */
};

struct features {
	/* Evidence: 1 seen, 0 not seen; -1 where it could not be probed. */
	int	guard;		/* MADV_GUARD_INSTALL on private anon */
	int	guard_errno;	/* its errno when it failed */
	int	shared;		/* ... on shmem too (6.15) */
	int	pagemap_bit;	/* pagemap bit 58 on the marker (6.15) */
	int	scan;		/* PAGEMAP_SCAN ioctl (6.7) */
	int	scan_guard;	/* its PAGE_IS_GUARD category (6.16) */
	int	gu;		/* smaps shows gu after an install */
	int	merge;		/* separately guarded shmem VMAs merge */
	int	softdirty;	/* a fresh mapping shows sd */
	int	sd_sticky;	/* a clean VMA merging into a dirty one
				   keeps sd (-1 without soft-dirty) */
	int	stray;		/* an install marked a page beside it */
	int	lost;		/* an install returned 0 and left no
				   marker, where bit 58 shows markers */
	int	file_merge;	/* adjacent mmaps of a temp file merge: 1,
				   0, or -1 when no file could be made */
	unsigned long fs_magic;	/* statfs() of the temporary directory */
	char	fs_name[32];	/* its name, "ext4", or "0x..." */
	char	thp[16];	/* transparent_hugepage/enabled setting */
	char	release[65];	/* uname -r */
	char	machine[65];
	unsigned version;	/* the release as 10000 * major + 100 *
				   minor + patch (at most 99), 0 unknown */

	/* The verdict (verdict.c). */
	enum generation	gen;
	int		series;		/* judge gu and the series' layouts */
	char		evidence[512];	/* what the verdict rests on */
	char		conflict[512];	/* gen contradictory: why */
};

int		 feature_probe(struct features *, char *, size_t);
void		 feature_describe(const struct features *, char *, size_t);
void		 feature_lines(const struct features *, char *, size_t);
const char	*feature_backing_blocked(const struct features *,
		    enum backing, char *, size_t);
int		 feature_fs_never_merges(unsigned long);

/* verdict.c: the generation the evidence supports; no system calls. */
void		 verdict_judge(struct features *, enum generation);
const char	*verdict_name(enum generation);
int		 verdict_lookup(const char *, size_t);
unsigned	 verdict_version(const char *);

#endif
