/*
 * stress_ops.h: stress operations and their text form, one operation a line,
 * which --record writes, --replay reads and failure reports print.
 */
#ifndef STRESS_OPS_H
#define STRESS_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics.h"
#include "model.h"

enum op_kind {
	VGS_OP_INSTALL,		/* MADV_GUARD_INSTALL */
	VGS_OP_REMOVE,		/* MADV_GUARD_REMOVE */
	VGS_OP_PROTECT,		/* mprotect, arg: PROT_* */
	VGS_OP_ADVISE,		/* madvise flag toggle, arg: MADV_* */
	VGS_OP_WRITE,		/* per-page patterns, arg: tag */
	VGS_OP_DONTNEED,	/* MADV_DONTNEED */
	VGS_OP_REMAP,		/* munmap, mmap afresh, write, arg: tag */
	VGS_OP_MREMAP,		/* mremap out of the area and back */
	VGS_OP_FORK,		/* fork, the child checks everything */
	VGS_OP_COUNT
};

/* What an operation's argument holds. */
enum op_arg {
	VGS_ARG_NONE,
	VGS_ARG_PROT,		/* PROT_* */
	VGS_ARG_ADVICE,		/* one of op_advices[] */
	VGS_ARG_TAG		/* a data tag */
};

/* One kind of operation: the table in stress_ops.c, indexed by enum op_kind. */
struct op_desc {
	const char	*name;		/* its keyword in sequence files */
	unsigned	 weight;	/* its share of the mix, percent */
	enum metric	 metric;	/* where --metrics counts its time */
	enum op_arg	 arg;
	int		 ranged;	/* takes a page range */
};
extern const struct op_desc op_table[VGS_OP_COUNT];

/* The flag advice VGS_OP_ADVISE draws from: file keyword, C symbol. */
struct op_advice {
	int		 value;
	const char	*name;
	const char	*sym;
};
extern const struct op_advice op_advices[];
extern const size_t op_nadvices;

struct op {
	enum op_kind	kind;
	uint32_t	first;
	uint32_t	n;
	uint32_t	arg;
};

struct opseq {
	struct op	*ops;
	size_t		 n;
	size_t		 cap;
};

/* A stream: the ops one worker runs on one area. */
struct opstream {
	enum backing	 backing;
	size_t		 npages;
	uint64_t	 seed;
	struct opseq	 seq;
};

#define VGS_OP_TEXT	64

/* Write tags of the engine start here: 2 is the backing file's own. */
#define VGS_TAG_FIRST_STRESS	3U

/* The largest area --pages and sequence files may ask for. */
#define VGS_STRESS_MAX_PAGES	(1U << 20)

const char	*op_name(enum op_kind);
const struct op_advice *op_advice_of(int);
char		*op_format(const struct op *, char *, size_t);
int		 op_parse(const char *, struct op *, char *, size_t);
int		 op_fits(const struct op *, size_t);
void		 opseq_add(struct opseq *, const struct op *);
void		 opseq_free(struct opseq *);
void		 opseq_write(FILE *, const struct opstream *, size_t);
int		 opseq_save(const char *, const struct opstream *, size_t,
		    char *, size_t);
int		 opseq_load(const char *, struct opstream **, size_t *,
		    char *, size_t);
void		 opseq_free_streams(struct opstream *, size_t);

#endif
