/*
 * main.c: modes and exit status.  Parse the command line, check what it
 * names before anything runs, probe the kernel, run the catalogue and
 * turn the results into the documented exit status: 99 hard error (a
 * lost output too) > 1 a check failed > the skip status (77) when
 * nothing passed or failed > 0 passed.  SIGINT/SIGTERM end the run
 * early with 128+signal.  The status follows from the counts the
 * summary shows, so the two never disagree.
 */
#include "vgs.h"
#include "arena.h"
#include "child.h"
#include "feature.h"
#include "list.h"
#include "observe.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "scenario.h"
#include "stress.h"
#include "watchdog.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf	crash_env;
static char		crash_check[128] = "start-up";

static void
check_names(const char *opt, const char *list)
{
	const char	*p = list, *item;
	size_t		 n;

	while (vgs_list_next(&p, &item, &n)) {
		if (n == 0)
			usage_error("%s: empty scenario name in '%s'", opt,
			    list);
		/* "stress" names the random stress phase (stress_run.c). */
		if (scenario_lookup(item, n) == NULL &&
		    !vgs_name_eq("stress", item, n))
			usage_error("%s: unknown scenario '%.*s' (see --list)",
			    opt, (int)n, item);
	}
}

/*
 * The directory for backing files must work before the first check
 * uses it: an unusable one is the environment's fault (99), named once.
 */
static void
check_tmpdir(const struct vgs_opts *o)
{
	char	err[VGS_MSG_MAX];

	if (o->tmpdir == NULL && (o->features || !(o->backings &
	    (VGS_BACKING_BIT(VGS_BACKING_FILE_SHARED) |
	    VGS_BACKING_BIT(VGS_BACKING_FILE_PRIVATE)))))
		return;
	if (arena_check_tmpdir(err, sizeof err) == 0)
		return;
	if (o->tmpdir != NULL)
		fatalx("--tmpdir: %s", err);
	fatalx("%s (choose another directory with --tmpdir)", err);
}

/*
 * The value --features gives a --require name: 1 present, 0 missing.
 * Values are yes/no words, and for thp its mode.
 */
static int
feature_present(const struct features *f, const char *name, char *val,
    size_t valsz)
{
	static const char *const absent[] = { "no", "absent", "never",
	    "unavailable", "unknown" };
	const char	*p;
	char		 buf[VGS_FEATURES_MAX], key[64];
	size_t		 i, n;

	feature_lines(f, buf, sizeof buf);
	p = buf;
	snprintf(val, valsz, "no line");
	while (report_fmt_feature_next(&p, key, sizeof key, val, valsz)) {
		if (strcmp(key, name) != 0)
			continue;
		n = strcspn(val, " ");
		for (i = 0; i < sizeof absent / sizeof absent[0]; i++) {
			if (strlen(absent[i]) == n &&
			    strncmp(val, absent[i], n) == 0)
				return (0);
		}
		return (1);
	}
	return (0);
}

/* --require: a failure for every required feature the kernel lacks. */
static void
require_report(const struct vgs_opts *o, const struct features *f)
{
	struct report_check	 c;
	const char		*name;
	char			 cname[96], val[256], why[VGS_MSG_MAX];
	unsigned		 i;

	for (i = 0; (name = options_require_name(i)) != NULL; i++) {
		/* The series is judged by kernel-expect (--expect=series). */
		if (!(o->require & (1U << i)) || strcmp(name, "gu") == 0 ||
		    strcmp(name, "series") == 0 ||
		    feature_present(f, name, val, sizeof val))
			continue;
		snprintf(cname, sizeof cname, "require.%s", name);
		snprintf(why, sizeof why, "--require=%s: the kernel lacks it "
		    "(--features: %s: %s)", name, name, val);
		memset(&c, 0, sizeof c);
		c.name = cname;
		c.result = VGS_FAIL;
		c.summary = why;
		report_result(&c);
	}
}

static uint64_t
default_seed(void)
{
	struct timespec	ts;
	uint64_t	x;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_sec * 1000003ULL ^ (uint64_t)ts.tv_nsec ^
	    ((uint64_t)getpid() << 32);
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (x % 1000000000ULL);
}

/*
 * A fault no probe expected jumped back here: probe.c said what it was
 * on stderr.  The check that was running fails, and the run ends.
 */
static void __attribute__((noreturn))
crashed(void)
{
	const struct probe_fault	*pf = probe_unexpected();
	struct report_check		 rc;
	char				 sum[VGS_MSG_MAX];

	snprintf(sum, sizeof sum, "unexpected SIG%s at %#lx: the kernel may "
	    "have put a guard where none was asked", vgs_signal_name(pf->sig),
	    (unsigned long)pf->addr);
	memset(&rc, 0, sizeof rc);
	rc.name = crash_check;
	rc.result = VGS_FAIL;
	rc.summary = sum;
	report_result(&rc);
	report_exit_status(VGS_FAIL);
	report_summary();
	/*
	 * The marker may still be where the tool runs: leave without the
	 * exit handlers' deeper calls, but with every child killed.
	 */
	child_kill_all();
	fflush(NULL);
	_exit(VGS_FAIL);
}

