/*
 * probe.c: the in-process access probe and data patterns.  A read or a
 * write of a guard page raises SIGSEGV; the handler jumps back to the
 * probe, which reports how the access ended instead of dying: the
 * access class of doc/behaviour.md §1.5 ('S' SIGSEGV with SEGV_MAPERR,
 * 'P' SIGSEGV for the protection, 'B' SIGBUS).  Reading faults a page
 * in, which is why scenarios never probe before an "unfaulted" fork
 * check.
 *
 * A fault no probe armed is the kernel's doing too (a marker where none
 * was asked, one page off): the handler runs on an alternate stack,
 * says so in one line on stderr with the address and the check, takes
 * the marker off that page (so that reporting does not fault again)
 * and jumps to the recovery point main() set, which reports the check
 * as failed; in a forked child, or without a recovery point, it exits
 * with VGS_FAIL.  A second fault while recovering exits VGS_HARD.
 *
 * A page's pattern is three 64-bit words (start, middle, end) holding the
 * tag in the high half and a hash of the area-relative page index in the
 * low half, so a page showing up at the wrong index is caught too.
 */
#include "vgs.h"
#include "probe.h"
#include "state.h"

#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define GUP_PAGES	128		/* per call (UIO_MAXIOV: 1024) */

#define ALTSTACK_SIZE	(64 * 1024)

static sigjmp_buf		 probe_env;
static volatile sig_atomic_t	 probe_armed;
static volatile int		 probe_code;	/* si_code of the last fault */
static sigjmp_buf		*recovery;
static volatile sig_atomic_t	 recovering;
static pid_t			 owner;
static char			 context[128] = "start-up";
static struct probe_fault	 last_unexpected;
static char			 altstack[ALTSTACK_SIZE];

/* Append s to buf at *n, within size (async-signal-safe). */
static void
put(char *buf, size_t size, size_t *n, const char *s)
{
	while (*s != '\0' && *n + 1 < size)
		buf[(*n)++] = *s++;
}

static void
put_hex(char *buf, size_t size, size_t *n, uintptr_t v)
{
	char	tmp[2 + 2 * sizeof v + 1];
	int	i = sizeof tmp - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v != 0 && i > 2);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	put(buf, size, n, tmp + i);
}

/* The line an unexpected fault gets on stderr, written by hand. */
static void
say_unexpected(int sig, const siginfo_t *si)
{
	char	line[512];
	size_t	n = 0;

	put(line, sizeof line, &n, vgs_progname);
	put(line, sizeof line, &n, ": unexpected ");
	put(line, sizeof line, &n, sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
	put(line, sizeof line, &n, " at ");
	put_hex(line, sizeof line, &n, (uintptr_t)si->si_addr);
	put(line, sizeof line, &n, " during ");
	put(line, sizeof line, &n, context);
	put(line, sizeof line, &n, ": the kernel may have put a guard where "
	    "none was asked\n");
	(void)!write(STDERR_FILENO, line, n);
}

static void
probe_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (probe_armed) {
		probe_armed = 0;
		probe_code = si->si_code;
		siglongjmp(probe_env, sig);
	}
	if (recovering)
		_exit(VGS_HARD);
	say_unexpected(sig, si);
	/*
	 * If a marker is what faulted, take it off, so that reporting the
	 * failure does not run into it again; elsewhere this does nothing.
	 */
	madvise((void *)((uintptr_t)si->si_addr & ~(vgs_page_size - 1)),
	    vgs_page_size, MADV_GUARD_REMOVE);
	last_unexpected.sig = sig;
	last_unexpected.code = si->si_code;
	last_unexpected.addr = (uintptr_t)si->si_addr;
	if (recovery == NULL || getpid() != owner)
		_exit(VGS_FAIL);
	recovering = 1;
	siglongjmp(*recovery, sig);
}

/*
 * Install the SIGSEGV and SIGBUS handlers the probes rely on, on an
 * alternate stack (a marker on our own stack must not kill us).
 */
