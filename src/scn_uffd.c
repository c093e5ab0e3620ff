/*
 * scn_uffd.c: userfaultfd over guarded pages (doc/behaviour.md §4.17, the
 * kselftest's uffd).  Registering a range that holds markers works and
 * the markers still raise SIGSEGV rather than a userfault; UFFDIO_ZEROPAGE
 * onto a marker is EEXIST.  UFFDIO_COPY onto a marker is only observed:
 * on 6.18 it silently replaces the marker, which doc/behaviour.md records but
 * does not (yet) call right or wrong, so it is reported with --verbose
 * and the marker is put back.
 *
 * A read of a page the range has no page for would block on the uffd
 * forever (nobody serves it), so every page but the markers is written
 * before registering, markers are checked before any probe, and all of
 * it runs in a child under the fork deadline.
 *
 *   [dGdG] (gu+um)   registered MISSING; p1, p3 markers
 */
#include "vgs.h"
#include "observe.h"
#include "probe.h"
#include "step.h"

#include <sys/ioctl.h>

#include <linux/userfaultfd.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BIT(b)	VGS_BACKING_BIT(VGS_BACKING_##b)

/*
 * A userfaultfd, by the ways an unprivileged user may have one: the
 * plain call (vm.unprivileged_userfaultfd=1 or privileged), user-mode
 * faults only (all this needs), or /dev/userfaultfd.  -1 with why.
 */
static int
uffd_open(char *why, size_t size)
{
	int	fd, dev, e1, e2, e3;

	fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd != -1)
		return (fd);
	e1 = errno;
	fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK |
	    UFFD_USER_MODE_ONLY);
	if (fd != -1)
		return (fd);
	e2 = errno;
	if ((dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC)) != -1) {
		fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC | O_NONBLOCK);
		e3 = errno;
		close(dev);
		if (fd != -1)
			return (fd);
	} else
		e3 = errno;
	snprintf(why, size, "userfaultfd unavailable to this user: "
	    "userfaultfd() %s, UFFD_USER_MODE_ONLY %s, /dev/userfaultfd %s",
	    vgs_errno_name(e1), vgs_errno_name(e2), vgs_errno_name(e3));
	return (-1);
}

static int
uffd_ioctl(int fd, unsigned long req, void *arg)
{
	return (ioctl(fd, req, arg) == 0 ? 0 : errno);
}

/* Observe p1 without probing it: is its marker still there? */
static char
mark_of(struct scn *s, size_t pg)
{
	char	err[VGS_MSG_MAX];

	if (observe_area(&s->ar, VGS_HAVE_MARKS, &s->obs, err,
	    sizeof err) != 0)
		return ('?');
	return (s->obs.marks[pg]);
}

static enum outcome
uffd_steps(struct scn *s, int fd)
{
	struct uffdio_api	 api;
	struct uffdio_register	 reg;
	struct uffdio_zeropage	 zp;
	struct uffdio_copy	 cp;
	struct uffdio_range	 r;
	uint64_t		 w[VGS_PROBE_WORDS];
	char			*src;
	size_t			 ps = vgs_page_size;
	int			 got, k;

	memset(&api, 0, sizeof api);
	api.api = UFFD_API;
	TRY(step_expect_errno(s, "UFFDIO_API", uffd_ioctl(fd, UFFDIO_API,
	    &api), 0));
	memset(&reg, 0, sizeof reg);
	reg.range.start = (uintptr_t)arena_page(&s->ar, 0);
	reg.range.len = 4 * ps;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	TRY(step_expect_errno(s, "UFFDIO_REGISTER MISSING over p0-3",
	    uffd_ioctl(fd, UFFDIO_REGISTER, &reg), 0));
	TRY(step_verify(s, "registered: markers first", VGS_SEE_NO_ACCESS));
	TRY(step_verify(s, "registered: markers still fault", VGS_SEE_ALL));

	memset(&zp, 0, sizeof zp);
	zp.range.start = (uintptr_t)arena_page(&s->ar, 3);
	zp.range.len = ps;
	got = uffd_ioctl(fd, UFFDIO_ZEROPAGE, &zp);
	TRY(step_expect_errno(s, "UFFDIO_ZEROPAGE onto the marker in p3",
	    got, EEXIST));
	TRY(step_verify(s, "after ZEROPAGE: markers first", VGS_SEE_NO_ACCESS));
	TRY(step_verify(s, "after ZEROPAGE", VGS_SEE_ALL));

	/* Observation only: see the file comment. */
	if (posix_memalign((void **)&src, ps, ps) != 0)
		return (step_hard(s, "posix_memalign: %s", strerror(ENOMEM)));
	memset(src, 0, ps);
	probe_words(s->next_tag++, 1, w);
	for (k = 0; k < VGS_PROBE_WORDS; k++)
		memcpy(src + probe_word_offset(k), &w[k], sizeof w[k]);
	memset(&cp, 0, sizeof cp);
	cp.dst = (uintptr_t)arena_page(&s->ar, 1);
	cp.src = (uintptr_t)src;
	cp.len = ps;
	got = uffd_ioctl(fd, UFFDIO_COPY, &cp);
	step_note(s, "observed: UFFDIO_COPY onto the marker in p1 -> %s, "
	    "copy=%lld; the marker is %s", got ? vgs_errno_name(got) : "0",
	    (long long)cp.copy, mark_of(s, 1) == 'G' ? "still there" :
	    "gone (replaced by the copied page)");
	free(src);
	TRY(step_install(s, 1, 1));
	TRY(step_verify(s, "marker in p1 put back", VGS_SEE_ALL));

	r.start = reg.range.start;
	r.len = reg.range.len;
	TRY(step_expect_errno(s, "UFFDIO_UNREGISTER", uffd_ioctl(fd,
	    UFFDIO_UNREGISTER, &r), 0));
	return (0);
}

static enum outcome
uffd_child(struct scn *s)
{
	char	why[VGS_MSG_MAX];
	int	fd, rc;

	if ((fd = uffd_open(why, sizeof why)) == -1)
		return (step_hard(s, "%s", why));
	rc = uffd_steps(s, fd);
	close(fd);
	if (rc != 0)
		return (VGS_FAIL);
	TRY(step_verify(s, "unregistered, closed", VGS_SEE_ALL));
	return (VGS_PASS);
}

/*
 *   [dGdG] (gu)  written, guards p1 and p3; in a child: register
 *   MISSING, probe, ZEROPAGE p3 (EEXIST), COPY p1 (observed), unregister
 */
static enum outcome
run_uffd(struct scn *s)
{
	char	why[VGS_MSG_MAX];
	int	fd;

	if ((fd = uffd_open(why, sizeof why)) == -1)
		return (step_skip(s, "%s", why));
	close(fd);
	TRY(step_write(s, 0, 4));
	TRY(step_install(s, 1, 1));
	TRY(step_install(s, 3, 1));
	TRY(step_verify(s, "written, guards p1,p3", VGS_SEE_ALL));
	TRY(step_fork(s, uffd_child, "userfaultfd"));
	TRY(step_verify(s, "parent (the uffd was the child's)", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_uffd = {
	.name = "uffd",
	.claim = "userfaultfd over markers: they still SIGSEGV, ZEROPAGE is "
	    "EEXIST; COPY observed",
	.rule = "4.17",
	.backings = BIT(ANON) | BIT(SHMEM),
	.na_reason = "MISSING registration needs anonymous or shmem memory",
	.npages = 4,
	.run = run_uffd,
};
