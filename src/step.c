/*
 * step.c: the steps scenarios are written with.  Each performs one
 * kernel operation, applies the same operation to the model and compares
 * return codes; step_judge() observes the area and lets the judge
 * compare it with the expectation.  step_fork() runs the rest of a
 * scenario in a child, on the child's own view, with a deadline.
 */
#include "vgs.h"
#include "child.h"
#include "metrics.h"
#include "observe.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "step.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A forked child's exit status is its outcome, or one of these, which
 * only the parent's step_fork() reads: passed, but relied on a gu that
 * was not judged; a layout only the series predicts differed.
 */
#define CHILD_PASS_GU_RELIED	10
#define CHILD_SERIES_ABSENT	11

/*
 * The reason a check ends, and the outcome for its run function: a
 * failure keeps the first reason (later steps may fail in its wake),
 * a skip or a hard error takes the last.
 */
static enum outcome
reason(struct scn *s, enum outcome r, const char *fmt, va_list ap)
{
	if (r != VGS_FAIL || s->reason[0] == '\0')
		vsnprintf(s->reason, sizeof s->reason, fmt, ap);
	if (r == VGS_HARD)
		s->hard = 1;
	return (r);
}

/* Record a failure of the current step; VGS_FAIL. */
enum outcome
step_fail(struct scn *s, const char *fmt, ...)
{
	va_list		ap;
	enum outcome	r;

	va_start(ap, fmt);
	r = reason(s, VGS_FAIL, fmt, ap);
	va_end(ap);
	return (r);
}

/* Record why the check cannot run here; VGS_SKIP. */
enum outcome
step_skip(struct scn *s, const char *fmt, ...)
{
	va_list		ap;
	enum outcome	r;

	va_start(ap, fmt);
	r = reason(s, VGS_SKIP, fmt, ap);
	va_end(ap);
	return (r);
}

/* Record a setup failure: the run ends with the hard-error status. */
enum outcome
step_hard(struct scn *s, const char *fmt, ...)
{
	va_list		ap;
	enum outcome	r;

	va_start(ap, fmt);
	r = reason(s, VGS_HARD, fmt, ap);
	va_end(ap);
	return (r);
}

