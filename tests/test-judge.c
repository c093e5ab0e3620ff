/*
 * test-judge.c: the judge on states written in the notation of doc/behaviour.md
 * §1.2 (lines of reference-run-6.18.44.txt), each wrong kernel answer it must
 * catch, and the text forms of a state.
 */
#include "vgs.h"
#include "judge.h"
#include "state.h"

#include "unit.h"

static struct judge	with_gu = { 1, 0x3ffU };
static struct judge	without_gu = { 0, 0x3ffU };

static void
parse(struct state *st, size_t n, const char *s)
{
	char	err[128];

	state_init(st, n);
	if (state_parse(s, strlen(s), st, err, sizeof err) != 0) {
		fprintf(stderr, "fixture does not parse: %s: %s\n", s, err);
		exit(99);
	}
}

/* Judge obs against exp; return the verdict's aspect ("" if ok). */
static const char *
judge(const struct judge *j, const char *e, const char *o, size_t n,
    struct verdict *v)
{
	struct state	exp, obs;
	int		rc;

	parse(&exp, n, e);
	parse(&obs, n, o);
	rc = judge_state(j, &exp, &obs, v);
	state_free(&exp);
	state_free(&obs);
	return (rc == 0 ? "" : v->aspect);
}

static void
test_verdicts(void)
{
	struct verdict	 v;
	const char	*ok = "count=1 vmas=[10:rw-p:gu] guards=.G........ "
			    "access=rSrrrrrrrr";

	UNIT_STREQ(judge(&with_gu, ok, "count=1 vmas=[10:rw-p:gu] "
	    "guards=pGpppppppp access=rSrrrrrrrr", 10, &v), "");
	/* A silent no-op install: no marker at p1. */
	UNIT_STREQ(judge(&with_gu, ok, "count=1 vmas=[10:rw-p:gu] "
	    "guards=pppppppppp access=rrrrrrrrrr", 10, &v), "marker");
	UNIT_OK(v.page == 1);
	UNIT_CONTAINS(v.msg, "page 1: expected a guard marker (G)");
	/* Install split the VMA. */
	UNIT_STREQ(judge(&with_gu, ok, "count=2 vmas=[1:rw-p:-,9:rw-p:gu] "
	    "guards=.G........ access=rSrrrrrrrr", 10, &v), "vmas");
	UNIT_CONTAINS(v.msg, "VMA count: expected 1, saw 2");
	/* gu missing while a marker is there: the invariant fires. */
	UNIT_STREQ(judge(&with_gu, ok, "count=1 vmas=[10:rw-p:-] "
	    "guards=.G........ access=rSrrrrrrrr", 10, &v), "invariant");
	UNIT_CONTAINS(v.msg, "page 1 holds a marker but its VMA p0-9");
	/* Without the series gu is not judged, but the check knows. */
	UNIT_STREQ(judge(&without_gu, ok, "count=1 vmas=[10:rw-p:-] "
	    "guards=.G........ access=rSrrrrrrrr", 10, &v), "");
	UNIT_OK(v.gu_ignored && v.gu_expected);
	/* gu lost after remove (no marker left): the gu aspect. */
	UNIT_STREQ(judge(&with_gu, "count=1 vmas=[10:rw-p:gu] "
	    "guards=.......... access=rrrrrrrrrr", "count=1 vmas=[10:rw-p:-] "
	    "guards=pppppppppp access=rrrrrrrrrr", 10, &v), "gu");
	UNIT_CONTAINS(v.msg, "expected gu, saw no gu");
	/* gu on only one side of a split. */
	UNIT_STREQ(judge(&with_gu, "count=2 vmas=[5:rw-p:gu,5:r--p:gu]",
	    "count=2 vmas=[5:rw-p:gu,5:r--p:-]", 10, &v), "gu");
	UNIT_CONTAINS(v.msg, "VMA 1 (p5-9)");
	/* Boundaries and perms. */
	UNIT_STREQ(judge(&with_gu, "count=2 vmas=[5:rw-p:gu,5:r--p:gu]",
	    "count=2 vmas=[4:rw-p:gu,6:r--p:gu]", 10, &v), "vmas");
	UNIT_CONTAINS(v.msg, "expected p0-4, saw p0-3");
	UNIT_STREQ(judge(&with_gu, "count=1 vmas=[10:rw-p:gu]",
	    "count=1 vmas=[10:r--p:gu]", 10, &v), "vmas");
	UNIT_CONTAINS(v.msg, "expected perms rw-p, saw r--p");
	/* Other flags: wf kept in the child. */
	UNIT_STREQ(judge(&with_gu, "count=2 vmas=[5:rw-p:gu,5:rw-p:gu+wf]",
	    "count=2 vmas=[5:rw-p:gu,5:rw-p:gu]", 10, &v), "vmas");
	UNIT_CONTAINS(v.msg, "expected VmFlags wf, saw none");
	/* A marker that still reads: pagemap and the probe disagree. */
	UNIT_STREQ(judge(&with_gu, "guards=.G.. access=r?rr",
	    "guards=.G.. access=rrrr", 4, &v), "probe");
	UNIT_CONTAINS(v.msg, "page 1: pagemap shows a guard marker but the "
	    "access probe read it");
	/* No marker, yet SIGSEGV. */
	UNIT_STREQ(judge(&with_gu, "guards=.... access=rrrr",
	    "guards=.... access=rrSr", 4, &v), "access");
	UNIT_OK(v.page == 2);
	/* Access classes: SIGBUS on a marker, protection against hole. */
	UNIT_STREQ(judge(&with_gu, "guards=.G.. access=rSrr",
	    "guards=.G.. access=rBrr", 4, &v), "access");
	UNIT_CONTAINS(v.msg, "page 1: expected a read to raise SIGSEGV "
	    "(SEGV_MAPERR), the read raised SIGBUS");
	UNIT_STREQ(judge(&with_gu, "guards=.... access=PPPP",
	    "guards=.... access=PPSP", 4, &v), "access");
	UNIT_CONTAINS(v.msg, "page 2: expected a read to raise SIGSEGV for "
	    "the protection, the read raised SIGSEGV (SEGV_MAPERR)");
	/* Writes: one that lands on a marker, one on a read-only page. */
	UNIT_STREQ(judge(&with_gu, "guards=.G.. access=rSrr write=wSw?",
	    "guards=.G.. access=rSrr write=wSw?", 4, &v), "");
	UNIT_STREQ(judge(&with_gu, "guards=.G.. access=rSrr write=wSw?",
	    "guards=.G.. access=rSrr write=www?", 4, &v), "write");
	UNIT_OK(v.page == 1);
	UNIT_CONTAINS(v.msg, "page 1: expected a write to raise SIGSEGV "
	    "(SEGV_MAPERR), the write went through");
	UNIT_STREQ(judge(&with_gu, "access=rrrr write=wPPw",
	    "access=rrrr write=wwPw", 4, &v), "write");
	UNIT_CONTAINS(v.msg, "page 1: expected a write to raise SIGSEGV for "
	    "the protection, the write went through");
	UNIT_STREQ(judge(&with_gu, "access=rrrr write=wPPw",
	    "access=rrrr write=wPPP", 4, &v), "write");
	UNIT_CONTAINS(v.msg, "page 3: expected a write to go through");
	/* Unprobed on either side: not judged. */
	UNIT_STREQ(judge(&with_gu, "access=rrrr write=w?Pw",
	    "access=rrrr write=?wPw", 4, &v), "");
	/* A hole where a VMA belongs. */
	UNIT_STREQ(judge(&with_gu, "count=1 vmas=[10:rw-s:gu]",
	    "count=2 vmas=[4:rw-s:gu,5@5:rw-s:gu]", 10, &v), "vmas");
}

