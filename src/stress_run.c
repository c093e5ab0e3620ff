/*
 * stress_run.c: the random stress phase of a run.  After the catalogue
 * (or instead of it: -r stress, --replay), every selected backing gets
 * an equal share of the -t time, or -n operations per worker; its -j
 * workers run concurrently, each on its own area with its own seed:
 *
 *   main --child_run--> group --fork--> worker 0 .. worker j-1
 *
 * The group process leads one process group, so a deadline or SIGINT
 * kills every worker at once.  Workers write their results into a
 * shared anonymous mapping (no text to parse, and a fork child inside a
 * worker can fill in what it found).  Worker 0 runs on the run seed
 * itself, worker k on prng_derive(seed, k): the seed a failure report
 * prints replays with one worker.
 *
 * A failure is reported with the seed, the failing operation, expected
 * and observed strips and a command that replays it, then minimised
 * (minimise.c) and, with --emit-c, turned into a C program (emitc.c).
 * Each backing reports one check, "stress.<backing>"; a line with the
 * totals comes just before the summary.
 */
#include "vgs.h"
#include "child.h"
#include "feature.h"
#include "metrics.h"
#include "options.h"
#include "prng.h"
#include "report.h"
#include "stress.h"

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
	unsigned		 child_ms;
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

static int
listed(const char *list, const char *name)
{
	const char	*p = list;
	size_t		 n;

	while (p != NULL) {
		n = strcspn(p, ",");
		if (n == strlen(name) && strncmp(p, name, n) == 0)
			return (1);
		p = p[n] ? p + n + 1 : NULL;
	}
	return (0);
}

static const char *
not_runnable(const struct features *f, const struct vgs_opts *o,
    enum backing b)
{
	if (!f->guard)
		return ("kernel lacks guard regions");
	if (b != VGS_BACKING_ANON && !f->shared)
		return ("kernel supports guard regions on private anonymous "
		    "memory only (before 6.15)");
	/* Before the series every install gave a VMA an anon_vma. */
	if (model_backing_shared(b) && !f->gu && !o->require_gu)
		return ("pre-series kernel: guard install gives shared VMAs "
		    "an anon_vma, so their merges are not modelled");
	return (NULL);
}

static int
group_main(void *arg)
{
	struct group	*g = arg;
	unsigned	 w;
	pid_t		 pid;

	for (w = 0; w < g->n; w++) {
		if ((pid = fork()) == -1) {
			snprintf(g->res[w].reason, sizeof g->res[w].reason,
			    "fork a worker: %s", strerror(errno));
			g->res[w].status = VGS_EXIT_HARD;
			g->res[w].done = 1;
			continue;
		}
		if (pid == 0) {
			/* Count this worker's work only. */
			metrics_clear();
			child_set_timeout(g->child_ms);
			stress_stream(&g->cfg[w], &g->res[w]);
			_exit(0);
		}
	}
	while (wait(NULL) != -1 || errno == EINTR)
		;
	return (0);
}

