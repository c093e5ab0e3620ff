/*
 * child.c: the fork protocol.  A child runs one function, says what it
 * found over a pipe and exits with its verdict; the parent reads with a
 * deadline, and a child that misses it is killed with its whole process
 * group (it may have forked grandchildren) and reaped, so a hang is
 * reported as a failure and nothing is left running.
 *
 * SIGINT and SIGTERM set vgs_stop and kill every child in flight; the
 * main loop then ends the run, prints the summary and exits 128+signal.
 */
#include "vgs.h"
#include "child.h"

#include <sys/pidfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ACTIVE	64

volatile sig_atomic_t	 vgs_stop;
static volatile pid_t	 active[MAX_ACTIVE];
static volatile int	 nactive;
static int		 say_fd = -1;
static unsigned		 timeout_ms = 10000;
static pid_t		 owner;

/* Deadline for every child, in milliseconds. */
void
child_set_timeout(unsigned ms)
{
	timeout_ms = ms;
}

/* The deadline in milliseconds. */
unsigned
child_timeout(void)
{
	return (timeout_ms);
}

/* Kill every child (and its group) still running. */
void
child_kill_all(void)
{
	int	i;

	for (i = 0; i < nactive; i++) {
		if (active[i] > 0) {
			kill(-active[i], SIGKILL);
			kill(active[i], SIGKILL);
		}
	}
}

static void
stop_handler(int sig)
{
	int	saved = errno;

	vgs_stop = sig;
	child_kill_all();
	errno = saved;
}

/* Install SIGINT/SIGTERM handling for the main process. */
void
child_signals_init(void)
{
	struct sigaction	sa;

	owner = getpid();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = stop_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGHUP, &sa, NULL) == -1)
		fatal("sigaction");
	signal(SIGPIPE, SIG_IGN);
}

/* Are we a forked child of the main process? */
int
child_is_child(void)
{
	return (say_fd != -1);
}

/* In a child: append a line for the parent to report. */
void
child_say(const char *fmt, ...)
{
	char	buf[VGS_CHILD_TEXT];
	va_list	ap;
	int	n;
	ssize_t	w;
	size_t	off = 0;

	if (say_fd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	while (off < (size_t)n) {
		w = write(say_fd, buf + off, n - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += w;
	}
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
active_add(pid_t pid)
{
	if (nactive < MAX_ACTIVE)
		active[nactive++] = pid;
}

static void
active_del(pid_t pid)
{
	int	i;

	for (i = 0; i < nactive; i++) {
		if (active[i] == pid) {
			active[i] = active[--nactive];
			return;
		}
	}
}

static void
child_main(int fd, int (*fn)(void *), void *arg)
{
	struct sigaction	sa;
	int			rc;

	setpgid(0, 0);
	nactive = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	say_fd = fd;
	rc = fn(arg);
	_exit(rc);
}

/*
 * Run fn(arg) in a forked child and wait for it until the deadline.
 * Returns 0 with res filled in, or -1 with errno when fork() failed.
 */
int
child_run(int (*fn)(void *), void *arg, struct child_result *res)
{
	int		 p[2], st = 0, n, pidfd;
	size_t		 len = 0;
	pid_t		 pid;
	double		 start, left;
	struct pollfd	 pfd;
	ssize_t		 r;
	char		 sink[256];

	memset(res, 0, sizeof *res);
	res->status = -1;
	fflush(stdout);
	fflush(stderr);
	if (pipe2(p, O_CLOEXEC) == -1)
		return (-1);
	start = now();
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return (-1);
	}
	if (pid == 0) {
		close(p[0]);
		child_main(p[1], fn, arg);
	}
	setpgid(pid, pid);
	active_add(pid);
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		left = start + timeout_ms / 1000.0 - now();
		if (left <= 0 || vgs_stop) {
			res->timed_out = !vgs_stop;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		n = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			fatal("poll");
		if (n == 0)
			continue;
		if (len < sizeof res->text - 1)
			r = read(p[0], res->text + len,
			    sizeof res->text - 1 - len);
		else
			r = read(p[0], sink, sizeof sink);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (len < sizeof res->text - 1)
			len += r;
	}
	res->text[len] = '\0';
	close(p[0]);
	/*
	 * EOF comes when the child exits (or closes the pipe); give it the
	 * rest of its deadline to be reaped, then kill it.
	 */
	pidfd = -1;
	for (;;) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		left = start + timeout_ms / 1000.0 - now();
		if (pidfd == -1 && left > 0 && !vgs_stop)
			pidfd = pidfd_open(pid, 0);
		if (pidfd != -1 && left > 0 && !vgs_stop) {
			pfd.fd = pidfd;
			pfd.events = POLLIN;
			poll(&pfd, 1, (int)(left * 1000) + 1);
			continue;
		}
		if (left <= 0 || vgs_stop) {
			res->timed_out = res->timed_out || !vgs_stop;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
				;
			break;
		}
		usleep(500);
	}
	if (pidfd != -1)
		close(pidfd);
	kill(-pid, SIGKILL);	/* grandchildren left behind, if any */
	active_del(pid);
	res->seconds = now() - start;
	if (WIFEXITED(st))
		res->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		res->signo = WTERMSIG(st);
	return (0);
}
