/*
 * state.c: struct state, the area description shared by model and observers,
 * and its text forms: the notation of doc/behaviour.md §1.2 (one line, also
 * parsed back for fixtures and fixed expectations) and page strips per VMA for
 * failure reports.
 */
#include "vgs.h"
#include "state.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *flag_names[VGS_VMF_NTOKENS] = {
	"gu", "wf", "dc", "rr", "sr", "dd", "hg", "nh", "lo", "sl", "sd",
	"um", "uw", "sh", "ac"
};

/* Allocate the per-page arrays of a state for npages pages. */
void
state_init(struct state *st, size_t npages)
{
	memset(st, 0, sizeof *st);
	st->npages = npages;
	st->marks = xmalloc(npages + 1);
	st->scan = xmalloc(npages + 1);
	st->access = xmalloc(npages + 1);
	st->write = xmalloc(npages + 1);
	st->data = xcalloc(npages, sizeof *st->data);
	state_reset(st);
}

/* Forget everything observed or expected, keep the allocation. */
void
state_reset(struct state *st)
{
	st->have = 0;
	st->nvmas = 0;
	memset(st->marks, '?', st->npages);
	memset(st->scan, '?', st->npages);
	memset(st->access, '?', st->npages);
	memset(st->write, '?', st->npages);
	st->marks[st->npages] = st->scan[st->npages] = '\0';
	st->access[st->npages] = st->write[st->npages] = '\0';
	memset(st->data, 0, st->npages * sizeof *st->data);
}

/* Release a state. */
void
state_free(struct state *st)
{
	free(st->vmas);
	free(st->marks);
	free(st->scan);
	free(st->access);
	free(st->write);
	free(st->data);
	memset(st, 0, sizeof *st);
}

/* Append an empty VMA to a state and return it. */
struct vma *
state_add_vma(struct state *st)
{
	struct vma	*v;

	if (st->nvmas == st->vmas_cap) {
		st->vmas_cap = st->vmas_cap ? st->vmas_cap * 2 : 8;
		st->vmas = xreallocarray(st->vmas, st->vmas_cap,
		    sizeof *st->vmas);
	}
	v = &st->vmas[st->nvmas++];
	memset(v, 0, sizeof *v);
	return (v);
}

/* The VMA holding page pg, or NULL in a hole. */
const struct vma *
state_vma_at(const struct state *st, size_t pg)
{
	size_t	i;

	for (i = 0; i < st->nvmas; i++) {
		if (pg >= st->vmas[i].first &&
		    pg < st->vmas[i].first + st->vmas[i].npages)
			return (&st->vmas[i]);
	}
	return (NULL);
}

/* The smaps mnemonic of one VGS_VMF_* bit. */
const char *
state_flag_name(unsigned bit)
{
	int	i;

	for (i = 0; i < VGS_VMF_NTOKENS; i++) {
		if (bit == (1U << i))
			return (flag_names[i]);
	}
	return ("??");
}

/* The VGS_VMF_* bit of a two-letter smaps token, 0 if not one of ours. */
unsigned
state_flag_lookup(const char *tok, size_t len)
{
	int	i;

	if (len != 2)
		return (0);
	for (i = 0; i < VGS_VMF_NTOKENS; i++) {
		if (tok[0] == flag_names[i][0] && tok[1] == flag_names[i][1])
			return (1U << i);
	}
	return (0);
}

static void
format_flags(char *buf, size_t size, unsigned flags)
{
	int	i;

	/* ac and sh say nothing the perms do not: leave them out. */
	flags &= ~(VGS_VMF_AC | VGS_VMF_SH);
	buf[0] = '\0';
	strlcat_fmt(buf, size, "%s", (flags & VGS_VMF_GU) ? "gu" : "-");
	for (i = 1; i < VGS_VMF_NTOKENS; i++) {
		if (flags & (1U << i))
			strlcat_fmt(buf, size, "+%s", flag_names[i]);
	}
}

/*
 * The state in the one-line notation (doc/behaviour.md §1.2); the caller
 * frees it.
 */
char *
state_format(const struct state *st)
{
	char		*out, *p;
	size_t		 size, i, next = 0;
	char		 fl[64];
	FILE		*f;

	if ((f = open_memstream(&out, &size)) == NULL)
		fatal("open_memstream");
	if (st->have & VGS_HAVE_VMAS) {
		fprintf(f, "count=%zu vmas=[", st->nvmas);
		for (i = 0; i < st->nvmas; i++) {
			const struct vma *v = &st->vmas[i];

			format_flags(fl, sizeof fl, v->flags);
			fprintf(f, "%s%zu", i ? "," : "", v->npages);
			if (v->first != next)
				fprintf(f, "@%zu", v->first);
			fprintf(f, ":%s:%s", v->perms, fl);
			next = v->first + v->npages;
		}
		fputs("] ", f);
	}
	if (st->have & VGS_HAVE_MARKS)
		fprintf(f, "guards=%s ", st->marks);
	if (st->have & VGS_HAVE_ACCESS)
		fprintf(f, "access=%s ", st->access);
	if (st->have & VGS_HAVE_WRITE)
		fprintf(f, "write=%s ", st->write);
	if (fclose(f) != 0)
		fatal("fclose");
	if ((p = strrchr(out, ' ')) != NULL && p[1] == '\0')
		*p = '\0';
	return (out);
}

static int
parse_err(char *err, size_t errsz, const char *what, size_t off)
{
	snprintf(err, errsz, "%s at offset %zu", what, off);
	return (-1);
}

