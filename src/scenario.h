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

struct scn;

/* A catalogue entry; entries are written with designated initialisers. */
struct scenario {
	const char	*name;
	const char	*claim;		/* one line: what the kernel must show */
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
enum outcome scenario_run_all(const struct vgs_opts *,
	    const struct features *);
void	 scenario_list(void);
unsigned scenario_count_selected(const struct vgs_opts *);

#endif
