/*
 * shim-smaps.c: /proc/self/smaps as a broken kernel would show it.  The
 * real text is read, doctored entry by entry and served from a memfd:
 *   smaps-no-gu          no entry shows gu (a pre-series kernel)
 *   smaps-gu-split-loss  read-only entries (r--p, r--s) lose gu, as if
 *                        an mprotect split kept it on one side only
 *   smaps-gu-merge-loss  an entry that absorbed an earlier VMA boundary
 *                        (a merge) loses gu
 *   smaps-merge-missed   such an entry is shown still split at the old
 *                        boundary (the merge did not happen)
 *   smaps-sd-always      every entry shows sd, whatever clear_refs did
 *                        (soft-dirty that never clears)
 *
 * Merges are recognised from boundaries: every start and end of a gu
 * entry seen in an earlier read is remembered, and an entry with gu that
 * now strictly contains one is the product of a merge.  (Edges of plain
 * VMAs are not: the allocator's and ASan's own mappings come and go
 * without mmap() calls the shim could see.)  mmap() and munmap() forget
 * the boundaries they replace (shim-fault.c), so a fresh mapping over
 * an old one is not taken for a merge; an entry without gu forgets the
 * boundaries it contains, since only gu entries are doctored.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

#define MAX_BOUNDARIES	4096

static uintptr_t	bnd[MAX_BOUNDARIES];
static size_t		nbnd, next_slot;

struct out {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

/* Does any smaps fault apply? */
int
shim_smaps_doctored(void)
{
	return (shim_fault_on("smaps-no-gu") ||
	    shim_fault_on("smaps-gu-split-loss") ||
	    shim_fault_on("smaps-gu-merge-loss") ||
	    shim_fault_on("smaps-merge-missed") ||
	    shim_fault_on("smaps-sd-always"));
}

static void
remember(uintptr_t b)
{
	size_t	i;

	for (i = 0; i < nbnd; i++) {
		if (bnd[i] == b)
			return;
	}
	if (nbnd < MAX_BOUNDARIES)
		bnd[nbnd++] = b;
	else {
		bnd[next_slot] = b;	/* full: replace the oldest */
		next_slot = (next_slot + 1) % MAX_BOUNDARIES;
	}
}

/* Forget the boundaries in [lo, hi]: that range was mapped afresh. */
void
shim_smaps_forget(uintptr_t lo, uintptr_t hi)
{
	size_t	i = 0;

	while (i < nbnd) {
		if (bnd[i] >= lo && bnd[i] <= hi)
			bnd[i] = bnd[--nbnd];
		else
			i++;
	}
	if (next_slot >= nbnd)
		next_slot = 0;
}