static int
parse_vmas(const char *s, size_t len, size_t *pos, struct state *st,
    char *err, size_t errsz)
{
	size_t		 i = *pos, next = 0, n;
	struct vma	*v;
	char		*end;
	const char	*tok;

	for (;;) {
		if (i >= len || !isdigit((unsigned char)s[i]))
			return (parse_err(err, errsz, "VMA size expected", i));
		v = state_add_vma(st);
		n = strtoul(s + i, &end, 10);
		i = end - s;
		v->npages = n;
		v->first = next;
		if (i < len && s[i] == '@') {
			v->first = strtoul(s + i + 1, &end, 10);
			i = end - s;
		}
		if (i + 6 > len || s[i] != ':' || s[i + 5] != ':')
			return (parse_err(err, errsz, "perms expected", i));
		memcpy(v->perms, s + i + 1, 4);
		v->perms[4] = '\0';
		i += 6;
		while (i < len && s[i] != ',' && s[i] != ']') {
			tok = s + i;
			n = strcspn(tok, "+,]");
			if (n == 1 && tok[0] == '-')
				;
			else if (state_flag_lookup(tok, n) == 0)
				return (parse_err(err, errsz, "unknown flag",
				    i));
			else
				v->flags |= state_flag_lookup(tok, n);
			i += n;
			if (i < len && s[i] == '+')
				i++;
		}
		next = v->first + v->npages;
		if (i >= len)
			return (parse_err(err, errsz, "unterminated vmas", i));
		if (s[i++] == ']')
			break;
	}
	*pos = i;
	return (0);
}

static int
parse_strip(const char *s, size_t len, size_t *pos, char *dst,
    size_t npages, const char *alphabet, char *err, size_t errsz)
{
	size_t	i = *pos, n = 0;

	while (i < len && s[i] != ' ' && s[i] != '\n') {
		if (strchr(alphabet, s[i]) == NULL || n >= npages)
			return (parse_err(err, errsz, "bad page strip", i));
		dst[n++] = s[i++];
	}
	if (n != npages)
		return (parse_err(err, errsz, "page strip length", i));
	*pos = i;
	return (0);
}

/*
 * Parse the one-line notation into st, which must have been initialised
 * for the right number of pages.  0 on success, -1 with err filled in.
 */
int
state_parse(const char *s, size_t len, struct state *st, char *err,
    size_t errsz)
{
	size_t	i = 0, count = 0;
	int	have_count = 0;

	state_reset(st);
	while (i < len) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		if (strncmp(s + i, "count=", 6) == 0) {
			count = strtoul(s + i + 6, NULL, 10);
			have_count = 1;
			i += 6 + strspn(s + i + 6, "0123456789");
		} else if (strncmp(s + i, "vmas=[", 6) == 0) {
			i += 6;
			if (parse_vmas(s, len, &i, st, err, errsz) != 0)
				return (-1);
			st->have |= VGS_HAVE_VMAS;
		} else if (strncmp(s + i, "guards=", 7) == 0) {
			i += 7;
			if (parse_strip(s, len, &i, st->marks, st->npages,
			    "Gp.?", err, errsz) != 0)
				return (-1);
			st->have |= VGS_HAVE_MARKS;
		} else if (strncmp(s + i, "access=", 7) == 0) {
			i += 7;
			if (parse_strip(s, len, &i, st->access, st->npages,
			    "rSPBF?", err, errsz) != 0)
				return (-1);
			st->have |= VGS_HAVE_ACCESS;
		} else if (strncmp(s + i, "write=", 6) == 0) {
			i += 6;
			if (parse_strip(s, len, &i, st->write, st->npages,
			    "wSPB?", err, errsz) != 0)
				return (-1);
			st->have |= VGS_HAVE_WRITE;
		} else
			return (parse_err(err, errsz, "unknown field", i));
	}
	if (have_count && count != st->nvmas)
		return (parse_err(err, errsz, "count disagrees with vmas", 0));
	return (0);
}

/*
 * Page strips per VMA, one line each, prefixed by title: the form failure
 * reports use so expected and observed line up page by page.
 */
char *
state_strips(const struct state *st, const char *title)
{
	char		*out;
	size_t		 size, i, pg = 0, end;
	FILE		*f;
	const struct vma *v;
	char		 fl[64];

	if ((f = open_memstream(&out, &size)) == NULL)
		fatal("open_memstream");
	for (i = 0; pg < st->npages; i++) {
		v = (st->have & VGS_HAVE_VMAS) && i < st->nvmas ?
		    &st->vmas[i] : NULL;
		if (v != NULL && v->first > pg) {
			end = v->first;
			i--;
			fprintf(f, "  %-9s p%zu-%zu %-4s %-8s", title, pg,
			    end - 1, "", "(hole)");
		} else if (v != NULL) {
			end = v->first + v->npages;
			if (end > st->npages)
				end = st->npages;
			format_flags(fl, sizeof fl, v->flags);
			fprintf(f, "  %-9s p%zu-%zu %s %-8s", title, pg,
			    end - 1, v->perms, fl);
		} else {
			end = st->npages;
			fprintf(f, "  %-9s p%zu-%zu %-4s %-8s", title, pg,
			    end - 1, "", (st->have & VGS_HAVE_VMAS) ?
			    "(hole)" : "");
		}
		if (st->have & VGS_HAVE_MARKS)
			fprintf(f, " guards=%.*s", (int)(end - pg),
			    st->marks + pg);
		if (st->have & VGS_HAVE_ACCESS)
			fprintf(f, " access=%.*s", (int)(end - pg),
			    st->access + pg);
		if (st->have & VGS_HAVE_WRITE)
			fprintf(f, " write=%.*s", (int)(end - pg),
			    st->write + pg);
		fputc('\n', f);
		pg = end;
		title = "";
	}
	if (fclose(f) != 0)
		fatal("fclose");
	return (out);
}
