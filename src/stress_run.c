/*
 * stress_run.c: the random stress phase of a run.  After the catalogue
 * (or instead of it: -r stress, --replay), every selected backing gets
 * an equal share of the -t time, or -n operations per worker; its -j
 * workers run concurrently, each on its own area with its own seed:
 *
 *   main --child_run--> group --fork--> worker 0 .. worker j-1
 *
 * The group process leads one process group, so a deadline or SIGINT
 * kills every worker at once, and each worker dies with the group
 * (PR_SET_PDEATHSIG), which dies with the main process: nothing outlives
 * a SIGKILLed tool.  Workers that have not all started within an
 * ordinary child deadline mean forks hang here: the group is given up.
 * Workers write their results into a shared anonymous mapping (no text
 * to parse, and a fork child inside a worker can fill in what it
 * found).  Worker 0 runs on the run seed
 * itself, worker k on prng_derive(seed, k): the seed a failure report
 * prints replays with one worker.
 *
 * A failure is reported with the seed, the failing operation, expected and
 * observed strips and a command that replays it, then minimised
 * (stress_minimise.c) and, with --emit-c, turned into a C program
 * (stress_emitc.c).  Each backing reports one check, "stress.<backing>"; a line
 * with the totals comes just before the summary.
 */
#include "vgs.h"
#include "child.h"
#include "feature.h"
#include "metrics.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "stress_prng.h"
#include "stress.h"
#include "stress_race.h"

#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job {
	enum backing		 backing;
	size_t			 npages;
	uint64_t		 seed;		/* worker 0's */
	const struct opseq	*ops;		/* replay, or NULL */
	unsigned		 nworkers;
};

struct group {
	struct stress_cfg	*cfg;
	struct stress_result	*res;
	unsigned		 n;
	volatile unsigned	*started;	/* shared: workers running */
	double			 t0;
	const char		*name;		/* stress.<backing> */
	uint64_t		 total;		/* ops planned, 0 unknown */
};

struct totals {
	uint64_t	ops;
	uint64_t	forks;
	unsigned	streams;
	struct opstream	*rec;
	size_t		 nrec;
};

static const char *
not_runnable(const struct features *f, enum backing b, char *buf,
    size_t size)
{
	const char	*why;

	if ((why = feature_backing_blocked(f, b, buf, size)) != NULL)
		return (why);
	/* Before the series every install gave a VMA an anon_vma. */
	if (backing_shared(b) && !f->series)
		return ("pre-series kernel: guard install gives shared VMAs "
		    "an anon_vma, so their merges are not modelled");
	return (NULL);
}

static int
group_main(void *arg)
{
	struct group	*g = arg;
	unsigned	 w;
	pid_t		 pid, self = getpid();

	for (w = 0; w < g->n; w++) {
		if ((pid = fork()) == -1) {
			snprintf(g->res[w].reason, sizeof g->res[w].reason,
			    "fork a worker: %s", strerror(errno));
			g->res[w].status = VGS_HARD;
			g->res[w].done = 1;
			continue;
		}
		if (pid == 0) {
			child_die_with_parent(self);
			__atomic_add_fetch(g->started, 1, __ATOMIC_RELAXED);
			/* Count this worker's work only. */
			metrics_clear();
			stress_stream(&g->cfg[w], &g->res[w]);
			_exit(0);
		}
	}
	while (wait(NULL) != -1 || errno == EINTR)
		;
	return (0);
}

/*
 * While workers run: move the progress line on with their op counts.
 * Give the group up when its workers have not all started within a
 * child's deadline: forks hang on this kernel.
 */
static int
group_tick(void *arg)
{
	const struct group	*g = arg;
	uint64_t		 ops = 0;
	unsigned		 w;

	for (w = 0; w < g->n; w++)
		ops += g->res[w].ops;
	report_tick(g->name, ops, g->total);
	return (*g->started < g->n &&
	    vgs_now() - g->t0 > child_timeout() / 1000.0);
}

static void *
shared_alloc(size_t size)
{
	void	*p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap %zu bytes of shared memory", size);
	return (p);
}

