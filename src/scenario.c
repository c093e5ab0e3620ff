/*
 * scenario.c: the catalogue table, the runner that takes every selected
 * scenario over every selected backing, and the step helpers scenarios
 * are written with.  Each helper performs one kernel operation, applies
 * the same operation to the model, and compares return codes; scn_check
 * then observes the area and lets the judge compare it with the model.
 */
#include "vgs.h"
#include "child.h"
#include "feature.h"
#include "metrics.h"
#include "observe.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define X(name)	&scen_##name,
const struct scenario *const scenario_table[] = {
#include "scenarios.def"
};
#undef X
const size_t scenario_count =
    sizeof scenario_table / sizeof scenario_table[0];

/* Internal child exit status: passed, but relied on an unjudged gu. */
#define VGS_PASS_GU_RELIED	10

/* The scenario called name (len bytes, '-' and '_' alike), or NULL. */
const struct scenario *
scenario_lookup(const char *name, size_t len)
{
	size_t		 i, k;
	const char	*n;

	for (i = 0; i < scenario_count; i++) {
		n = scenario_table[i]->name;
		if (strlen(n) != len)
			continue;
		for (k = 0; k < len; k++) {
			if (n[k] != name[k] && !(n[k] == '-' && name[k] == '_'))
				break;
		}
		if (k == len)
			return (scenario_table[i]);
	}
	return (NULL);
}

/* The --list output: name and one-line summary per scenario. */
void
scenario_list(void)
{
	size_t	i;

	for (i = 0; i < scenario_count; i++)
		report_text("%-20s %s\n", scenario_table[i]->name,
		    scenario_table[i]->summary);
}

static int
in_list(const char *list, const char *name)
{
	const char	*p = list;
	size_t		 n;

	if (list == NULL)
		return (0);
	for (;;) {
		n = strcspn(p, ",");
		if (scenario_lookup(p, n) != NULL &&
		    strcmp(scenario_lookup(p, n)->name, name) == 0)
			return (1);
		if (p[n] == '\0')
			return (0);
		p += n + 1;
	}
}

/* Record a failure of the current step. */
int
scn_fail(struct scn *s, const char *fmt, ...)
{
	va_list	ap;
	char	msg[VGS_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (s->reason[0] == '\0')
		snprintf(s->reason, sizeof s->reason, "%s", msg);
	return (-1);
}

/* Record why the check cannot run here. */
int
scn_skip(struct scn *s, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof s->reason, fmt, ap);
	va_end(ap);
	return (VGS_SKIP);
}

/* Record a setup failure: the run ends with the hard-error status. */
int
scn_hard(struct scn *s, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof s->reason, fmt, ap);
	va_end(ap);
	s->hard = 1;
	return (-1);
}

/* A line in the check's trace (shown with --verbose). */
void
scn_note(struct scn *s, const char *fmt, ...)
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
scn_show(struct scn *s)
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
	free(e);
	free(o);
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
 * content written at origin.. (it moved there).  0, or -1 with the
 * failure recorded.
 */
int
scn_judge(struct scn *s, const char *label, unsigned what, int mode,
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
		return (scn_hard(s, "step %u '%s': %s", s->steps, label, err));
	for (i = first; i < first + n && i < s->obs.npages; i++) {
		if (!(s->obs.have & VGS_HAVE_DATA) || s->obs.access[i] != 'r' ||
		    probe_read(arena_page(&s->ar, i), w) != 0)
			continue;
		s->obs.data[i] = probe_decode(w, origin + (i - first));
	}
	if (report_verbosity() > 0) {
		line = state_format(&s->obs);
		scn_note(s, "%-34s %s", label, line);
		free(line);
		scn_show(s);
	}
	if (mode == VGS_JUDGE_LAYOUT) {
		strip_gu(&s->exp);
		strip_gu(&s->obs);
		j.check_gu = 0;
	}
	if (check_state(&j, &s->exp, &s->obs, &v) == 0) {
		if (mode != VGS_JUDGE_LAYOUT &&
		    (v.gu_ignored || (v.gu_expected && !j.check_gu)))
			s->gu_relied = 1;
		return (0);
	}
	if ((mode == VGS_JUDGE_LAYOUT || mode == VGS_JUDGE_SERIES) &&
	    !s->judge.check_gu && strcmp(v.aspect, "vmas") == 0) {
		s->series_absent = 1;
		snprintf(s->reason, sizeof s->reason, "pre-series kernel, "
		    "series absent: step '%s': %s", label, v.msg);
		return (-1);
	}
	fail_detail(s, &v);
	return (-1);
}

