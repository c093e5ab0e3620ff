/*
 * smaps.c: /proc/PID/smaps as plain structs.  The format has traps
 * (doc/behaviour.md §10): a header is the line whose first '-' precedes its
 * first space, because field names such as "AnonHugePages:" start with hex
 * letters; VmFlags ends an entry and its tokens are separated (and followed) by
 * spaces in no promised order.
 */
#include "vgs.h"
#include "smaps.h"
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int	parse_header(const char *, size_t, struct smaps_entry *);
static void	parse_vmflags(const char *, size_t, struct smaps_entry *);

static int
is_header(const char *line, size_t len)
{
	const char	*dash, *space;

	dash = memchr(line, '-', len);
	space = memchr(line, ' ', len);
	return (dash != NULL && (space == NULL || dash < space));
}

static int
parse_header(const char *line, size_t len, struct smaps_entry *e)
{
	char			 tmp[512], *p, *end;
	unsigned long long	 start, stop, off;
	size_t			 n;

	n = len < sizeof tmp - 1 ? len : sizeof tmp - 1;
	memcpy(tmp, line, n);
	tmp[n] = '\0';
	errno = 0;
	start = strtoull(tmp, &end, 16);
	if (*end != '-')
		return (-1);
	stop = strtoull(end + 1, &end, 16);
	if (*end != ' ' || errno != 0 || stop < start)
		return (-1);
	p = end + 1;
	if (strlen(p) < 5 || p[4] != ' ')
		return (-1);
	memcpy(e->perms, p, 4);
	e->perms[4] = '\0';
	off = strtoull(p + 5, &end, 16);
	if (*end != ' ')
		return (-1);
	e->start = (uintptr_t)start;
	e->end = (uintptr_t)stop;
	e->offset = off;
	/* dev and inode, then the optional name after spaces. */
	p = end + 1;
	p += strcspn(p, " ");
	p += strspn(p, " ");
	p += strcspn(p, " ");
	p += strspn(p, " ");
	snprintf(e->name, sizeof e->name, "%s", p);
	return (0);
}

/*
 * The number of a "Name:   123 kB" field, from its text after the colon.
 * The line is not NUL-terminated (the last one may end the buffer), so
 * strtoul() must not see it directly: it would read on past the line.
 */
static unsigned long
field_kb(const char *s, size_t len)
{
	char	tmp[32];

	while (len > 0 && *s == ' ') {
		s++;
		len--;
	}
	if (len >= sizeof tmp)
		len = sizeof tmp - 1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return (strtoul(tmp, NULL, 10));
}

static void
parse_vmflags(const char *s, size_t len, struct smaps_entry *e)
{
	size_t	i = 0, n;

	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		n = 0;
		while (i + n < len && s[i + n] != ' ')
			n++;
		e->flags |= state_flag_lookup(s + i, n);
		i += n;
	}
	e->has_vmflags = 1;
}

/*
 * Parse smaps text into sm->ent.  An entry without its VmFlags line
 * means the text was cut short: -1 with err filled in.
 */
