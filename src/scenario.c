/*
 * scenario.c: the catalogue table and the runner that takes every
 * selected scenario over every selected backing (the step helpers the
 * scenarios are written with are in step.c).
 */
#include "vgs.h"
#include "child.h"
#include "feature.h"
#include "options.h"
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
	size_t		 npages;
	int		 st;

	memset(&s, 0, sizeof s);
	s.sc = sc;
	s.backing = b;
	s.feat = f;
	s.opts = o;
	s.judge.check_gu = f->gu || o->require_gu;
	s.judge.flag_mask = VGS_VMF_MODELLED;
	s.next_tag = first_tag(o->seed, sc->name, b);
	npages = sc->npages != VGS_NPAGES_2PMD ? sc->npages :
	    thp_area_pages();
	if (arena_create(&s.ar, b, npages, err, sizeof err) != 0) {
		snprintf(summary, sizeof summary, "setup: %s", err);
		rc->summary = summary;
		return (VGS_HARD);
	}
	model_init(&s.m, b, npages, VGS_TAG_FILE);
	model_map(&s.m, 0, npages, PROT_READ | PROT_WRITE, 1);
	state_init(&s.exp, npages);
	state_init(&s.obs, npages);
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