/*
 * Observe the area (the parts in what, VGS_SEE_*) and judge it against
 * the model.  0, or -1 with the failure recorded.
 */
int
scn_check(struct scn *s, const char *label, unsigned what)
{
	return (scn_judge(s, label, what, VGS_JUDGE_MODEL, 0, 0, 0));
}

/*
 * As scn_check(), for a step whose VMA layout only the series predicts
 * (SPEC row 6): on a kernel without it, a layout difference ends the
 * check as SKIP "series absent" instead of FAIL.
 */
int
scn_check_series(struct scn *s, const char *label, unsigned what)
{
	return (scn_judge(s, label, what, VGS_JUDGE_SERIES, 0, 0, 0));
}

static int
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
		return (scn_fail(s, "step %u: madvise(%s) on p%zu-%zu: %s",
		    s->steps, name, first, first + n - 1, strerror(errno)));
	model_guard(&s->m, first, n, install);
	scn_note(s, "%s p%zu-%zu -> 0", install ? "install" : "remove",
	    first, first + n - 1);
	return (0);
}

/* Install guards on pages first..first+n-1; the kernel must accept. */
int
scn_install(struct scn *s, size_t first, size_t n)
{
	return (guard_op(s, first, n, 1));
}

/* Remove guards from pages first..first+n-1. */
int
scn_remove(struct scn *s, size_t first, size_t n)
{
	return (guard_op(s, first, n, 0));
}

/* mprotect() pages to prot. */
int
scn_protect(struct scn *s, size_t first, size_t n, int prot)
{
	uint64_t	t0 = metrics_now();
	int		r;

	r = mprotect(arena_page(&s->ar, first), n * vgs_page_size, prot);
	metrics_add(VGS_MET_PROTECT, metrics_now() - t0);
	if (r != 0)
		return (scn_fail(s, "step %u: mprotect(p%zu-%zu, %d): %s",
		    s->steps, first, first + n - 1, prot, strerror(errno)));
	model_protect(&s->m, first, n, prot);
	scn_note(s, "mprotect p%zu-%zu prot=%d -> 0", first, first + n - 1,
	    prot);
	return (0);
}

/*
 * madvise(advice) over pages; the return code must be what the model
 * predicts for this backing (0, or EINVAL, EACCES, EFAULT).
 */
int
scn_advise(struct scn *s, size_t first, size_t n, int advice,
    const char *name)
{
	int		want, got;
	uint64_t	t0;

	want = model_advise(&s->m, first, n, advice);
	t0 = metrics_now();
	got = madvise(arena_page(&s->ar, first), n * vgs_page_size, advice) ==
	    0 ? 0 : errno;
	metrics_add(VGS_MET_ADVISE, metrics_now() - t0);
	scn_note(s, "madvise(%s) p%zu-%zu -> %s", name, first, first + n - 1,
	    got ? strerrorname_np(got) : "0");
	if (want != got)
		return (scn_fail(s, "step %u: madvise(%s) on p%zu-%zu: "
		    "expected %s, got %s", s->steps, name, first,
		    first + n - 1, want ? strerrorname_np(want) : "success",
		    got ? strerrorname_np(got) : "success"));
	return (0);
}

/* Write a fresh pattern to every writable unguarded page of the range. */
int
scn_write(struct scn *s, size_t first, size_t n)
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
			return (scn_fail(s, "step %u: writing page %zu "
			    "faulted, though the model has it writable",
			    s->steps, i));
	}
	metrics_add(VGS_MET_WRITE, metrics_now() - t0);
	model_write(&s->m, first, n, tag);
	scn_note(s, "write pattern %u to p%zu-%zu", tag, first, first + n - 1);
	return (0);
}

