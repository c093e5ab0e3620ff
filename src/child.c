/*
 * child.c: the fork protocol.  A child runs one function, says what it
 * found over a pipe and exits with its verdict; the parent reads with a
 * deadline, and a child that misses it is killed with its whole process
 * group (it may have forked grandchildren) and reaped, so a hang is
 * reported as a failure and nothing is left running.
 *
 * The deadline adapts to what children take (child_deadline.c): a
 * kernel on which every fork hangs must not cost the full
 * --child-timeout per child.  child_start() and child_wait()
 * split the protocol for a child that must live while the parent works
 * (a target for process_madvise).  Nothing else calls fork() but the
 * stress engine (its workers, its per-operation fork), which keeps the
 * same rules: a group kill, PR_SET_PDEATHSIG, a bounded wait.
 *
 * SIGINT and SIGTERM set vgs_stop and kill every child in flight; every
 * wait sees it at once, and the main loop then ends the run, prints the
 * summary and exits 128+signal.  No wait is without a bound: a child
 * killed in uninterruptible sleep is given up after a second.
 *
 * Nothing may outlive the run.  A grandchild forked by a child's own
 * child_run() lives in a process group of its own, so killing the
 * child's group misses it: every child therefore asks for SIGKILL when
 * its parent dies (PR_SET_PDEATHSIG), which also covers the main process
 * being killed outright.  Orphans killed that way would become zombies
 * of init, which in containers often never reaps them: the main process
 * is a child subreaper and reaps them itself, at the latest on exit.
 */
#include "vgs.h"
#include "child.h"
#include "watchdog.h"

#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ACTIVE	64
#define REAP_WAIT_MS	2000	/* at exit, for orphans still dying */
#define REAP_KILLED_MS	1000	/* for a child we sent SIGKILL */

static volatile pid_t	 active[MAX_ACTIVE];
static volatile int	 nactive;
static int		 say_fd = -1;
static int		(*tick_fn)(void *);
static void		*tick_arg;
static pid_t		 owner;

/*
 * Call fn(arg) about every VGS_TICK_MS while a child is waited for, in
 * the parent only (a progress line for a long child); a non-zero return
 * gives the child up as if its deadline had passed.  NULL stops it.
 */
void
child_set_tick(int (*fn)(void *), void *arg)
{
	tick_fn = fn;
	tick_arg = arg;
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
	watchdog_poke();
	errno = saved;
}

static int
is_active(pid_t pid)
{
	int	i;

	for (i = 0; i < nactive; i++) {
		if (active[i] == pid)
			return (1);
	}
	return (0);
}

/*
 * In the main process, every child that child_run() is not waiting for
 * is an orphaned descendant reparented to us: kill it.  Its own
 * children come to us in turn when it dies.
 */
static void
kill_orphans(void)
{
	DIR		*d;
	FILE		*f;
	struct dirent	*t;
	char		 path[64];
	long		 pid;

	if ((d = opendir("/proc/self/task")) == NULL)
		return;
	while ((t = readdir(d)) != NULL) {
		if (t->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/self/task/%.16s/children",
		    t->d_name);
		if ((f = fopen(path, "re")) == NULL)
			continue;	/* no CONFIG_PROC_CHILDREN */
		while (fscanf(f, "%ld", &pid) == 1) {
			if (pid > 0 && !is_active((pid_t)pid))
				kill((pid_t)pid, SIGKILL);
		}
		fclose(f);
	}
	closedir(d);
}

/*
 * In the main process: kill and reap descendants reparented to us (we
 * are their subreaper), leaving children in flight alone.  With
 * wait_ms, wait that long for the last of them to die.
 */
static void
reap_orphans(int wait_ms)
{
	siginfo_t	si;
	pid_t		pid;
	int		waited = 0;

	if (getpid() != owner)
		return;
	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1) {
			if (errno == EINTR)
				continue;
			return;		/* ECHILD: nobody left */
		}
		pid = si.si_pid;
		if (pid != 0 && !is_active(pid)) {
			while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
				;
			continue;
		}
		if (pid != 0 || nactive > 0)
			return;
		if (waited == 0)
			kill_orphans();
		if (waited >= wait_ms)
			return;
		usleep(1000);	/* an orphan still dying of SIGKILL */
		waited++;
	}
}

static void
child_atexit(void)
{
	if (getpid() != owner)
		return;
	child_kill_all();
	nactive = 0;	/* killed: reap them like any orphan */
	reap_orphans(REAP_WAIT_MS);
}

/* Install SIGINT/SIGTERM handling for the main process. */
void
child_signals_init(void)
{
	struct sigaction	sa;

	owner = getpid();
	/* Best effort: without it orphans go to init, as before 3.4. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (atexit(child_atexit) != 0)
		fatalx("atexit failed");
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

/*
 * In a process just forked: die with the parent, which may have died
 * before we got here.  A child that outlived a SIGKILLed tool would go
 * on until its own deadline, or for ever.
 */
void
child_die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1 ||
	    getppid() != parent)
		_exit(VGS_HARD);
}

/*
 * Reap pid, which was sent SIGKILL, waiting at most REAP_KILLED_MS: 0,
 * or -1 when it is still there.  A task in uninterruptible sleep (D)
 * dies only when the kernel call it is in returns: never wait for it
 * without a bound.
 */
