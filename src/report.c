/*
 * report.c: all output on stdout goes through here.  A run prints a
 * header, one line per check ("PASS|FAIL|SKIP scenario.backing: ..."),
 * details under failures, and ends with exactly
 * "N passed, N failed, N skipped".
 */
#include "vgs.h"
#include "feature.h"
#include "report.h"

#include <stdio.h>
#include <string.h>

static int		verbosity;
static unsigned		counts[VGS_RES_COUNT];
static const char	*result_names[VGS_RES_COUNT] = {
	"PASS", "FAIL", "SKIP"
};

/* -1 quiet (failures and summary only), 0 normal, 1 verbose. */
void
report_init(int v)
{
	verbosity = v;
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* The verbosity report_init() was given. */
int
report_verbosity(void)
{
	return (verbosity);
}

/* The run header: version, kernel, page size, features, seed. */
void
report_header(const struct features *f, unsigned long long seed)
{
	char	buf[512];

	if (verbosity < 0)
		return;
	feature_describe(f, buf, sizeof buf);
	printf("%s %s on Linux %s %s, page size %zu, seed %llu\n",
	    PACKAGE_NAME, PACKAGE_VERSION, f->release, f->machine,
	    vgs_page_size, seed);
	printf("features: %s\n", buf);
}

/* One check's result line, with its detail under a failure. */
void
report_result(const struct report_check *c)
{
	counts[c->result]++;
	if (verbosity < 0 && c->result != VGS_RES_FAIL)
		return;
	printf("%s %s: %s\n", result_names[c->result], c->name, c->summary);
	if (c->detail != NULL && *c->detail != '\0' &&
	    (c->result == VGS_RES_FAIL || verbosity > 0))
		fputs(c->detail, stdout);
}

/* A line shown only with --verbose. */
void
report_verbose(const char *fmt, ...)
{
	va_list	ap;

	if (verbosity <= 0)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* Plain text on stdout (listings, --features). */
void
report_text(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* The last line of every run. */
void
report_summary(void)
{
	printf("%u passed, %u failed, %u skipped\n", counts[VGS_RES_PASS],
	    counts[VGS_RES_FAIL], counts[VGS_RES_SKIP]);
	fflush(stdout);
}

/* How many checks ended with result r. */
unsigned
report_count(enum result r)
{
	return (counts[r]);
}