void
probe_init(void)
{
	struct sigaction	sa;
	stack_t			ss;

	owner = getpid();
	memset(&ss, 0, sizeof ss);
	ss.ss_sp = altstack;
	ss.ss_size = ALTSTACK_SIZE;
	if (sigaltstack(&ss, NULL) == -1)
		fatal("sigaltstack");
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = probe_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) == -1 ||
	    sigaction(SIGBUS, &sa, NULL) == -1)
		fatal("sigaction");
}

/* Name what runs now, for the line an unexpected fault gets. */
void
probe_context(const char *name)
{
	snprintf(context, sizeof context, "%s", name);
}

/* What runs now, as probe_context() named it. */
void
probe_current(char *buf, size_t size)
{
	snprintf(buf, size, "%s", context);
}

/*
 * Where an unexpected fault in the main process jumps to (sigsetjmp'd
 * with 1, so the signal mask comes back), or NULL; the fault it saw.
 */
void
probe_set_recovery(sigjmp_buf *env)
{
	recovery = env;
	recovering = 0;
}

const struct probe_fault *
probe_unexpected(void)
{
	return (&last_unexpected);
}

/* Byte offset of pattern word i within a page. */
size_t
probe_word_offset(int i)
{
	if (i == 0)
		return (0);
	if (i == 1)
		return (vgs_page_size / 2);
	return (vgs_page_size - sizeof(uint64_t));
}

/* The access class of a fault: 'S', 'P' or 'B'. */
static char
fault_class(int sig, int code)
{
	if (sig == SIGBUS)
		return (VGS_ACC_BUS);
	return (code == SEGV_MAPERR ? VGS_ACC_MAPERR : VGS_ACC_PROT);
}

/*
 * Read the pattern words of the page at p.  0 if readable, else the
 * signal the read raised (SIGSEGV, SIGBUS).
 */
int
probe_read(const void *p, uint64_t *w)
{
	const volatile uint64_t	*q;
	int			 sig, i;

	/*
	 * The handler runs with SA_NODEFER, so no signal mask needs saving
	 * or restoring: 0 spares a system call per probe.
	 */
	if ((sig = sigsetjmp(probe_env, 0)) != 0)
		return (sig);
	probe_armed = 1;
	for (i = 0; i < VGS_PROBE_WORDS; i++) {
		q = (const volatile uint64_t *)((const char *)p +
		    probe_word_offset(i));
		w[i] = *q;
	}
	probe_armed = 0;
	return (0);
}

/* Write the pattern words to the page at p; as probe_read() on faults. */
int
probe_write(void *p, const uint64_t *w)
{
	volatile uint64_t	*q;
	int			 sig, i;

	if ((sig = sigsetjmp(probe_env, 0)) != 0)
		return (sig);
	probe_armed = 1;
	for (i = 0; i < VGS_PROBE_WORDS; i++) {
		q = (volatile uint64_t *)((char *)p + probe_word_offset(i));
		*q = w[i];
	}
	probe_armed = 0;
	return (0);
}

/* Read the page at p: its access class, 'r' with w filled in. */
char
probe_access(const void *p, uint64_t *w)
{
	int	sig;

	if ((sig = probe_read(p, w)) == 0)
		return (VGS_ACC_READ);
	return (fault_class(sig, probe_code));
}

/* Write w to the page at p: 'w' if the write landed, else its class. */
char
probe_store(void *p, const uint64_t *w)
{
	int	sig;

	if ((sig = probe_write(p, w)) == 0)
		return (VGS_ACC_WROTE);
	return (fault_class(sig, probe_code));
}

static uint32_t
page_hash(size_t pg, int i)
{
	return ((uint32_t)(pg * 0x9e3779b1U) ^ (0x5bd1e995U * (i + 1)));
}

/* The pattern words of tag for area-relative page pg. */
void
probe_words(uint32_t tag, size_t pg, uint64_t *w)
{
	int	i;

	for (i = 0; i < VGS_PROBE_WORDS; i++) {
		if (tag == VGS_DATA_ZERO)
			w[i] = 0;
		else
			w[i] = ((uint64_t)tag << 32) | page_hash(pg, i);
	}
}