static void
record(struct totals *t, const struct job *j, const struct stress_cfg *cfg,
    const struct stress_result *r)
{
	struct opstream	*s;
	uint64_t	 n = r->ops + (r->status == VGS_FAIL &&
			    r->fail_index != UINT64_MAX);
	size_t		 i;

	t->rec = xreallocarray(t->rec, t->nrec + 1, sizeof *t->rec);
	s = &t->rec[t->nrec++];
	memset(s, 0, sizeof *s);
	s->backing = j->backing;
	s->npages = j->npages;
	s->seed = cfg->seed;
	if (j->ops == NULL)
		stress_gen_ops(cfg->seed, j->npages, n, &s->seq);
	for (i = 0; j->ops != NULL && i < n && i < j->ops->n; i++)
		opseq_add(&s->seq, &j->ops->ops[i]);
}

/* The check whose failure --minimize-out and --emit-c hold, if any. */
static char	saved_by[64];

static void
save_min(const struct vgs_opts *o, const struct stress_cfg *cfg,
    const struct opseq *min, char **det)
{
	struct opstream	 s;
	char		*path = NULL, err[VGS_MSG_MAX];

	if (saved_by[0] != '\0' && (o->minimize_out != NULL ||
	    o->record != NULL)) {
		xappend(det, "  minimised sequence not saved: the file holds "
		    "%s's\n", saved_by);
		return;
	}
	if (o->minimize_out != NULL)
		path = xstrdup(o->minimize_out);
	else if (o->record != NULL)
		xasprintf(&path, "%s.min", o->record);
	if (path == NULL) {
		xappend(det, "  to replay it, put these lines under 'stream "
		    "backing=%s pages=%zu seed=%llu' in a file for --replay "
		    "(or pass --minimize-out=FILE)\n",
		    backing_name(cfg->backing), cfg->npages,
		    (unsigned long long)cfg->seed);
		return;
	}
	s.backing = cfg->backing;
	s.npages = cfg->npages;
	s.seed = cfg->seed;
	s.seq = *min;
	if (opseq_save(path, &s, 1, err, sizeof err) != 0)
		xappend(det, "  minimised sequence not saved: %s\n", err);
	else
		xappend(det, "  minimised sequence saved to %s; replay: %s "
		    "--replay=%s\n", path, vgs_progname, path);
	free(path);
}

/* Replay, minimise and emit a failing stream; the report's detail. */
static char *
explain(const struct vgs_opts *o, const struct job *j, unsigned w,
    const struct stress_cfg *cfg, const struct stress_result *r,
    char *rerun, size_t rerunsz)
{
	struct opseq	 prefix, min;
	char		*det = NULL, buf[VGS_OP_TEXT], note[VGS_MSG_MAX];
	char		 err[VGS_MSG_MAX];
	unsigned	 replays = 0;
	size_t		 i;
	int		 got;

	xappend(&det, "  stream: %s, %zu pages, seed %llu", 
	    backing_name(j->backing), j->npages,
	    (unsigned long long)cfg->seed);
	if (j->nworkers > 1)
		xappend(&det, " (worker %u of %u; run seed %llu)", w,
		    j->nworkers, (unsigned long long)o->seed);
	xappend(&det, "; %llu ops passed, %llu forks\n",
	    (unsigned long long)r->ops, (unsigned long long)r->forks);
	xappend(&det, "%s", r->detail);
	if (r->fail_index == UINT64_MAX)
		return (det);
	if (j->ops != NULL)
		snprintf(rerun, rerunsz, "%s --replay=%s", vgs_progname,
		    o->replay);
	else
		snprintf(rerun, rerunsz, "%s -r stress -b %s --pages=%zu "
		    "--seed=%llu -n %llu", vgs_progname,
		    backing_name(j->backing), j->npages,
		    (unsigned long long)cfg->seed,
		    (unsigned long long)r->fail_index + 1);
	xappend(&det, "  replay: %s\n", rerun);
	memset(&prefix, 0, sizeof prefix);
	memset(&min, 0, sizeof min);
	if (j->ops == NULL)
		stress_gen_ops(cfg->seed, j->npages, r->fail_index + 1,
		    &prefix);
	for (i = 0; j->ops != NULL && i <= r->fail_index && i < j->ops->n;
	    i++)
		opseq_add(&prefix, &j->ops->ops[i]);
	got = stress_minimise(cfg, &prefix, r->aspect, &min, &replays, note,
	    sizeof note);
	if (got != 0) {
		xappend(&det, "  not minimised: %s\n", note);
		opseq_free(&min);
		min = prefix;
		memset(&prefix, 0, sizeof prefix);
	} else {
		xappend(&det, "  minimised: %zu of %zu operations still fail "
		    "(%u replays in fresh children%s%s):\n", min.n, prefix.n,
		    replays, note[0] ? "; " : "", note);
		for (i = 0; i < min.n; i++)
			xappend(&det, "    %s\n", op_format(&min.ops[i], buf,
			    sizeof buf));
		save_min(o, cfg, &min, &det);
	}
	if (o->emit_c != NULL && saved_by[0] != '\0')
		xappend(&det, "  C reproducer not written: %s holds %s's\n",
		    o->emit_c, saved_by);
	else if (o->emit_c != NULL) {
		if (stress_emitc_write(o->emit_c, cfg, &min, err,
		    sizeof err) != 0)
			xappend(&det, "  C reproducer not written: %s\n", err);
		else
			xappend(&det, "  C reproducer (%zu operations): %s "
			    "(build: cc %s; exits 1 where the kernel "
			    "misbehaves)\n", min.n, o->emit_c, o->emit_c);
	}
	if (o->emit_c != NULL || o->minimize_out != NULL || o->record != NULL)
		snprintf(saved_by, sizeof saved_by, "stress.%s",
		    backing_name(j->backing));
	opseq_free(&prefix);
	opseq_free(&min);
	return (det);
}

