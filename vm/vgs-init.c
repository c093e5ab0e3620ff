/*
 * vgs-init: /init of the initramfs that vmaguard-stress-vm(1) boots.
 *
 * Built statically (libc only; for arm64 with the cross compiler) and
 * packed into a cpio initramfs together with /bin/vmaguard-stress.  It
 *
 *   - mounts /proc, /sys, devtmpfs on /dev and a tmpfs on /tmp,
 *   - takes its arguments from argv (the kernel hands init everything
 *     after " -- " on its command line) followed by the NUL-separated
 *     tokens of /vgs.args, if the initramfs has that file (no limit on
 *     count, length or quoting there, unlike the command line),
 *   - runs /bin/vmaguard-stress once per run, runs being separated by
 *     the token ":::", with stdout and stderr captured and echoed to the
 *     console line by line as they come:
 *         VGS-OUT run=<i>: <line>
 *         VGS-ERR run=<i>: <line>
 *     A piece of a line without its newline (a line longer than the
 *     buffer, or the last bytes of a stream) is tagged VGS-OUT+ or
 *     VGS-ERR+ instead: the next piece of the same stream continues it.
 *     Each run ends with
 *         VGS-RESULT run=<i> status=<exit status> secs=<wall time>
 *     (status is 128+signal for a killed tool, 124 after the per-run
 *     timeout),
 *   - prints "VGS-DONE runs=<n>", on x86 reports <n> to the isa-debug-exit
 *     port (0xf4: QEMU exits with 2n+1 when the device is present) and
 *     powers the machine off (arm64: PSCI, QEMU exits with 0).
 *
 * Before the runs it prints "VGS-KERNEL <release>".  Leading tokens of the
 * form "+name=value" are options of this program, not of the tool:
 *     +timeout=SECONDS   per-run timeout (default 240, 0 = none)
 *     +bin=PATH          tool to run (default /bin/vmaguard-stress)
 *
 * Example: "+timeout=60 ::: --require=gu ::: --features" gives three runs:
 * no arguments, "--require=gu" and "--features".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#define VGS_HAVE_PORTIO	1
#endif

#define RUN_SEP		":::"
#define ARGS_FILE	"/vgs.args"
#define DEBUG_EXIT_PORT	0xf4

/* Line splitter for one captured stream. */
struct stream {
	int		 fd;
	const char	*tag;
	char		 buf[4096];
	size_t		 len;
};

static void	 con_write(const char *, size_t);
static void	 con_printf(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static void	 do_mount(const char *, const char *, const char *,
		    unsigned long, const char *);
static void	 setup_console(void);
static double	 now_secs(void);
static void	 emit(const struct stream *, int, const char *, size_t, int);
static void	 flush_lines(struct stream *, int, int);
static int	 pump(struct stream *, int);
static int	 run_tool(const char *, int, char **, int, long);
static char	**read_args(int, char **, int *);
static void	 finish(int);

static int console_fd = 1;

/* Write all of buf to the console, retrying on EINTR and short writes. */
static void
con_write(const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(console_fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void
con_printf(const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	con_write(buf, (size_t)n);
}

static void
do_mount(const char *src, const char *dst, const char *type,
    unsigned long flags, const char *data)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, flags, data) != 0 && errno != EBUSY)
		con_printf("vgs-init: mount %s on %s: %s\n", type, dst,
		    strerror(errno));
}

/*
 * The kernel gives init the console as fds 0-2 only if /dev/console exists
 * in the initramfs, which an unprivileged cpio cannot create; once
 * devtmpfs is mounted it can always be opened.
 */
static void
setup_console(void)
{
	int	fd;

	if ((fd = open("/dev/console", O_RDWR | O_NOCTTY)) < 0 &&
	    (fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY)) < 0 &&
	    (fd = open("/dev/ttyAMA0", O_RDWR | O_NOCTTY)) < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	console_fd = 1;
}

