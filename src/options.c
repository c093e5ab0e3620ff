/*
 * options.c: command-line parsing.  The option table below is the only
 * list of options: getopt_long()'s tables and --help are built from it,
 * and tests/man-options.sh checks each long option against the man
 * page.  Bad input ends the run with one line and status 2 before
 * anything is created.
 */
#include "vgs.h"
#include "backing.h"
#include "feature.h"
#include "stress_ops.h"
#include "options.h"
#include "child.h"
#include "watchdog.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_FEATURES = 256,
	OPT_EXPECT,
	OPT_REQUIRE,
	OPT_FAIL_FAST,
	OPT_TMPDIR,
	OPT_CHILD_TIMEOUT,
	OPT_TAP,
	OPT_JUNIT,
	OPT_JSON,
	OPT_METRICS,
	OPT_SHOW,
	OPT_SKIP_STATUS,
	OPT_THREADS,
	OPT_PAGES,
	OPT_SMAPS_INTERVAL,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_MINIMIZE_OUT,
	OPT_EMIT_C,
	OPT_BARE
};

struct optdesc {
	const char	*lname;
	int		 val;
	int		 has_arg;
	const char	*arg;
	const char	*help;
};

static const struct optdesc optdescs[] = {
	{ "help", 'h', no_argument, NULL,
	  "show this help and exit" },
	{ "version", 'V', no_argument, NULL,
	  "show the version and exit" },
	{ "list", 'l', optional_argument, "FORMAT",
	  "list the checks and exit (text, names, json)" },
	{ "features", OPT_FEATURES, no_argument, NULL,
	  "print what the kernel supports and exit" },
	{ "run", 'r', required_argument, "NAME[,NAME]",
	  "run only these scenarios" },
	{ "exclude", 'x', required_argument, "NAME[,NAME]",
	  "skip these scenarios" },
	{ "backing", 'b', required_argument, "LIST",
	  "anon,shmem,file-shared,file-private (default all)" },
	{ "expect", OPT_EXPECT, required_argument, "GENERATION",
	  "none, guard, pre-series or series, or fail" },
	{ "require", OPT_REQUIRE, required_argument, "FEATURE[,FEATURE]",
	  "fail where a --features line says no" },
	{ "seed", 's', required_argument, "N",
	  "seed for data patterns and random choices" },
	{ "keep-going", 'k', no_argument, NULL,
	  "run every check after a failure (the default)" },
	{ "fail-fast", OPT_FAIL_FAST, no_argument, NULL,
	  "stop at the first failing check" },
	{ "tmpdir", OPT_TMPDIR, required_argument, "DIR",
	  "backing files' directory (default $TMPDIR, /tmp)" },
	{ "child-timeout", OPT_CHILD_TIMEOUT, required_argument, "DURATION",
	  "a forked child's longest deadline (default 10s)" },
	{ "verbose", 'v', no_argument, NULL,
	  "show every step's observed state" },
	{ "quiet", 'q', no_argument, NULL,
	  "print only failures and the summary" },
	{ "show", OPT_SHOW, no_argument, NULL,
	  "draw page strips after every step (implies -v)" },
	{ "output", 'o', required_argument, "FILE",
	  "write the text report to FILE ('-': stdout)" },
	{ "tap", OPT_TAP, no_argument, NULL,
	  "TAP version 13 on stdout, not the text report" },
	{ "junit", OPT_JUNIT, required_argument, "FILE",
	  "also write JUnit XML to FILE" },
	{ "json", OPT_JSON, required_argument, "FILE",
	  "also write JSON Lines to FILE" },
	{ "metrics", OPT_METRICS, no_argument, NULL,
	  "count operations; time observing vs operating" },
	{ "skip-status", OPT_SKIP_STATUS, required_argument, "N",
	  "exit status when nothing can run (default 77)" },
	{ "timeout", 't', required_argument, "DURATION",
	  "length of the random stress phase (default 1s)" },
	{ "ops", 'n', required_argument, "N",
	  "stop each stress worker after N operations" },
	{ "workers", 'j', required_argument, "N",
	  "workers per backing (default 1, 0: one per CPU)" },
	{ "threads", OPT_THREADS, required_argument, "N",
	  "race N guard-installing threads against fork" },
	{ "pages", OPT_PAGES, required_argument, "N",
	  "pages in each stress area (default 64)" },
	{ "smaps-interval", OPT_SMAPS_INTERVAL, required_argument, "N",
	  "stress operations between smaps checkpoints" },
	{ "record", OPT_RECORD, required_argument, "FILE",
	  "write the stress operations to FILE" },
	{ "replay", OPT_REPLAY, required_argument, "FILE",
	  "run the stress operations in FILE (-r stress)" },
	{ "minimize-out", OPT_MINIMIZE_OUT, required_argument, "FILE",
	  "save a stress failure's minimised ops to FILE" },
	{ "emit-c", OPT_EMIT_C, required_argument, "FILE",
	  "write a stress failure's C reproducer to FILE" },
	{ "bare", OPT_BARE, no_argument, NULL,
	  "benchmark: stress syscalls, no model or judge" },
};
#define NOPTS	(sizeof optdescs / sizeof optdescs[0])