/* The remembered boundaries strictly inside (lo, hi), sorted. */
static size_t
inside(uintptr_t lo, uintptr_t hi, uintptr_t *out, size_t max)
{
	size_t		i, j, n = 0;
	uintptr_t	t;

	for (i = 0; i < nbnd && n < max; i++) {
		if (bnd[i] > lo && bnd[i] < hi)
			out[n++] = bnd[i];
	}
	for (i = 1; i < n; i++) {
		for (j = i; j > 0 && out[j - 1] > out[j]; j--) {
			t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	}
	return (n);
}

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->cap - o->len < n + 1) {
		o->cap = (o->cap + n) * 2;
		if ((o->buf = realloc(o->buf, o->cap)) == NULL)
			abort();
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static int
is_header(const char *l, size_t n)
{
	const char	*dash = memchr(l, '-', n), *sp = memchr(l, ' ', n);

	return (dash != NULL && (sp == NULL || dash < sp));
}

/* Blank every whole " gu" token of a VmFlags line in place. */
static int
blank_gu(char *l, size_t n)
{
	size_t	i;
	int	found = 0;

	if (n < 8 || strncmp(l, "VmFlags:", 8) != 0)
		return (0);
	for (i = 8; i + 3 <= n; i++) {
		if (l[i - 1] == ' ' && l[i] == 'g' && l[i + 1] == 'u' &&
		    (i + 2 == n || l[i + 2] == ' ')) {
			l[i] = l[i + 1] = ' ';
			found = 1;
		}
	}
	return (found);
}

/* The header line of [lo, hi) made from an entry's original header. */
static void
put_header(struct out *o, const char *h, size_t hn, uintptr_t start,
    uintptr_t lo, uintptr_t hi)
{
	char			 line[128];
	const char		*rest;
	unsigned long long	 off;
	int			 n;

	/* "start-end perms offset rest": keep perms and rest. */
	rest = memchr(h, ' ', hn);
	if (rest == NULL || rest + 6 > h + hn) {
		put(o, h, hn);
		return;
	}
	off = strtoull(rest + 6, NULL, 16) + (lo - start);
	n = snprintf(line, sizeof line, "%08lx-%08lx %.4s %08llx",
	    (unsigned long)lo, (unsigned long)hi, rest + 1, off);
	put(o, line, n);
	rest += 6;
	rest += strcspn(rest, " \n");
	put(o, rest, h + hn - rest);
}

/* The entry's lines onto o, with sd added to a VmFlags line lacking it. */
static void
put_sd(struct out *o, const char *e, size_t n)
{
	const char	*l, *nl;

	for (l = e; l < e + n; l = nl + 1) {
		nl = memchr(l, '\n', e + n - l);
		if (nl == NULL)
			nl = e + n;
		if (strncmp(l, "VmFlags:", 8) == 0 &&
		    memmem(l, nl - l, " sd", 3) == NULL) {
			put(o, l, nl - l);
			put(o, nl[-1] == ' ' ? "sd " : " sd ", nl[-1] == ' ' ?
			    3 : 4);
			put(o, "\n", nl < e + n);
		} else
			put(o, l, nl - l + (nl < e + n));
	}
}

/* One entry (header through its last line), doctored, onto o. */
static void
doctor_entry(struct out *o, char *e, size_t n)
{
	uintptr_t		 start, end, cut[64];
	char			*l, *nl, *body, *sp;
	size_t			 ncut, i, hn;
	int			 gu = 0, ro;

	start = strtoul(e, &l, 16);
	end = strtoul(l + 1, &sp, 16);
	ro = sp[1] == 'r' && sp[2] == '-' && sp[3] == '-';
	nl = memchr(e, '\n', n);
	hn = nl != NULL ? (size_t)(nl - e) + 1 : n;
	body = e + hn;
	for (l = body; l < e + n; l = nl + 1) {
		nl = memchr(l, '\n', e + n - l);
		if (nl == NULL)
			nl = e + n;
		if (strncmp(l, "VmFlags:", 8) == 0 && memmem(l, nl - l,
		    " gu", 3) != NULL)
			gu = 1;
	}
	ncut = gu ? inside(start, end, cut, 64) : 0;
	if (!gu)
		shim_smaps_forget(start + 1, end - 1);
	else {
		/* Only gu VMAs' edges matter: a merge may swallow them. */
		remember(start);
		remember(end);
	}
	for (l = body; l < e + n; l = nl + 1) {
		nl = memchr(l, '\n', e + n - l);
		if (nl == NULL)
			nl = e + n;
		if (shim_fault_on("smaps-no-gu") ||
		    (ro && shim_fault_on("smaps-gu-split-loss")) ||
		    (ncut > 0 && shim_fault_on("smaps-gu-merge-loss")))
			blank_gu(l, nl - l);
	}
	if (shim_fault_on("smaps-sd-always")) {
		put_sd(o, e, n);
		return;
	}
	if (ncut == 0 || !shim_fault_on("smaps-merge-missed")) {
		put(o, e, n);
		return;
	}
	/* One entry per piece between the absorbed boundaries. */
	for (i = 0; i <= ncut; i++) {
		put_header(o, e, hn, start, i == 0 ? start : cut[i - 1],
		    i == ncut ? end : cut[i]);
		put(o, body, e + n - body);
	}
}

/* Serve the smaps file at path doctored; an fd, or -1 with errno. */
int
shim_smaps_open(const char *path, int flags)
{
	struct out	 o = { NULL, 0, 0 };
	char		*text, *l, *nl, *entry = NULL;
	size_t		 len;
	int		 fd;

	(void)flags;
	if ((text = shim_slurp(path, &len)) == NULL)
		return (-1);
	for (l = text; l < text + len; l = nl + 1) {
		nl = memchr(l, '\n', text + len - l);
		if (nl == NULL)
			nl = text + len;
		if (!is_header(l, nl - l))
			continue;
		if (entry != NULL)
			doctor_entry(&o, entry, l - entry);
		entry = l;
	}
	if (entry != NULL)
		doctor_entry(&o, entry, text + len - entry);
	fd = shim_serve("smaps-doctored", o.buf ? o.buf : "", o.len);
	free(o.buf);
	free(text);
	return (fd);
}