static double
now_secs(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* One framed console line: a whole line, or a piece of one (part). */
static void
emit(const struct stream *s, int run, const char *p, size_t n, int part)
{
	char	head[48];
	int	h;

	h = snprintf(head, sizeof head, "%s%s run=%d: ", s->tag,
	    part ? "+" : "", run);
	if (h > 0)
		con_write(head, (size_t)h);
	con_write(p, n);
	con_write("\n", 1);
}

static void
flush_lines(struct stream *s, int run, int final)
{
	size_t	i, n, start = 0;

	for (i = 0; i < s->len; i++) {
		if (s->buf[i] != '\n')
			continue;
		n = i - start;
		if (n > 0 && s->buf[start + n - 1] == '\r')
			n--;
		emit(s, run, s->buf + start, n, 0);
		start = i + 1;
	}
	if (start > 0) {
		memmove(s->buf, s->buf + start, s->len - start);
		s->len -= start;
	}
	/* an over-long line, or trailing text without a newline */
	if (s->len == sizeof s->buf || (final && s->len > 0)) {
		emit(s, run, s->buf, s->len, 1);
		s->len = 0;
	}
}

/* Read what the stream has; 0 at its end, 1 otherwise. */
static int
pump(struct stream *s, int run)
{
	ssize_t	n;

	n = read(s->fd, s->buf + s->len, sizeof s->buf - s->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return (1);
	if (n <= 0) {
		flush_lines(s, run, 1);
		close(s->fd);
		s->fd = -1;
		return (0);
	}
	s->len += (size_t)n;
	flush_lines(s, run, 0);
	return (1);
}

/* Run the tool once with args; returns (and prints) its status. */
static int
run_tool(const char *bin, int run, char **args, int nargs, long timeout)
{
	struct stream	 so, se;
	struct pollfd	 pfd[2];
	char		**av;
	double		 t0 = now_secs(), left;
	pid_t		 pid;
	int		 out[2], err[2], i, np, ms, r, devnull, code;
	int		 status = 0, timed_out = 0;

	con_printf("VGS-BEGIN run=%d args=", run);
	for (i = 0; i < nargs; i++)
		con_printf("%s%s", i ? " " : "", args[i]);
	con_printf("\n");

	av = calloc((size_t)nargs + 2, sizeof *av);
	if (av == NULL || pipe2(out, O_CLOEXEC) != 0 ||
	    pipe2(err, O_CLOEXEC) != 0) {
		con_printf("vgs-init: setup failed: %s\n", strerror(errno));
		free(av);
		return (99);
	}
	av[0] = (char *)bin;
	for (i = 0; i < nargs; i++)
		av[i + 1] = args[i];
	av[nargs + 1] = NULL;

	if ((pid = fork()) < 0) {
		con_printf("vgs-init: fork: %s\n", strerror(errno));
		free(av);
		return (99);
	}
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		if ((devnull = open("/dev/null", O_RDONLY)) >= 0)
			dup2(devnull, 0);
		execv(bin, av);
		dprintf(2, "vgs-init: exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	free(av);
	close(out[1]);
	close(err[1]);

	memset(&so, 0, sizeof so);
	memset(&se, 0, sizeof se);
	so.fd = out[0];
	so.tag = "VGS-OUT";
	se.fd = err[0];
	se.tag = "VGS-ERR";
	while (so.fd >= 0 || se.fd >= 0) {
		np = 0;
		ms = -1;
		if (so.fd >= 0) {
			pfd[np].fd = so.fd;
			pfd[np++].events = POLLIN;
		}
		if (se.fd >= 0) {
			pfd[np].fd = se.fd;
			pfd[np++].events = POLLIN;
		}
		if (timeout > 0 && !timed_out) {
			left = t0 + (double)timeout - now_secs();
			if (left <= 0) {
				con_printf("vgs-init: run %d timed out after "
				    "%lds, killing\n", run, timeout);
				kill(pid, SIGKILL);
				timed_out = 1;
			} else
				ms = (int)(left * 1000.0) + 1;
		}
		if ((r = poll(pfd, (nfds_t)np, ms)) < 0 && errno != EINTR)
			break;
		for (i = 0; r > 0 && i < np; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (pfd[i].fd == so.fd)
				pump(&so, run);
			else
				pump(&se, run);
		}
	}
	if (so.fd >= 0)
		close(so.fd);
	if (se.fd >= 0)
		close(se.fd);

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 99 << 8;
			break;
		}
	}
	if (timed_out)
		code = 124;
	else if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else
		code = 99;

	/* as pid 1 we inherit the tool's orphans: reap them */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	con_printf("VGS-RESULT run=%d status=%d secs=%.2f\n", run, code,
	    now_secs() - t0);
	return (code);
}

/*
 * argv[first..argc-1] followed by the tokens of ARGS_FILE, as a NULL
 * terminated vector of *n tokens.
 */
static char **
read_args(int first, char **argv, int *n)
{
	struct stat	  st;
	char		**v, *buf = NULL, *p;
	size_t		  len = 0, cap, k;
	ssize_t		  r;
	int		  fd, i;

	if ((fd = open(ARGS_FILE, O_RDONLY | O_CLOEXEC)) >= 0 &&
	    fstat(fd, &st) == 0 && st.st_size > 0 &&
	    (buf = malloc((size_t)st.st_size + 1)) != NULL) {
		while (len < (size_t)st.st_size &&
		    (r = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
			len += (size_t)r;
		buf[len] = '\0';
	}
	if (fd >= 0)
		close(fd);
	cap = 1;
	for (i = first; argv[i] != NULL; i++)
		cap++;
	for (k = 0; k < len; k++)
		cap += buf[k] == '\0';
	cap++;	/* a last token without its NUL */
	if ((v = calloc(cap, sizeof *v)) == NULL) {
		con_printf("vgs-init: out of memory\n");
		free(buf);
		*n = 0;
		return (NULL);
	}
	*n = 0;
	for (i = first; argv[i] != NULL; i++)
		v[(*n)++] = argv[i];
	for (p = buf; buf != NULL && p < buf + len; p += strlen(p) + 1)
		v[(*n)++] = p;
	v[*n] = NULL;
	return (v);
}

static void
finish(int nruns)
{
	sync();
	tcdrain(console_fd);	/* let the serial line empty first */
#ifdef VGS_HAVE_PORTIO
	if (ioperm(DEBUG_EXIT_PORT, 1, 1) == 0)
		outb((unsigned char)(nruns & 0x7f), DEBUG_EXIT_PORT);
#else
	(void)nruns;
#endif
	reboot(RB_POWER_OFF);
	/* still here: not pid 1, or no way to power off */
	_exit(0);
}

int
main(int argc, char **argv)
{
	const char	 *bin = "/bin/vmaguard-stress", *a;
	char		**args, rel[256] = "";
	long		  timeout = 240;
	ssize_t		  n;
	int		  nargs, first, start, i, fd, nruns = 0;

	(void)argc;
	do_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL);
	do_mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL);
	do_mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	setup_console();
	do_mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");

	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
	setenv("TMPDIR", "/tmp", 1);
	setenv("HOME", "/", 1);

	if ((args = read_args(1, argv, &nargs)) == NULL)
		finish(0);
	for (first = 0; first < nargs && args[first][0] == '+'; first++) {
		a = args[first] + 1;
		if (strncmp(a, "timeout=", 8) == 0)
			timeout = strtol(a + 8, NULL, 10);
		else if (strncmp(a, "bin=", 4) == 0)
			bin = a + 4;
		else
			con_printf("vgs-init: unknown option %s\n",
			    args[first]);
	}

	if ((fd = open("/proc/sys/kernel/osrelease", O_RDONLY)) >= 0) {
		n = read(fd, rel, sizeof rel - 1);
		if (n > 0 && rel[n - 1] == '\n')
			rel[n - 1] = '\0';
		close(fd);
	}
	con_printf("VGS-KERNEL %s\n", rel);

	/* Split the remaining tokens into runs at ":::"; a run may be empty. */
	start = first;
	for (i = first; i <= nargs; i++) {
		if (i < nargs && strcmp(args[i], RUN_SEP) != 0)
			continue;
		run_tool(bin, nruns, args + start, i - start, timeout);
		nruns++;
		start = i + 1;
	}

	con_printf("VGS-DONE runs=%d\n", nruns);
	finish(nruns);
	return (0);
}