/* A usage error: one line on stderr, exit status 2. */
void
usage_error(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024], *p;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Arguments are echoed: a newline in one must not break the line. */
	for (p = msg; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
	fflush(stdout);
	fprintf(stderr, "%s: %s (try '%s --help')\n", vgs_progname, msg,
	    vgs_progname);
	exit(VGS_EXIT_USAGE);
}

static void
usage(void)
{
	char	left[64];
	size_t	i;

	printf("Usage: %s [OPTION]...\n"
	    "Check Linux guard regions (MADV_GUARD_INSTALL) and the "
	    "VM_MAYBE_GUARD series\nagainst a model of what they must "
	    "show.\n\n", vgs_progname);
	/* Every line fits 79 columns (tests/cli-help.sh). */
	for (i = 0; i < NOPTS; i++) {
		const struct optdesc *o = &optdescs[i];
		const char	*open = "", *close = "";

		if (o->arg != NULL && o->has_arg == optional_argument) {
			open = "[=";
			close = "]";
		} else if (o->arg != NULL)
			open = "=";
		if (o->val < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s%s", o->val,
			    o->lname, open, o->arg ? o->arg : "", close);
		else
			snprintf(left, sizeof left, "    --%s%s%s%s", o->lname,
			    open, o->arg ? o->arg : "", close);
		if (strlen(left) > 26)
			printf("  %s\n  %-26s %s\n", left, "", o->help);
		else
			printf("  %-26s %s\n", left, o->help);
	}
	printf("\nA forked child's deadline adapts: %d times the slowest "
	    "child so far, at\nleast %.0f s, at most the --child-timeout "
	    "value.  A check in the tool's own\nprocess may wait that long "
	    "(at least %.0f s) for an answer from the kernel.\n",
	    VGS_DEADLINE_MULT, VGS_DEADLINE_FLOOR_MS / 1000.0,
	    VGS_WATCHDOG_MIN_MS / 1000.0);
	printf("\nExit status: 0 all checks passed, 1 a check failed, 2 "
	    "usage error,\n77 nothing passed or failed, only skipped "
	    "(--skip-status=N changes it:\n4 for the kselftest runner, 125 "
	    "for git bisect run),\n99 hard error or lost output, 128+N "
	    "stopped by signal N; of 99, 1, 77 and 0\nthe first that "
	    "applies.\n\nReport bugs to: %s\n", PACKAGE_BUGREPORT);
}

static void
version(void)
{
	printf("%s %s\n"
	    "Copyright (C) 2026 the vmaguard-stress authors.\n"
	    "License GPLv2: GNU GPL version 2 "
	    "<https://gnu.org/licenses/gpl-2.0.html>.\n"
	    "This is free software: you are free to change and "
	    "redistribute it.\n"
	    "There is NO WARRANTY, to the extent permitted by law.\n",
	    PACKAGE_NAME, PACKAGE_VERSION);
}

/*
 * Parse an unsigned decimal in [min, max]: no sign, no blanks, no
 * trailing garbage, no overflow.  0, or -1 with errno (EINVAL, ERANGE).
 */
int
options_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long	 v;
	char			*end;

	if (s == NULL || !isdigit((unsigned char)s[0])) {
		errno = EINVAL;
		return (-1);
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0') {
		errno = EINVAL;
		return (-1);
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return (-1);
	}
	*out = v;
	return (0);
}

/*
 * Parse a duration "N", "Ns", "Nms", "Nm" or "Nh" into milliseconds, at
 * most a week.  0, or -1 with errno.
 */
