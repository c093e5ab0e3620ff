/*
 * report_text.c: the text report (stdout, or -o FILE).  A header, one
 * line per check ("PASS|FAIL|SKIP|ERROR scenario.backing: ..."),
 * details under failures (and under every check with -v), free text as
 * it comes, and exactly "N passed, N failed, N skipped, N errors" as
 * the last line.  -q leaves out the header and every line but failures,
 * errors and the summary.
 */
#include "vgs.h"
#include "report_writer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void
text_header(struct report_sink *k, const struct report_run *run)
{
	if (run->verbosity < 0)
		return;
	fprintf(k->f, "%s %s on Linux %s %s, page size %zu, seed %llu\n",
	    PACKAGE_NAME, PACKAGE_VERSION, run->release, run->machine,
	    run->page_size, run->seed);
	fprintf(k->f, "features: %s\n", run->describe);
	fprintf(k->f, "generation: %s\n", run->generation);
}

static void
text_result(struct report_sink *k, const struct report_run *run,
    const struct report_check *c)
{
	if (run->verbosity < 0 && c->result != VGS_FAIL &&
	    c->result != VGS_HARD)
		return;
	if (k->colour)
		fprintf(k->f, "%s%s\033[m", report_fmt_names(c->result)->colour,
		    report_fmt_word(c->result));
	else
		fputs(report_fmt_word(c->result), k->f);
	fprintf(k->f, " %s: %s\n", c->name, c->summary);
	if (c->detail != NULL && *c->detail != '\0' &&
	    (c->result == VGS_FAIL || run->verbosity > 0))
		fputs(c->detail, k->f);
	fflush(k->f);
}

static void
text_text(struct report_sink *k, const struct report_run *run,
    const char *s)
{
	(void)run;
	fputs(s, k->f);
}

static void
text_summary(struct report_sink *k, const struct report_run *run)
{
	if (run->metrics)
		report_fmt_metrics(k->f, "");
	fprintf(k->f, "%u passed, %u failed, %u skipped, %u errors\n",
	    run->passed, run->failed, run->skipped, run->errors);
	fflush(k->f);
}

/*
 * Flush a sink's stream, and close it if it is a file of its own; -1
 * with err if any write was lost.  The close of every stream writer.
 */
int
report_stream_close(struct report_sink *k, char *err, size_t errsz)
{
	int	bad;

	bad = fflush(k->f) != 0 || ferror(k->f);
	if (k->f != stdout && fclose(k->f) != 0)
		bad = 1;
	if (bad)
		snprintf(err, errsz, "writing '%s': %s", k->path ? k->path :
		    "standard output", strerror(errno ? errno : EIO));
	return (bad ? -1 : 0);
}

const struct report_writer report_text_writer = {
	.name = "--output",
	.header = text_header,
	.result = text_result,
	.text = text_text,
	.summary = text_summary,
	.close = report_stream_close,
};
