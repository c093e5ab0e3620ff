/*
 * state.h: the plain description of a test area that both sides of a
 * comparison use: what the model expects and what the observers saw.
 * Page indices are relative to the first page of the area.
 */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>
#include <stdint.h>

/* VmFlags tokens the tool understands (smaps mnemonics in comments). */
#define VGS_VMF_GU	(1U << 0)	/* gu: VM_MAYBE_GUARD */
#define VGS_VMF_WF	(1U << 1)	/* wf: VM_WIPEONFORK */
#define VGS_VMF_DC	(1U << 2)	/* dc: VM_DONTCOPY */
#define VGS_VMF_RR	(1U << 3)	/* rr: VM_RAND_READ */
#define VGS_VMF_SR	(1U << 4)	/* sr: VM_SEQ_READ */
#define VGS_VMF_DD	(1U << 5)	/* dd: VM_DONTDUMP */
#define VGS_VMF_HG	(1U << 6)	/* hg: VM_HUGEPAGE */
#define VGS_VMF_NH	(1U << 7)	/* nh: VM_NOHUGEPAGE */
#define VGS_VMF_LO	(1U << 8)	/* lo: VM_LOCKED */
#define VGS_VMF_SL	(1U << 9)	/* sl: VM_SEALED */
#define VGS_VMF_SD	(1U << 10)	/* sd: VM_SOFTDIRTY */
#define VGS_VMF_UM	(1U << 11)	/* um: VM_UFFD_MISSING */
#define VGS_VMF_UW	(1U << 12)	/* uw: VM_UFFD_WP */
#define VGS_VMF_SH	(1U << 13)	/* sh: VM_SHARED */
#define VGS_VMF_AC	(1U << 14)	/* ac: VM_ACCOUNT */
#define VGS_VMF_NTOKENS	15

/* Page content tags: 0 unknown/unread, 1 zero, 2.. a written pattern. */
#define VGS_DATA_UNKNOWN	0U
#define VGS_DATA_ZERO		1U
#define VGS_DATA_OTHER		0xffffffffU
#define VGS_TAG_WRITTEN		3U	/* tags from here on: the tool wrote */

/* Which parts of a state are filled in. */
#define VGS_HAVE_VMAS		(1U << 0)
#define VGS_HAVE_MARKS		(1U << 1)
#define VGS_HAVE_SCAN		(1U << 2)
#define VGS_HAVE_ACCESS		(1U << 3)
#define VGS_HAVE_DATA		(1U << 4)
#define VGS_HAVE_WRITE		(1U << 5)
#define VGS_HAVE_ALL		0x3fU

struct vma {
	size_t		first;		/* first page, area-relative */
	size_t		npages;
	char		perms[5];	/* "rw-p" */
	unsigned	flags;		/* VGS_VMF_* */
};

struct state {
	size_t		 npages;
	unsigned	 have;		/* VGS_HAVE_* */
	size_t		 nvmas;
	size_t		 vmas_cap;
	struct vma	*vmas;
	char		*marks;		/* G guard, p present, . none, ? */
	char		*scan;		/* G or . from PAGEMAP_SCAN */
	char		*access;	/* a read: r, or S P B (a fault), ? */
	char		*write;		/* a write: w, or S P B, ? */
	uint32_t	*data;		/* VGS_DATA_* or a tag */
};

void		 state_init(struct state *, size_t);
void		 state_free(struct state *);
void		 state_reset(struct state *);
struct vma	*state_add_vma(struct state *);
const struct vma *state_vma_at(const struct state *, size_t);
const char	*state_flag_name(unsigned);
unsigned	 state_flag_lookup(const char *, size_t);
char		*state_format(const struct state *);
int		 state_parse(const char *, size_t, struct state *,
		    char *, size_t);
char		*state_strips(const struct state *, const char *);

#endif