int
smaps_parse(struct smaps *sm, const char *text, size_t len, char *err,
    size_t errsz)
{
	const char		*line = text, *nl, *end = text + len;
	size_t			 ll;
	struct smaps_entry	*e = NULL;

	sm->n = 0;
	while (line < end) {
		nl = memchr(line, '\n', end - line);
		ll = (nl != NULL ? nl : end) - line;
		if (ll > 0 && is_header(line, ll)) {
			if (e != NULL && !e->has_vmflags) {
				snprintf(err, errsz, "smaps: entry %zu has "
				    "no VmFlags line", sm->n);
				return (-1);
			}
			if (sm->n == sm->ent_cap) {
				sm->ent_cap = sm->ent_cap ?
				    sm->ent_cap * 2 : 64;
				sm->ent = xreallocarray(sm->ent, sm->ent_cap,
				    sizeof *sm->ent);
			}
			e = &sm->ent[sm->n++];
			memset(e, 0, sizeof *e);
			if (parse_header(line, ll, e) != 0) {
				snprintf(err, errsz, "smaps: bad header "
				    "line: %.*s", (int)(ll < 80 ? ll : 80),
				    line);
				return (-1);
			}
		} else if (ll > 0 && e == NULL) {
			snprintf(err, errsz, "smaps: field before the "
			    "first header");
			return (-1);
		} else if (ll > 8 && strncmp(line, "VmFlags:", 8) == 0)
			parse_vmflags(line + 8, ll - 8, e);
		else if (ll > 14 && strncmp(line, "AnonHugePages:", 14) == 0)
			e->anon_huge_kb = field_kb(line + 14, ll - 14);
		line += ll + 1;
	}
	if (e != NULL && !e->has_vmflags) {
		snprintf(err, errsz, "smaps: truncated: last entry has no "
		    "VmFlags line");
		return (-1);
	}
	return (0);
}

/*
 * Read and parse a whole smaps file (normally /proc/self/smaps).  The
 * buffer is kept in sm for the next call.  -1 with err on failure.
 */
int
smaps_read(struct smaps *sm, const char *path, char *err, size_t errsz)
{
	int	fd;
	ssize_t	n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "open %s: %s", path, strerror(errno));
		return (-1);
	}
	sm->len = 0;
	for (;;) {
		if (sm->cap - sm->len < 4096) {
			sm->cap = sm->cap ? sm->cap * 2 : 65536;
			sm->buf = xreallocarray(sm->buf, sm->cap, 1);
		}
		n = read(fd, sm->buf + sm->len, sm->cap - sm->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errsz, "read %s: %s", path,
			    strerror(errno));
			close(fd);
			return (-1);
		}
		if (n == 0)
			break;
		sm->len += n;
	}
	close(fd);
	return (smaps_parse(sm, sm->buf, sm->len, err, errsz));
}

/* Release what smaps_read() and smaps_parse() allocated. */
void
smaps_free(struct smaps *sm)
{
	free(sm->buf);
	free(sm->ent);
	memset(sm, 0, sizeof *sm);
}

/* The entry containing addr, or NULL. */
const struct smaps_entry *
smaps_find(const struct smaps *sm, uintptr_t addr)
{
	size_t	i;

	for (i = 0; i < sm->n; i++) {
		if (addr >= sm->ent[i].start && addr < sm->ent[i].end)
			return (&sm->ent[i]);
	}
	return (NULL);
}

/*
 * Append to st's VMA list the entries that intersect the area of
 * npages pages at base, clipped to it, in area-relative page units:
 * smaps read in parts adds each part.  1 when the last entry starts at
 * or past the area's end: entries come in address order, so no later
 * part holds any of the area's.  Else 0.
 */
int
smaps_area_add(const struct smaps *sm, uintptr_t base, size_t npages,
    size_t ps, struct state *st)
{
	uintptr_t		 lo, hi, top = base + npages * ps;
	size_t			 i;
	struct vma		*v;
	const struct smaps_entry *e;

	for (i = 0; i < sm->n; i++) {
		e = &sm->ent[i];
		if (e->end <= base || e->start >= top)
			continue;
		lo = e->start < base ? base : e->start;
		hi = e->end > top ? top : e->end;
		v = state_add_vma(st);
		v->first = (lo - base) / ps;
		v->npages = (hi - lo) / ps;
		memcpy(v->perms, e->perms, sizeof v->perms);
		v->flags = e->flags;
	}
	return (sm->n > 0 && sm->ent[sm->n - 1].start >= top);
}

/* Fill st's VMA list with the area's entries (smaps_area_add()). */
void
smaps_area(const struct smaps *sm, uintptr_t base, size_t npages,
    size_t ps, struct state *st)
{
	st->nvmas = 0;
	(void)smaps_area_add(sm, base, npages, ps, st);
	st->have |= VGS_HAVE_VMAS;
}