/* The exit status of a run whose phases returned rc. */
static int
run_status(int rc, int skip_status)
{
	if (vgs_stop)
		return (128 + vgs_stop);
	if (rc == VGS_HARD || report_count(VGS_HARD) > 0)
		return (VGS_HARD);
	if (rc == VGS_FAIL || report_count(VGS_FAIL) > 0)
		return (VGS_FAIL);
	if (report_count(VGS_PASS) == 0 && report_count(VGS_SKIP) > 0)
		return (skip_status);
	return (VGS_PASS);
}

/* The feature probe, run under the watchdog. */
struct probe_job {
	struct features	*f;
	char		*err;
	size_t		 errsz;
};

static enum outcome
probe_watched(void *arg)
{
	struct probe_job	*j = arg;

	return (feature_probe(j->f, j->err, j->errsz) == 0 ? VGS_PASS :
	    VGS_HARD);
}

int
main(int argc, char **argv)
{
	struct vgs_opts	 o;
	struct features	 f;
	struct probe_job fp;
	char		 err[VGS_MSG_MAX], buf[2048], why[VGS_MSG_MAX];
	unsigned	 nchild;
	double		 slowest;
	int		 rc;

	vgs_close_stdout();
	vgs_init();
	options_parse(argc, argv, &o);
	check_names("--run", o.run);
	check_names("--exclude", o.exclude);
	report_init(o.verbosity);
	if (o.list) {
		list_print(&o);
		return (VGS_PASS);
	}
	if (!o.features)
		list_require_checks(&o);
	if (o.tmpdir != NULL)
		arena_set_tmpdir(o.tmpdir);
	check_tmpdir(&o);
	probe_init();
	child_signals_init();
	child_set_timeout(o.child_timeout_ms);
	if (!o.seed_set)
		o.seed = default_seed();

	probe_context("the feature probe");
	watchdog_start(o.child_timeout_ms);
	fp.f = &f;
	fp.err = err;
	fp.errsz = sizeof err;
	switch (watchdog_call("the feature probe", probe_watched, &fp, why,
	    sizeof why)) {
	case VGS_PASS:
		break;
	case VGS_HARD:
		fatalx("probing the kernel: %s", err);
	case VGS_SKIP:
		break;	/* interrupted: the run ends below */
	default:
		/*
		 * The kernel did not answer: its failure, said on stderr.
		 * The probe was abandoned where it was; leave without the
		 * exit handlers (nothing is open yet, no child runs).
		 */
		fflush(stdout);
		fprintf(stderr, "%s: probing the kernel: %s\n", vgs_progname,
		    why);
		_exit(VGS_FAIL);
	}
	if (vgs_stop)
		exit(128 + vgs_stop);
	verdict_judge(&f, o.expect);
	if (o.features) {
		feature_lines(&f, buf, sizeof buf);
		report_text("%s", buf);
		return (VGS_PASS);
	}
	observe_init(&f);
	report_open(&o);
	report_header(&f, o.seed);
	if (sigsetjmp(crash_env, 1) != 0) {
		probe_current(crash_check, sizeof crash_check);
		crashed();
	}
	probe_set_recovery(&crash_env);
	require_report(&o, &f);
	if (f.gen == VGS_GEN_NONE) {
		fflush(stdout);
		report_clear_progress();
		fprintf(stderr, "%s: this kernel lacks guard regions: "
		    "MADV_GUARD_INSTALL on private anonymous memory failed "
		    "with %s (Linux 6.13 or later is needed)\n", vgs_progname,
		    vgs_errno_name(f.guard_errno));
		if (o.expect == VGS_GEN_UNSET)
			report_skip_all("kernel lacks guard regions: "
			    "MADV_GUARD_INSTALL failed with %s (Linux 6.13 "
			    "or later is needed)",
			    vgs_errno_name(f.guard_errno));
	}
	rc = scenario_run_kernel(&o, &f);
	if (rc == VGS_PASS || o.keep_going) {
		rc = scenario_run_all(&o, &f);
		rc = stress_phase(&o, &f, rc);
	}
	probe_set_recovery(NULL);
	observe_free();
	child_stats(&nchild, &slowest);
	report_verbose("children: %u finished by themselves, the slowest in "
	    "%.1f ms; deadline %u ms (--child-timeout %u ms)\n", nchild,
	    slowest * 1000, child_timeout(), child_ceiling());
	/* Known before the summary: the JSON and JUnit files carry it. */
	rc = run_status(rc, o.skip_status);
	report_exit_status(rc);
	if (report_summary() != 0 && !vgs_stop)
		rc = VGS_HARD;
	if (vgs_stop)
		fprintf(stderr, "%s: interrupted by SIG%s; children killed\n",
		    vgs_progname, vgs_signal_name(vgs_stop));
	return (rc);
}
