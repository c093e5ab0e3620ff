/*
 * opseq.c: the text form of stress operations.  A sequence file holds
 * one or more streams; each starts with a header line naming the
 * backing, the area size and the seed it came from, followed by one
 * operation a line:
 *
 *   # comment
 *   stream backing=anon pages=64 seed=42
 *   install p3-6
 *   protect p10 r--
 *   advise p0-7 wipeonfork
 *   write p4-9 tag=17
 *   fork
 *
 * The same lines appear in failure reports, so a minimised sequence can
 * be pasted into a file and replayed as it stands.
 */
#include "vgs.h"
#include "opseq.h"
#include "state.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *op_names[VGS_OP_COUNT] = {
	"install", "remove", "protect", "advise", "write", "dontneed",
	"remap", "mremap", "fork"
};

static const struct {
	int		 advice;
	const char	*name;
} advice_names[] = {
	{ MADV_RANDOM, "random" },
	{ MADV_NORMAL, "normal" },
	{ MADV_DONTFORK, "dontfork" },
	{ MADV_DOFORK, "dofork" },
	{ MADV_WIPEONFORK, "wipeonfork" },
	{ MADV_KEEPONFORK, "keeponfork" },
};
#define NADV	(sizeof advice_names / sizeof advice_names[0])

static const struct {
	int		 prot;
	const char	*name;
} prot_names[] = {
	{ PROT_READ | PROT_WRITE, "rw-" },
	{ PROT_READ, "r--" },
	{ PROT_NONE, "---" },
};
#define NPROT	(sizeof prot_names / sizeof prot_names[0])

/* The keyword of an operation kind. */
const char *
op_name(enum op_kind k)
{
	return ((unsigned)k < VGS_OP_COUNT ? op_names[k] : "?");
}

/* One operation as its line of text (no newline), in buf. */
char *
op_format(const struct op *op, char *buf, size_t size)
{
	size_t	i;

	buf[0] = '\0';
	strlcat_fmt(buf, size, "%s", op_name(op->kind));
	if (op->kind == VGS_OP_FORK)
		return (buf);
	if (op->n == 1)
		strlcat_fmt(buf, size, " p%u", op->first);
	else
		strlcat_fmt(buf, size, " p%u-%u", op->first,
		    op->first + op->n - 1);
	switch (op->kind) {
	case VGS_OP_PROTECT:
		for (i = 0; i < NPROT; i++) {
			if (prot_names[i].prot == (int)op->arg)
				strlcat_fmt(buf, size, " %s",
				    prot_names[i].name);
		}
		break;
	case VGS_OP_ADVISE:
		for (i = 0; i < NADV; i++) {
			if (advice_names[i].advice == (int)op->arg)
				strlcat_fmt(buf, size, " %s",
				    advice_names[i].name);
		}
		break;
	case VGS_OP_WRITE:
	case VGS_OP_REMAP:
		strlcat_fmt(buf, size, " tag=%u", op->arg);
		break;
	default:
		break;
	}
	return (buf);
}

static int
bad(char *err, size_t errsz, const char *what, const char *s)
{
	snprintf(err, errsz, "%s: '%s'", what, s);
	return (-1);
}

static int
parse_range(const char **sp, struct op *op)
{
	const char		*s = *sp;
	char			*end;
	unsigned long		 a, b;

	if (*s != 'p' || !isdigit((unsigned char)s[1]))
		return (-1);
	errno = 0;
	a = b = strtoul(s + 1, &end, 10);
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			return (-1);
		b = strtoul(end + 1, &end, 10);
	}
	if (errno != 0 || b < a || b >= UINT32_MAX)
		return (-1);
	op->first = (uint32_t)a;
	op->n = (uint32_t)(b - a + 1);
	*sp = end;
	return (0);
}

/*
 * Parse one operation line (comments and surrounding blanks allowed).
 * 0, or -1 with err.
 */
int
op_parse(const char *line, struct op *op, char *err, size_t errsz)
{
	char		 kw[16], word[32];
	const char	*s = line;
	size_t		 n, i;
	int		 k;
	unsigned long	 v;
	char		*end;

	memset(op, 0, sizeof *op);
	s += strspn(s, " \t");
	n = strcspn(s, " \t\n#");
	if (n == 0 || n >= sizeof kw)
		return (bad(err, errsz, "operation expected", line));
	memcpy(kw, s, n);
	kw[n] = '\0';
	for (k = 0; k < VGS_OP_COUNT && strcmp(kw, op_names[k]) != 0; k++)
		;
	if (k == VGS_OP_COUNT)
		return (bad(err, errsz, "unknown operation", kw));
	op->kind = k;
	s += n;
	s += strspn(s, " \t");
	if (op->kind != VGS_OP_FORK) {
		if (parse_range(&s, op) != 0)
			return (bad(err, errsz, "page range pN or pN-M "
			    "expected", line));
		s += strspn(s, " \t");
	}
	n = strcspn(s, " \t\n#");
	if (n >= sizeof word)
		return (bad(err, errsz, "argument too long", line));
	memcpy(word, s, n);
	word[n] = '\0';
	s += n;
	switch (op->kind) {
	case VGS_OP_PROTECT:
		for (i = 0; i < NPROT && strcmp(word, prot_names[i].name); i++)
			;
		if (i == NPROT)
			return (bad(err, errsz, "protection rw-, r-- or --- "
			    "expected", line));
		op->arg = prot_names[i].prot;
		break;
	case VGS_OP_ADVISE:
		for (i = 0; i < NADV && strcmp(word, advice_names[i].name); i++)
			;
		if (i == NADV)
			return (bad(err, errsz, "advice random, normal, "
			    "dontfork, dofork, wipeonfork or keeponfork "
			    "expected", line));
		op->arg = advice_names[i].advice;
		break;
	case VGS_OP_WRITE:
	case VGS_OP_REMAP:
		errno = 0;
		if (strncmp(word, "tag=", 4) != 0 ||
		    !isdigit((unsigned char)word[4]))
			return (bad(err, errsz, "tag=N expected", line));
		v = strtoul(word + 4, &end, 10);
		if (*end != '\0' || errno != 0 || v < VGS_TAG_FIRST_STRESS ||
		    v >= VGS_DATA_OTHER)
			return (bad(err, errsz, "tag out of range", line));
		op->arg = (uint32_t)v;
		break;
	default:
		if (n != 0)
			return (bad(err, errsz, "unexpected argument", line));
	}
	s += strspn(s, " \t\n");
	if (*s != '\0' && *s != '#')
		return (bad(err, errsz, "trailing text", line));
	return (0);
}

