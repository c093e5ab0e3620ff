/*
 * check.c: the judge.  Given what the model expects and what the
 * observers saw, say whether they agree and, if not, where first, at
 * page granularity.  Cross-checks of one observation against another
 * (pagemap against PAGEMAP_SCAN, markers against the access probe) and
 * the invariant "a marker present => its VMA shows gu" live here too.
 */
#include "vgs.h"
#include "judge.h"
#include "state.h"

#include <stdio.h>
#include <string.h>

static void
flags_text(unsigned flags, unsigned mask, char *buf, size_t size)
{
	unsigned	bit;

	buf[0] = '\0';
	flags &= mask;
	if (flags == 0) {
		strlcat_fmt(buf, size, "none");
		return;
	}
	for (bit = 1; bit != 0 && bit <= flags; bit <<= 1) {
		if (flags & bit)
			strlcat_fmt(buf, size, "%s%s", buf[0] ? "+" : "",
			    state_flag_name(bit));
	}
}

static int
fail(struct verdict *v, const char *aspect, size_t page, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct verdict *v, const char *aspect, size_t page, const char *fmt, ...)
{
	va_list	ap;

	v->ok = 0;
	v->aspect = aspect;
	v->page = page;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof v->msg, fmt, ap);
	va_end(ap);
	return (-1);
}

/* A readable name for a data tag. */
const char *
judge_data_name(unsigned tag, char *buf, size_t size)
{
	if (tag == VGS_DATA_ZERO)
		snprintf(buf, size, "zero");
	else if (tag == VGS_DATA_OTHER)
		snprintf(buf, size, "foreign data");
	else if (tag == VGS_DATA_UNKNOWN)
		snprintf(buf, size, "unknown");
	else
		snprintf(buf, size, "pattern %u", tag);
	return (buf);
}

static int
check_vmas(const struct judge *j, const struct state *exp,
    const struct state *obs, struct verdict *v)
{
	const struct vma	*e, *o;
	unsigned		 mask = j->flag_mask & ~VGS_VMF_GU;
	char			 ef[64], of[64];
	size_t			 i;

	if (exp->nvmas != obs->nvmas)
		return (fail(v, "vmas", (size_t)-1, "VMA count: expected "
		    "%zu, saw %zu", exp->nvmas, obs->nvmas));
	for (i = 0; i < exp->nvmas; i++) {
		e = &exp->vmas[i];
		o = &obs->vmas[i];
		if (e->first != o->first || e->npages != o->npages)
			return (fail(v, "vmas", e->first, "VMA %zu: expected "
			    "p%zu-%zu, saw p%zu-%zu", i, e->first,
			    e->first + e->npages - 1, o->first,
			    o->first + o->npages - 1));
		if (strcmp(e->perms, o->perms) != 0)
			return (fail(v, "vmas", e->first, "VMA %zu (p%zu-%zu): "
			    "expected perms %s, saw %s", i, e->first,
			    e->first + e->npages - 1, e->perms, o->perms));
		if ((e->flags & mask) != (o->flags & mask)) {
			flags_text(e->flags, mask, ef, sizeof ef);
			flags_text(o->flags, mask, of, sizeof of);
			return (fail(v, "vmas", e->first, "VMA %zu (p%zu-%zu): "
			    "expected VmFlags %s, saw %s", i, e->first,
			    e->first + e->npages - 1, ef, of));
		}
	}
	return (0);
}

static int
check_gu(const struct judge *j, const struct state *exp,
    const struct state *obs, struct verdict *v)
{
	const struct vma	*e, *o;
	size_t			 i;

	for (i = 0; i < exp->nvmas && i < obs->nvmas; i++) {
		e = &exp->vmas[i];
		o = &obs->vmas[i];
		if ((e->flags & VGS_VMF_GU) == (o->flags & VGS_VMF_GU))
			continue;
		if (!j->check_gu) {
			v->gu_ignored = 1;
			continue;
		}
		return (fail(v, "gu", e->first, "VMA %zu (p%zu-%zu): expected "
		    "%s, saw %s", i, e->first, e->first + e->npages - 1,
		    (e->flags & VGS_VMF_GU) ? "gu" : "no gu",
		    (o->flags & VGS_VMF_GU) ? "gu" : "no gu"));
	}
	return (0);
}

