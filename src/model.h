/*
 * model.h: the expected state of a test area (SPEC §2 and §5).  Pure
 * bookkeeping: nothing here makes a system call.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

struct state;

enum backing {
	VGS_BACKING_ANON,
	VGS_BACKING_SHMEM,
	VGS_BACKING_FILE_SHARED,
	VGS_BACKING_FILE_PRIVATE,
	VGS_BACKING_COUNT
};
#define VGS_BACKING_ALL		0xfU
#define VGS_BACKING_BIT(b)	(1U << (b))

/* Flags the model predicts; others in smaps are not compared. */
#define VGS_VMF_MODELLED	(VGS_VMF_GU | VGS_VMF_WF | VGS_VMF_DC | \
    VGS_VMF_RR | VGS_VMF_SR | VGS_VMF_DD | VGS_VMF_HG | VGS_VMF_NH | \
    VGS_VMF_LO | VGS_VMF_SL)

struct mpage {
	unsigned char	mapped;
	unsigned char	prot;		/* PROT_READ | PROT_WRITE */
	unsigned char	guard;
	unsigned char	gu;
	unsigned short	seg;		/* pages of different segs never merge */
	unsigned	adv;		/* VGS_VMF_* advice and lock bits */
	uint32_t	data;		/* expected content, VGS_DATA_* or tag */
};

struct model {
	enum backing	 backing;
	size_t		 npages;
	struct mpage	*pg;
	uint32_t	*obj;		/* backing object's content per page */
	int		 lazy;		/* caller settles: model_settle_range */
};

const char	*model_backing_name(enum backing);
int		 model_backing_lookup(const char *, size_t);
int		 model_backing_shared(enum backing);
int		 model_backing_file(enum backing);
void		 model_init(struct model *, enum backing, size_t, uint32_t);
void		 model_free(struct model *);
void		 model_copy(struct model *, const struct model *);
void		 model_map(struct model *, size_t, size_t, int, unsigned);
void		 model_unmap(struct model *, size_t, size_t);
void		 model_protect(struct model *, size_t, size_t, int);
int		 model_advise(struct model *, size_t, size_t, int);
void		 model_flag(struct model *, size_t, size_t, unsigned, int);
void		 model_guard(struct model *, size_t, size_t, int);
void		 model_write(struct model *, size_t, size_t, uint32_t);
void		 model_fork(const struct model *, struct model *);
void		 model_expect(const struct model *, struct state *);
int		 model_has_guard(const struct model *, size_t, size_t);
void		 model_remap(struct model *, size_t, size_t, size_t, size_t,
		    unsigned);
void		 model_punch(struct model *, size_t, size_t, int);
int		 model_same_vma(const struct mpage *, const struct mpage *);

/* model_incr.c: the model used incrementally (the stress engine). */
void		 model_settle_range(struct model *, size_t, size_t);
void		 model_settle_all(struct model *);
unsigned	 model_remap_seg(const struct model *, size_t, size_t,
		    unsigned *);
void		 model_expect_window(const struct model *, size_t, size_t,
		    struct state *);
void		 model_fork_page(const struct mpage *, struct mpage *);
void		 model_expect_pages(const struct model *, const struct mpage *,
		    size_t, struct state *);

#endif
