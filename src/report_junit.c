/*
 * report_junit.c: the run as a JUnit XML document (--junit=FILE), the
 * format GitLab, Jenkins and most CI dashboards read.  One
 * <testsuite name="vmaguard-stress"> inside <testsuites>; the run's
 * facts (version, seed, kernel release, page size, features, exit
 * status) as properties; one <testcase> per check, named as everywhere
 * else, with classname "vmaguard-stress.SCENARIO" so dashboards group a
 * scenario's backings, and <failure>, <error> or <skipped> under it.
 *
 * XML cannot be appended to and stay well-formed, so the test cases are
 * kept in memory and the whole document is rewritten after every check
 * (to a temporary file in the same directory, then renamed over FILE):
 * a run killed half-way leaves a valid document of the checks it
 * finished.  A FILE that is not a regular file (a FIFO, /dev/stdout, a
 * symbolic link) is written once, at the end.
 */
#include "vgs.h"
#include "report_writer.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Past this many bytes of test cases, rewrite at most once a second. */
#define JUNIT_EAGER_MAX		(256 * 1024)

static char	*path;		/* NULL: no JUnit output */
static int	 in_place;	/* not a regular file: write at the end */
static int	 to_stdout;	/* "-": standard output, at the end */
static FILE	*cases;		/* the <testcase> elements so far */
static char	*cases_buf;
static size_t	 cases_len;
static unsigned	 ntests, nfail, nerror, nskip;
static double	 total_time;
static uint64_t	 last_write_ns;
static char	 timestamp[32];
static char	 first_err[VGS_MSG_MAX];	/* a rewrite that failed */

/*
 * Text for an attribute value or element content: the five specials as
 * entities, line ends and tabs as character references (attribute
 * values would otherwise fold them to spaces), and what XML 1.0 cannot
 * carry at all (other control characters, bytes that are not UTF-8,
 * U+FFFE and U+FFFF) as U+FFFD.  In element content (in_attr 0) line
 * ends stay as they are, for people reading the file.
 */
static void
xml_escape(FILE *f, const char *s, int in_attr)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	while (p != NULL && *p != '\0') {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		case '\n':
			fputs(in_attr ? "&#10;" : "\n", f);
			break;
		case '\r':
			fputs("&#13;", f);
			break;
		case '\t':
			fputs("&#9;", f);
			break;
		default:
			n = *p < 0x20 ? 0 : report_fmt_utf8_len(p);
			if (n == 3 && p[0] == 0xef && p[1] == 0xbf &&
			    p[2] >= 0xbe) {
				/* U+FFFE and U+FFFF are not XML characters. */
				fputs("\xef\xbf\xbd", f);
				p += 3;
			} else if (n == 0) {
				fputs("\xef\xbf\xbd", f);
				p++;
			} else {
				fwrite(p, 1, n, f);
				p += n;
			}
			continue;
		}
		p++;
	}
}

/* XML-escaped text, safe in attribute values and content alike. */
void
report_xml_string(FILE *f, const char *s)
{
	xml_escape(f, s, 1);
}

static void
attr(FILE *f, const char *name, const char *val)
{
	fprintf(f, " %s=\"", name);
	report_xml_string(f, val);
	fputc('"', f);
}

static void
property(FILE *f, const char *name, const char *val)
{
	fputs("      <property", f);
	attr(f, "name", name);
	attr(f, "value", val);
	fputs("/>\n", f);
}

static void
write_document(FILE *f, const struct report_run *run)
{
	const char	*p = run->features;
	char		 host[256] = "localhost", k[64], v[256], buf[64];
	char		 counts[160];

	gethostname(host, sizeof host - 1);
	snprintf(counts, sizeof counts, " tests=\"%u\" failures=\"%u\" "
	    "errors=\"%u\" skipped=\"%u\" time=\"%.6f\"", ntests, nfail,
	    nerror, nskip, total_time);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"%s\"%s>\n", PACKAGE_NAME, counts);
	fprintf(f, "  <testsuite name=\"%s\"%s timestamp=\"%s\"",
	    PACKAGE_NAME, counts, timestamp);
	attr(f, "hostname", host);
	fputs(">\n    <properties>\n", f);
	property(f, "version", PACKAGE_VERSION);
	if (run->have_header) {
		snprintf(buf, sizeof buf, "%llu", run->seed);
		property(f, "seed", buf);
		property(f, "kernel.release", run->release);
		property(f, "kernel.machine", run->machine);
		snprintf(buf, sizeof buf, "%zu", run->page_size);
		property(f, "page-size", buf);
		while (report_fmt_feature_next(&p, k, sizeof k, v, sizeof v)) {
			snprintf(buf, sizeof buf, "feature.%s", k);
			property(f, buf, v);
		}
	}
	if (run->status != -1) {
		snprintf(buf, sizeof buf, "%d", run->status);
		property(f, "exit-status", buf);
	}
	fputs("    </properties>\n", f);
	if (cases_len > 0)
		fwrite(cases_buf, 1, cases_len, f);
	fputs("  </testsuite>\n</testsuites>\n", f);
}

/* Write the document: atomically over a regular file, else in place. */
static int
rewrite(const struct report_run *run, char *err, size_t errsz)
{
	char	*tmp;
	FILE	*f;
	int	 fd, e;
	mode_t	 um;

	fflush(cases);
	last_write_ns = vgs_now_ns();
	if (to_stdout) {
		write_document(stdout, run);
		if (fflush(stdout) == 0 && !ferror(stdout))
			return (0);
		snprintf(err, errsz, "writing to standard output: %s",
		    strerror(errno ? errno : EIO));
		return (-1);
	}
	if (in_place) {
direct:
		if ((f = fopen(path, "w")) == NULL)
			goto fail;
		write_document(f, run);
		if (fclose(f) != 0)
			goto fail;
		return (0);
	}
	xasprintf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		e = errno;
		free(tmp);
		/* A writable file in a directory we cannot add to. */
		if (access(path, W_OK) == 0) {
			in_place = 1;
			goto direct;
		}
		errno = e;
		goto fail;
	}
	um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	if ((f = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		errno = e;
		goto fail;
	}
	write_document(f, run);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		goto fail;
	}
	free(tmp);
	return (0);