int
options_parse_duration(const char *s, uint64_t *ms)
{
	char		 num[32];
	size_t		 n;
	uint64_t	 v, mult;
	const char	*suf;

	n = strspn(s, "0123456789");
	if (n == 0 || n >= sizeof num) {
		errno = n == 0 ? EINVAL : ERANGE;
		return (-1);
	}
	memcpy(num, s, n);
	num[n] = '\0';
	suf = s + n;
	if (*suf == '\0' || strcmp(suf, "s") == 0)
		mult = 1000;
	else if (strcmp(suf, "ms") == 0)
		mult = 1;
	else if (strcmp(suf, "m") == 0)
		mult = 60 * 1000;
	else if (strcmp(suf, "h") == 0)
		mult = 3600 * 1000;
	else {
		errno = EINVAL;
		return (-1);
	}
	if (options_parse_u64(num, 0, 7ULL * 24 * 3600 * 1000 / mult, &v) != 0)
		return (-1);
	*ms = v * mult;
	return (0);
}

/* Parse a comma-separated backing list into a mask; -1 with err. */
int
options_parse_backings(const char *s, unsigned *mask, char *err,
    size_t errsz)
{
	const char	*p = s, *item;
	size_t		 n;
	int		 b;

	*mask = 0;
	while (vgs_list_next(&p, &item, &n)) {
		if (n == 0) {
			snprintf(err, errsz, "empty backing name in '%s'", s);
			return (-1);
		}
		if ((b = backing_lookup(item, n)) == -1) {
			snprintf(err, errsz, "unknown backing '%.*s' "
			    "(anon, shmem, file-shared, file-private)",
			    (int)n, item);
			return (-1);
		}
		*mask |= VGS_BACKING_BIT(b);
	}
	return (0);
}

/*
 * The features --require takes: the yes/no lines of --features (its
 * names; "softdirty" is the old spelling of soft-dirty).  A required
 * feature the kernel lacks is a failure (main.c); gu and soft-dirty
 * also make the checks that judge them judge them everywhere.
 */
static const char *const require_names[] = {
	"guard-regions", "guard-shared", "pagemap-guard-bit", "pagemap-scan",
	"pagemap-scan-guard", "gu", "series-merge", "series", "thp",
	"soft-dirty", "soft-dirty-sticky", "file-merge"
};
#define NREQUIRE	(sizeof require_names / sizeof require_names[0])

/* The name of --require bit i, or NULL past the last. */
const char *
options_require_name(unsigned i)
{
	return (i < NREQUIRE ? require_names[i] : NULL);
}

/* --require=gu,soft-dirty,... */
static void
parse_require(const char *arg, struct vgs_opts *o)
{
	const char	*p = arg, *item;
	size_t		 n;
	unsigned	 i;

	while (vgs_list_next(&p, &item, &n)) {
		if (vgs_name_eq("softdirty", item, n)) {
			item = "soft-dirty";
			n = strlen(item);
		}
		for (i = 0; i < NREQUIRE; i++) {
			if (vgs_name_eq(require_names[i], item, n))
				break;
		}
		if (i == NREQUIRE)
			usage_error("--require: unknown feature '%.*s' "
			    "(known: the yes/no lines of --features)",
			    (int)n, item);
		o->require |= 1U << i;
		if (strcmp(require_names[i], "gu") == 0 ||
		    strcmp(require_names[i], "series") == 0) {
			/* The series is a generation: kernel-expect. */
			if (o->expect != VGS_GEN_UNSET &&
			    o->expect != VGS_GEN_SERIES)
				usage_error("--require=%s is --expect=series, "
				    "not --expect=%s", require_names[i],
				    verdict_name(o->expect));
			o->expect = VGS_GEN_SERIES;
		} else if (strcmp(require_names[i], "soft-dirty") == 0)
			o->require_softdirty = 1;
	}
}

