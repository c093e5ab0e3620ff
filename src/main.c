/*
 * main.c: modes and exit status.  Parse the command line, probe the
 * kernel, run the catalogue and turn the results into the documented
 * exit status: 99 hard error > 1 a check failed > 77 no guard regions
 * > 0 passed.  SIGINT/SIGTERM end the run early with 128+signal.
 */
#include "vgs.h"
#include "child.h"
#include "feature.h"
#include "list.h"
#include "observe.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "scenario.h"
#include "stress.h"

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

int
main(int argc, char **argv)
{
	struct vgs_opts	 o;
	struct features	 f;
	char		 err[VGS_MSG_MAX], buf[2048];
	int		 rc;

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
	vgs_init();
	probe_init();
	child_signals_init();
	child_set_timeout(o.child_timeout_ms);
	if (o.tmpdir != NULL)
		arena_set_tmpdir(o.tmpdir);
	if (!o.seed_set)
		o.seed = default_seed();

	probe_context("the feature probe");
	if (feature_probe(&f, err, sizeof err) != 0)
		fatalx("probing the kernel: %s", err);
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
	/* Known before the summary: the JSON and JUnit files carry it. */
	if (vgs_stop)
		rc = 128 + vgs_stop;
	else if (rc == VGS_PASS && f.gen == VGS_GEN_NONE &&
	    report_count(VGS_PASS) == 0)
		rc = o.skip_status;
	report_exit_status(rc);
	report_summary();
	if (vgs_stop)
		fprintf(stderr, "%s: interrupted by SIG%s; children killed\n",
		    vgs_progname, vgs_signal_name(vgs_stop));
	return (rc);
}
