/*
 * watchdog.c: a deadline for the work a check does in the tool's own
 * process.  Children have deadlines of their own (child.c), but a
 * kernel call that never returns in the parent would hang the run: a
 * CI gate must end, and say why.
 *
 * A thread of its own, with every signal blocked, watches the main
 * thread while a check runs under watchdog_call().  Once the check has
 * spent longer than the deadline in the parent (counted from its start,
 * or from the last child it waited for: child_wait() pauses the watch,
 * its own deadline applies there), the thread looks at the main
 * thread's state in /proc/self/task/TID/stat:
 *
 *   S  asleep in a system call or a fault: it is sent SIGALRM, whose
 *      handler jumps back to watchdog_call(); the check fails and the
 *      run goes on;
 *   D  uninterruptible sleep: no signal reaches it until the kernel
 *      lets go.  The thread says so on stderr, once, as soon as half
 *      the deadline has passed, and the caller's own timeout (the CI
 *      job's) must end the run if the kernel never does;
 *   R  running in user space (a loop of the tool's own): it gets as
 *      long again before the jump, as a last resort.
 *
 * A check that returns after its deadline passed fails as well.  A stop
 * request (SIGINT, SIGTERM) wakes the thread at once, so a check blocked
 * in the kernel ends within a tick, as an interrupted check (SKIP).
 * Between checks the thread sleeps until poked; during one it ticks ten
 * times a second and reads /proc only past half the deadline, so it
 * costs a check nothing it could notice.
 *
 * The jump abandons the check where it was: the caller frees what the
 * check owns and child_abandon_all() ends the children it had started;
 * what the check had allocated on the way is lost, which is acceptable
 * for a run that found a kernel call that never returns.  The thread
 * makes only system calls (no stdio, no malloc), so fork() in the main
 * thread is as safe as without it.
 */
#include "vgs.h"
#include "watchdog.h"

#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WATCH_TICK_MS	100
#define STOP_GRACE_NS	1000000000ULL	/* for a busy check to stop */

static int			 started;
static pthread_t		 thread;
static atomic_int		 quit;
static atomic_int		 watching;	/* a check is running */
static pid_t			 owner, main_tid;
static int			 wake[2] = { -1, -1 };
static uint64_t			 limit_ns;
static sigjmp_buf		 jb;
static volatile sig_atomic_t	 may_jump;
static volatile sig_atomic_t	 fired;		/* 1 deadline, 2 a stop */
static atomic_uint_fast64_t	 until_ns;	/* 0: not watching */
static atomic_uint_fast64_t	 seg_ns;	/* the segment's start */
static const char *volatile	 watch_name;
static char			 fire_wchan[64];
static unsigned			 depth;		/* child waits going on */

/* The main thread's state letter (R, S, D...) and where it sleeps. */
static char
task_state(char *wchan, size_t wsz)
{
	char	path[64], buf[512], *p;
	ssize_t	n;
	int	fd;

	snprintf(path, sizeof path, "/proc/self/task/%d/wchan", (int)main_tid);
	wchan[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		if ((n = read(fd, wchan, wsz - 1)) > 0)
			wchan[n] = '\0';
		close(fd);
		if (strcmp(wchan, "0") == 0)
			wchan[0] = '\0';	/* hidden, or not asleep */
	}
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)main_tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return ('?');
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return ('?');
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' || p[2] == '\0')
		return ('?');
	return (p[2]);
}

