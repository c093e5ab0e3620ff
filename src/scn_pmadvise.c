/*
 * scn_pmadvise.c: guard regions through process_madvise() (doc/behaviour.md
 * §4.15): a batch of iovecs over several VMAs in one call, addressed by a
 * pidfd of the caller or by PIDFD_SELF_THREAD/_GROUP (6.15), returning
 * the number of bytes advised.  Another process may only be given the
 * non-destructive hints: INSTALL there is EINVAL, before any permission
 * check, so it is EINVAL unprivileged too.
 *
 * Layout of the self scenarios, three VMAs and six iovecs at their ends:
 *
 *   p0    p4    p7 p9   p12  p15
 *   [G...G]  [G.G]   [G..G]        (gu) x3
 */
#include "vgs.h"
#include "child.h"
#include "step.h"

#include <sys/pidfd.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALL	VGS_BACKING_ALL
#define NIOV	6

static const size_t	ends[NIOV] = { 0, 4, 7, 9, 12, 15 };

static void
layout(struct scn *s, struct iovec *iov)
{
	int	i;

	for (i = 0; i < NIOV; i++) {
		iov[i].iov_base = arena_page(&s->ar, ends[i]);
		iov[i].iov_len = vgs_page_size;
	}
}

static enum outcome
batch(struct scn *s, int pidfd, const char *who, int advice)
{
	struct iovec	iov[NIOV];
	char		what[128];
	ssize_t		r;
	int		i;

	layout(s, iov);
	snprintf(what, sizeof what, "process_madvise(%s, 6 iovecs, %s)", who,
	    advice == MADV_GUARD_INSTALL ? "INSTALL" : "REMOVE");
	r = process_madvise(pidfd, iov, NIOV, advice, 0);
	for (i = 0; i < NIOV; i++)
		model_guard(&s->m, ends[i], 1, advice == MADV_GUARD_INSTALL);
	return (step_expect_result(s, what, (long)r, errno,
	    (long)(NIOV * vgs_page_size), 0));
}

static enum outcome
three_vmas(struct scn *s)
{
	TRY(step_unmap(s, 5, 2));
	TRY(step_unmap(s, 10, 2));
	TRY(step_write(s, 0, 5));
	return (0);
}

/*
 *   [G...G]  [G.G]   [G..G]  (gu) x3   one call with a pidfd of this
 *   [.....]  [...]   [....]  (gu) x3   very process, and one to undo it
 */
static enum outcome
run_pmadvise_pidfd(struct scn *s)
{
	int	pidfd, rc = VGS_FAIL;

	if ((pidfd = pidfd_open(getpid(), 0)) == -1)
		return (step_skip(s, "pidfd_open: %s", strerror(errno)));
	if (three_vmas(s) != 0 ||
	    batch(s, pidfd, "pidfd of self", MADV_GUARD_INSTALL) != 0 ||
	    step_verify(s, "six guards in one call", VGS_SEE_ALL) != 0 ||
	    batch(s, pidfd, "pidfd of self", MADV_GUARD_REMOVE) != 0 ||
	    step_verify(s, "removed in one call", VGS_SEE_ALL) != 0)
		goto out;
	rc = VGS_PASS;
out:
	close(pidfd);
	return (rc);
}

const struct scenario scen_pmadvise_pidfd = {
	.name = "pmadvise-pidfd",
	.claim = "process_madvise with a pidfd of self guards six pages over "
	    "three VMAs in one call",
	.rule = "4.15",
	.backings = ALL,
	.npages = 16,
	.run = run_pmadvise_pidfd,
};

/*
 *   [G...G]  [G.G]   [G..G]  (gu) x3   PIDFD_SELF_THREAD_GROUP installs,
 *   [.....]  [...]   [....]  (gu) x3   PIDFD_SELF_THREAD removes
 */
static enum outcome
run_pmadvise_self(struct scn *s)
{
	struct iovec	iov[1];

	iov[0].iov_base = arena_page(&s->ar, 0);
	iov[0].iov_len = vgs_page_size;
	/*
	 * 6.16.12 takes PIDFD_SELF_THREAD here but answers EBADF for
	 * PIDFD_SELF_THREAD_GROUP: probe both with a harmless hint.
	 */
	if (process_madvise(VGS_PIDFD_SELF_THREAD, iov, 1, MADV_COLD, 0) ==
	    -1 && errno == EBADF)
		return (step_skip(s, "process_madvise() does not take "
		    "PIDFD_SELF_THREAD (EBADF)"));
	if (process_madvise(VGS_PIDFD_SELF_THREAD_GROUP, iov, 1, MADV_COLD,
	    0) == -1 && errno == EBADF)
		return (step_skip(s, "process_madvise() does not take "
		    "PIDFD_SELF_THREAD_GROUP (EBADF)"));
	TRY(three_vmas(s));
	TRY(batch(s, VGS_PIDFD_SELF_THREAD_GROUP, "PIDFD_SELF_THREAD_GROUP",
	    MADV_GUARD_INSTALL));
	TRY(step_verify(s, "six guards in one call", VGS_SEE_ALL));
	TRY(batch(s, VGS_PIDFD_SELF_THREAD, "PIDFD_SELF_THREAD",
	    MADV_GUARD_REMOVE));
	TRY(step_verify(s, "removed in one call", VGS_SEE_ALL));
	return (VGS_PASS);
}

