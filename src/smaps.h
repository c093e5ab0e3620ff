/*
 * smaps.h: reading and parsing /proc/PID/smaps.  Observation only: the
 * parser turns text into plain structs and never judges.
 */
#ifndef SMAPS_H
#define SMAPS_H

#include <stddef.h>
#include <stdint.h>

struct state;

struct smaps_entry {
	uintptr_t	 start;
	uintptr_t	 end;
	char		 perms[5];
	unsigned long long offset;
	char		 name[64];
	unsigned	 flags;		/* VGS_VMF_* */
	unsigned long	 anon_huge_kb;
	int		 has_vmflags;
};

struct smaps {
	char			*buf;
	size_t			 len;
	size_t			 cap;
	struct smaps_entry	*ent;
	size_t			 n;
	size_t			 ent_cap;
};

int	 smaps_parse(struct smaps *, const char *, size_t, char *, size_t);
int	 smaps_read(struct smaps *, const char *, char *, size_t);
void	 smaps_free(struct smaps *);
const struct smaps_entry *smaps_find(const struct smaps *, uintptr_t);
int	 smaps_area_add(const struct smaps *, uintptr_t, size_t, size_t,
	    struct state *);
void	 smaps_area(const struct smaps *, uintptr_t, size_t, size_t,
	    struct state *);

#endif
