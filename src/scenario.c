/*
 * scenario.c: the catalogue table and the runner that takes every
 * selected scenario over every selected backing it applies to (the steps
 * the scenarios are written with are in step.c and step_ops.c).  A
 * backing outside a scenario's .backings is not a check: it is neither
 * run nor counted, and -v names it "N/A" with the .na_reason; a SKIP is
 * always something this kernel or machine lacks.
 */
#include "vgs.h"
#include "arena.h"
#include "child.h"
#include "feature.h"
#include "options.h"
#include "probe.h"
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

/* Whether sc applies to backing b at all (else it is n/a there, no check). */
int
scenario_applies(const struct scenario *sc, enum backing b)
{
	return ((sc->backings & VGS_BACKING_BIT(b)) != 0);
}

/* Whether -r and -x select sc. */
int
scenario_selected(const struct scenario *sc, const struct vgs_opts *o)
{
	if (o->run != NULL && !vgs_list_has(o->run, sc->name))
		return (0);
	return (!vgs_list_has(o->exclude, sc->name));
}

/*
 * The checks of the catalogue the options select: each selected scenario
 * on each selected backing it applies to.
 */
unsigned
scenario_count_checks(const struct vgs_opts *o)
{
	unsigned	n = 0;
	size_t		i;
	int		b;

	for (i = 0; i < scenario_count; i++) {
		if (!scenario_selected(scenario_table[i], o))
			continue;
		for (b = 0; b < VGS_BACKING_COUNT; b++)
			n += (o->backings & VGS_BACKING_BIT(b)) != 0 &&
			    scenario_applies(scenario_table[i], b);
	}
	return (n);
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

/* The pages of sc's area: its npages, or two PMDs (VGS_NPAGES_2PMD). */
size_t
scenario_npages(const struct scenario *sc)
{
	return (sc->npages != VGS_NPAGES_2PMD ? sc->npages :
	    thp_area_pages());
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
	size_t		 npages = scenario_npages(sc);

	memset(&s, 0, sizeof s);
	s.sc = sc;
	s.backing = b;
	s.feat = f;
	s.opts = o;
	s.judge.check_gu = f->series;
	s.judge.flag_mask = VGS_VMF_MODELLED;
	s.next_tag = first_tag(o->seed, sc->name, b);
	if (arena_create(&s.ar, b, npages, err, sizeof err) != 0) {
		snprintf(out->summary, sizeof out->summary, "setup: %s", err);
		return (out->result = VGS_HARD);
	}
	model_init(&s.m, b, npages, VGS_TAG_FILE);
	model_map(&s.m, 0, npages, PROT_READ | PROT_WRITE, 1);
	state_init(&s.exp, npages);
	state_init(&s.obs, npages);
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
		    "with the model%s%s%s", s.steps, s.gu_relied ? " (gu not "
		    "judged: pre-series kernel)" : "", s.note[0] ? "; " : "",
		    s.note);
		break;
	case VGS_SKIP:
	case VGS_HARD:
		snprintf(out->summary, sizeof out->summary, "%s", s.reason);
		break;
	default:
		st = VGS_FAIL;
		snprintf(out->summary, sizeof out->summary, "%s",
		    s.reason[0] ? s.reason : "failed");
		xasprintf(&out->rerun, "%s --run=%s --backing=%s "
		    "--seed=%llu%s%s%s",
		    vgs_progname, sc->name, backing_name(b),
		    (unsigned long long)o->seed,
		    o->expect != VGS_GEN_UNSET ? " --expect=" : "",
		    o->expect != VGS_GEN_UNSET ? verdict_name(o->expect) : "",
		    o->require_softdirty ? " --require=softdirty" : "");
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

/* Report a check of the kernel itself (no backing, no scenario). */
static void
report_kernel(const char *name, enum outcome r, const char *summary,
    const char *detail)
{
	struct report_check	rc;

	memset(&rc, 0, sizeof rc);
	rc.name = name;
	rc.scenario = name;
	rc.backing = "";
	rc.result = r;
	rc.summary = summary;
	rc.detail = detail;
	report_result(&rc);
}

/*
 * The checks of the kernel as a whole, before any scenario and whatever
 * the selection (doc/behaviour.md §5.4): kernel-consistency (the
 * evidence tells one story), kernel-expect (with --expect) and
 * file-merge (where file backings run).  The header states the verdict
 * and the evidence, so the first and the last are reported only when
 * they fail; kernel-expect, which the user asked for, always.  Returns
 * the worst outcome.
 */
enum outcome
scenario_run_kernel(const struct vgs_opts *o, const struct features *f)
{
	char		 sum[VGS_MSG_MAX + 64], *det = NULL;
	enum outcome	 rc = VGS_PASS;
	int		 b, files = 0;

	switch (f->gen) {
	case VGS_GEN_CONTRADICTORY:
		snprintf(sum, sizeof sum, "contradictory: %s", f->conflict);
		xasprintf(&det, "  evidence: %s\n  rerun: %s --features\n",
		    f->evidence, vgs_progname);
		report_kernel("kernel-consistency", VGS_FAIL, sum, det);
		free(det);
		rc = VGS_FAIL;
		break;
	default:
		break;
	}
	if (o->expect != VGS_GEN_UNSET && (int)f->gen == o->expect) {
		snprintf(sum, sizeof sum, "%s, as expected",
		    verdict_name(f->gen));
		report_kernel("kernel-expect", VGS_PASS, sum, NULL);
	} else if (o->expect != VGS_GEN_UNSET) {
		snprintf(sum, sizeof sum, "expected %s, the kernel is %s (%s)",
		    verdict_name(o->expect), verdict_name(f->gen),
		    f->gen == VGS_GEN_CONTRADICTORY ? f->conflict :
		    f->evidence);
		report_kernel("kernel-expect", VGS_FAIL, sum, NULL);
		rc = VGS_FAIL;
	}
	for (b = 0; b < VGS_BACKING_COUNT; b++)
		files |= backing_file(b) && (o->backings & VGS_BACKING_BIT(b));
	/* A file system known not to merge skips the file checks. */
	if (!files || !f->guard || f->shared != 1 || f->file_merge != 0 ||
	    feature_fs_never_merges(f->fs_magic))
		return (rc);
	snprintf(sum, sizeof sum, "adjacent mappings of a file in %s (%s) "
	    "do not merge, as they must", arena_tmpdir(), f->fs_name);
	report_kernel("file-merge", VGS_FAIL, sum, NULL);
	return (VGS_FAIL);
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

	report_plan(scenario_count_checks(o));
	memset(&c, 0, sizeof c);
	for (i = 0; i < scenario_count && !vgs_stop; i++) {
		sc = scenario_table[i];
		if (!scenario_selected(sc, o))
			continue;
		for (b = 0; b < VGS_BACKING_COUNT && !vgs_stop; b++) {
			if (!(o->backings & VGS_BACKING_BIT(b)))
				continue;
			snprintf(name, sizeof name, "%s.%s", sc->name,
			    backing_name(b));
			/* Not a check: neither run nor counted. */
			if (!scenario_applies(sc, b)) {
				report_verbose("N/A %s: %s\n", name,
				    sc->na_reason ? sc->na_reason : "");
				continue;
			}
			memset(&rc, 0, sizeof rc);
			rc.name = name;
			rc.scenario = sc->name;
			rc.backing = backing_name(b);
			t0 = vgs_now();
			probe_context(name);
			if ((why = not_runnable(sc, b, f, buf,
			    sizeof buf)) != NULL) {
				rc.result = VGS_SKIP;
				rc.summary = why;
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
