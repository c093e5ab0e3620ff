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
#include "observe.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "scenario.h"
#include "stress.h"
#include "watchdog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* A selection of no check at all is a mistake of the command line. */
static void
check_selection(const struct vgs_opts *o)
{
	int	stress;

	stress = (o->run == NULL || vgs_list_has(o->run, "stress")) &&
	    !vgs_list_has(o->exclude, "stress");
	if (!stress && scenario_count_selected(o) == 0)
		usage_error("--run and --exclude select no check");
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
	    "unavailable" };
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
		if (!(o->require & (1U << i)) ||
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

int
main(int argc, char **argv)
{
	struct vgs_opts	 o;
	struct features	 f;
	char		 err[VGS_MSG_MAX], buf[1024];
	unsigned	 nchild;
	double		 slowest;
	int		 rc;

	vgs_close_stdout();
	options_parse(argc, argv, &o);
	check_names("--run", o.run);
	check_names("--exclude", o.exclude);
	report_init(o.verbosity);
	if (o.list) {
		scenario_list();
		return (VGS_PASS);
	}
	if (!o.features)
		check_selection(&o);
	vgs_init();
	if (o.tmpdir != NULL)
		arena_set_tmpdir(o.tmpdir);
	check_tmpdir(&o);
	probe_init();
	child_signals_init();
	child_set_timeout(o.child_timeout_ms);
	if (!o.seed_set)
		o.seed = default_seed();

	if (feature_probe(&f, err, sizeof err) != 0)
		fatalx("probing the kernel: %s", err);
	if (o.features) {
		feature_lines(&f, buf, sizeof buf);
		report_text("%s", buf);
		return (VGS_PASS);
	}
	observe_init(&f);
	report_open(&o);
	watchdog_start(o.child_timeout_ms);
	report_header(&f, o.seed);
	require_report(&o, &f);
	if (!f.guard) {
		fflush(stdout);
		report_clear_progress();
		fprintf(stderr, "%s: this kernel lacks guard regions: "
		    "MADV_GUARD_INSTALL on private anonymous memory failed "
		    "with %s (Linux 6.13 or later is needed)\n", vgs_progname,
		    vgs_errno_name(f.guard_errno));
	}
	rc = scenario_run_all(&o, &f);
	rc = stress_phase(&o, &f, rc);
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