/* Does the operation lie inside an area of npages pages? */
int
op_fits(const struct op *op, size_t npages)
{
	if (op->kind == VGS_OP_FORK)
		return (1);
	return (op->n > 0 && op->first < npages &&
	    op->n <= npages - op->first);
}

/* Append a copy of op. */
void
opseq_add(struct opseq *q, const struct op *op)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 256;
		q->ops = xreallocarray(q->ops, q->cap, sizeof *q->ops);
	}
	q->ops[q->n++] = *op;
}

/* Release a sequence. */
void
opseq_free(struct opseq *q)
{
	free(q->ops);
	memset(q, 0, sizeof *q);
}

/* Write streams in the text form. */
void
opseq_write(FILE *f, const struct opstream *st, size_t nst)
{
	char	buf[VGS_OP_TEXT];
	size_t	i, k;

	fprintf(f, "# %s %s operation sequence; run it with\n"
	    "#   %s --replay=FILE\n", PACKAGE_NAME, PACKAGE_VERSION,
	    PACKAGE_NAME);
	for (k = 0; k < nst; k++) {
		fprintf(f, "stream backing=%s pages=%zu seed=%llu\n",
		    backing_name(st[k].backing), st[k].npages,
		    (unsigned long long)st[k].seed);
		for (i = 0; i < st[k].seq.n; i++)
			fprintf(f, "%s\n", op_format(&st[k].seq.ops[i], buf,
			    sizeof buf));
	}
}

/* Write streams to path; 0, or -1 with err. */
int
opseq_save(const char *path, const struct opstream *st, size_t nst,
    char *err, size_t errsz)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	opseq_write(f, st, nst);
	if (fclose(f) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}

static int
parse_stream(const char *line, struct opstream *st, char *err, size_t errsz)
{
	char			 b[32];
	unsigned long long	 pages, seed;
	int			 k;

	if (sscanf(line, "stream backing=%31s pages=%llu seed=%llu", b,
	    &pages, &seed) != 3)
		return (bad(err, errsz, "expected 'stream backing=B pages=N "
		    "seed=S'", line));
	if ((k = backing_lookup(b, strlen(b))) == -1)
		return (bad(err, errsz, "unknown backing", b));
	if (pages < 1 || pages > VGS_STRESS_MAX_PAGES)
		return (bad(err, errsz, "pages out of range", line));
	memset(st, 0, sizeof *st);
	st->backing = k;
	st->npages = pages;
	st->seed = seed;
	return (0);
}

/*
 * Read a sequence file into *stp (*nst streams).  0, or -1 with err
 * naming the file and line.
 */
int
opseq_load(const char *path, struct opstream **stp, size_t *nst, char *err,
    size_t errsz)
{
	FILE			*f;
	char			*line = NULL, e[VGS_MSG_MAX];
	size_t			 cap = 0, lineno = 0, n = 0;
	struct opstream		*st = NULL;
	struct op		 op;
	const char		*s;
	int			 rc = -1;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		s = line + strspn(line, " \t");
		if (*s == '#' || *s == '\n' || *s == '\0')
			continue;
		if (strncmp(s, "stream ", 7) == 0) {
			st = xreallocarray(st, n + 1, sizeof *st);
			if (parse_stream(s, &st[n], e, sizeof e) != 0)
				goto out;
			n++;
			continue;
		}
		if (n == 0) {
			snprintf(e, sizeof e, "operation before the first "
			    "'stream' line");
			goto out;
		}
		if (op_parse(s, &op, e, sizeof e) != 0)
			goto out;
		if (!op_fits(&op, st[n - 1].npages)) {
			snprintf(e, sizeof e, "range outside the %zu-page area",
			    st[n - 1].npages);
			goto out;
		}
		opseq_add(&st[n - 1].seq, &op);
	}
	if (n == 0) {
		snprintf(e, sizeof e, "no 'stream' line");
		lineno = 0;
		goto out;
	}
	rc = 0;
out:
	if (rc != 0) {
		if (lineno > 0)
			snprintf(err, errsz, "%s:%zu: %s", path, lineno, e);
		else
			snprintf(err, errsz, "%s: %s", path, e);
		opseq_free_streams(st, n);
		st = NULL;
		n = 0;
	}
	free(line);
	fclose(f);
	*stp = st;
	*nst = n;
	return (rc);
}

/* Release streams from opseq_load(). */
void
opseq_free_streams(struct opstream *st, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		opseq_free(&st[i].seq);
	free(st);
}