/* A line in the check's trace (shown with --verbose). */
void
step_note(struct scn *s, const char *fmt, ...)
{
	va_list	ap;
	char	msg[VGS_MSG_MAX];

	if (report_verbosity() <= 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	xappend(&s->trace, "    %s%s\n", s->in_child ? "child: " : "", msg);
}

/*
 * With --show, the observed area as page strips per VMA in the trace,
 * under the step's notation line: a person can watch a scenario.
 */
void
step_show(struct scn *s)
{
	char	*strips;

	if (!report_showing() || !(s->obs.have & VGS_HAVE_VMAS))
		return;
	strips = state_strips(&s->obs, s->in_child ? "  child" : "");
	xappend(&s->trace, "%s", strips);
	free(strips);
}

static void
fail_detail(struct scn *s, const struct verdict *v)
{
	struct state	 shown;
	char		*e, *o, *es, *os;

	/* Show the expected state only in the parts that were observed. */
	shown = s->exp;
	shown.have &= s->obs.have | VGS_HAVE_VMAS;
	e = state_format(&shown);
	o = state_format(&s->obs);
	es = state_strips(&shown, "expected");
	os = state_strips(&s->obs, "observed");
	snprintf(s->reason, sizeof s->reason, "step %u '%s'%s: %s",
	    s->steps, s->label, s->in_child ? " (in the child)" : "",
	    v->msg);
	free(s->detail);
	s->detail = NULL;
	xappend(&s->detail, "  expected: %s\n  observed: %s\n%s%s", e, o, es,
	    os);
	if ((s->obs.have & VGS_HAVE_SCAN) &&
	    strcmp(v->aspect, "scan") == 0)
		xappend(&s->detail, "  scan:     %s\n", s->obs.scan);
	free(s->expected);
	free(s->observed);
	s->expected = e;
	s->observed = o;
	free(es);
	free(os);
}

static void
strip_gu(struct state *st)
{
	size_t	i;

	for (i = 0; i < st->nvmas; i++)
		st->vmas[i].flags &= ~VGS_VMF_GU;
}

/*
 * Observe the area (the parts in what, VGS_SEE_*) and judge it against
 * the expectation mode names (VGS_JUDGE_*); pages first..first+n-1 hold
 * content written at origin.. (it moved there).
 */
enum outcome
step_judge(struct scn *s, const char *label, unsigned what, int mode,
    size_t first, size_t n, size_t origin)
{
	struct verdict	 v;
	struct judge	 j = s->judge;
	uint64_t	 w[VGS_PROBE_WORDS];
	char		 err[VGS_MSG_MAX], *line;
	size_t		 i;

	s->steps++;
	snprintf(s->label, sizeof s->label, "%s", label);
	if (mode != VGS_JUDGE_GIVEN)
		model_expect(&s->m, &s->exp);
	if (observe_area(&s->ar, what, &s->obs, err, sizeof err) != 0)
		return (step_hard(s, "step %u '%s': %s", s->steps, label, err));
	for (i = first; i < first + n && i < s->obs.npages; i++) {
		if (!(s->obs.have & VGS_HAVE_DATA) || s->obs.access[i] != 'r' ||
		    probe_read(arena_page(&s->ar, i), w) != 0)
			continue;
		s->obs.data[i] = probe_decode(w, origin + (i - first));
	}
	if (report_verbosity() > 0) {
		line = state_format(&s->obs);
		step_note(s, "%-34s %s", label, line);
		free(line);
		step_show(s);
	}
	if (mode == VGS_JUDGE_LAYOUT) {
		strip_gu(&s->exp);
		strip_gu(&s->obs);
		j.check_gu = 0;
	}
	if (judge_state(&j, &s->exp, &s->obs, &v) == 0) {
		if (mode != VGS_JUDGE_LAYOUT &&
		    (v.gu_ignored || (v.gu_expected && !j.check_gu)))
			s->gu_relied = 1;
		return (VGS_PASS);
	}
	if ((mode == VGS_JUDGE_LAYOUT || mode == VGS_JUDGE_SERIES) &&
	    !s->judge.check_gu && strcmp(v.aspect, "vmas") == 0) {
		s->series_absent = 1;
		snprintf(s->reason, sizeof s->reason, "pre-series kernel, "
		    "series absent: step '%s': %s", label, v.msg);
		return (VGS_FAIL);
	}
	fail_detail(s, &v);
	return (VGS_FAIL);
}

/* Observe the area (the parts in what, VGS_SEE_*); judge it by the model. */
enum outcome
step_verify(struct scn *s, const char *label, unsigned what)
{
	return (step_judge(s, label, what, VGS_JUDGE_MODEL, 0, 0, 0));
}

/*
 * As step_verify(), for a step whose VMA layout only the series predicts
 * (doc/behaviour.md §4.6): on a kernel without it, a layout difference ends the
 * check as SKIP "series absent" instead of FAIL.
 */
enum outcome
step_verify_series(struct scn *s, const char *label, unsigned what)
{
	return (step_judge(s, label, what, VGS_JUDGE_SERIES, 0, 0, 0));
}

static enum outcome
guard_op(struct scn *s, size_t first, size_t n, int install)
{
	const char	*name = install ? "MADV_GUARD_INSTALL" :
			    "MADV_GUARD_REMOVE";
	uint64_t	 t0 = metrics_now();
	int		 r;

	r = madvise(arena_page(&s->ar, first), n * vgs_page_size,
	    install ? MADV_GUARD_INSTALL : MADV_GUARD_REMOVE);
	metrics_add(install ? VGS_MET_INSTALL : VGS_MET_REMOVE,
	    metrics_now() - t0);
	if (r != 0)
		return (step_fail(s, "step %u: madvise(%s) on p%zu-%zu: %s",
		    s->steps, name, first, first + n - 1, strerror(errno)));
	model_guard(&s->m, first, n, install);
	step_note(s, "%s p%zu-%zu -> 0", install ? "install" : "remove",
	    first, first + n - 1);
	return (VGS_PASS);
}

/* Install guards on pages first..first+n-1; the kernel must accept. */
enum outcome
step_install(struct scn *s, size_t first, size_t n)
{
	return (guard_op(s, first, n, 1));
}

/* Remove guards from pages first..first+n-1. */
enum outcome
step_remove(struct scn *s, size_t first, size_t n)
{
	return (guard_op(s, first, n, 0));
}

/* mprotect() pages to prot. */
enum outcome
step_protect(struct scn *s, size_t first, size_t n, int prot)
{
	uint64_t	t0 = metrics_now();
	int		r;

	r = mprotect(arena_page(&s->ar, first), n * vgs_page_size, prot);
	metrics_add(VGS_MET_PROTECT, metrics_now() - t0);
	if (r != 0)
		return (step_fail(s, "step %u: mprotect(p%zu-%zu, %d): %s",
		    s->steps, first, first + n - 1, prot, strerror(errno)));
	model_protect(&s->m, first, n, prot);
	step_note(s, "mprotect p%zu-%zu prot=%d -> 0", first, first + n - 1,
	    prot);
	return (VGS_PASS);
}

/*
 * madvise(advice) over pages; the return code must be what the model
 * predicts for this backing (0, or EINVAL, EACCES, EFAULT).
 */
enum outcome
step_advise(struct scn *s, size_t first, size_t n, int advice,
    const char *name)
{
	int		want, got;
	uint64_t	t0;

	want = model_advise(&s->m, first, n, advice);
	t0 = metrics_now();
	got = madvise(arena_page(&s->ar, first), n * vgs_page_size, advice) ==
	    0 ? 0 : errno;
	metrics_add(VGS_MET_ADVISE, metrics_now() - t0);
	step_note(s, "madvise(%s) p%zu-%zu -> %s", name, first, first + n - 1,
	    got ? vgs_errno_name(got) : "0");
	if (want != got)
		return (step_fail(s, "step %u: madvise(%s) on p%zu-%zu: "
		    "expected %s, got %s", s->steps, name, first,
		    first + n - 1, want ? vgs_errno_name(want) : "success",
		    got ? vgs_errno_name(got) : "success"));
	return (VGS_PASS);
}

/* Write a fresh pattern to every writable unguarded page of the range. */
enum outcome
step_write(struct scn *s, size_t first, size_t n)
{
	uint64_t		 w[VGS_PROBE_WORDS];
	uint32_t		 tag = s->next_tag++;
	size_t			 i;
	const struct mpage	*p;
	uint64_t		 t0 = metrics_now();

	for (i = first; i < first + n && i < s->m.npages; i++) {
		p = &s->m.pg[i];
		if (!p->mapped || p->guard || !(p->prot & PROT_WRITE))
			continue;
		probe_words(tag, i, w);
		if (probe_write(arena_page(&s->ar, i), w) != 0)
			return (step_fail(s, "step %u: writing page %zu "
			    "faulted, though the model has it writable",
			    s->steps, i));
	}
	metrics_add(VGS_MET_WRITE, metrics_now() - t0);
	model_write(&s->m, first, n, tag);
	step_note(s, "write pattern %u to p%zu-%zu", tag, first, first + n - 1);
	return (VGS_PASS);
}

/* Map pages afresh (MAP_FIXED) in merge segment seg. */
enum outcome
step_map(struct scn *s, size_t first, size_t n, int prot, unsigned seg)
{
	uint64_t	t0 = metrics_now();
	int		r;

	r = arena_map(&s->ar, first, n, prot);
	metrics_add(VGS_MET_MAP, metrics_now() - t0);
	if (r != 0)
		return (step_hard(s, "mmap p%zu-%zu: %s", first, first + n - 1,
		    strerror(errno)));
	model_map(&s->m, first, n, prot, seg);
	step_note(s, "mmap p%zu-%zu -> ok", first, first + n - 1);
	return (VGS_PASS);
}

/* Unmap pages. */
enum outcome
step_unmap(struct scn *s, size_t first, size_t n)
{
	uint64_t	t0 = metrics_now();
	int		r;

	r = arena_unmap(&s->ar, first, n);
	metrics_add(VGS_MET_UNMAP, metrics_now() - t0);
	if (r != 0)
		return (step_fail(s, "step %u: munmap(p%zu-%zu): %s", s->steps,
		    first, first + n - 1, strerror(errno)));
	model_unmap(&s->m, first, n);
	step_note(s, "munmap p%zu-%zu -> 0", first, first + n - 1);
	return (VGS_PASS);
}

struct fork_arg {
	struct scn	*s;
	enum outcome	(*fn)(struct scn *);
};

/*
 * In the child: reopen pagemap, take the fork rules into the model, run
 * fn and tell the parent over the pipe, in this order: "STEPS VERDICT",
 * the failing step's expected and observed states as "E\t" and "O\t"
 * lines, then the trace and the detail as they are.
 */
static int
fork_child(void *arg)
{
	struct fork_arg	*fa = arg;
	struct scn	*s = fa->s;
	struct model	 cm;
	enum outcome	 rc;

	s->in_child = 1;
	if (arena_reopen_pagemap(&s->ar) != 0) {
		child_say("open /proc/self/pagemap in the child: %s\n",
		    strerror(errno));
		return (VGS_HARD);
	}
	model_fork(&s->m, &cm);
	model_free(&s->m);
	s->m = cm;
	free(s->trace);
	free(s->detail);
	s->trace = s->detail = NULL;
	s->reason[0] = '\0';
	rc = fa->fn(s);
	if (s->hard)
		rc = VGS_HARD;
	child_say("%u %s\n", s->steps, rc == VGS_PASS ? "ok" : s->reason);
	if (rc != VGS_PASS && s->expected != NULL && s->observed != NULL)
		child_say("E\t%s\nO\t%s\n", s->expected, s->observed);
	if (s->trace != NULL)
		child_say("%s", s->trace);
	if (s->detail != NULL)
		child_say("%s", s->detail);
	if (rc == VGS_PASS && s->gu_relied)
		return (CHILD_PASS_GU_RELIED);
	if (rc != VGS_PASS && rc != VGS_HARD && s->series_absent)
		return (CHILD_SERIES_ABSENT);
	return (rc);
}

/* Take a protocol line "K\tvalue" off the front of *rest into *field. */
static void
take_field(char **rest, char key, char **field)
{
	char	*eol;

	if (*rest == NULL || (*rest)[0] != key || (*rest)[1] != '\t' ||
	    (eol = strchr(*rest, '\n')) == NULL)
		return;
	*eol = '\0';
	free(*field);
	*field = xstrdup(*rest + 2);
	*rest = eol + 1;
}

/*
 * fork(); the child applies the fork rules to the model (model_fork) and
 * runs fn with its own view (pagemap reopened); the parent waits with a
 * deadline and takes over the child's verdict.
 */
enum outcome
step_fork(struct scn *s, enum outcome (*fn)(struct scn *), const char *label)
{
	struct fork_arg		 fa = { s, fn };
	struct child_result	 res;
	char			*rest, *end;
	unsigned long		 steps;
	uint64_t		 t0;
	int			 r;

	step_note(s, "fork: %s", label);
	t0 = metrics_now();
	r = child_run(fork_child, &fa, &res);
	metrics_add(VGS_MET_FORK, metrics_now() - t0);
	if (r != 0)
		return (step_hard(s, "fork: %s", strerror(errno)));
	rest = strchr(res.text, '\n');
	if (rest != NULL)
		*rest++ = '\0';
	/* The child went on numbering steps from ours; take its count. */
	steps = strtoul(res.text, &end, 10);
	if (end != res.text && *end == ' ') {
		s->steps = steps;
		memmove(res.text, end + 1, strlen(end + 1) + 1);
	}
	if (res.timed_out)
		return (step_fail(s, "step %u: child '%s' missed its %u ms "
		    "deadline: killed%s", s->steps, label, res.deadline_ms,
		    res.stuck ? ", but it stays in uninterruptible sleep" :
		    ""));
	if (vgs_stop)
		return (step_fail(s, "interrupted by SIG%s: child '%s' "
		    "killed", vgs_signal_name(vgs_stop), label));
	if (res.signo != 0)
		return (step_fail(s, "step %u: child '%s' killed by signal "
		    "%d (%s)", s->steps, label, res.signo,
		    vgs_signal_name(res.signo)));
	take_field(&rest, 'E', &s->expected);
	take_field(&rest, 'O', &s->observed);
	if (rest != NULL && report_verbosity() > 0 &&
	    (res.status == VGS_PASS || res.status == CHILD_PASS_GU_RELIED))
		xappend(&s->trace, "%s", rest);
	switch (res.status) {
	case VGS_PASS:
		return (VGS_PASS);
	case CHILD_PASS_GU_RELIED:
		s->gu_relied = 1;
		return (VGS_PASS);
	case CHILD_SERIES_ABSENT:
		s->series_absent = 1;
		snprintf(s->reason, sizeof s->reason, "%s", res.text);
		return (VGS_FAIL);
	case VGS_HARD:
		return (step_hard(s, "in child '%s': %s", label, res.text));
	default:
		snprintf(s->reason, sizeof s->reason, "%s", res.text);
		if (rest != NULL) {
			free(s->detail);
			s->detail = xstrdup(rest);
		}
		if (res.status != VGS_FAIL && res.status != VGS_SKIP &&
		    s->reason[0] == '\0')
			snprintf(s->reason, sizeof s->reason, "child '%s' "
			    "exited with status %d", label, res.status);
		return (VGS_FAIL);
	}
}