/*
 * The invariant of the series: every page holding a marker lies in a VMA
 * that shows gu.  Needs VMAs and markers observed.
 */
int
judge_invariant(const struct state *obs, struct verdict *v)
{
	const struct vma	*o;
	size_t			 i, k = 0;

	if ((obs->have & (VGS_HAVE_VMAS | VGS_HAVE_MARKS)) !=
	    (VGS_HAVE_VMAS | VGS_HAVE_MARKS))
		return (0);
	/* VMAs are in address order: one cursor, not a search per page. */
	for (i = 0; i < obs->npages; i++) {
		if (obs->marks[i] != 'G')
			continue;
		while (k < obs->nvmas &&
		    obs->vmas[k].first + obs->vmas[k].npages <= i)
			k++;
		o = k < obs->nvmas && obs->vmas[k].first <= i ?
		    &obs->vmas[k] : NULL;
		if (o == NULL)
			return (fail(v, "invariant", i, "invariant: page %zu "
			    "holds a marker but no VMA maps it", i));
		if (!(o->flags & VGS_VMF_GU))
			return (fail(v, "invariant", i, "invariant: page %zu "
			    "holds a marker but its VMA p%zu-%zu shows no gu",
			    i, o->first, o->first + o->npages - 1));
	}
	return (0);
}

/*
 * An observer that asked the kernel whether an access would fault (the
 * stress engine's MADV_POPULATE_READ) saw 'F': a fault of either SIGSEGV
 * class, which agrees with either.
 */
static int
foretold(char exp, char obs)
{
	return (obs == 'F' && (exp == 'S' || exp == 'P'));
}

/* What an access class promises, for "expected ...". */
static const char *
expect_text(char c, const char *what)
{
	static char	buf[96];

	switch (c) {
	case 'S':
		snprintf(buf, sizeof buf, "a %s to raise SIGSEGV "
		    "(SEGV_MAPERR)", what);
		break;
	case 'P':
		snprintf(buf, sizeof buf, "a %s to raise SIGSEGV for the "
		    "protection", what);
		break;
	case 'B':
		snprintf(buf, sizeof buf, "a %s to raise SIGBUS", what);
		break;
	default:
		snprintf(buf, sizeof buf, "a %s to go through", what);
		break;
	}
	return (buf);
}

/* How an access ended, for "..., the read raised SIGBUS". */
static const char *
seen_text(char c, const char *what)
{
	static char	buf[96];

	switch (c) {
	case 'S':
		snprintf(buf, sizeof buf, "the %s raised SIGSEGV (SEGV_MAPERR)",
		    what);
		break;
	case 'P':
		snprintf(buf, sizeof buf, "the %s raised SIGSEGV (SEGV_ACCERR)",
		    what);
		break;
	case 'B':
		snprintf(buf, sizeof buf, "the %s raised SIGBUS", what);
		break;
	case 'F':
		snprintf(buf, sizeof buf, "the kernel would not fault the "
		    "page in for a %s", what);
		break;
	default:
		snprintf(buf, sizeof buf, "the %s went through", what);
		break;
	}
	return (buf);
}

static int
check_pages(const struct state *exp, const struct state *obs,
    struct verdict *v)
{
	size_t	i;
	char	eb[32], ob[32];