const struct scenario scen_pmadvise_self = {
	.name = "pmadvise-self",
	.claim = "process_madvise with PIDFD_SELF_THREAD_GROUP and _THREAD: "
	    "batched INSTALL and REMOVE",
	.rule = "4.15",
	.backings = ALL,
	.npages = 16,
	.run = run_pmadvise_self,
};

/* CAP_SYS_NICE in the effective set: remote hints need it. */
static int
has_sys_nice(void)
{
	FILE			*f;
	char			 line[256];
	unsigned long long	 caps = 0;

	if ((f = fopen("/proc/self/status", "re")) == NULL)
		return (0);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "CapEff:", 7) == 0)
			caps = strtoull(line + 7, NULL, 16);
	}
	fclose(f);
	return ((caps >> 23) & 1);
}

/* The target child: it waits until the parent closes the pipe. */
static int
waiter_main(void *arg)
{
	int	*p = arg;
	char	 c;

	close(p[1]);
	while (read(p[0], &c, 1) == -1 && errno == EINTR)
		;
	return (VGS_PASS);
}

/*
 *   parent [dGdd] (gu), child inherits it and waits
 *   process_madvise(child, INSTALL p2): EINVAL, whatever the privilege;
 *   process_madvise(child, COLD p2): 1 page with CAP_SYS_NICE, else EPERM;
 *   the parent's own area is untouched.
 *
 * The target lives while the parent works, so it is started and waited
 * for apart (child_start, child_wait): it has a deadline like any child,
 * and a stop request ends the wait at once.
 */
static enum outcome
run_pmadvise_remote(struct scn *s)
{
	struct child		 ch;
	struct child_result	 res;
	struct iovec		 iov;
	ssize_t			 r;
	int			 pidfd = -1, p[2], rc = VGS_FAIL, nice;

	TRY(step_write(s, 0, 4));
	TRY(step_install(s, 1, 1));
	if (pipe2(p, O_CLOEXEC) == -1)
		return (step_hard(s, "pipe: %s", strerror(errno)));
	if (child_start(waiter_main, p, 0, &ch) != 0) {
		rc = step_hard(s, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return (rc);
	}
	close(p[0]);
	if ((pidfd = pidfd_open(ch.pid, 0)) == -1) {
		rc = step_skip(s, "pidfd_open: %s", strerror(errno));
		goto out;
	}
	iov.iov_base = arena_page(&s->ar, 2);
	iov.iov_len = vgs_page_size;
	r = process_madvise(pidfd, &iov, 1, MADV_GUARD_INSTALL, 0);
	if (step_expect_result(s, "process_madvise(child, INSTALL p2)", (long)r,
	    errno, -1, EINVAL) != 0)
		goto out;
	nice = has_sys_nice();
	r = process_madvise(pidfd, &iov, 1, MADV_COLD, 0);
	if (step_expect_result(s, nice ? "process_madvise(child, COLD p2), "
	    "CAP_SYS_NICE" : "process_madvise(child, COLD p2), no "
	    "CAP_SYS_NICE", (long)r, errno, nice ? (long)vgs_page_size : -1,
	    nice ? 0 : EPERM) != 0)
		goto out;
	if (step_verify(s, "parent after the remote calls", VGS_SEE_ALL) != 0)
		goto out;
	rc = VGS_PASS;
out:
	if (pidfd != -1)
		close(pidfd);
	close(p[1]);
	child_wait(&ch, &res);
	if (rc == VGS_PASS && res.timed_out)
		rc = step_fail(s, "step %u: the target child missed its %u ms "
		    "deadline: killed", s->steps, res.deadline_ms);
	else if (rc == VGS_PASS && vgs_stop)
		rc = step_fail(s, "interrupted by SIG%s: the target child "
		    "killed", vgs_signal_name(vgs_stop));
	else if (rc == VGS_PASS && res.status != VGS_PASS)
		rc = step_fail(s, "step %u: the target child %s %d",
		    s->steps, res.signo ? "was killed by signal" :
		    "exited with status", res.signo ? res.signo : res.status);
	return (rc);
}

const struct scenario scen_pmadvise_remote = {
	.name = "pmadvise-remote",
	.claim = "process_madvise INSTALL on another process is EINVAL; COLD "
	    "needs CAP_SYS_NICE",
	.rule = "4.15",
	.backings = ALL,
	.npages = 4,
	.run = run_pmadvise_remote,
};
