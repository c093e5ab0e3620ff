/*
 * verdict.c: the kernel's generation, from the evidence feature.c
 * gathered (doc/behaviour.md §5.4).  No system calls: a judge, tested on
 * made-up evidence in tests/test-verdict.c.
 *
 * The generations are levels, each bringing features that come
 * together or not at all:
 *
 *   1  6.13     MADV_GUARD_INSTALL on private anonymous memory
 *   2  6.15     guards on shmem and files; pagemap bit 58
 *   3  6.16     PAGEMAP_SCAN's PAGE_IS_GUARD
 *   4  6.18.37  the series: gu after an install, separately guarded
 *      6.19     shmem VMAs merge, soft-dirty sticky (where sd exists)
 *
 * A kernel matches one level when every feature of it and of the levels
 * below is there and none above.  Anything else is contradictory: a
 * level half there (gu without the merges), a level without the one
 * below (PAGE_IS_GUARD without bit 58), or a kernel whose version is at
 * or past a level's that lacks a feature of it.  Features may come
 * earlier than their version (distributions backport); never later.
 */
#include "vgs.h"
#include "feature.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define V(a, b, c)	((a) * 10000U + (b) * 100U + (c))
#define NLEVELS		4

struct fact {
	int		 level;
	size_t		 off;		/* its int in struct features */
	const char	*yes;		/* what it is when seen */
	const char	*no;		/* ... when not */
};

static const struct fact facts[] = {
	{ 1, offsetof(struct features, guard), "MADV_GUARD_INSTALL works",
	  "MADV_GUARD_INSTALL fails" },
	{ 2, offsetof(struct features, shared), "guards on shmem",
	  "no guards on shmem" },
	{ 2, offsetof(struct features, pagemap_bit), "pagemap bit 58",
	  "no pagemap bit 58" },
	{ 3, offsetof(struct features, scan_guard), "PAGE_IS_GUARD",
	  "no PAGE_IS_GUARD" },
	{ 4, offsetof(struct features, gu), "gu after an install",
	  "smaps shows no gu after an install" },
	{ 4, offsetof(struct features, merge), "separately guarded shmem "
	  "VMAs merge", "separately guarded shmem VMAs stay apart" },
	{ 4, offsetof(struct features, sd_sticky), "soft-dirty is sticky",
	  "soft-dirty is not sticky" },
};
#define NFACTS	(sizeof facts / sizeof facts[0])

/* The version each level came with, and its name. */
static const struct {
	unsigned	 floor;
	const char	*since;
} levels[NLEVELS + 1] = {
	{ 0, "" },
	{ V(6, 13, 0), "6.13" },
	{ V(6, 15, 0), "6.15" },
	{ V(6, 16, 0), "6.16" },
	{ V(6, 18, 37), "6.18.37" },
};

static const char *gen_names[] = {
	"none", "guard", "pre-series", "series", "contradictory", "unset"
};

/* The name of a generation, as --expect and the header spell it. */
const char *
verdict_name(enum generation g)
{
	return ((unsigned)g <= VGS_GEN_UNSET ? gen_names[g] : "?");
}

/* The generation called name (len bytes), for --expect; or -1. */
int
verdict_lookup(const char *name, size_t len)
{
	int	g;

	for (g = VGS_GEN_NONE; g <= VGS_GEN_SERIES; g++) {
		if (vgs_name_eq(gen_names[g], name, len))
			return (g);
	}
	return (-1);
}

/*
 * A release string's version, 10000 * major + 100 * minor + patch, the
 * patch capped at 99 (6.1.192 is past 6.1.99, never 6.2); 0 when it
 * does not start with "MAJOR.MINOR".
 */
unsigned
verdict_version(const char *rel)
{
	unsigned long	v[3] = { 0, 0, 0 };
	char		*end;
	int		 i;

	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*rel))
			break;
		v[i] = strtoul(rel, &end, 10);
		rel = end;
		if (*rel != '.')
			break;
		rel++;
	}
	if (i < 1 || v[0] > 99 || v[1] > 99)
		return (0);
	return (V((unsigned)v[0], (unsigned)v[1], v[2] > 99 ? 99U :
	    (unsigned)v[2]));
}

static int
fact_of(const struct features *f, const struct fact *k)
{
	return (*(const int *)((const char *)f + k->off));
}

static void
add(char *buf, size_t size, const char *s)
{
	strlcat_fmt(buf, size, "%s%s", buf[0] ? "; " : "", s);
}