static int
run_job(const struct vgs_opts *o, const struct features *f,
    const struct job *j, double secs, struct totals *t)
{
	static char		 summary[VGS_MSG_MAX + 128], rerun[512];
	struct report_check	 rc;
	struct group		 g;
	struct child_result	 cr;
	struct stress_result	*res, *bad = NULL;
	unsigned		 w, badw = 0, ms;
	uint64_t		 ops = 0, forks = 0;
	char			 name[64], *det = NULL;
	double			 t0 = vgs_now();
	int			 status = VGS_PASS, r;

	rerun[0] = '\0';
	g.n = j->nworkers;
	g.t0 = t0;
	g.started = shared_alloc(sizeof *g.started);
	g.cfg = xcalloc(g.n, sizeof *g.cfg);
	g.res = res = shared_alloc(g.n * sizeof *res);
	for (w = 0; w < g.n; w++) {
		g.cfg[w].backing = j->backing;
		g.cfg[w].npages = j->npages;
		g.cfg[w].seed = w == 0 ? j->seed : prng_derive(j->seed, w);
		g.cfg[w].max_ops = j->ops != NULL ? 0 : o->stress_ops;
		g.cfg[w].deadline = secs > 0 ? t0 + secs : 0;
		g.cfg[w].smaps_interval = o->smaps_interval ?
		    o->smaps_interval : stress_default_interval(j->npages);
		g.cfg[w].bare = o->bare;
		g.cfg[w].check_gu = f->series;
		g.cfg[w].need = stress_needs(f);
		g.cfg[w].feat = f;
		g.cfg[w].ops = j->ops;
	}
	/*
	 * The whole group's deadline: its share, then the longest a fork
	 * child of a worker may take (stress.c waits for them up to the
	 * ceiling: their cost grows with --pages), and a final checkpoint.
	 */
	ms = secs > 0 ? (unsigned)(secs * 1000) + child_ceiling() + 10000 :
	    24 * 3600 * 1000U;
	snprintf(name, sizeof name, "stress.%s",
	    backing_name(j->backing));
	g.name = name;
	g.total = j->ops != NULL ? j->ops->n : (uint64_t)o->stress_ops * g.n;
	child_set_tick(group_tick, &g);
	r = child_run_for(group_main, &g, ms, &cr);
	child_set_tick(NULL, NULL);
	if (r != 0) {
		report_error(name, vgs_now() - t0, "fork: %s",
		    strerror(errno));
		status = VGS_HARD;
		goto out;
	}
	for (w = 0; w < g.n; w++)
		metrics_merge(res[w].met);
	for (w = 0; w < g.n; w++)
		ops += res[w].ops;
	if (vgs_stop) {
		/* No verdict, but the check is not lost from the report. */
		memset(&rc, 0, sizeof rc);
		rc.name = name;
		rc.result = VGS_SKIP;
		rc.summary = summary;
		rc.seconds = vgs_now() - t0;
		snprintf(summary, sizeof summary, "interrupted by SIG%s after "
		    "%llu ops", vgs_signal_name(vgs_stop),
		    (unsigned long long)ops);
		report_result(&rc);
		goto out;
	}
	ops = 0;
	for (w = 0; w < g.n; w++) {
		ops += res[w].ops;
		forks += res[w].forks;
		if (!res[w].done && !vgs_stop) {
			res[w].status = VGS_FAIL;
			/* A worker that never started has no op to blame. */
			res[w].fail_index = *g.started < g.n ? UINT64_MAX :
			    res[w].ops;
			snprintf(res[w].reason, sizeof res[w].reason,
			    "worker %u ended without a result after %llu "
			    "ops (%s)", w, (unsigned long long)res[w].ops,
			    *g.started < g.n ? "forks hang: not every worker "
			    "started within a child's deadline" :
			    cr.timed_out ? "the phase's deadline passed" :
			    "it crashed");
		}
		if (res[w].status != VGS_PASS && bad == NULL) {
			bad = &res[w];
			badw = w;
		}
		if (o->record != NULL)
			record(t, j, &g.cfg[w], &res[w]);
	}
	t->ops += ops;
	t->forks += forks;
	t->streams += g.n;
	memset(&rc, 0, sizeof rc);
	rc.name = name;
	rc.summary = summary;
	if (bad != NULL && bad->status == VGS_HARD) {
		report_error(name, vgs_now() - t0, "%s", bad->reason);
		status = VGS_HARD;
	} else if (bad != NULL) {
		rc.result = VGS_FAIL;
		snprintf(summary, sizeof summary, "%s (seed %llu)",
		    bad->reason, (unsigned long long)g.cfg[badw].seed);
		det = explain(o, j, badw, &g.cfg[badw], bad, rerun,
		    sizeof rerun);
		if (rerun[0] != '\0')
			rc.rerun = rerun;
		status = VGS_FAIL;
	} else {
		rc.result = VGS_PASS;
		snprintf(name, sizeof name, ", %u workers", g.n);
		snprintf(summary, sizeof summary, "%llu ops, %llu forks, "
		    "%zu pages%s, seed %llu%s", (unsigned long long)ops,
		    (unsigned long long)forks, j->npages, g.n > 1 ? name : "",
		    (unsigned long long)j->seed,
		    o->bare ? " (bare: nothing judged)" : "");
		snprintf(name, sizeof name, "stress.%s",
		    backing_name(j->backing));
	}
	rc.detail = det;
	rc.seconds = vgs_now() - t0;
	if (status != VGS_HARD)
		report_result(&rc);
out:
	free(det);
	free(g.cfg);
	munmap(res, g.n * sizeof *res);
	munmap((void *)g.started, sizeof *g.started);
	return (status);
}