/* Map pages afresh (MAP_FIXED) in merge segment seg. */
int
scn_map(struct scn *s, size_t first, size_t n, int prot, unsigned seg)
{
	uint64_t	t0 = metrics_now();
	int		r;

	r = arena_map(&s->ar, first, n, prot);
	metrics_add(VGS_MET_MAP, metrics_now() - t0);
	if (r != 0)
		return (scn_hard(s, "mmap p%zu-%zu: %s", first, first + n - 1,
		    strerror(errno)));
	model_map(&s->m, first, n, prot, seg);
	scn_note(s, "mmap p%zu-%zu -> ok", first, first + n - 1);
	return (0);
}

/* Unmap pages. */
int
scn_unmap(struct scn *s, size_t first, size_t n)
{
	uint64_t	t0 = metrics_now();
	int		r;

	r = arena_unmap(&s->ar, first, n);
	metrics_add(VGS_MET_UNMAP, metrics_now() - t0);
	if (r != 0)
		return (scn_fail(s, "step %u: munmap(p%zu-%zu): %s", s->steps,
		    first, first + n - 1, strerror(errno)));
	model_unmap(&s->m, first, n);
	scn_note(s, "munmap p%zu-%zu -> 0", first, first + n - 1);
	return (0);
}

struct fork_arg {
	struct scn	*s;
	int		(*fn)(struct scn *);
};

static int
fork_child(void *arg)
{
	struct fork_arg	*fa = arg;
	struct scn	*s = fa->s;
	struct model	 cm;
	int		 rc;

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
	/* First line: the steps the child judged, then its verdict. */
	child_say("%u %s\n", s->steps, rc == VGS_PASS ? "ok" : s->reason);
	if (s->trace != NULL)
		child_say("%s", s->trace);
	if (s->detail != NULL)
		child_say("%s", s->detail);
	if (rc == VGS_PASS && s->gu_relied)
		rc = VGS_PASS_GU_RELIED;
	if (rc == VGS_SKIP && s->series_absent)
		rc = VGS_PASS_GU_RELIED + 1;
	return (rc);
}

/*
 * fork(); the child applies the fork rules to the model (model_fork) and
 * runs fn with its own view (pagemap reopened); the parent waits with a
 * deadline and takes over the child's verdict.
 */
int
scn_fork(struct scn *s, int (*fn)(struct scn *), const char *label)
{
	struct fork_arg		 fa = { s, fn };
	struct child_result	 res;
	char			*rest, *end;
	unsigned long		 steps;
	uint64_t		 t0;
	int			 r;

	scn_note(s, "fork: %s", label);
	t0 = metrics_now();
	r = child_run(fork_child, &fa, &res);
	metrics_add(VGS_MET_FORK, metrics_now() - t0);
	if (r != 0)
		return (scn_hard(s, "fork: %s", strerror(errno)));
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
		return (scn_fail(s, "step %u: child '%s' missed its %u ms "
		    "deadline: killed", s->steps, label, child_timeout()));
	if (vgs_stop)
		return (scn_fail(s, "interrupted by SIG%s: child '%s' "
		    "killed", sigabbrev_np(vgs_stop) ? sigabbrev_np(vgs_stop) :
		    "?", label));
	if (res.signo != 0)
		return (scn_fail(s, "step %u: child '%s' killed by signal "
		    "%d (%s)", s->steps, label, res.signo,
		    sigabbrev_np(res.signo) ? sigabbrev_np(res.signo) : "?"));
	if (rest != NULL && report_verbosity() > 0 &&
	    (res.status == VGS_PASS || res.status == VGS_PASS_GU_RELIED))
		xappend(&s->trace, "%s", rest);
	switch (res.status) {
	case VGS_PASS:
		return (0);
	case VGS_PASS_GU_RELIED:
		s->gu_relied = 1;
		return (0);
	case VGS_PASS_GU_RELIED + 1:
		s->series_absent = 1;
		snprintf(s->reason, sizeof s->reason, "%s", res.text);
		return (-1);
	case VGS_HARD:
		return (scn_hard(s, "in child '%s': %s", label, res.text));
	default:
		snprintf(s->reason, sizeof s->reason, "%s", res.text);
		if (rest != NULL) {
			free(s->detail);
			s->detail = xstrdup(rest);
		}
		if (res.status == VGS_SKIP)
			return (-1);
		if (res.status != VGS_FAIL && s->reason[0] == '\0')
			snprintf(s->reason, sizeof s->reason, "child '%s' "
			    "exited with status %d", label, res.status);
		return (-1);
	}
}