/* Does level l hold: 1 all its known facts seen, 0 none, -1 mixed. */
static int
level_holds(const struct features *f, int l)
{
	size_t	i;
	int	yes = 0, no = 0, v;

	for (i = 0; i < NFACTS; i++) {
		if (facts[i].level != l || (v = fact_of(f, &facts[i])) < 0)
			continue;
		if (v)
			yes++;
		else
			no++;
	}
	return (yes && no ? -1 : no ? 0 : yes ? 1 : 0);
}

/* The first fact of level l whose value is v, for messages. */
static const struct fact *
first_fact(const struct features *f, int l, int v)
{
	size_t	i;

	for (i = 0; i < NFACTS; i++) {
		if (facts[i].level == l && fact_of(f, &facts[i]) == v)
			return (&facts[i]);
	}
	return (NULL);
}

static void
release_text(const struct features *f, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u", f->version / 10000,
	    f->version / 100 % 100, f->version % 100);
}

/* Every way the evidence contradicts itself, into f->conflict. */
static void
contradictions(struct features *f, int top)
{
	const struct fact	*y, *n;
	char			 msg[256], rel[32];
	int			 l, h, floors = 0, lower = 0;

	release_text(f, rel, sizeof rel);
	/* Without guard regions nothing above them was probed. */
	for (l = 1; l <= (f->guard ? NLEVELS : 1); l++) {
		h = level_holds(f, l);
		if (h < 0) {
			y = first_fact(f, l, 1);
			n = first_fact(f, l, 0);
			snprintf(msg, sizeof msg, "%s but %s (they came "
			    "together in %s)", y->yes, n->no,
			    levels[l].since);
			add(f->conflict, sizeof f->conflict, msg);
		} else if (h > 0 && l > top + 1 && lower++ == 0) {
			y = first_fact(f, l, 1);
			n = first_fact(f, top + 1, 0);
			snprintf(msg, sizeof msg, "%s (%s) but %s (%s)",
			    y->yes, levels[l].since, n != NULL ? n->no :
			    "not the level below", levels[top + 1].since);
			add(f->conflict, sizeof f->conflict, msg);
		}
		if (f->version >= levels[l].floor && h != 1 && f->version &&
		    floors++ == 0) {
			n = first_fact(f, l, 0);
			snprintf(msg, sizeof msg, "%s on %s, which is at or "
			    "past %s", n != NULL ? n->no : "?", rel,
			    levels[l].since);
			add(f->conflict, sizeof f->conflict, msg);
		}
	}
	if (f->guard && !f->scan && f->version >= V(6, 7, 0)) {
		snprintf(msg, sizeof msg, "no PAGEMAP_SCAN on %s, which is "
		    "at or past 6.7", rel);
		add(f->conflict, sizeof f->conflict, msg);
	}
	if (f->stray)
		add(f->conflict, sizeof f->conflict, "an install of one page "
		    "put a marker on a page beside it");
	if (f->lost)
		add(f->conflict, sizeof f->conflict, "an install returned 0 "
		    "and left no marker, where pagemap shows them");
}

/*
 * Weigh the evidence in f: set f->gen, f->evidence, f->conflict and
 * f->series (judge gu and the layouts only the series predicts: with
 * the series, when the user expects it, or when a contradictory kernel
 * shows any sign of it or is past its version).
 */
void
verdict_judge(struct features *f, enum generation expect)
{
	char	rel[32];
	size_t	i;
	int	top, v;

	f->evidence[0] = f->conflict[0] = '\0';
	for (i = 0; i < NFACTS; i++) {
		if ((v = fact_of(f, &facts[i])) >= 0 &&
		    (v || facts[i].level == 1 || fact_of(f, &facts[0])))
			add(f->evidence, sizeof f->evidence, v ? facts[i].yes :
			    facts[i].no);
	}
	if (f->version) {
		release_text(f, rel, sizeof rel);
		strlcat_fmt(f->evidence, sizeof f->evidence, "; Linux %s",
		    rel);
	}
	for (top = 0; top < NLEVELS && level_holds(f, top + 1) == 1; top++)
		;
	contradictions(f, top);
	if (f->conflict[0] != '\0')
		f->gen = VGS_GEN_CONTRADICTORY;
	else if (top == 0)
		f->gen = VGS_GEN_NONE;
	else if (top == 1)
		f->gen = VGS_GEN_GUARD;
	else if (top < NLEVELS)
		f->gen = VGS_GEN_PRESERIES;
	else
		f->gen = VGS_GEN_SERIES;
	f->series = f->gen == VGS_GEN_SERIES || expect == VGS_GEN_SERIES ||
	    (f->gen == VGS_GEN_CONTRADICTORY && (f->gu == 1 ||
	    f->merge == 1 || f->sd_sticky == 1 ||
	    f->version >= levels[NLEVELS].floor));
}
