/* vgs-init - /init for the vmaguard-stress kernel-matrix initramfs.
 *
 * Built statically (libc only) and packed into a cpio initramfs together
 * with /bin/vmaguard-stress by tests/kernels/run-matrix.sh.  It
 *
 *   - mounts /proc, /sys, devtmpfs on /dev and a tmpfs on /tmp,
 *   - takes its runs from argv: the kernel hands everything after " -- "
 *     on its command line to init; runs are separated by the token ":::",
 *   - runs /bin/vmaguard-stress once per run, with stdout and stderr
 *     captured line by line and echoed to the console as
 *         VGS-OUT run=<i>: <line>
 *         VGS-ERR run=<i>: <line>
 *     followed by
 *         VGS-RESULT run=<i> status=<exit status> secs=<wall time>
 *     (status is 128+signal for a killed tool, 124 after the per-run
 *     timeout),
 *   - prints "VGS-DONE runs=<n>", reports <n> to the isa-debug-exit port
 *     (0xf4, so QEMU exits with 2n+1 when the device is present) and
 *     powers the machine off.
 *
 * Leading argv tokens of the form "+name=value" are options of this
 * program, not of the tool:
 *     +timeout=SECONDS   per-run timeout (default 240, 0 = none)
 *     +bin=PATH          tool to run (default /bin/vmaguard-stress)
 *
 * Example kernel command line:
 *     console=ttyS0 panic=-1 quiet -- +timeout=60 ::: --require=gu ::: --features
 * gives three runs: no arguments, "--require=gu" and "--features".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
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
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#define VGS_HAVE_PORTIO 1
#endif

#define RUN_SEP ":::"
#define DEBUG_EXIT_PORT 0xf4

static int console_fd = 1;

/* Write all of buf to the console, retrying on EINTR/short writes. */
static void con_write(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(console_fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

__attribute__((format(printf, 1, 2)))
static void con_printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	con_write(buf, (size_t)n);
}

static void do_mount(const char *src, const char *dst, const char *type,
		     unsigned long flags, const char *data)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, flags, data) != 0 && errno != EBUSY)
		con_printf("vgs-init: mount %s on %s: %s\n", type, dst,
			   strerror(errno));
}

/* The kernel gives init the console as fds 0-2 only if /dev/console exists
 * in the initramfs; after devtmpfs is mounted we can always open it. */
static void setup_console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	console_fd = 1;
}

static double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Line splitter for one captured stream. */
struct stream {
	int fd;
	const char *tag;
	char buf[4096];
	size_t len;
};

static void emit_line(const struct stream *s, int run, const char *p, size_t n)
{
	char head[48];
	int h = snprintf(head, sizeof head, "%s run=%d: ", s->tag, run);

	if (h > 0)
		con_write(head, (size_t)h);
	con_write(p, n);
	con_write("\n", 1);
}

static void flush_lines(struct stream *s, int run, int final)
{
	size_t start = 0;

	for (size_t i = 0; i < s->len; i++) {
		if (s->buf[i] == '\n') {
			size_t n = i - start;
			if (n > 0 && s->buf[start + n - 1] == '\r')
				n--;
			emit_line(s, run, s->buf + start, n);
			start = i + 1;
		}
	}
	if (start > 0) {
		memmove(s->buf, s->buf + start, s->len - start);
		s->len -= start;
	}
	/* an over-long line or trailing text without newline */
	if (s->len == sizeof s->buf || (final && s->len > 0)) {
		emit_line(s, run, s->buf, s->len);
		s->len = 0;
	}
}

/* Returns 0 at EOF, 1 otherwise. */
static int pump(struct stream *s, int run)
{
	ssize_t n = read(s->fd, s->buf + s->len, sizeof s->buf - s->len);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		flush_lines(s, run, 1);
		close(s->fd);
		s->fd = -1;
		return 0;
	}
	s->len += (size_t)n;
	flush_lines(s, run, 0);
	return 1;
}

static int run_tool(const char *bin, int run, char **args, int nargs,
		    long timeout)
{
	int out[2], err[2];
	pid_t pid;
	double t0 = now_secs();
	int status = 0, timed_out = 0;
	char **av;

	con_printf("VGS-BEGIN run=%d args=", run);
	for (int i = 0; i < nargs; i++)
		con_printf("%s%s", i ? " " : "", args[i]);
	con_printf("\n");

	av = calloc((size_t)nargs + 2, sizeof *av);
	if (!av || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
		con_printf("vgs-init: setup failed: %s\n", strerror(errno));
		free(av);
		return 99;
	}
	av[0] = (char *)bin;
	for (int i = 0; i < nargs; i++)
		av[i + 1] = args[i];
	av[nargs + 1] = NULL;

	pid = fork();
	if (pid < 0) {
		con_printf("vgs-init: fork: %s\n", strerror(errno));
		free(av);
		return 99;
	}
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		execv(bin, av);
		dprintf(2, "vgs-init: exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	free(av);
	close(out[1]);
	close(err[1]);

	struct stream so = { .fd = out[0], .tag = "VGS-OUT" };
	struct stream se = { .fd = err[0], .tag = "VGS-ERR" };

	while (so.fd >= 0 || se.fd >= 0) {
		struct pollfd pfd[2];
		int np = 0, ms = -1;

		if (so.fd >= 0)
			pfd[np++] = (struct pollfd){ .fd = so.fd, .events = POLLIN };
		if (se.fd >= 0)
			pfd[np++] = (struct pollfd){ .fd = se.fd, .events = POLLIN };
		if (timeout > 0 && !timed_out) {
			double left = t0 + (double)timeout - now_secs();
			if (left <= 0) {
				con_printf("vgs-init: run %d timed out after %lds,"
					   " killing\n", run, timeout);
				kill(pid, SIGKILL);
				timed_out = 1;
			} else {
				ms = (int)(left * 1000.0) + 1;
			}
		}
		int r = poll(pfd, (nfds_t)np, ms);
		if (r < 0 && errno != EINTR)
			break;
		for (int i = 0; r > 0 && i < np; i++) {
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

	int code;
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
	return code;
}

static void finish(int nruns)
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

int main(int argc, char **argv)
{
	const char *bin = "/bin/vmaguard-stress";
	long timeout = 240;
	int first = 1, nruns = 0;

	do_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	do_mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	do_mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	setup_console();
	do_mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");

	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
	setenv("TMPDIR", "/tmp", 1);
	setenv("HOME", "/", 1);

	for (; first < argc && argv[first][0] == '+'; first++) {
		const char *a = argv[first] + 1;
		if (strncmp(a, "timeout=", 8) == 0)
			timeout = strtol(a + 8, NULL, 10);
		else if (strncmp(a, "bin=", 4) == 0)
			bin = a + 4;
		else
			con_printf("vgs-init: unknown option %s\n", argv[first]);
	}

	{
		char rel[256] = "";
		int fd = open("/proc/sys/kernel/osrelease", O_RDONLY);
		if (fd >= 0) {
			ssize_t n = read(fd, rel, sizeof rel - 1);
			if (n > 0 && rel[n - 1] == '\n')
				rel[n - 1] = '\0';
			close(fd);
		}
		con_printf("VGS-KERNEL %s\n", rel);
	}

	/* Split the remaining argv into runs at ":::"; a run may be empty. */
	int start = first;
	for (int i = first; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], RUN_SEP) != 0)
			continue;
		run_tool(bin, nruns, argv + start, i - start, timeout);
		nruns++;
		start = i + 1;
	}

	con_printf("VGS-DONE runs=%d\n", nruns);
	finish(nruns);
	return 0;
}
