/*
 * vgs.h: basics every module of vmaguard-stress shares, and fallback
 * definitions for kernel interfaces that older headers (Debian 12's glibc
 * and linux-libc-dev among them) do not declare.  Header presence proves
 * nothing about the running kernel: feature.c probes at run time.
 */
#ifndef VGS_H
#define VGS_H

#include "config.h"

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/ioctl.h>

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if !HAVE_DECL_MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#endif
#if !HAVE_DECL_MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE	103
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK		18
#define MADV_KEEPONFORK		19
#endif
#ifndef MADV_COLD
#define MADV_COLD		20
#define MADV_PAGEOUT		21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED	24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE		25
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC		0x0001U
#endif

/* pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst). */
#define VGS_PM_PRESENT		(1ULL << 63)
#define VGS_PM_SWAP		(1ULL << 62)
#define VGS_PM_GUARD		(1ULL << 58)

/* PAGEMAP_SCAN, 6.7; the guard category, 6.16. */
#define VGS_PAGE_IS_GUARD	(1ULL << 8)
struct vgs_page_region {
	uint64_t	start;
	uint64_t	end;
	uint64_t	categories;
};
struct vgs_pm_scan_arg {
	uint64_t	size;
	uint64_t	flags;
	uint64_t	start;
	uint64_t	end;
	uint64_t	walk_end;
	uint64_t	vec;
	uint64_t	vec_len;
	uint64_t	max_pages;
	uint64_t	category_inverted;
	uint64_t	category_mask;
	uint64_t	category_anyof_mask;
	uint64_t	return_mask;
};
#define VGS_PAGEMAP_SCAN	_IOWR('f', 16, struct vgs_pm_scan_arg)

/*
 * The outcome of a step, a scenario, a forked child, a stress stream, a
 * check in the report and the run itself.  The values are the exit
 * statuses of the run (EXIT STATUS in the man page) and of forked
 * children, so an outcome crosses a process boundary unchanged.
 */
enum outcome {
	VGS_PASS = 0,
	VGS_FAIL = 1,
	VGS_SKIP = 77,		/* the kernel or machine lacks something */
	VGS_HARD = 99		/* the tool could not do its work */
};
#define VGS_EXIT_USAGE		2	/* bad command line: nothing ran */

#define VGS_MSG_MAX		512

/* mseal(2), 6.10: no glibc wrapper before 2.41; one number everywhere. */
#include <sys/syscall.h>
#ifdef SYS_mseal
#define VGS_SYS_MSEAL		SYS_mseal
#else
#define VGS_SYS_MSEAL		462
#endif
/* process_madvise() targets that need no pidfd, 6.15. */
#define VGS_PIDFD_SELF_THREAD		(-10000)
#define VGS_PIDFD_SELF_THREAD_GROUP	(-10001)

extern size_t	vgs_page_size;
extern const char *vgs_progname;
extern int	vgs_stdout_said;	/* a write error on stdout was said */
/* The signal (SIGINT, SIGTERM) that asked the run to stop, or 0. */
extern volatile sig_atomic_t vgs_stop;

void		 vgs_init(void);
void		 fatal(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
void		 fatalx(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
const char	*vgs_fatal_reason(void);
void		 vgs_close_stdout(void);
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
int		 xasprintf(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 xappend(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
size_t		 strlcat_fmt(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
uint64_t	 vgs_now_ns(void);
double		 vgs_now(void);
int		 vgs_name_eq(const char *, const char *, size_t);
int		 vgs_list_next(const char **, const char **, size_t *);
int		 vgs_list_has(const char *, const char *);
const char	*vgs_errno_name(int);
const char	*vgs_signal_name(int);

#endif
