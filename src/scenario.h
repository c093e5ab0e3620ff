/*
 * scenario.h: the catalogue of fixed scenarios.  A scenario is data (one
 * const struct each, listed in scenarios.def); its run function drives
 * one area of one backing through steps (step.h) that act on the kernel
 * and the model and judge the kernel after each.
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "judge.h"
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

/*
 * npages of a scenario whose area is two PMD-sized huge pages long: that
 * is 1024 pages with 4K pages but 4096 with 16K (32 MiB PMDs), so
 * run_one() asks thp_area_pages() at run time.
 */
#define VGS_NPAGES_2PMD		((size_t)0)

struct scn;

/* A catalogue entry; entries are written with designated initialisers. */
struct scenario {
	const char	*name;
	const char	*claim;		/* what the kernel must show */
	const char	*rule;		/* its doc/behaviour.md section(s) */
	unsigned	 backings;	/* where it applies: VGS_BACKING_BIT */
	const char	*na_reason;	/* why it cannot apply to the others */
	unsigned	 needs;		/* VGS_NEED_* */
	size_t		 npages;	/* the area */
	enum outcome	(*run)(struct scn *);
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
	char			 note[128];	/* for the PASS line */
	char			*detail;	/* failure detail, malloc'd */
	char			*expected;	/* the failing step's states, */
	char			*observed;	/* in notation; malloc'd */
	char			*trace;		/* steps, for --verbose */
};

#define X(name)	extern const struct scenario scen_##name;
#include "scenarios.def"
#undef X

extern const struct scenario *const scenario_table[];
extern const size_t scenario_count;

const struct scenario *scenario_lookup(const char *, size_t);
int	 scenario_applies(const struct scenario *, enum backing);
int	 scenario_selected(const struct scenario *, const struct vgs_opts *);
unsigned scenario_count_checks(const struct vgs_opts *);
enum outcome scenario_run_all(const struct vgs_opts *,
	    const struct features *);
enum outcome scenario_run_kernel(const struct vgs_opts *,
	    const struct features *);
size_t	 scenario_npages(const struct scenario *);

/* scn_thp.c: the size of a VGS_NPAGES_2PMD area. */
size_t	 thp_area_pages(void);

#endif
