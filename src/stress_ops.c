/*
 * stress_ops.c: the text form of stress operations.  A sequence file holds
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
#include "stress_ops.h"
#include "state.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The operations.  The order is enum op_kind's, and the random mix
 * (stress_prng.c) walks the weights in this order: changing either changes
 * what every seed means.
 */
const struct op_desc op_table[VGS_OP_COUNT] = {
	[VGS_OP_INSTALL] = { "install", 22, VGS_MET_INSTALL, VGS_ARG_NONE, 1 },
	[VGS_OP_REMOVE] = { "remove", 10, VGS_MET_REMOVE, VGS_ARG_NONE, 1 },
	[VGS_OP_PROTECT] = { "protect", 17, VGS_MET_PROTECT, VGS_ARG_PROT, 1 },
	[VGS_OP_ADVISE] = { "advise", 14, VGS_MET_ADVISE, VGS_ARG_ADVICE, 1 },
	[VGS_OP_WRITE] = { "write", 14, VGS_MET_WRITE, VGS_ARG_TAG, 1 },
	[VGS_OP_DONTNEED] = { "dontneed", 8, VGS_MET_ADVISE, VGS_ARG_NONE, 1 },
	[VGS_OP_REMAP] = { "remap", 8, VGS_MET_MAP, VGS_ARG_TAG, 1 },
	[VGS_OP_MREMAP] = { "mremap", 6, VGS_MET_REMAP, VGS_ARG_NONE, 1 },
	[VGS_OP_FORK] = { "fork", 1, VGS_MET_FORK, VGS_ARG_NONE, 0 },
};

/* Flag advice and its undo; WIPEONFORK is EINVAL on shared mappings. */
const struct op_advice op_advices[] = {
	{ MADV_RANDOM, "random", "MADV_RANDOM" },
	{ MADV_NORMAL, "normal", "MADV_NORMAL" },
	{ MADV_DONTFORK, "dontfork", "MADV_DONTFORK" },
	{ MADV_DOFORK, "dofork", "MADV_DOFORK" },
	{ MADV_WIPEONFORK, "wipeonfork", "MADV_WIPEONFORK" },
	{ MADV_KEEPONFORK, "keeponfork", "MADV_KEEPONFORK" },
};
const size_t op_nadvices = sizeof op_advices / sizeof op_advices[0];

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
	return ((unsigned)k < VGS_OP_COUNT ? op_table[k].name : "?");
}

/* The entry of op_advices[] for advice, or NULL. */
const struct op_advice *
op_advice_of(int advice)
{
	size_t	i;

	for (i = 0; i < op_nadvices; i++) {
		if (op_advices[i].value == advice)
			return (&op_advices[i]);
	}
	return (NULL);
}

/* One operation as its line of text (no newline), in buf. */
char *
op_format(const struct op *op, char *buf, size_t size)
{
	const struct op_advice	*adv;
	size_t			 i;

	buf[0] = '\0';
	strlcat_fmt(buf, size, "%s", op_name(op->kind));
	if ((unsigned)op->kind >= VGS_OP_COUNT || !op_table[op->kind].ranged)
		return (buf);
	if (op->n == 1)
		strlcat_fmt(buf, size, " p%u", op->first);
	else
		strlcat_fmt(buf, size, " p%u-%u", op->first,
		    op->first + op->n - 1);
	switch (op_table[op->kind].arg) {
	case VGS_ARG_PROT:
		for (i = 0; i < NPROT; i++) {
			if (prot_names[i].prot == (int)op->arg)
				strlcat_fmt(buf, size, " %s",
				    prot_names[i].name);
		}
		break;
	case VGS_ARG_ADVICE:
		if ((adv = op_advice_of((int)op->arg)) != NULL)
			strlcat_fmt(buf, size, " %s", adv->name);
		break;
	case VGS_ARG_TAG:
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
	for (k = 0; k < VGS_OP_COUNT && strcmp(kw, op_table[k].name) != 0;
	    k++)
		;
	if (k == VGS_OP_COUNT)
		return (bad(err, errsz, "unknown operation", kw));
	op->kind = k;
	s += n;
	s += strspn(s, " \t");
	if (op_table[op->kind].ranged) {
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
	switch (op_table[op->kind].arg) {
	case VGS_ARG_PROT:
		for (i = 0; i < NPROT && strcmp(word, prot_names[i].name); i++)
			;
		if (i == NPROT)
			return (bad(err, errsz, "protection rw-, r-- or --- "
			    "expected", line));
		op->arg = prot_names[i].prot;
		break;
	case VGS_ARG_ADVICE:
		for (i = 0; i < op_nadvices &&
		    strcmp(word, op_advices[i].name); i++)
			;
		if (i == op_nadvices)
			return (bad(err, errsz, "advice random, normal, "
			    "dontfork, dofork, wipeonfork or keeponfork "
			    "expected", line));
		op->arg = op_advices[i].value;
		break;
	case VGS_ARG_TAG:
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
	if (!op_table[op->kind].ranged)
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
