/*
 * scn_errors.c: argument errors, refused VMAs and the system calls that
 * touch a guard page on the caller's behalf (doc/behaviour.md §4.14).  Every
 * refusal must leave the area exactly as it was, and every partial
 * success (a hole in the range) must have done the mapped parts.
 *
 * Drawings: one character per page; G a guard marker, | a VMA boundary,
 * ' ' a hole; (gu) marks VMAs that must show gu, (lo) locked ones.
 */
#include "vgs.h"
#include "probe.h"
#include "step.h"

#include <sys/resource.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RW	(PROT_READ | PROT_WRITE)
#define ALL	VGS_BACKING_ALL
#define ANON	VGS_BACKING_BIT(VGS_BACKING_ANON)

static int
rc_of(int r)
{
	return (r == 0 ? 0 : errno);
}

/*
 *   madvise(p0 + 1 byte)   EINVAL, nothing changes
 *   len 0                  0, nothing changes (not even gu)
 *   len one page + 1       0: [GG..] (gu), the length rounds up
 *   REMOVE, len page + 1   0: [....] (gu)
 */
static enum outcome
run_errors_args(struct scn *s)
{
	char	*p = arena_page(&s->ar, 0);

	TRY(step_write(s, 0, 4));
	TRY(step_expect_errno(s, "INSTALL at p0 + 1 byte",
	    rc_of(madvise(p + 1, vgs_page_size, MADV_GUARD_INSTALL)), EINVAL));
	TRY(step_expect_errno(s, "INSTALL with length 0",
	    rc_of(madvise(p, 0, MADV_GUARD_INSTALL)), 0));
	TRY(step_verify(s, "after the two no-ops", VGS_SEE_ALL));
	TRY(step_expect_errno(s, "INSTALL with length page+1",
	    rc_of(madvise(p, vgs_page_size + 1, MADV_GUARD_INSTALL)), 0));
	model_guard(&s->m, 0, 2, 1);
	TRY(step_verify(s, "length page+1 guards p0-1", VGS_SEE_ALL));
	TRY(step_expect_errno(s, "REMOVE with length page+1",
	    rc_of(madvise(p, vgs_page_size + 1, MADV_GUARD_REMOVE)), 0));
	model_guard(&s->m, 0, 2, 0);
	TRY(step_verify(s, "removed from p0-1", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_errors_args = {
	.name = "errors-args",
	.claim = "unaligned start EINVAL, length 0 a no-op, length page+1 "
	    "covers two pages",
	.rule = "4.14",
	.backings = ALL,
	.npages = 4,
	.run = run_errors_args,
};

/*
 *   [dd d]        p2 unmapped
 *   [GG|G] (gu)   INSTALL over p0-3: ENOMEM, yet the mapped pages are done
 *   [dd|d] (gu)   REMOVE over p0-3: ENOMEM, markers gone
 */
static enum outcome
run_errors_hole(struct scn *s)
{
	TRY(step_write(s, 0, 4));
	TRY(step_unmap(s, 2, 1));
	TRY(step_guard_expect(s, 0, 4, 1, ENOMEM));
	TRY(step_verify(s, "INSTALL over a hole", VGS_SEE_ALL));
	TRY(step_guard_expect(s, 0, 4, 0, ENOMEM));
	TRY(step_verify(s, "REMOVE over a hole", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_errors_hole = {
	.name = "errors-hole",
	.claim = "a range with a hole: ENOMEM, but the mapped pages are "
	    "guarded (and unguarded)",
	.rule = "4.14",
	.backings = ALL,
	.npages = 4,
	.run = run_errors_hole,
};

/*
 *   [dddddddddd] (lo)        INSTALL: EINVAL, nothing changes
 *   [GGGGGddddd] (gu)        unlocked, INSTALL p0-4
 *   [GGGGG|ddddd] (gu|gu+lo) mlock p5-9; REMOVE all is allowed
 *   [dGddd|ddddd]            guard p1, then mlock all: ENOMEM (the
 *   [dGddddddddd] (gu+lo)    marker cannot be faulted in), yet locked
 *   REMOVE on the locked VMA, munlock: [dddddddddd] (gu)
 */
static enum outcome
run_errors_mlock(struct scn *s)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && geteuid() != 0 &&
	    rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < 10 * vgs_page_size)
		return (step_skip(s, "RLIMIT_MEMLOCK (%llu bytes) is below "
		    "the 10 pages this needs locked",
		    (unsigned long long)rl.rlim_cur));
	TRY(step_write(s, 0, 10));
	TRY(step_mlock(s, 0, 10, 1, 0));
	TRY(step_guard_expect(s, 0, 10, 1, EINVAL));
	TRY(step_verify(s, "INSTALL on a locked VMA refused", VGS_SEE_ALL));
	TRY(step_mlock(s, 0, 10, 0, 0));
	TRY(step_install(s, 0, 5));
	TRY(step_mlock(s, 5, 5, 1, 0));
	TRY(step_verify(s, "guards p0-4, p5-9 locked", VGS_SEE_ALL));
	TRY(step_remove(s, 0, 10));
	TRY(step_verify(s, "REMOVE over the locked half", VGS_SEE_ALL));
	TRY(step_install(s, 1, 1));
	TRY(step_mlock(s, 0, 10, 1, ENOMEM));
	TRY(step_verify(s, "mlock over a marker: locked", VGS_SEE_ALL));
	TRY(step_remove(s, 0, 10));
	TRY(step_mlock(s, 0, 10, 0, 0));
	TRY(step_verify(s, "REMOVE while locked, unlocked", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_errors_mlock = {
	.name = "errors-mlock",
	.claim = "locked VMAs refuse INSTALL, allow REMOVE; mlock over a "
	    "marker is ENOMEM but locks",
	.rule = "4.14",
	.backings = ALL,
	.npages = 10,
	.run = run_errors_mlock,
};

/*
 *   [vvar][vvar_vclock][vdso]   special mappings of every process, not
 *                               the area: INSTALL on each is EINVAL
 * ([vvar_vclock] where the kernel has it).  Backing-independent: runs
 * once.
 */
static enum outcome
run_errors_special(struct scn *s)
{
	FILE		*f;
	char		 line[512], what[96], *name;
	unsigned long	 lo, hi;
	int		 found = 0;

	if ((f = fopen("/proc/self/maps", "re")) == NULL)
		return (step_hard(s, "open /proc/self/maps: %s",
		    strerror(errno)));
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((name = strrchr(line, ' ')) == NULL ||
		    (strcmp(name + 1, "[vdso]") != 0 &&
		    strncmp(name + 1, "[vvar", 5) != 0))
			continue;
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		found++;
		snprintf(what, sizeof what, "INSTALL on %s", name + 1);
		if (step_expect_errno(s, what, rc_of(madvise((void *)lo,
		    vgs_page_size, MADV_GUARD_INSTALL)), EINVAL) != 0) {
			fclose(f);
			return (VGS_FAIL);
		}
	}
	fclose(f);
	if (found == 0)
		return (step_skip(s, "no [vdso] or [vvar] mapping"));
	return (VGS_PASS);
}

const struct scenario scen_errors_special = {
	.name = "errors-special",
	.claim = "[vdso] and [vvar] refuse INSTALL with EINVAL",
	.rule = "4.14",
	.backings = ANON,
	.na_reason = "backing-independent: [vdso] and [vvar] are checked "
	    "once, under anon",
	.npages = 1,
	.run = run_errors_special,
};

static enum outcome
sealed_child(struct scn *s)
{
	int	anon = s->backing == VGS_BACKING_ANON;

	TRY(step_mseal(s, 0, 2, 0));
	TRY(step_verify(s, "p0-1 sealed", VGS_SEE_ALL));
	TRY(step_guard_expect(s, 0, 2, 1, anon ? EPERM : 0));
	TRY(step_verify(s, "INSTALL on the sealed read-only VMA", VGS_SEE_ALL));
	return (VGS_PASS);
}

/*
 *   [ddd|G] (gu) read-only; mseal p0-1 -> [dd|d|G] (gu+sl|gu)
 *   INSTALL on p0-1: EPERM on anon (it would discard data sealing
 *   protects); shared and file pages can be read again, so 0 there.
 * Sealing cannot be undone: this runs in a child.
 */
static enum outcome
run_errors_sealed(struct scn *s)
{
	if (step_sys_mseal(arena_page(&s->ar, 0), 0) != 0)
		return (step_skip(s, "no mseal(2) (Linux 6.10): %s",
		    vgs_errno_name(errno)));
	TRY(step_write(s, 0, 4));
	TRY(step_install(s, 3, 1));
	TRY(step_protect(s, 0, 4, PROT_READ));
	TRY(step_verify(s, "read-only, guard p3", VGS_SEE_ALL));
	TRY(step_fork(s, sealed_child, "mseal"));
	return (VGS_PASS);
}

const struct scenario scen_errors_sealed = {
	.name = "errors-sealed",
	.claim = "a sealed read-only anon VMA refuses INSTALL (EPERM); shared "
	    "and file ones take it",
	.rule = "4.14",
	.backings = ALL,
	.npages = 4,
	.run = run_errors_sealed,
};

/*
 *   [dddd] ---  PROT_NONE; INSTALL p0 -> 0: [G...] (gu)
 *   read-only:  [Gddd] r (gu)   the marker faults, the rest reads
 *   read-write: data intact
 */
static enum outcome
run_errors_protnone(struct scn *s)
{
	TRY(step_write(s, 0, 4));
	TRY(step_protect(s, 0, 4, PROT_NONE));
	TRY(step_install(s, 0, 1));
	TRY(step_verify(s, "PROT_NONE, guard p0", VGS_SEE_ALL));
	TRY(step_protect(s, 0, 4, PROT_READ));
	TRY(step_verify(s, "read-only", VGS_SEE_ALL));
	TRY(step_protect(s, 0, 4, RW));
	TRY(step_verify(s, "read-write", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_errors_protnone = {
	.name = "errors-protnone",
	.claim = "PROT_NONE takes INSTALL; the marker still faults once "
	    "readable again",
	.rule = "4.14",
	.backings = ALL,
	.npages = 4,
	.run = run_errors_protnone,
};

static enum outcome
data_is(struct scn *s, const char *what, const char *buf, size_t pg)
{
	uint64_t	w[VGS_PROBE_WORDS];
	char		eb[32], gb[32];
	uint32_t	got;
	int		k;

	for (k = 0; k < VGS_PROBE_WORDS; k++)
		memcpy(&w[k], buf + probe_word_offset(k), sizeof w[k]);
	got = probe_decode(w, pg);
	if (got != s->m.pg[pg].data)
		return (step_fail(s, "step %u: %s: expected %s, read %s",
		    s->steps, what, judge_data_name(s->m.pg[pg].data, eb,
		    sizeof eb), judge_data_name(got, gb, sizeof gb)));
	return (0);
}

/*
 *   [dGdd] (gu): system calls reading or writing p1 for us fail like a
 *   user access would: read() into it EFAULT, /proc/self/mem EIO both
 *   ways, process_vm_readv() EFAULT; the same calls on p0/p2 work.
 */
static enum outcome
run_errors_access(struct scn *s)
{
	struct iovec	 lv, rv;
	char		*buf, *p1 = arena_page(&s->ar, 1);
	size_t		 ps = vgs_page_size;
	ssize_t		 r;
	int		 zfd, mfd, rc = VGS_FAIL;

	TRY(step_write(s, 0, 4));
	TRY(step_install(s, 1, 1));
	/* Defined bytes, even for the write that must fail. */
	buf = xcalloc(1, ps);
	zfd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	mfd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	if (zfd == -1 || mfd == -1) {
		rc = step_skip(s, "cannot open %s: %s", zfd == -1 ?
		    "/dev/zero" : "/proc/self/mem", strerror(errno));
		goto out;
	}
	r = read(zfd, p1, ps);
	if (step_expect_result(s, "read(/dev/zero) into p1", r, errno, -1,
	    EFAULT) != 0)
		goto out;
	r = read(zfd, arena_page(&s->ar, 2), ps);
	if (step_expect_result(s, "read(/dev/zero) into p2", r, errno,
	    (long)ps, 0) != 0)
		goto out;
	model_write(&s->m, 2, 1, VGS_DATA_ZERO);
	r = pread(mfd, buf, ps, (off_t)(uintptr_t)p1);
	if (step_expect_result(s, "pread(/proc/self/mem) of p1", r, errno, -1,
	    EIO) != 0)
		goto out;
	r = pwrite(mfd, buf, ps, (off_t)(uintptr_t)p1);
	if (step_expect_result(s, "pwrite(/proc/self/mem) to p1", r, errno,
	    -1, EIO) != 0)
		goto out;
	r = pread(mfd, buf, ps, (off_t)(uintptr_t)arena_page(&s->ar, 0));
	if (step_expect_result(s, "pread(/proc/self/mem) of p0", r, errno,
	    (long)ps, 0) != 0 || data_is(s, "p0 via /proc/self/mem", buf,
	    0) != 0)
		goto out;
	lv.iov_base = buf;
	lv.iov_len = ps;
	rv.iov_base = p1;
	rv.iov_len = ps;
	r = process_vm_readv(getpid(), &lv, 1, &rv, 1, 0);
	if (step_expect_result(s, "process_vm_readv(p1)", r, errno, -1,
	    EFAULT) != 0)
		goto out;
	rv.iov_base = arena_page(&s->ar, 3);
	r = process_vm_readv(getpid(), &lv, 1, &rv, 1, 0);
	if (step_expect_result(s, "process_vm_readv(p3)", r, errno, (long)ps,
	    0) != 0 || data_is(s, "p3 via process_vm_readv", buf, 3) != 0)
		goto out;
	if (step_verify(s, "after the calls", VGS_SEE_ALL) != 0)
		goto out;
	rc = VGS_PASS;
out:
	if (zfd != -1)
		close(zfd);
	if (mfd != -1)
		close(mfd);
	free(buf);
	return (rc);
}

const struct scenario scen_errors_access = {
	.name = "errors-access",
	.claim = "read(), /proc/self/mem and process_vm_readv on a guard "
	    "page: EFAULT, EIO, EFAULT",
	.rule = "4.14",
	.backings = ALL,
	.npages = 4,
	.run = run_errors_access,
};