static void
test_data_and_scan(void)
{
	struct state	exp, obs;
	struct verdict	v;

	parse(&exp, 4, "guards=.G.. access=rSrr");
	parse(&obs, 4, "guards=.G.. access=rSrr");
	exp.have |= VGS_HAVE_DATA;
	obs.have |= VGS_HAVE_DATA | VGS_HAVE_SCAN;
	exp.data[0] = 77;
	obs.data[0] = 77;
	exp.data[2] = VGS_DATA_ZERO;
	obs.data[2] = 78;
	memcpy(obs.scan, ".G..", 4);
	UNIT_OK(judge_state(&with_gu, &exp, &obs, &v) == -1);
	UNIT_STREQ(v.aspect, "data");
	UNIT_CONTAINS(v.msg, "page 2: expected zero, read pattern 78");
	obs.data[2] = VGS_DATA_ZERO;
	UNIT_OK(judge_state(&with_gu, &exp, &obs, &v) == 0);
	/* PAGEMAP_SCAN and bit 58 disagree. */
	memcpy(obs.scan, ".GG.", 4);
	UNIT_OK(judge_state(&with_gu, &exp, &obs, &v) == -1);
	UNIT_STREQ(v.aspect, "scan");
	UNIT_CONTAINS(v.msg, "page 2: pagemap bit 58 shows . but "
	    "PAGEMAP_SCAN");
	state_free(&exp);
	state_free(&obs);
}

static void
test_text(void)
{
	struct state	 st;
	char		*f, *s;
	const char	*lines[] = {
		"count=1 vmas=[10:rw-p:gu] guards=pGpppppppp "
		    "access=rSrrrrrrrr",
		"count=2 vmas=[5:rw-s:gu,5:rw-s:gu+dc] guards=pGppppGppp "
		    "access=rSrrrrSrrr",
		"count=2 vmas=[4:rw-p:gu,5@5:rw-p:gu] guards=G..G..G..G "
		    "access=SrrSSrSrrS",
		"count=1 vmas=[10:rw-p:-] guards=.......... "
		    "access=rrrrrrrrrr",
	};
	size_t		 i;
	char		 err[128];

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		parse(&st, 10, lines[i]);
		f = state_format(&st);
		UNIT_STREQ(f, lines[i]);
		free(f);
		state_free(&st);
	}
	parse(&st, 10, lines[2]);
	s = state_strips(&st, "observed");
	UNIT_CONTAINS(s, "observed  p0-3 rw-p gu       guards=G..G "
	    "access=SrrS");
	UNIT_CONTAINS(s, "p4-4      (hole)");
	UNIT_CONTAINS(s, "p5-9 rw-p gu       guards=.G..G access=rSrrS");
	free(s);
	/* Malformed notation is rejected, not guessed at. */
	UNIT_OK(state_parse("count=2 vmas=[10:rw-p:gu]", 25, &st, err,
	    sizeof err) == -1);
	UNIT_OK(state_parse("guards=GG", 9, &st, err, sizeof err) == -1);
	UNIT_OK(state_parse("vmas=[10:rw-p:zz]", 17, &st, err,
	    sizeof err) == -1);
	state_free(&st);
}

int
main(void)
{
	vgs_init();
	test_verdicts();
	test_data_and_scan();
	test_text();
	return (unit_done("test-judge"));
}
