/*
 * shim-hang.c: kernels that never answer, for the tool's own failure
 * modes (tests/FAULTS, "Hangs").  A hang must end in a verdict, never
 * in a run that outlives its CI job:
 *   fork-hang       every forked child blocks for ever at once, before
 *                   it runs a line of the tool (a kernel on which every
 *                   fork hangs)
 *   install-hang    MADV_GUARD_INSTALL in the tool's own process never
 *                   returns (blocks in pause(), which signals interrupt)
 *   install-dstate  MADV_GUARD_INSTALL in the tool's own process first
 *                   sleeps uninterruptibly (state D) for VGS_FAULT_SECS
 *                   seconds (default 12), then does its work
 * VGS_FAULT_SKIP and VGS_FAULT_COUNT apply as to every fault; each
 * blocked process logs "hang pid=N" to VGS_FAULT_LOG.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/types.h>

#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

/* Block this process for ever; signal handlers still run. */
void
shim_hang_here(void)
{
	shim_log("hang pid=%d", (int)getpid());
	for (;;)
		pause();
}

/*
 * A vfork()ed child shares our memory and we wait for it in
 * uninterruptible sleep (killable only): the child sleeps, then goes.
 * It may only call system calls directly: no libc state is its own.
 */
static void
sleep_uninterruptibly(unsigned secs)
{
	struct timespec	ts = { (time_t)secs, 0 };
	pid_t		pid;

	shim_log("hang pid=%d (state D for %u s)", (int)getpid(), secs);
	pid = vfork();
	if (pid == 0) {
		syscall(SYS_nanosleep, &ts, NULL);
		syscall(SYS_exit, 0);
	}
}

/*
 * Called by the madvise() wrapper before a MADV_GUARD_INSTALL in the
 * tool's own process (child 0) or in a forked child (1).
 */
void
shim_hang_install(int child)
{
	const char	*s;

	if (child)
		return;
	if (shim_fault_on("install-hang") && shim_fault_now())
		shim_hang_here();
	if (shim_fault_on("install-dstate") && shim_fault_now()) {
		s = getenv("VGS_FAULT_SECS");
		sleep_uninterruptibly(s != NULL ? (unsigned)atoi(s) : 12);
	}
}