static uint32_t
first_tag(uint64_t seed, const char *name, enum backing b)
{
	uint32_t	h = 2166136261U;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 16777619U;
	h ^= (uint32_t)seed ^ (uint32_t)(seed >> 32) ^ (b * 0x9e3779b9U);
	return (3 + h % 0x7fff0000U);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static const char *
not_runnable(const struct scenario *sc, enum backing b,
    const struct features *f, char *buf, size_t size)
{
	if (!f->guard)
		return ("kernel lacks guard regions");
	if (!(sc->backings & VGS_BACKING_BIT(b))) {
		snprintf(buf, size, "not applicable to %s: %s",
		    model_backing_name(b), sc->na_reason ? sc->na_reason : "");
		return (buf);
	}
	if (b != VGS_BACKING_ANON && !f->shared)
		return ("kernel supports guard regions on private anonymous "
		    "memory only (before 6.15)");
	if (model_backing_file(b) && f->file_merge == 0) {
		snprintf(buf, size, "files in %s never merge (overlayfs?): "
		    "use --tmpdir on a local file system or tmpfs",
		    arena_tmpdir());
		return (buf);
	}
	if ((sc->needs & VGS_NEED_THP) && (strcmp(f->thp, "never") == 0 ||
	    strcmp(f->thp, "unavailable") == 0)) {
		snprintf(buf, size, "transparent hugepages are %s", f->thp);
		return (buf);
	}
	if ((sc->needs & VGS_NEED_SOFTDIRTY) && !f->softdirty)
		return ("kernel without CONFIG_MEM_SOFT_DIRTY (no sd flag)");
	return (NULL);
}

static int
run_one(const struct scenario *sc, enum backing b, const struct vgs_opts *o,
    const struct features *f, struct report_check *rc)
{
	static char	 summary[VGS_MSG_MAX + 64];
	struct scn	 s;
	char		 err[VGS_MSG_MAX], *rerun = NULL;
	int		 st;

	memset(&s, 0, sizeof s);
	s.sc = sc;
	s.backing = b;
	s.feat = f;
	s.opts = o;
	s.judge.check_gu = f->gu || o->require_gu;
	s.judge.flag_mask = VGS_VMF_MODELLED;
	s.next_tag = first_tag(o->seed, sc->name, b);
	if (arena_create(&s.ar, b, sc->npages, err, sizeof err) != 0) {
		snprintf(summary, sizeof summary, "setup: %s", err);
		rc->summary = summary;
		return (VGS_HARD);
	}
	model_init(&s.m, b, sc->npages, VGS_TAG_FILE);
	model_map(&s.m, 0, sc->npages, PROT_READ | PROT_WRITE, 1);
	state_init(&s.exp, sc->npages);
	state_init(&s.obs, sc->npages);
	st = sc->run(&s);
	if (s.hard)
		st = VGS_HARD;
	arena_destroy(&s.ar);
	model_free(&s.m);
	state_free(&s.exp);
	state_free(&s.obs);

	if (st == VGS_PASS && s.gu_relied && (sc->needs & VGS_NEED_GU)) {
		st = VGS_SKIP;
		snprintf(s.reason, sizeof s.reason, "pre-series kernel: smaps "
		    "shows no gu (%u steps agreed on everything else)",
		    s.steps);
	} else if (st != VGS_PASS && st != VGS_HARD && s.series_absent)
		st = VGS_SKIP;
	else if (st == VGS_FAIL && vgs_stop)
		st = VGS_SKIP;	/* cut short by SIGINT/SIGTERM: no verdict */
	switch (st) {
	case VGS_PASS:
		snprintf(summary, sizeof summary, "%u steps agree with the "
		    "model%s", s.steps, s.gu_relied ? " (gu not judged: "
		    "pre-series kernel)" : "");
		rc->result = VGS_RES_PASS;
		break;
	case VGS_SKIP:
		snprintf(summary, sizeof summary, "%s", s.reason);
		rc->result = VGS_RES_SKIP;
		break;
	case VGS_HARD:
		snprintf(summary, sizeof summary, "%s", s.reason);
		break;
	default:
		snprintf(summary, sizeof summary, "%s", s.reason[0] ?
		    s.reason : "failed");
		rc->result = VGS_RES_FAIL;
		xasprintf(&rerun, "  rerun: %s --run=%s --backing=%s "
		    "--seed=%llu%s\n", vgs_progname, sc->name,
		    model_backing_name(b), (unsigned long long)o->seed,
		    o->require_gu && o->require_softdirty ?
		    " --require=gu,softdirty" : o->require_gu ?
		    " --require=gu" : o->require_softdirty ?
		    " --require=softdirty" : "");
		xappend(&s.detail, "%s", rerun);
		free(rerun);
		break;
	}
	rc->summary = summary;
	if (s.trace != NULL && rc->result != VGS_RES_FAIL) {
		free(s.detail);
		s.detail = s.trace;
		s.trace = NULL;
	} else if (s.trace != NULL) {
		xappend(&s.trace, "%s", s.detail ? s.detail : "");
		free(s.detail);
		s.detail = s.trace;
		s.trace = NULL;
	}
	rc->detail = s.detail;
	return (st == VGS_HARD ? VGS_HARD : 0);
}

/* How many checks the options select, for the progress line. */
static unsigned
count_selected(const struct vgs_opts *o)
{
	unsigned	n = 0;
	size_t		i;
	int		b;

	for (i = 0; i < scenario_count; i++) {
		if ((o->run != NULL && !in_list(o->run,
		    scenario_table[i]->name)) ||
		    in_list(o->exclude, scenario_table[i]->name))
			continue;
		for (b = 0; b < VGS_BACKING_COUNT; b++)
			n += (o->backings & VGS_BACKING_BIT(b)) != 0;
	}
	return (n);
}

/*
 * Run every selected scenario on every selected backing, reporting each
 * check.  Returns the exit status the checks call for.
 */
int
scenario_run_all(const struct vgs_opts *o, const struct features *f)
{
	const struct scenario	*sc;
	struct report_check	 rc;
	char			 name[96], buf[VGS_MSG_MAX];
	const char		*why;
	size_t			 i;
	int			 b, hard = 0;
	double			 t0;

	report_plan(count_selected(o));
	for (i = 0; i < scenario_count && !hard && !vgs_stop; i++) {
		sc = scenario_table[i];
		if (o->run != NULL && !in_list(o->run, sc->name))
			continue;
		if (in_list(o->exclude, sc->name))
			continue;
		for (b = 0; b < VGS_BACKING_COUNT && !vgs_stop; b++) {
			if (!(o->backings & VGS_BACKING_BIT(b)))
				continue;
			snprintf(name, sizeof name, "%s.%s", sc->name,
			    model_backing_name(b));
			memset(&rc, 0, sizeof rc);
			rc.name = name;
			rc.scenario = sc->name;
			rc.backing = model_backing_name(b);
			t0 = now();
			if ((why = not_runnable(sc, b, f, buf,
			    sizeof buf)) != NULL) {
				rc.result = VGS_RES_SKIP;
				rc.summary = why;
				if (!f->guard && o->require_gu)
					rc.result = VGS_RES_FAIL;
			} else if (run_one(sc, b, o, f, &rc) == VGS_HARD) {
				rc.result = VGS_RES_ERROR;
				rc.seconds = now() - t0;
				report_result(&rc);
				free((char *)rc.detail);
				fflush(stdout);
				report_clear_progress();
				fprintf(stderr, "%s: %s: %s\n", vgs_progname,
				    name, rc.summary);
				hard = 1;
				break;
			}
			rc.seconds = now() - t0;
			report_result(&rc);
			free((char *)rc.detail);
			if (rc.result == VGS_RES_FAIL && !o->keep_going)
				return (VGS_EXIT_FAIL);
		}
	}
	if (hard)
		return (VGS_EXIT_HARD);
	if (report_count(VGS_RES_FAIL) > 0)
		return (VGS_EXIT_FAIL);
	return (VGS_EXIT_PASS);
}