static unsigned
nworkers(const struct vgs_opts *o)
{
	long	n;

	if (!o->workers_set)
		return (1);
	if (o->workers > 0)
		return (o->workers);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return (n > 0 ? (unsigned)n : 1);
}

static int
worst(int a, int b)
{
	if (a == VGS_HARD || b == VGS_HARD)
		return (VGS_HARD);
	if (a == VGS_FAIL || b == VGS_FAIL)
		return (VGS_FAIL);
	return (a);
}

/*
 * The stress phase, after the catalogue (whose exit status is rc);
 * returns the run's exit status.
 */
int
stress_phase(const struct vgs_opts *o, const struct features *f, int rc)
{
	struct job		 jobs[VGS_BACKING_COUNT], *js = jobs;
	struct opstream		*st = NULL;
	struct totals		 t;
	struct report_check	 skip;
	char			 err[VGS_MSG_MAX], name[64], desc[2048];
	const char		*why;
	size_t			 nst = 0, nj = 0, i, nrun = 0;
	double			 secs = 0, t0 = vgs_now();
	int			 b, race_rc;

	if ((o->run != NULL && !vgs_list_has(o->run, "stress")) ||
	    vgs_list_has(o->exclude, "stress") || vgs_stop ||
	    rc == VGS_HARD || (rc == VGS_FAIL && !o->keep_going))
		return (rc);
	memset(&t, 0, sizeof t);
	if (o->replay != NULL) {
		if (opseq_load(o->replay, &st, &nst, err, sizeof err) != 0)
			fatalx("--replay: %s", err);
		js = xcalloc(nst, sizeof *js);
		for (i = 0; i < nst; i++) {
			js[i].backing = st[i].backing;
			js[i].npages = st[i].npages;
			js[i].seed = st[i].seed;
			js[i].ops = &st[i].seq;
			js[i].nworkers = 1;
		}
		nj = nst;
	} else {
		for (b = 0; b < VGS_BACKING_COUNT; b++) {
			if (!(o->backings & VGS_BACKING_BIT(b)))
				continue;
			memset(&js[nj], 0, sizeof js[nj]);
			js[nj].backing = b;
			js[nj].npages = o->pages ? o->pages : VGS_STRESS_PAGES;
			js[nj].seed = o->seed;
			js[nj].nworkers = nworkers(o);
			nj++;
		}
	}
	for (i = 0; i < nj; i++)
		nrun += not_runnable(f, js[i].backing, err, sizeof err) == NULL;
	if (o->replay == NULL && nrun > 0 &&
	    (o->stress_ms_set || o->stress_ops == 0))
		secs = (o->stress_ms_set ? o->stress_ms : VGS_STRESS_MS) /
		    1000.0 / nrun / (o->threads > 0 ? 2 : 1);
	/* One check per stream (and race); -t bounds the phase's length. */
	report_phase(nj + (o->threads > 0 && o->replay == NULL ? nrun : 0),
	    secs * nrun * (o->threads > 0 ? 2 : 1));
	for (i = 0; i < nj && !vgs_stop; i++) {
		snprintf(name, sizeof name, "stress.%s",
		    backing_name(js[i].backing));
		if ((why = not_runnable(f, js[i].backing, err,
		    sizeof err)) != NULL) {
			memset(&skip, 0, sizeof skip);
			skip.name = name;
			skip.result = VGS_SKIP;
			skip.summary = why;
			report_result(&skip);
			continue;
		}
		probe_context(name);
		rc = worst(rc, run_job(o, f, &js[i], secs, &t));
		if (rc == VGS_HARD || (rc == VGS_FAIL &&
		    !o->keep_going))
			break;
		if (o->threads > 0 && o->replay == NULL) {
			race_rc = race_run(o, f, js[i].backing, secs,
			    &t.forks);
			rc = worst(rc, race_rc);
		}
	}
	if (o->record != NULL && opseq_save(o->record, t.rec, t.nrec, err,
	    sizeof err) != 0) {
		report_error("--record", 0, "%s", err);
		rc = worst(rc, VGS_HARD);
	}
	if (t.streams > 0)
		report_text("stress: %llu ops, %llu forks in %u streams, "
		    "%.3f s, seed %llu\n", (unsigned long long)t.ops,
		    (unsigned long long)t.forks, t.streams,
		    vgs_now() - t0, (unsigned long long)o->seed);
	if (t.streams > 0 && o->metrics) {
		i = nj > 0 ? js[0].npages : VGS_STRESS_PAGES;
		stress_describe(i, o->smaps_interval ? o->smaps_interval :
		    stress_default_interval(i), desc, sizeof desc);
		report_text("%s", desc);
	}
	opseq_free_streams(t.rec, t.nrec);
	opseq_free_streams(st, nst);
	if (js != jobs)
		free(js);
	return (rc);
}
