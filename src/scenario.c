/*
 * scenario.c: the catalogue table and the runner that takes every
 * selected scenario over every selected backing (the steps the
 * scenarios are written with are in step.c and step_ops.c).
 */
#include "vgs.h"
#include "child.h"
#include "feature.h"
#include "options.h"
#include "report.h"
#include "scenario.h"
#include "watchdog.h"

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
	size_t	i;

	for (i = 0; i < scenario_count; i++) {
		if (vgs_name_eq(scenario_table[i]->name, name, len))
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
		    scenario_table[i]->claim);
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

static const char *
not_runnable(const struct scenario *sc, enum backing b,
    const struct features *f, char *buf, size_t size)
{
	const char	*why;

	if (!f->guard)
		return ("kernel lacks guard regions");
	if (!(sc->backings & VGS_BACKING_BIT(b))) {
		snprintf(buf, size, "not applicable to %s: %s",
		    backing_name(b), sc->na_reason ? sc->na_reason : "");
		return (buf);
	}
	if ((why = feature_backing_blocked(f, b, buf, size)) != NULL)
		return (why);
	if ((sc->needs & VGS_NEED_THP) && (strcmp(f->thp, "never") == 0 ||
	    strcmp(f->thp, "unavailable") == 0)) {
		snprintf(buf, size, "transparent hugepages are %s", f->thp);
		return (buf);
	}
	if ((sc->needs & VGS_NEED_SOFTDIRTY) && !f->softdirty)
		return ("kernel without CONFIG_MEM_SOFT_DIRTY (no sd flag)");
	return (NULL);
}

/* What one check produced, owned here until it is reported. */
struct checked {
	enum outcome	 result;
	char		 summary[VGS_MSG_MAX + 64];
	char		*detail;
	char		*expected;
	char		*observed;
	char		*rerun;
};

static void
checked_free(struct checked *c)
{
	free(c->detail);
	free(c->expected);
	free(c->observed);
	free(c->rerun);
	memset(c, 0, sizeof *c);
}

static enum outcome
run_watched(void *arg)
{
	struct scn	*s = arg;

	return (s->sc->run(s));
}

/* Run scenario sc on backing b into out; returns out->result. */
static enum outcome
run_one(const struct scenario *sc, enum backing b, const struct vgs_opts *o,
    const struct features *f, struct checked *out)
{
	struct scn	 s;
	char		 err[VGS_MSG_MAX], why[VGS_MSG_MAX] = "", name[96];
	enum outcome	 st;

	memset(&s, 0, sizeof s);
	s.sc = sc;
	s.backing = b;
	s.feat = f;
	s.opts = o;
	s.judge.check_gu = f->gu || o->require_gu;
	s.judge.flag_mask = VGS_VMF_MODELLED;
	s.next_tag = first_tag(o->seed, sc->name, b);
	if (arena_create(&s.ar, b, sc->npages, err, sizeof err) != 0) {
		snprintf(out->summary, sizeof out->summary, "setup: %s", err);
		return (out->result = VGS_HARD);
	}
	model_init(&s.m, b, sc->npages, VGS_TAG_FILE);
	model_map(&s.m, 0, sc->npages, PROT_READ | PROT_WRITE, 1);
	state_init(&s.exp, sc->npages);
	state_init(&s.obs, sc->npages);
	snprintf(name, sizeof name, "%s.%s", sc->name, backing_name(b));
	st = watchdog_call(name, run_watched, &s, why, sizeof why);
	if (why[0] != '\0') {
		/* Taken away mid-way: end what it had started. */
		child_abandon_all();
		if (st == VGS_SKIP)
			snprintf(s.reason, sizeof s.reason, "%s", why);
		else
			snprintf(s.reason, sizeof s.reason, "step %u: %s",
			    s.steps, why);
		s.hard = s.series_absent = s.gu_relied = 0;
	}
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
		st = VGS_SKIP;	/* cut short by a signal: no verdict */
	switch (st) {
	case VGS_PASS:
		snprintf(out->summary, sizeof out->summary, "%u steps agree "
		    "with the model%s", s.steps, s.gu_relied ? " (gu not "
		    "judged: pre-series kernel)" : "");
		break;
	case VGS_SKIP:
	case VGS_HARD:
		snprintf(out->summary, sizeof out->summary, "%s", s.reason);
		break;
	default:
		st = VGS_FAIL;
		snprintf(out->summary, sizeof out->summary, "%s",
		    s.reason[0] ? s.reason : "failed");
		xasprintf(&out->rerun, "%s --run=%s --backing=%s --seed=%llu%s",
		    vgs_progname, sc->name, backing_name(b),
		    (unsigned long long)o->seed,
		    o->require_gu && o->require_softdirty ?
		    " --require=gu,softdirty" : o->require_gu ?
		    " --require=gu" : o->require_softdirty ?
		    " --require=softdirty" : "");
		xappend(&s.detail, "  rerun: %s\n", out->rerun);
		out->expected = s.expected;
		out->observed = s.observed;
		s.expected = s.observed = NULL;
		break;
	}
	if (s.trace != NULL && st != VGS_FAIL) {
		free(s.detail);
		s.detail = s.trace;
		s.trace = NULL;
	} else if (s.trace != NULL) {
		xappend(&s.trace, "%s", s.detail ? s.detail : "");
		free(s.detail);
		s.detail = s.trace;
		s.trace = NULL;
	}
	out->detail = s.detail;
	free(s.expected);
	free(s.observed);
	return (out->result = st);
}