/* One line on stderr from the thread: write(2), no stdio. */
static void
say_stuck(uint64_t ns, const char *wchan)
{
	char	line[VGS_MSG_MAX];
	int	n;

	n = snprintf(line, sizeof line, "%s: %s: stuck in the kernel for "
	    "%.1f s in uninterruptible sleep (state D%s%s): no signal can "
	    "end it; the run waits for the kernel, or for the caller's "
	    "timeout\n", vgs_progname, watch_name ? watch_name : "check",
	    ns / 1e9, wchan[0] != '\0' ? ", in " : "", wchan);
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

static void *
watch_main(void *arg)
{
	struct pollfd	pfd;
	uint64_t	u, now, seg, stop_since = 0;
	char		c, st, wchan[64];
	int		said = 0;

	(void)arg;
	pfd.fd = wake[0];
	pfd.events = POLLIN;
	for (;;) {
		/* Idle between checks: only a poke wakes it. */
		if (poll(&pfd, 1, atomic_load(&watching) ? WATCH_TICK_MS :
		    -1) > 0)
			while (read(wake[0], &c, 1) == 1)
				;
		if (atomic_load(&quit))
			break;
		if (!atomic_load(&watching))
			said = 0;
		if ((u = atomic_load(&until_ns)) == 0) {
			stop_since = 0;
			continue;
		}
		now = vgs_now_ns();
		seg = atomic_load(&seg_ns);
		if (vgs_stop && stop_since == 0)
			stop_since = now;
		/* Nothing to look at in the first half of a deadline. */
		if (!vgs_stop && now < seg + limit_ns / 2)
			continue;
		st = task_state(wchan, sizeof wchan);
		if (st == 'D') {
			if (!said)
				say_stuck(now - seg, wchan);
			said = 1;
			continue;
		}
		if (!vgs_stop && now < u)
			continue;
		if (st == 'R' && (vgs_stop ? now < stop_since + STOP_GRACE_NS :
		    now < u + limit_ns))
			continue;
		snprintf(fire_wchan, sizeof fire_wchan, "%s", wchan);
		fired = vgs_stop ? 2 : 1;
		syscall(SYS_tgkill, owner, main_tid, SIGALRM);
	}
	return (NULL);
}

static void
alarm_handler(int sig)
{
	(void)sig;
	if (!may_jump || atomic_load(&until_ns) == 0)
		return;
	may_jump = 0;
	atomic_store(&until_ns, 0);
	siglongjmp(jb, 1);
}

/*
 * At exit (registered after the report's handler, so it runs before
 * it): end the thread, so that no jump comes during exit (fatal() in a
 * watched check) and nothing of the thread is left behind.
 */
static void
watchdog_stop(void)
{
	if (!started || getpid() != owner)
		return;
	may_jump = 0;
	atomic_store(&until_ns, 0);
	atomic_store(&quit, 1);
	watchdog_poke();
	pthread_join(thread, NULL);
	started = 0;
}

/*
 * Start watching, in the main process, with a deadline of ms (at least
 * VGS_WATCHDOG_MIN_MS).  Without a thread the checks run unwatched.
 */
void
watchdog_start(unsigned ms)
{
	struct sigaction	sa;
	sigset_t		all, old;

	if (ms < VGS_WATCHDOG_MIN_MS)
		ms = VGS_WATCHDOG_MIN_MS;
	limit_ns = (uint64_t)ms * 1000000ULL;
	owner = getpid();
	main_tid = (pid_t)syscall(SYS_gettid);
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) == -1)
		fatal("pipe");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = alarm_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) == -1)
		fatal("sigaction");
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&thread, NULL, watch_main, NULL) == 0) {
		started = 1;
		if (atexit(watchdog_stop) != 0)
			fatalx("atexit failed");
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int
watching_here(void)
{
	return (started && getpid() == owner &&
	    (pid_t)syscall(SYS_gettid) == main_tid);
}

/*
 * Run fn(arg), the check called name, under the deadline.  Its outcome;
 * or, with why filled in, VGS_FAIL when the deadline passed and VGS_SKIP
 * when a stop request ended it.
 */
enum outcome
watchdog_call(const char *name, enum outcome (*fn)(void *), void *arg,
    char *why, size_t whysz)
{
	volatile uint64_t	t0;
	uint64_t		over;
	enum outcome		rc;

	if (!watching_here() || may_jump)
		return (fn(arg));
	watch_name = name;
	fired = 0;
	depth = 0;
	t0 = vgs_now_ns();
	if (sigsetjmp(jb, 1) != 0) {
		atomic_store(&watching, 0);
		if (fired == 2) {
			snprintf(why, whysz, "interrupted by SIG%s",
			    vgs_signal_name(vgs_stop));
			return (VGS_SKIP);
		}
		snprintf(why, whysz, "no answer from the kernel in %.1f "
		    "s%s%s%s: the watchdog interrupted the call and abandoned "
		    "the check",
		    (vgs_now_ns() - atomic_load(&seg_ns)) / 1e9,
		    fire_wchan[0] != '\0' ? " (waiting in " : "", fire_wchan,
		    fire_wchan[0] != '\0' ? ")" : "");
		return (VGS_FAIL);
	}
	atomic_store(&seg_ns, t0);
	atomic_store(&until_ns, t0 + limit_ns);
	atomic_store(&watching, 1);
	watchdog_poke();	/* idle, it sleeps without a timeout */
	may_jump = 1;
	rc = fn(arg);
	may_jump = 0;
	over = vgs_now_ns() - atomic_load(&seg_ns);
	atomic_store(&until_ns, 0);
	atomic_store(&watching, 0);
	if (over > limit_ns && rc != VGS_HARD) {
		snprintf(why, whysz, "no answer from the kernel in %.1f s, "
		    "past the watchdog's %.1f s", over / 1e9, limit_ns / 1e9);
		return (VGS_FAIL);
	}
	return (rc);
}

/* A child is waited for: its own deadline applies, not ours. */
void
watchdog_pause(void)
{
	if (!watching_here() || !may_jump)
		return;
	if (depth++ == 0)
		atomic_store(&until_ns, 0);
}

/* The child is done: the deadline counts again, from now. */
void
watchdog_resume(void)
{
	uint64_t	now;

	if (!watching_here() || !may_jump || depth == 0)
		return;
	if (--depth == 0) {
		now = vgs_now_ns();
		atomic_store(&seg_ns, now);
		atomic_store(&until_ns, now + limit_ns);
	}
}

/* From the stop handler: wake the thread (async-signal-safe). */
void
watchdog_poke(void)
{
	int	saved = errno;

	if (wake[1] != -1 && write(wake[1], "", 1) < 0)
		errno = saved;
	errno = saved;
}