	for (i = 0; i < exp->npages; i++) {
		/*
		 * Observers contradicting each other come first: then the
		 * kernel's own interfaces disagree, whatever the model says.
		 */
		if ((obs->have & (VGS_HAVE_MARKS | VGS_HAVE_SCAN)) ==
		    (VGS_HAVE_MARKS | VGS_HAVE_SCAN) &&
		    (obs->marks[i] == 'G') != (obs->scan[i] == 'G'))
			return (fail(v, "scan", i, "page %zu: pagemap bit 58 "
			    "shows %c but PAGEMAP_SCAN PAGE_IS_GUARD shows "
			    "%s", i, obs->marks[i], obs->scan[i] == 'G' ?
			    "a guard" : "none"));
		if ((obs->have & (VGS_HAVE_MARKS | VGS_HAVE_ACCESS)) ==
		    (VGS_HAVE_MARKS | VGS_HAVE_ACCESS) &&
		    obs->marks[i] == 'G' && obs->access[i] == 'r')
			return (fail(v, "probe", i, "page %zu: pagemap shows a "
			    "guard marker but the access probe read it", i));
		if ((obs->have & VGS_HAVE_MARKS) && exp->marks[i] != '?' &&
		    (exp->marks[i] == 'G') != (obs->marks[i] == 'G'))
			return (fail(v, "marker", i, "page %zu: expected %s, "
			    "pagemap shows %c", i, exp->marks[i] == 'G' ?
			    "a guard marker (G)" : "no guard marker",
			    obs->marks[i]));
		if ((obs->have & VGS_HAVE_ACCESS) && exp->access[i] != '?' &&
		    obs->access[i] != '?' && exp->access[i] != obs->access[i] &&
		    !foretold(exp->access[i], obs->access[i]))
			return (fail(v, "access", i, "page %zu: expected %s, "
			    "%s", i, expect_text(exp->access[i], "read"),
			    seen_text(obs->access[i], "read")));
		if ((obs->have & VGS_HAVE_WRITE) && (exp->have &
		    VGS_HAVE_WRITE) && exp->write[i] != '?' &&
		    obs->write[i] != '?' && exp->write[i] != obs->write[i])
			return (fail(v, "write", i, "page %zu: expected %s, "
			    "%s", i, expect_text(exp->write[i], "write"),
			    seen_text(obs->write[i], "write")));
		if ((obs->have & VGS_HAVE_DATA) &&
		    (exp->have & VGS_HAVE_DATA) &&
		    exp->data[i] != VGS_DATA_UNKNOWN &&
		    obs->data[i] != VGS_DATA_UNKNOWN &&
		    exp->data[i] != obs->data[i])
			return (fail(v, "data", i, "page %zu: expected %s, "
			    "read %s", i, judge_data_name(exp->data[i], eb,
			    sizeof eb), judge_data_name(obs->data[i], ob,
			    sizeof ob)));
	}
	return (0);
}

/*
 * Judge obs against exp.  0 if they agree (v->ok = 1), -1 with v
 * describing the first disagreement.  Parts obs does not have are not
 * judged; gu is judged only if j->check_gu.
 */
int
judge_state(const struct judge *j, const struct state *exp,
    const struct state *obs, struct verdict *v)
{
	size_t	i;

	memset(v, 0, sizeof *v);
	v->ok = 1;
	v->page = (size_t)-1;
	v->aspect = "";
	for (i = 0; i < exp->nvmas; i++) {
		if (exp->vmas[i].flags & VGS_VMF_GU)
			v->gu_expected = 1;
	}
	if ((obs->have & VGS_HAVE_VMAS) && (exp->have & VGS_HAVE_VMAS) &&
	    check_vmas(j, exp, obs, v) != 0)
		return (-1);
	if (check_pages(exp, obs, v) != 0)
		return (-1);
	if (j->check_gu && judge_invariant(obs, v) != 0)
		return (-1);
	if ((obs->have & VGS_HAVE_VMAS) && (exp->have & VGS_HAVE_VMAS) &&
	    check_gu(j, exp, obs, v) != 0)
		return (-1);
	return (0);
}