/* The tag the words read from page pg carry: a tag, ZERO or OTHER. */
uint32_t
probe_decode(const uint64_t *w, size_t pg)
{
	uint32_t	tag;
	int		i;

	if (w[0] == 0 && w[1] == 0 && w[2] == 0)
		return (VGS_DATA_ZERO);
	tag = (uint32_t)(w[0] >> 32);
	if (tag <= VGS_DATA_ZERO || tag == VGS_DATA_OTHER)
		return (VGS_DATA_OTHER);
	for (i = 0; i < VGS_PROBE_WORDS; i++) {
		if (w[i] != (((uint64_t)tag << 32) | page_hash(pg, i)))
			return (VGS_DATA_OTHER);
	}
	return (tag);
}

/*
 * Read the pattern words of n pages (pages[i]) into w (VGS_PROBE_WORDS
 * each) through process_vm_readv(): the kernel reads them with
 * get_user_pages, faulting in a page that is not present without the
 * exception a load takes (the cost of observing it).  Returns how many
 * pages were read before the first that could not be (EFAULT: a load
 * would fault), or -1 with errno when the call itself fails.
 */
ssize_t
probe_gup(char *const *pages, size_t n, uint64_t *w)
{
	struct iovec	loc[GUP_PAGES * VGS_PROBE_WORDS];
	struct iovec	rem[GUP_PAGES * VGS_PROBE_WORDS];
	size_t		i, k, m, done = 0, niov;
	ssize_t		got;
	pid_t		self = getpid();

	while (done < n) {
		m = n - done < GUP_PAGES ? n - done : GUP_PAGES;
		niov = 0;
		for (i = 0; i < m; i++) {
			for (k = 0; k < VGS_PROBE_WORDS; k++, niov++) {
				loc[niov].iov_base = &w[(done + i) *
				    VGS_PROBE_WORDS + k];
				loc[niov].iov_len = sizeof *w;
				rem[niov].iov_base = pages[done + i] +
				    probe_word_offset(k);
				rem[niov].iov_len = sizeof *w;
			}
		}
		/* Tools such as valgrind cannot know the call fills loc. */
		memset(&w[done * VGS_PROBE_WORDS], 0, m * VGS_PROBE_WORDS *
		    sizeof *w);
		got = process_vm_readv(self, loc, niov, rem, niov, 0);
		if (got == -1 && errno == EFAULT)
			return ((ssize_t)done);
		if (got == -1)
			return (-1);
		done += (size_t)got / (VGS_PROBE_WORDS * sizeof *w);
		if ((size_t)got < niov * sizeof *w)
			return ((ssize_t)done);
	}
	return ((ssize_t)done);
}

/*
 * Would a read (write != 0: a write) of the page at p fault?  Asked of
 * the kernel with MADV_POPULATE_READ or _WRITE (5.14), which fault the
 * page in as an access would, without the exception: 0 if the access
 * would succeed, else the errno (EFAULT: a guard marker or a SIGBUS;
 * EINVAL: the VMA lacks the permission; ENOMEM: nothing mapped).
 */
int
probe_oracle(void *p, int write)
{
	if (madvise(p, vgs_page_size, write ? MADV_POPULATE_WRITE :
	    MADV_POPULATE_READ) == 0)
		return (0);
	return (errno);
}

/*
 * Read the pattern words of the page at p of the process whose memory
 * fd is (/proc/PID/mem, pagemap_proc_open()): the kernel reads them as
 * a load of that process would see them, faulting in what is not
 * present.  A pread a word: reading the whole page costs three times
 * as much.  0, or -1 with errno (EIO: the page cannot be read, a guard
 * marker say).
 */
int
probe_mem(int fd, const void *p, uint64_t *w)
{
	int	i;

	for (i = 0; i < VGS_PROBE_WORDS; i++) {
		w[i] = 0;
		if (pread(fd, &w[i], sizeof w[i], (off_t)(uintptr_t)p +
		    (off_t)probe_word_offset(i)) != (ssize_t)sizeof w[i])
			return (-1);
	}
	return (0);
}