int
child_reap_killed(pid_t pid, int *st)
{
	double		until = vgs_now() + REAP_KILLED_MS / 1000.0;
	struct pollfd	pfd;
	pid_t		r;

	if ((r = waitpid(pid, st, WNOHANG)) == pid ||
	    (r == -1 && errno == ECHILD))
		return (0);
	/* A pidfd wakes us at the exit: no sleeping in slices. */
	if ((pfd.fd = pidfd_open(pid, 0)) != -1) {
		pfd.events = POLLIN;
		while (poll(&pfd, 1, REAP_KILLED_MS) == -1 && errno == EINTR)
			;
		close(pfd.fd);
	}
	for (;;) {
		if ((r = waitpid(pid, st, WNOHANG)) == pid)
			return (0);
		if (r == -1 && errno == ECHILD)
			return (0);
		if (vgs_now() >= until)
			return (-1);
		usleep(1000);
	}
}

static void
child_main(int fd, int (*fn)(void *), void *arg, pid_t parent)
{
	struct sigaction	sa;
	int			rc;

	setpgid(0, 0);
	child_die_with_parent(parent);
	nactive = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	tick_fn = NULL;
	say_fd = fd;
	rc = fn(arg);
	_exit(rc);
}

/*
 * Fork a child that runs fn(arg), with a deadline of ms milliseconds
 * from now (0: child_timeout(), and its time teaches the deadline).
 * The caller may work meanwhile; child_wait() collects it.  0, or -1
 * with errno when fork() failed.
 */
int
child_start(int (*fn)(void *), void *arg, unsigned ms, struct child *c)
{
	int	p[2];
	pid_t	parent = getpid();

	memset(c, 0, sizeof *c);
	c->learn = ms == 0;
	c->ms = ms != 0 ? ms : child_timeout();
	fflush(stdout);
	fflush(stderr);
	if (pipe2(p, O_CLOEXEC) == -1)
		return (-1);
	c->start = vgs_now();
	if ((c->pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return (-1);
	}
	if (c->pid == 0) {
		close(p[0]);
		child_main(p[1], fn, arg, parent);
	}
	setpgid(c->pid, c->pid);
	active_add(c->pid);
	close(p[1]);
	c->fd = p[0];
	return (0);
}

/* Read what the child says until EOF, its deadline or a stop. */
static void
collect(struct child *c, struct child_result *res)
{
	struct pollfd	 pfd;
	size_t		 len = 0;
	double		 left;
	ssize_t		 r;
	char		 sink[256];
	int		 n;

	pfd.fd = c->fd;
	pfd.events = POLLIN;
	for (;;) {
		left = child_deadline_left(c);
		if (left <= 0 || vgs_stop) {
			res->timed_out = !vgs_stop;
			break;
		}
		if (tick_fn != NULL) {
			n = poll(&pfd, 1, left > VGS_TICK_MS / 1000.0 ?
			    VGS_TICK_MS : (int)(left * 1000) + 1);
			if (tick_fn(tick_arg) && !vgs_stop) {
				res->timed_out = 1;
				break;
			}
		} else
			n = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			fatal("poll");
		if (n == 0)
			continue;
		if (len < sizeof res->text - 1)
			r = read(c->fd, res->text + len,
			    sizeof res->text - 1 - len);
		else
			r = read(c->fd, sink, sizeof sink);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (len < sizeof res->text - 1)
			len += r;
	}
	res->text[len] = '\0';
}

/*
 * Wait for a child_start() child until its deadline, kill it (and its
 * group) if it misses it or a stop is requested, and reap it.  Always
 * returns 0 with res filled in.
 */
int
child_wait(struct child *c, struct child_result *res)
{
	struct pollfd	pfd;
	double		left;
	int		st = 0, pidfd = -1, reaped = 0;

	memset(res, 0, sizeof *res);
	res->status = -1;
	res->deadline_ms = c->ms;
	watchdog_pause();
	collect(c, res);
	close(c->fd);
	c->fd = -1;
	/*
	 * EOF comes when the child exits (or closes the pipe); give it the
	 * rest of its deadline to be reaped, then kill it.
	 */
	while (!res->timed_out && !vgs_stop) {
		if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
			reaped = 1;
			break;
		}
		left = child_deadline_left(c);
		if (left <= 0) {
			res->timed_out = 1;
			break;
		}
		if (pidfd == -1)
			pidfd = pidfd_open(c->pid, 0);
		if (pidfd != -1) {
			pfd.fd = pidfd;
			pfd.events = POLLIN;
			poll(&pfd, 1, (int)(left * 1000) + 1);
		} else
			usleep(500);
	}
	if (pidfd != -1)
		close(pidfd);
	if (!reaped) {
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		res->stuck = child_reap_killed(c->pid, &st) != 0;
	}
	kill(-c->pid, SIGKILL);	/* grandchildren left behind, if any */
	active_del(c->pid);
	reap_orphans(0);
	res->seconds = vgs_now() - c->start;
	res->deadline_ms = c->ms;
	if (res->stuck)
		st = 0;
	else if (WIFEXITED(st))
		res->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		res->signo = WTERMSIG(st);
	if (c->learn)
		child_deadline_learn(res, reaped);
	watchdog_resume();
	return (0);
}

/*
 * Run fn(arg) in a forked child and wait for it until child_timeout().
 * Returns 0 with res filled in, or -1 with errno when fork() failed.
 */
int
child_run(int (*fn)(void *), void *arg, struct child_result *res)
{
	return (child_run_for(fn, arg, 0, res));
}

/* As child_run(), with a deadline of ms milliseconds (0: adaptive). */
int
child_run_for(int (*fn)(void *), void *arg, unsigned ms,
    struct child_result *res)
{
	struct child	c;

	if (child_start(fn, arg, ms, &c) != 0)
		return (-1);
	return (child_wait(&c, res));
}

/*
 * After the watchdog took a check away mid-way: kill the children it
 * had started and not yet waited for, and reap them.
 */
void
child_abandon_all(void)
{
	int	i, st;

	if (getpid() != owner)
		return;
	child_kill_all();
	for (i = 0; i < nactive; i++)
		child_reap_killed(active[i], &st);
	nactive = 0;
}
