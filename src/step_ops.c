/*
 * step_ops.c: steps for what the model's rule (doc/behaviour.md §7) does not
 * cover on its own: expectations written in the notation of doc/behaviour.md
 * §1.2, the gu-independent layout judgement of the series discriminator,
 * content that moved with mremap(), return codes and errno, and wrappers for
 * mremap, mlock, mseal, fallocate, ftruncate and mappings of other objects.
 * Like the steps in step.c, each performs one kernel operation, applies it to
 * the model and compares what the kernel said.
 */
#include "vgs.h"
#include "feature.h"
#include "observe.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "step.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static const char *
errname(int e)
{
	return (e == 0 ? "success" : vgs_errno_name(e));
}

/*
 * Judge the area against an expectation in the notation of doc/behaviour.md
 * §1.2 (VMAs, guards, access), for states the model's rule does not predict.
 */
enum outcome
step_verify_expect(struct scn *s, const char *label, unsigned what,
    const char *fmt, ...)
{
	char	*text, err[VGS_MSG_MAX];
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		fatal("vasprintf");
	va_end(ap);
	rc = state_parse(text, strlen(text), &s->exp, err, sizeof err);
	if (rc != 0) {
		step_hard(s, "step '%s': bad expectation '%s': %s", label,
		    text, err);
		free(text);
		return (VGS_HARD);
	}
	free(text);
	return (step_judge(s, label, what, VGS_JUDGE_GIVEN, 0, 0, 0));
}

/*
 * As step_verify(), where pages first..first+n-1 hold content that was
 * written at pages origin.. and moved there (mremap).
 */
enum outcome
step_verify_moved(struct scn *s, const char *label, unsigned what,
    size_t first, size_t n, size_t origin)
{
	return (step_judge(s, label, what, VGS_JUDGE_MODEL, first, n, origin));
}

/*
 * The series discriminator (doc/behaviour.md §4.6): judge VMAs, markers, access
 * and content but not gu, so the verdict is evidence independent of the
 * flag.  A layout difference where smaps shows no gu (and the series is
 * not demanded) ends the check as SKIP "series absent".
 */
enum outcome
step_verify_layout(struct scn *s, const char *label, unsigned what)
{
	return (step_judge(s, label, what, VGS_JUDGE_LAYOUT, 0, 0, 0));
}

/*
 * Compare a result with the expected one: got is the return value and
 * err its errno when got is -1.  0, or -1 with the failure recorded.
 */
enum outcome
step_expect_result(struct scn *s, const char *what, long got, int err,
    long want, int want_err)
{
	char	g[64], e[64];

	s->steps++;
	if (got == -1)
		snprintf(g, sizeof g, "-1 (%s)", errname(err));
	else
		snprintf(g, sizeof g, "%ld", got);
	if (want == -1)
		snprintf(e, sizeof e, "-1 (%s)", errname(want_err));
	else
		snprintf(e, sizeof e, "%ld", want);
	step_note(s, "%s -> %s", what, g);
	if (got != want || (got == -1 && err != want_err))
		return (step_fail(s, "step %u: %s: expected %s, got %s",
		    s->steps, what, e, g));
	return (VGS_PASS);
}

/* As step_expect_result() for calls that return 0 or -1 with errno. */
enum outcome
step_expect_errno(struct scn *s, const char *what, int got_err, int want_err)
{
	return (step_expect_result(s, what, got_err ? -1 : 0, got_err,
	    want_err ? -1 : 0, want_err));
}

/*
 * madvise(GUARD_INSTALL or GUARD_REMOVE) over pages, expecting errno
 * want.  The model applies it where the kernel must have: on success,
 * and on ENOMEM (a hole in the range; the mapped parts are done).
 */
enum outcome
step_guard_expect(struct scn *s, size_t first, size_t n, int install,
    int want)
{
	char	what[96];
	int	got;

	snprintf(what, sizeof what, "madvise(%s) on p%zu-%zu",
	    install ? "MADV_GUARD_INSTALL" : "MADV_GUARD_REMOVE", first,
	    first + n - 1);
	got = madvise(arena_page(&s->ar, first), n * vgs_page_size,
	    install ? MADV_GUARD_INSTALL : MADV_GUARD_REMOVE) == 0 ? 0 : errno;
	if (want == 0 || want == ENOMEM)
		model_guard(&s->m, first, n, install);
	return (step_expect_errno(s, what, got, want));
}

/*
 * mremap() pages src..src+oldn-1 to dst, newn pages long (flags as for
 * mremap; without MREMAP_FIXED dst must be src).  The moved pages join
 * merge segment seg.  The kernel must put them exactly at dst.
 */
