/*
 * shim.h: what the parts of the fault-injection shim share.  The shim
 * (tests/shim-*.c, linked into tests/shim-fault.so) is LD_PRELOADed into
 * vmaguard-stress and makes the kernel give wrong answers; tests/FAULTS
 * lists every fault, the tests that use it and what they expect.
 */
#ifndef SHIM_H
#define SHIM_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define SHIM_GUARD_INSTALL	102
#define SHIM_GUARD_REMOVE	103

/* pagemap entry bits, as in src/vgs.h. */
#define SHIM_PM_PRESENT		(1ULL << 63)
#define SHIM_PM_SWAP		(1ULL << 62)
#define SHIM_PM_GUARD		(1ULL << 58)

/* shim-fault.c: fault selection, real functions, logging. */
int	 shim_fault_on(const char *);
int	 shim_fault_now(void);
void	*shim_real(const char *);
size_t	 shim_page_size(void);
void	 shim_log(const char *, ...) __attribute__((format(printf, 1, 2)));
int	 shim_real_open(const char *, int);
int	 shim_real_madvise(void *, size_t, int);
char	*shim_slurp(const char *, size_t *);
int	 shim_serve(const char *, const char *, size_t);

/* shim-smaps.c: doctored /proc/self/smaps. */
int	 shim_smaps_doctored(void);
int	 shim_smaps_open(const char *, int);
void	 shim_smaps_forget(uintptr_t, uintptr_t);

/* shim-pagemap.c: doctored pagemap and PAGEMAP_SCAN, WIPEONFORK,
 * PROCMAP_QUERY. */
int	 shim_is_pagemap(int);
void	 shim_lie_add(uintptr_t, uintptr_t);
void	 shim_lie_forget(uintptr_t, uintptr_t);
void	 shim_wipe_collect(void);
void	 shim_wipe_restore(void);

#endif