/* Options of the random stress phase. */
static void
parse_stress(int c, const char *arg, struct vgs_opts *o)
{
	struct opstream	*st;
	size_t		 n;
	uint64_t	 v;
	char		 err[VGS_MSG_MAX];

	switch (c) {
	case 't':
		if (options_parse_duration(arg, &v) != 0 || v == 0)
			usage_error("--timeout: '%s' is not a duration "
			    "(e.g. 10s, 5m, 1h)", arg);
		o->stress_ms = v;
		o->stress_ms_set = 1;
		break;
	case 'n':
		if (options_parse_u64(arg, 1, UINT64_MAX, &v) != 0)
			usage_error("--ops: '%s' is not a positive number",
			    arg);
		o->stress_ops = v;
		break;
	case 'j':
		if (options_parse_u64(arg, 0, 1024, &v) != 0)
			usage_error("--workers: '%s' is not a number from 0 "
			    "to 1024", arg);
		o->workers = (unsigned)v;
		o->workers_set = 1;
		break;
	case OPT_THREADS:
		if (options_parse_u64(arg, 0, 64, &v) != 0)
			usage_error("--threads: '%s' is not a number from 0 "
			    "to 64", arg);
		o->threads = (unsigned)v;
		break;
	case OPT_PAGES:
		if (options_parse_u64(arg, 1, VGS_STRESS_MAX_PAGES, &v) != 0)
			usage_error("--pages: '%s' is not a number from 1 to "
			    "%u", arg, VGS_STRESS_MAX_PAGES);
		o->pages = v;
		break;
	case OPT_SMAPS_INTERVAL:
		if (options_parse_u64(arg, 1, UINT32_MAX, &v) != 0)
			usage_error("--smaps-interval: '%s' is not a positive "
			    "number", arg);
		o->smaps_interval = (unsigned)v;
		break;
	case OPT_BARE:
		o->bare++;
		break;
	default:
		if (*arg == '\0')
			usage_error("--%s: empty file name", c == OPT_RECORD ?
			    "record" : c == OPT_REPLAY ? "replay" :
			    c == OPT_EMIT_C ? "emit-c" : "minimize-out");
		if (c == OPT_RECORD)
			o->record = arg;
		else if (c == OPT_MINIMIZE_OUT)
			o->minimize_out = arg;
		else if (c == OPT_EMIT_C)
			o->emit_c = arg;
		else {
			/* Read it now: a bad file is a usage error. */
			if (opseq_load(arg, &st, &n, err, sizeof err) != 0)
				usage_error("--replay: %s", err);
			opseq_free_streams(st, n);
			o->replay = arg;
			if (o->run == NULL)
				o->run = "stress";
		}
	}
}

/* --list[=FORMAT]: text (the default), names or json. */
static void
parse_list(const char *arg, struct vgs_opts *o)
{
	if (arg == NULL || strcmp(arg, "text") == 0)
		o->list = VGS_LIST_TEXT;
	else if (strcmp(arg, "names") == 0)
		o->list = VGS_LIST_NAMES;
	else if (strcmp(arg, "json") == 0)
		o->list = VGS_LIST_JSON;
	else
		usage_error("--list: unknown format '%s' (text, names, json)",
		    arg);
}

/*
 * The long options an abbreviation "--ab[=...]" stands for, as
 * "--abc, --abd" in buf; how many there are.
 */
static int
long_matches(const char *arg, char *buf, size_t size)
{
	size_t	len, i;
	int	n = 0;

	buf[0] = '\0';
	if (strncmp(arg, "--", 2) != 0)
		return (0);
	arg += 2;
	len = strcspn(arg, "=");
	for (i = 0; i < NOPTS && len > 0; i++) {
		if (strncmp(optdescs[i].lname, arg, len) != 0)
			continue;
		if (optdescs[i].lname[len] == '\0')
			return (1);	/* exact: never ambiguous */
		strlcat_fmt(buf, size, "%s--%s", n ? ", " : "",
		    optdescs[i].lname);
		n++;
	}
	return (n);
}

static void
build_tables(struct option *lopts, char *sopts)
{
	size_t	i;
	char	*s = sopts;

	*s++ = ':';
	for (i = 0; i < NOPTS; i++) {
		lopts[i].name = optdescs[i].lname;
		lopts[i].has_arg = optdescs[i].has_arg;
		lopts[i].flag = NULL;
		lopts[i].val = optdescs[i].val;
		if (optdescs[i].val < 256) {
			*s++ = optdescs[i].val;
			if (optdescs[i].has_arg == required_argument)
				*s++ = ':';
		}
	}
	memset(&lopts[NOPTS], 0, sizeof (struct option));
	*s = '\0';
}

static const char *
opt_name(int val, char *buf, size_t size)
{
	size_t	i;

	for (i = 0; i < NOPTS; i++) {
		if (optdescs[i].val == val) {
			snprintf(buf, size, "--%s", optdescs[i].lname);
			return (buf);
		}
	}
	snprintf(buf, size, "-%c", val);
	return (buf);
}

