/*
 * stress.h: the random stress engine.  One stream is one area of one
 * backing driven through a sequence of operations (generated from a
 * seed, or read from a file), each followed by observations judged
 * against the model; stress_run.c runs streams in worker processes and
 * reports them, minimise.c shrinks a failing sequence, emitc.c turns it
 * into a standalone C program, race.c races guard installs against fork.
 */
#ifndef STRESS_H
#define STRESS_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "model.h"
#include "opseq.h"
#include "vgs.h"

struct features;
struct vgs_opts;

#define VGS_STRESS_PAGES	64	/* default area size */
#define VGS_STRESS_MS		1000	/* default phase length */
#define VGS_STRESS_DETAIL	12288	/* failure detail per stream */
#define VGS_FORK_SMAPS_EVERY	32	/* fork children read smaps */

/*
 * Observers a stream needs (struct stress_cfg need): where one that the
 * kernel's generation must have is missing, the stream fails rather
 * than judge less with what is left.
 */
#define VGS_OBS_PROCMAP	0x1	/* PROCMAP_QUERY (6.11) */
#define VGS_OBS_PAGEMAP	0x2	/* pagemap bit 58 (6.15) */
#define VGS_OBS_SCAN		0x4	/* PAGEMAP_SCAN PAGE_IS_GUARD (6.16) */
#define VGS_OBS_GU		0x8	/* gu in smaps (the series) */

struct stress_cfg {
	enum backing		 backing;
	size_t			 npages;
	uint64_t		 seed;	/* the stream's own */
	uint64_t		 max_ops;	/* 0: no limit */
	double			 deadline;	/* 0: none */
	unsigned		 smaps_interval;
	int			 bare;	/* 1: no judge, 2: nor forks */
	int			 strict;	/* whole area per op */
	int			 check_gu;
	unsigned		 need;	/* VGS_OBS_* */
	const struct features	*feat;
	const struct opseq	*ops;	/* replay these, or NULL */
};

/* A stream's outcome; lives in shared memory so workers can fill it. */
struct stress_result {
	volatile int	 done;
	int		 status;	/* VGS_EXIT_PASS, _FAIL or _HARD */
	uint64_t	 ops;		/* operations that passed */
	uint64_t	 forks;
	uint64_t	 checkpoints;
	uint64_t	 fail_index;
	struct op	 fail_op;
	int		 in_child;	/* the fork child saw it */
	char		 aspect[16];
	char		 reason[VGS_MSG_MAX];
	char		 detail[VGS_STRESS_DETAIL];
	struct metric_value met[VGS_MET_COUNT];	/* the worker's metrics */
};

double	 stress_now(void);
unsigned stress_default_interval(size_t);
int	 stress_stream(const struct stress_cfg *, struct stress_result *);
void	 stress_gen_ops(uint64_t, size_t, uint64_t, struct opseq *);
int	 stress_model_op(struct model *, const struct op *, unsigned *);
unsigned stress_needs(const struct features *, int);
void	 stress_describe(size_t, unsigned, char *, size_t);
int	 stress_phase(const struct vgs_opts *, const struct features *, int);

int	 minimise_ops(const struct stress_cfg *, const struct opseq *,
	    const char *, struct opseq *, unsigned *, char *, size_t);

int	 emitc_write(const char *, const struct stress_cfg *,
	    const struct opseq *, char *, size_t);
extern const char *const emitc_runtime[];

int	 race_run(const struct vgs_opts *, const struct features *,
	    enum backing, double, uint64_t *);

#endif
