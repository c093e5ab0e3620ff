/*
 * step.h: the steps scenarios are written with (step.c, step_ops.c).  A
 * step performs one kernel operation and applies the same operation to
 * the model, or observes the area and judges it against the model.
 */
#ifndef STEP_H
#define STEP_H

#include "scenario.h"

/* Observe everything, or everything but the faulting access probe. */
#define VGS_SEE_ALL		VGS_HAVE_ALL
#define VGS_SEE_NO_ACCESS	(VGS_HAVE_VMAS | VGS_HAVE_MARKS | VGS_HAVE_SCAN)

/* Where step_judge() takes its expectation from. */
#define VGS_JUDGE_MODEL		0	/* the model */
#define VGS_JUDGE_GIVEN		1	/* s->exp, filled in by the caller */
#define VGS_JUDGE_LAYOUT	2	/* the model, gu left out */
#define VGS_JUDGE_SERIES	3	/* the model; a layout difference on a
					   kernel without the series is
					   "series absent" */

/*
 * Steps: each acts on the kernel and the model, or observes and judges,
 * and returns VGS_PASS (0) or the outcome that ends the scenario with
 * s->reason set: VGS_FAIL, or VGS_HARD when the tool could not do its
 * work.  step_skip() builds the VGS_SKIP a run function returns.
 */
enum outcome	 step_judge(struct scn *, const char *, unsigned, int,
		    size_t, size_t, size_t);
enum outcome	 step_verify(struct scn *, const char *, unsigned);
enum outcome	 step_verify_series(struct scn *, const char *, unsigned);
enum outcome	 step_install(struct scn *, size_t, size_t);
enum outcome	 step_remove(struct scn *, size_t, size_t);
enum outcome	 step_protect(struct scn *, size_t, size_t, int);
enum outcome	 step_advise(struct scn *, size_t, size_t, int,
		    const char *);
enum outcome	 step_write(struct scn *, size_t, size_t);
enum outcome	 step_map(struct scn *, size_t, size_t, int, unsigned);
enum outcome	 step_unmap(struct scn *, size_t, size_t);
enum outcome	 step_fork(struct scn *, enum outcome (*)(struct scn *),
		    const char *);
enum outcome	 step_fail(struct scn *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
enum outcome	 step_skip(struct scn *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
enum outcome	 step_hard(struct scn *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 step_note(struct scn *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 step_show(struct scn *);

/* step_ops.c: steps outside the model's rule; the same conventions. */
enum outcome	 step_verify_expect(struct scn *, const char *, unsigned,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
enum outcome	 step_verify_moved(struct scn *, const char *, unsigned,
		    size_t, size_t, size_t);
enum outcome	 step_verify_layout(struct scn *, const char *, unsigned);
enum outcome	 step_expect_result(struct scn *, const char *, long, int,
		    long, int);
enum outcome	 step_expect_errno(struct scn *, const char *, int, int);
enum outcome	 step_guard_expect(struct scn *, size_t, size_t, int, int);
enum outcome	 step_mremap(struct scn *, size_t, size_t, size_t, size_t,
		    int, unsigned);
enum outcome	 step_mlock(struct scn *, size_t, size_t, int, int);
int		 step_sys_mseal(void *, size_t);
enum outcome	 step_mseal(struct scn *, size_t, size_t, int);
enum outcome	 step_punch(struct scn *, size_t, size_t);
enum outcome	 step_truncate(struct scn *);
enum outcome	 step_map_fd(struct scn *, size_t, size_t, int, int, int,
		    long, unsigned);
enum outcome	 step_touch(struct scn *, size_t, size_t, size_t);
enum outcome	 step_expect_data(struct scn *, const char *, size_t, size_t,
		    size_t, uint32_t);
uint32_t	 step_write_raw(struct scn *, size_t, size_t, size_t);
enum outcome	 step_expect_write_fault(struct scn *, size_t, size_t);
char		 step_share_char(const struct scn *);

/* Run a step; end the run function with its outcome unless it passed. */
#define TRY(x)	do {						\
	enum outcome try_rc_ = (x);					\
	if (try_rc_ != VGS_PASS)					\
		return (try_rc_);					\
} while (0)

#endif