/* Parse argv into o; exits on --help, --version and usage errors. */
void
options_parse(int argc, char **argv, struct vgs_opts *o)
{
	struct option	lopts[NOPTS + 1];
	char		sopts[2 * NOPTS + 2], err[256], nm[64], nm2[256];
	uint64_t	v;
	int		c, g, quiet = 0, verbose = 0;

	memset(o, 0, sizeof *o);
	o->expect = VGS_GEN_UNSET;
	o->keep_going = 1;
	o->backings = VGS_BACKING_ALL;
	o->child_timeout_ms = 10000;
	o->skip_status = VGS_SKIP;
	build_tables(lopts, sopts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, sopts, lopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
			exit(VGS_PASS);
		case 'V':
			version();
			exit(VGS_PASS);
		case 'l':
			parse_list(optarg, o);
			break;
		case OPT_FEATURES:
			o->features = 1;
			break;
		case 'r':
			o->run = optarg;
			break;
		case 'x':
			o->exclude = optarg;
			break;
		case 'b':
			if (options_parse_backings(optarg, &o->backings, err,
			    sizeof err) != 0)
				usage_error("%s", err);
			o->backing_arg = optarg;
			break;
		case OPT_EXPECT:
			if ((g = verdict_lookup(optarg, strlen(optarg))) == -1)
				usage_error("--expect: unknown generation "
				    "'%s' (none, guard, pre-series, series)",
				    optarg);
			if (o->expect != VGS_GEN_UNSET && o->expect != g)
				usage_error("--expect=%s conflicts with an "
				    "earlier --expect or --require=gu", optarg);
			o->expect = g;
			break;
		case OPT_REQUIRE:
			parse_require(optarg, o);
			break;
		case 's':
			if (options_parse_u64(optarg, 0, UINT64_MAX, &v) != 0)
				usage_error("--seed: '%s' is not a number "
				    "from 0 to %llu", optarg,
				    (unsigned long long)UINT64_MAX);
			o->seed = v;
			o->seed_set = 1;
			break;
		case 'k':
			o->keep_going = 1;
			break;
		case OPT_FAIL_FAST:
			o->keep_going = 0;
			break;
		case OPT_TMPDIR:
			if (*optarg == '\0')
				usage_error("--tmpdir: empty directory name");
			o->tmpdir = optarg;
			break;
		case OPT_CHILD_TIMEOUT:
			if (options_parse_duration(optarg, &v) != 0 || v == 0 ||
			    v > 3600 * 1000)
				usage_error("--child-timeout: '%s' is not a "
				    "duration from 1ms to 1h (e.g. 10s, 500ms)",
				    optarg);
			o->child_timeout_ms = (unsigned)v;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_SHOW:
			o->show = verbose = 1;
			break;
		case 'o':
			if (*optarg == '\0')
				usage_error("--output: empty file name");
			o->output = optarg;
			break;
		case OPT_TAP:
			o->tap = 1;
			break;
		case OPT_JUNIT:
			if (*optarg == '\0')
				usage_error("--junit: empty file name");
			o->junit = optarg;
			break;
		case OPT_JSON:
			if (*optarg == '\0')
				usage_error("--json: empty file name");
			o->json = optarg;
			break;
		case OPT_METRICS:
			o->metrics = 1;
			break;
		case OPT_SKIP_STATUS:
			if (options_parse_u64(optarg, 0, 255, &v) != 0)
				usage_error("--skip-status: '%s' is not a "
				    "number from 0 to 255", optarg);
			o->skip_status = (int)v;
			break;
		case 't':
		case 'n':
		case 'j':
		case OPT_THREADS:
		case OPT_PAGES:
		case OPT_SMAPS_INTERVAL:
		case OPT_RECORD:
		case OPT_REPLAY:
		case OPT_MINIMIZE_OUT:
		case OPT_EMIT_C:
		case OPT_BARE:
			parse_stress(c, optarg, o);
			break;
		case ':':
			usage_error("option %s needs an argument",
			    optopt ? opt_name(optopt, nm, sizeof nm) :
			    argv[optind - 1]);
		default:
			if (long_matches(argv[optind - 1], nm2, sizeof nm2) > 1)
				usage_error("option '%.*s' is ambiguous (%s)",
				    (int)strcspn(argv[optind - 1], "="),
				    argv[optind - 1], nm2);
			/*
			 * A long option given a value it does not take: getopt
			 * sets optopt to that option's value, which need not be
			 * a character at all.
			 */
			if (optopt != 0 && strncmp(argv[optind - 1], "--", 2) ==
			    0 && opt_name(optopt, nm, sizeof nm)[1] == '-')
				usage_error("option %s takes no argument", nm);
			if (optopt > 0 && optopt < 0x7f && isprint(optopt))
				usage_error("unknown option -%c", optopt);
			if (optopt != 0)
				usage_error("unknown option -\\x%02x",
				    optopt & 0xff);
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (quiet && o->show)
		usage_error("--quiet and --show conflict");
	if (quiet && verbose)
		usage_error("--quiet and --verbose conflict");
	o->verbosity = verbose ? 1 : quiet ? -1 : 0;
}