enum outcome
step_mremap(struct scn *s, size_t src, size_t oldn, size_t dst, size_t newn,
    int flags, unsigned seg)
{
	void	*p;

	if (flags & MREMAP_FIXED)
		p = mremap(arena_page(&s->ar, src), oldn * vgs_page_size,
		    newn * vgs_page_size, flags, arena_page(&s->ar, dst));
	else
		p = mremap(arena_page(&s->ar, src), oldn * vgs_page_size,
		    newn * vgs_page_size, flags);
	if (p == MAP_FAILED)
		return (step_fail(s, "step %u: mremap(p%zu-%zu, %zu pages, "
		    "flags %#x) to p%zu: %s", s->steps, src, src + oldn - 1,
		    newn, (unsigned)flags, dst, strerror(errno)));
	if (p != arena_page(&s->ar, dst))
		return (step_fail(s, "step %u: mremap(p%zu-%zu) moved the "
		    "pages to %p, not to p%zu", s->steps, src, src + oldn - 1,
		    p, dst));
	model_remap(&s->m, src, oldn, dst, newn, seg);
	step_note(s, "mremap p%zu-%zu -> p%zu-%zu -> ok", src, src + oldn - 1,
	    dst, dst + newn - 1);
	return (VGS_PASS);
}

/*
 * AddressSanitizer replaces mlock() and munlock() with no-ops (and says
 * so once on stderr); in such a build only the system call locks.
 */
#if defined(__SANITIZE_ADDRESS__)
#define VGS_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VGS_ASAN	1
#endif
#endif

static int
ops_mlock(int lock, void *addr, size_t len)
{
#ifdef VGS_ASAN
	return ((int)syscall(lock ? SYS_mlock : SYS_munlock, addr, len));
#else
	return (lock ? mlock(addr, len) : munlock(addr, len));
#endif
}

/*
 * mlock() (lock) or munlock() pages, expecting errno want.  mlock over a
 * marker fails with ENOMEM yet locks the VMAs (doc/behaviour.md §4.14).
 */
enum outcome
step_mlock(struct scn *s, size_t first, size_t n, int lock, int want)
{
	char	what[64];
	int	got;

	snprintf(what, sizeof what, "%s(p%zu-%zu)", lock ? "mlock" :
	    "munlock", first, first + n - 1);
	got = ops_mlock(lock, arena_page(&s->ar, first), n * vgs_page_size);
	got = got == 0 ? 0 : errno;
	if (want == 0 || (lock && want == ENOMEM))
		model_flag(&s->m, first, n, VGS_VMF_LO, lock);
	return (step_expect_errno(s, what, got, want));
}

/* mseal(2): glibc before 2.41 has no wrapper. */
int
step_sys_mseal(void *addr, size_t len)
{
#if HAVE_MSEAL
	return (mseal(addr, len, 0));
#else
	return ((int)syscall(VGS_SYS_MSEAL, addr, len, 0UL));
#endif
}

/* mseal() pages, expecting errno want; sealing splits like a flag. */
enum outcome
step_mseal(struct scn *s, size_t first, size_t n, int want)
{
	char	what[64];
	int	got;

	snprintf(what, sizeof what, "mseal(p%zu-%zu)", first, first + n - 1);
	got = step_sys_mseal(arena_page(&s->ar, first), n * vgs_page_size);
	got = got == 0 ? 0 : errno;
	if (want == 0)
		model_flag(&s->m, first, n, VGS_VMF_SL, 1);
	return (step_expect_errno(s, what, got, want));
}

/* fallocate(PUNCH_HOLE) in the backing object under pages. */
enum outcome
step_punch(struct scn *s, size_t first, size_t n)
{
	if (fallocate(s->ar.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    (off_t)(first * vgs_page_size), (off_t)(n * vgs_page_size)) != 0)
		return (step_fail(s, "step %u: fallocate(PUNCH_HOLE) under "
		    "p%zu-%zu: %s", s->steps, first, first + n - 1,
		    strerror(errno)));
	model_punch(&s->m, first, n, 0);
	step_note(s, "fallocate(PUNCH_HOLE) p%zu-%zu -> 0", first,
	    first + n - 1);
	return (VGS_PASS);
}

/* ftruncate() the backing object to 0, then back to the area's size. */
enum outcome
step_truncate(struct scn *s)
{
	if (ftruncate(s->ar.fd, 0) != 0 ||
	    ftruncate(s->ar.fd, (off_t)(s->ar.npages * vgs_page_size)) != 0)
		return (step_fail(s, "step %u: ftruncate to 0 and back: %s",
		    s->steps, strerror(errno)));
	model_punch(&s->m, 0, s->ar.npages, 1);
	step_note(s, "ftruncate to 0 and back to %zu pages -> 0",
	    s->ar.npages);
	return (VGS_PASS);
}