fail:
	snprintf(err, errsz, "cannot write '%s': %s", path, strerror(errno));
	return (-1);
}

static void
abandon(void)
{
	if (cases != NULL)
		fclose(cases);
	cases = NULL;
	free(cases_buf);
	cases_buf = NULL;
	cases_len = 0;
	free(path);
	path = NULL;
}

/*
 * Start the JUnit document at file p: an empty document is written at
 * once, so a path that cannot be written is found before the run.
 */
int
report_junit_open(struct report_sink *k, const char *p, char *err,
    size_t errsz)
{
	struct report_run	 empty;
	struct stat		 sb;
	struct tm		 tm;
	time_t			 t = time(NULL);

	memset(&empty, 0, sizeof empty);
	empty.status = -1;
	k->w = &report_junit_writer;
	k->path = p;
	to_stdout = strcmp(p, "-") == 0;
	in_place = to_stdout || (lstat(p, &sb) == 0 && !S_ISREG(sb.st_mode));
	k->once = in_place;
	path = xstrdup(p);
	gmtime_r(&t, &tm);
	strftime(timestamp, sizeof timestamp, "%Y-%m-%dT%H:%M:%S", &tm);
	if ((cases = open_memstream(&cases_buf, &cases_len)) == NULL)
		fatal("open_memstream");
	if (in_place) {
		if (!to_stdout && access(path, W_OK) != 0) {
			snprintf(err, errsz, "cannot write '%s': %s", p,
			    strerror(errno));
			abandon();
			return (-1);
		}
		return (0);
	}
	if (rewrite(&empty, err, errsz) != 0) {
		abandon();
		return (-1);
	}
	return (0);
}

/* One <testcase>; the document is rewritten (throttled when large). */
static void
junit_result(struct report_sink *k, const struct report_run *run,
    const struct report_check *c)
{
	char	 scn[96], bk[32], cls[128], tm[32];
	char	 err[VGS_MSG_MAX];

	if (path == NULL)
		return;
	k->n++;
	report_fmt_split_name(c, scn, sizeof scn, bk, sizeof bk);
	snprintf(cls, sizeof cls, "%s.%s", PACKAGE_NAME, scn);
	snprintf(tm, sizeof tm, "%.6f", c->seconds);
	ntests++;
	total_time += c->seconds;
	fputs("    <testcase", cases);
	attr(cases, "name", c->name);
	attr(cases, "classname", cls);
	attr(cases, "time", tm);
	switch (c->result) {
	case VGS_FAIL:
	case VGS_HARD:
		c->result == VGS_FAIL ? nfail++ : nerror++;
		fprintf(cases, ">\n      <%s", c->result == VGS_FAIL ?
		    "failure" : "error");
		attr(cases, "message", c->summary);
		attr(cases, "type", c->result == VGS_FAIL ?
		    "mismatch" : "hard-error");
		fputc('>', cases);
		xml_escape(cases, c->detail, 0);
		fprintf(cases, "</%s>\n    </testcase>\n",
		    c->result == VGS_FAIL ? "failure" : "error");
		break;
	case VGS_SKIP:
		nskip++;
		fputs(">\n      <skipped", cases);
		attr(cases, "message", c->summary);
		fputs("/>\n    </testcase>\n", cases);
		break;
	default:
		if (c->detail != NULL && *c->detail != '\0' &&
		    run->verbosity > 0) {
			fputs(">\n      <system-out>", cases);
			xml_escape(cases, c->detail, 0);
			fputs("</system-out>\n    </testcase>\n", cases);
		} else
			fputs("/>\n", cases);
		break;
	}
	fflush(cases);
	if (in_place || (cases_len > JUNIT_EAGER_MAX &&
	    vgs_now_ns() - last_write_ns < 1000000000ULL))
		return;
	if (rewrite(run, err, sizeof err) != 0 && first_err[0] == '\0')
		snprintf(first_err, sizeof first_err, "%s", err);
}

/*
 * The final document comes with the summary, exit status included.
 * Called again when a later output failed (report.c): a regular file is
 * rewritten, a stream keeps the one document it got.
 */
static void
junit_summary(struct report_sink *k, const struct report_run *run)
{
	static int	streamed;
	char		err[VGS_MSG_MAX];

	(void)k;
	if (path == NULL || (in_place && streamed))
		return;
	streamed = in_place;
	if (rewrite(run, err, sizeof err) != 0 && first_err[0] == '\0')
		snprintf(first_err, sizeof first_err, "%s", err);
}

/* Whether every writing of the document so far succeeded. */
static int
junit_flush(struct report_sink *k, char *err, size_t errsz)
{
	(void)k;
	if (first_err[0] == '\0')
		return (0);
	snprintf(err, errsz, "%s", first_err);
	return (-1);
}

/* Free everything; -1 if any writing of the document failed. */
static int
junit_close(struct report_sink *k, char *err, size_t errsz)
{
	(void)k;
	abandon();
	if (first_err[0] == '\0')
		return (0);
	snprintf(err, errsz, "%s", first_err);
	return (-1);
}

const struct report_writer report_junit_writer = {
	.name = "--junit",
	.result = junit_result,
	.summary = junit_summary,
	.flush = junit_flush,
	.close = junit_close,
};
