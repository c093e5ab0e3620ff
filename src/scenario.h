/*
 * scenario.h: the catalogue of fixed scenarios and the helpers their run
 * functions use.  A scenario is data (one const struct each, listed in
 * scenarios.def); its run function drives one area of one backing through
 * operations and checks the kernel against the model after each step.
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "check.h"
#include "model.h"
#include "state.h"

struct features;
struct vgs_opts;

/*
 * Features a scenario needs beyond guard regions on its backing.
 * VGS_NEED_GU marks a scenario whose point is gu itself (stickiness):
 * on a kernel without the series it still runs, so markers, access and
 * data are judged, but it ends as SKIP "pre-series kernel" when it
 * expected gu.  Other scenarios ignore gu there and may PASS.
 * --require=gu judges gu everywhere.
 */
#define VGS_NEED_GU		(1U << 0)	/* the series */
#define VGS_NEED_THP		(1U << 1)
#define VGS_NEED_SOFTDIRTY	(1U << 2)

/* What a run function returns: the exit-status values. */
#define VGS_PASS	0
#define VGS_FAIL	1
#define VGS_SKIP	77
#define VGS_HARD	99

/* Observe everything, or everything but the faulting access probe. */
#define VGS_SEE_ALL		VGS_HAVE_ALL
#define VGS_SEE_NO_ACCESS	(VGS_HAVE_VMAS | VGS_HAVE_MARKS | VGS_HAVE_SCAN)

/*
 * npages of a scenario whose area is two PMD-sized huge pages long: that
 * is 1024 pages with 4K pages but 4096 with 16K (32 MiB PMDs), so
 * run_one() asks thp_area_pages() at run time.
 */
#define VGS_NPAGES_2PMD		((size_t)0)

struct scn;

struct scenario {
	const char	*name;
	const char	*summary;	/* one line for --list */
	const char	*row;		/* SPEC §3 row(s) it covers */
	unsigned	 backings;	/* VGS_BACKING_BIT mask */
	const char	*na_reason;	/* why other backings are skipped */
	unsigned	 needs;		/* VGS_NEED_* */
	size_t		 npages;
	int		(*run)(struct scn *);
};

struct scn {
	const struct scenario	*sc;
	enum backing		 backing;
	struct arena		 ar;
	struct model		 m;
	const struct features	*feat;
	const struct vgs_opts	*opts;
	struct judge		 judge;
	struct state		 exp;
	struct state		 obs;
	unsigned		 steps;
	int			 in_child;
	int			 gu_relied;	/* gu expected, not judged */
	int			 series_absent;	/* a series step differed */
	int			 hard;		/* setup failed: status 99 */
	uint32_t		 next_tag;
	char			 label[128];
	char			 reason[VGS_MSG_MAX];
	char			*detail;	/* failure detail, malloc'd */
	char			*trace;		/* steps, for --verbose */
};

#define X(name)	extern const struct scenario scen_##name;
#include "scenarios.def"
#undef X

extern const struct scenario *const scenario_table[];
extern const size_t scenario_count;

const struct scenario *scenario_lookup(const char *, size_t);
int	 scenario_run_all(const struct vgs_opts *, const struct features *);
void	 scenario_list(void);

/* Where scn_judge() takes its expectation from. */
#define VGS_JUDGE_MODEL		0	/* the model */
#define VGS_JUDGE_GIVEN		1	/* s->exp, filled in by the caller */
#define VGS_JUDGE_LAYOUT	2	/* the model, gu left out */
#define VGS_JUDGE_SERIES	3	/* the model; a layout difference on a
					   kernel without the series is
					   "series absent" */

/* Helpers for run functions: each returns 0, or -1 with s->reason set. */
int	 scn_judge(struct scn *, const char *, unsigned, int, size_t, size_t,
	    size_t);
int	 scn_check(struct scn *, const char *, unsigned);
int	 scn_check_series(struct scn *, const char *, unsigned);
int	 scn_install(struct scn *, size_t, size_t);
int	 scn_remove(struct scn *, size_t, size_t);
int	 scn_protect(struct scn *, size_t, size_t, int);
int	 scn_advise(struct scn *, size_t, size_t, int, const char *);
int	 scn_write(struct scn *, size_t, size_t);
int	 scn_map(struct scn *, size_t, size_t, int, unsigned);
int	 scn_unmap(struct scn *, size_t, size_t);
int	 scn_fork(struct scn *, int (*)(struct scn *), const char *);
int	 scn_fail(struct scn *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 scn_skip(struct scn *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 scn_hard(struct scn *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 scn_note(struct scn *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 scn_show(struct scn *);

/* scn_ops.c: steps outside the model's rule; same conventions. */
int	 scn_check_expect(struct scn *, const char *, unsigned,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
int	 scn_check_moved(struct scn *, const char *, unsigned, size_t,
	    size_t, size_t);
int	 scn_check_layout(struct scn *, const char *, unsigned);
int	 scn_expect_result(struct scn *, const char *, long, int, long,
	    int);
int	 scn_expect_errno(struct scn *, const char *, int, int);
int	 scn_guard_expect(struct scn *, size_t, size_t, int, int);
int	 scn_mremap(struct scn *, size_t, size_t, size_t, size_t, int,
	    unsigned);
int	 scn_mlock(struct scn *, size_t, size_t, int, int);
int	 scn_sys_mseal(void *, size_t);
int	 scn_mseal(struct scn *, size_t, size_t, int);
int	 scn_punch(struct scn *, size_t, size_t);
int	 scn_truncate(struct scn *);
int	 scn_map_fd(struct scn *, size_t, size_t, int, int, int, long,
	    unsigned);
int	 scn_touch(struct scn *, size_t, size_t, size_t);
int	 scn_expect_data(struct scn *, const char *, size_t, size_t, size_t,
	    uint32_t);
uint32_t scn_write_raw(struct scn *, size_t, size_t, size_t);
int	 scn_expect_write_fault(struct scn *, size_t, size_t);
char	 scn_share_char(const struct scn *);

/* scn_thp.c: the size of a VGS_NPAGES_2PMD area. */
size_t	 thp_area_pages(void);

/* Step helpers: return VGS_FAIL from the run function on failure. */
#define TRY(x)	do { if ((x) != 0) return (VGS_FAIL); } while (0)

#endif