/* How many checks the options select (progress; main.c refuses 0). */
unsigned
scenario_count_selected(const struct vgs_opts *o)
{
	unsigned	n = 0;
	size_t		i;
	int		b;

	for (i = 0; i < scenario_count; i++) {
		if ((o->run != NULL && !vgs_list_has(o->run,
		    scenario_table[i]->name)) ||
		    vgs_list_has(o->exclude, scenario_table[i]->name))
			continue;
		for (b = 0; b < VGS_BACKING_COUNT; b++)
			n += (o->backings & VGS_BACKING_BIT(b)) != 0;
	}
	return (n);
}

/*
 * Run every selected scenario on every selected backing, reporting each
 * check.  Returns the outcome the checks call for.
 */
enum outcome
scenario_run_all(const struct vgs_opts *o, const struct features *f)
{
	const struct scenario	*sc;
	struct report_check	 rc;
	struct checked		 c;
	char			 name[96], buf[VGS_MSG_MAX];
	const char		*why;
	size_t			 i;
	int			 b;
	double			 t0;

	report_plan(scenario_count_selected(o));
	memset(&c, 0, sizeof c);
	for (i = 0; i < scenario_count && !vgs_stop; i++) {
		sc = scenario_table[i];
		if (o->run != NULL && !vgs_list_has(o->run, sc->name))
			continue;
		if (vgs_list_has(o->exclude, sc->name))
			continue;
		for (b = 0; b < VGS_BACKING_COUNT && !vgs_stop; b++) {
			if (!(o->backings & VGS_BACKING_BIT(b)))
				continue;
			snprintf(name, sizeof name, "%s.%s", sc->name,
			    backing_name(b));
			memset(&rc, 0, sizeof rc);
			rc.name = name;
			rc.scenario = sc->name;
			rc.backing = backing_name(b);
			t0 = vgs_now();
			if ((why = not_runnable(sc, b, f, buf,
			    sizeof buf)) != NULL) {
				rc.result = VGS_SKIP;
				rc.summary = why;
				if (!f->guard && o->require_gu)
					rc.result = VGS_FAIL;
			} else {
				rc.result = run_one(sc, b, o, f, &c);
				rc.summary = c.summary;
				rc.detail = c.detail;
				rc.expected = c.expected;
				rc.observed = c.observed;
				rc.rerun = c.rerun;
			}
			rc.seconds = vgs_now() - t0;
			if (rc.result == VGS_HARD) {
				report_error(name, rc.seconds, "%s",
				    rc.summary);
				checked_free(&c);
				return (VGS_HARD);
			}
			report_result(&rc);
			checked_free(&c);
			if (rc.result == VGS_FAIL && !o->keep_going)
				return (VGS_FAIL);
		}
	}
	if (report_count(VGS_FAIL) > 0)
		return (VGS_FAIL);
	return (VGS_PASS);
}