/* While workers run: move the progress line on with their op counts. */
static void
group_tick(void *arg)
{
	const struct group	*g = arg;
	uint64_t		 ops = 0;
	unsigned		 w;

	for (w = 0; w < g->n; w++)
		ops += g->res[w].ops;
	report_tick(g->name, ops, g->total);
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
	uint64_t	 n = r->ops + (r->status == VGS_EXIT_FAIL &&
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
		    model_backing_name(cfg->backing), cfg->npages,
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
	    model_backing_name(j->backing), j->npages,
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
		    model_backing_name(j->backing), j->npages,
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
	got = minimise_ops(cfg, &prefix, r->aspect, &min, &replays, note,
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
		if (emitc_write(o->emit_c, cfg, &min, err, sizeof err) != 0)
			xappend(&det, "  C reproducer not written: %s\n", err);
		else
			xappend(&det, "  C reproducer (%zu operations): %s "
			    "(build: cc %s; exits 1 where the kernel "
			    "misbehaves)\n", min.n, o->emit_c, o->emit_c);
	}
	if (o->emit_c != NULL || o->minimize_out != NULL || o->record != NULL)
		snprintf(saved_by, sizeof saved_by, "stress.%s",
		    model_backing_name(j->backing));
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
	unsigned		 w, saved = child_timeout(), badw = 0;
	uint64_t		 ops = 0, forks = 0;
	char			 name[64], *det = NULL;
	double			 t0 = stress_now();
	int			 status = VGS_EXIT_PASS;

	rerun[0] = '\0';
	g.n = j->nworkers;
	g.child_ms = saved;
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
		g.cfg[w].check_gu = f->gu || o->require_gu;
		g.cfg[w].need = stress_needs(f, o->require_gu);
		g.cfg[w].feat = f;
		g.cfg[w].ops = j->ops;
	}
	/* The whole group's deadline: its share plus a child's deadline. */
	child_set_timeout(secs > 0 ? (unsigned)(secs * 1000) + saved + 10000 :
	    24 * 3600 * 1000U);
	snprintf(name, sizeof name, "stress.%s",
	    model_backing_name(j->backing));
	g.name = name;
	g.total = j->ops != NULL ? j->ops->n : (uint64_t)o->stress_ops * g.n;
	child_set_tick(group_tick, &g);
	if (child_run(group_main, &g, &cr) != 0)
		fatal("fork");
	child_set_tick(NULL, NULL);
	child_set_timeout(saved);
	for (w = 0; w < g.n; w++)
		metrics_merge(res[w].met);
	if (vgs_stop) {
		/* Interrupted: main reports what ran before. */
		free(g.cfg);
		munmap(res, g.n * sizeof *res);
		return (VGS_EXIT_PASS);
	}
	for (w = 0; w < g.n; w++) {
		ops += res[w].ops;
		forks += res[w].forks;
		if (!res[w].done && !vgs_stop) {
			res[w].status = VGS_EXIT_FAIL;
			res[w].fail_index = res[w].ops;
			snprintf(res[w].reason, sizeof res[w].reason,
			    "worker %u ended without a result after %llu "
			    "ops (%s)", w, (unsigned long long)res[w].ops,
			    cr.timed_out ? "the phase's deadline passed" :
			    "it crashed");
		}
		if (res[w].status != VGS_EXIT_PASS && bad == NULL) {
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
	if (bad != NULL && bad->status == VGS_EXIT_HARD) {
		fflush(stdout);
		fprintf(stderr, "%s: %s: %s\n", vgs_progname, name,
		    bad->reason);
		status = VGS_EXIT_HARD;
	} else if (bad != NULL) {
		rc.result = VGS_RES_FAIL;
		snprintf(summary, sizeof summary, "%s (seed %llu)",
		    bad->reason, (unsigned long long)g.cfg[badw].seed);
		det = explain(o, j, badw, &g.cfg[badw], bad, rerun,
		    sizeof rerun);
		if (rerun[0] != '\0')
			rc.rerun = rerun;
		status = VGS_EXIT_FAIL;
	} else {
		rc.result = VGS_RES_PASS;
		snprintf(name, sizeof name, ", %u workers", g.n);
		snprintf(summary, sizeof summary, "%llu ops, %llu forks, "
		    "%zu pages%s, seed %llu%s", (unsigned long long)ops,
		    (unsigned long long)forks, j->npages, g.n > 1 ? name : "",
		    (unsigned long long)j->seed,
		    o->bare ? " (bare: nothing judged)" : "");
		snprintf(name, sizeof name, "stress.%s",
		    model_backing_name(j->backing));
	}
	rc.detail = det;
	rc.seconds = stress_now() - t0;
	if (status != VGS_EXIT_HARD)
		report_result(&rc);
	free(det);
	free(g.cfg);
	munmap(res, g.n * sizeof *res);
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
	if (a == VGS_EXIT_HARD || b == VGS_EXIT_HARD)
		return (VGS_EXIT_HARD);
	if (a == VGS_EXIT_FAIL || b == VGS_EXIT_FAIL)
		return (VGS_EXIT_FAIL);
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
	double			 secs = 0, t0 = stress_now();
	int			 b, race_rc;

	if ((o->run != NULL && !listed(o->run, "stress")) ||
	    listed(o->exclude, "stress") || vgs_stop ||
	    rc == VGS_EXIT_HARD || (rc == VGS_EXIT_FAIL && !o->keep_going))
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
		nrun += not_runnable(f, o, js[i].backing) == NULL;
	if (o->replay == NULL && nrun > 0 &&
	    (o->stress_ms_set || o->stress_ops == 0))
		secs = (o->stress_ms_set ? o->stress_ms : VGS_STRESS_MS) /
		    1000.0 / nrun / (o->threads > 0 ? 2 : 1);
	for (i = 0; i < nj && !vgs_stop; i++) {
		snprintf(name, sizeof name, "stress.%s",
		    model_backing_name(js[i].backing));
		if ((why = not_runnable(f, o, js[i].backing)) != NULL) {
			memset(&skip, 0, sizeof skip);
			skip.name = name;
			skip.result = VGS_RES_SKIP;
			skip.summary = why;
			if (model_backing_shared(js[i].backing) && f->guard &&
			    f->shared && !f->gu && o->require_gu)
				skip.result = VGS_RES_FAIL;
			report_result(&skip);
			continue;
		}
		rc = worst(rc, run_job(o, f, &js[i], secs, &t));
		if (rc == VGS_EXIT_HARD || (rc == VGS_EXIT_FAIL &&
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
		fflush(stdout);
		fprintf(stderr, "%s: --record: %s\n", vgs_progname, err);
		rc = worst(rc, VGS_EXIT_HARD);
	}
	if (t.streams > 0)
		report_text("stress: %llu ops, %llu forks in %u streams, "
		    "%.3f s, seed %llu\n", (unsigned long long)t.ops,
		    (unsigned long long)t.forks, t.streams,
		    stress_now() - t0, (unsigned long long)o->seed);
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