/*
 * Map pages afresh (MAP_FIXED) from fd at page offset first + delta,
 * with flags MAP_SHARED or MAP_PRIVATE, in merge segment seg.
 */
enum outcome
step_map_fd(struct scn *s, size_t first, size_t n, int prot, int flags,
    int fd, long delta, unsigned seg)
{
	void	*p;

	p = mmap(arena_page(&s->ar, first), n * vgs_page_size, prot,
	    flags | MAP_FIXED, fd, (off_t)((long)first + delta) *
	    (off_t)vgs_page_size);
	if (p == MAP_FAILED)
		return (step_hard(s, "mmap p%zu-%zu of fd %d: %s", first,
		    first + n - 1, fd, strerror(errno)));
	model_map(&s->m, first, n, prot, seg);
	step_note(s, "mmap p%zu-%zu of fd %d at page %ld -> ok", first,
	    first + n - 1, fd, (long)first + delta);
	return (VGS_PASS);
}

/* Read every step-th page of the range; the model has them readable. */
enum outcome
step_touch(struct scn *s, size_t first, size_t n, size_t step)
{
	uint64_t	w[VGS_PROBE_WORDS];
	size_t		i;

	for (i = first; i < first + n; i += step) {
		if (probe_read(arena_page(&s->ar, i), w) != 0)
			return (step_fail(s, "step %u: reading page %zu "
			    "faulted, though the model has it readable",
			    s->steps, i));
	}
	step_note(s, "read p%zu-%zu every %zu", first, first + n - 1, step);
	return (VGS_PASS);
}

/*
 * Every page of the range must read tag's pattern as written at page
 * origin + k (or zero): content checks for views the model cannot hold.
 */
enum outcome
step_expect_data(struct scn *s, const char *label, size_t first, size_t n,
    size_t origin, uint32_t tag)
{
	uint64_t	w[VGS_PROBE_WORDS];
	uint32_t	got;
	char		eb[32], gb[32];
	size_t		i;

	s->steps++;
	for (i = 0; i < n; i++) {
		if (probe_read(arena_page(&s->ar, first + i), w) != 0)
			return (step_fail(s, "step %u '%s': page %zu: expected "
			    "a readable page, the read raised a signal",
			    s->steps, label, first + i));
		got = probe_decode(w, origin + i);
		if (got != tag)
			return (step_fail(s, "step %u '%s': page %zu: expected "
			    "%s, read %s", s->steps, label, first + i,
			    judge_data_name(tag, eb, sizeof eb),
			    judge_data_name(got, gb, sizeof gb)));
	}
	step_note(s, "%-34s p%zu-%zu read %s", label, first, first + n - 1,
	    judge_data_name(tag, eb, sizeof eb));
	return (VGS_PASS);
}

/*
 * Write tag's pattern as for pages origin.. into pages first..first+n-1,
 * behind the model's back (views it cannot hold); returns the tag.
 */
uint32_t
step_write_raw(struct scn *s, size_t first, size_t n, size_t origin)
{
	uint64_t	w[VGS_PROBE_WORDS];
	uint32_t	tag = s->next_tag++;
	size_t		i;

	for (i = 0; i < n; i++) {
		probe_words(tag, origin + i, w);
		if (probe_write(arena_page(&s->ar, first + i), w) != 0) {
			step_fail(s, "step %u: writing page %zu faulted",
			    s->steps, first + i);
			return (VGS_DATA_UNKNOWN);
		}
	}
	step_note(s, "write pattern %u to p%zu-%zu", tag, first, first + n - 1);
	return (tag);
}

/* A write to every page of the range must raise a signal. */
enum outcome
step_expect_write_fault(struct scn *s, size_t first, size_t n)
{
	uint64_t	w[VGS_PROBE_WORDS];
	size_t		i;

	for (i = first; i < first + n; i++) {
		probe_words(VGS_DATA_OTHER - 1, i, w);
		if (probe_write(arena_page(&s->ar, i), w) == 0)
			return (step_fail(s, "step %u: page %zu: a write "
			    "succeeded where it must fault", s->steps, i));
	}
	step_note(s, "writes to p%zu-%zu fault", first, first + n - 1);
	return (VGS_PASS);
}

/* 's' for a shared backing, 'p' for a private one: perms in notation. */
char
step_share_char(const struct scn *s)
{
	return (backing_shared(s->backing) ? 's' : 'p');
}
