/*
 * probe.h: access probes (how does a read or a write end?) and per-page
 * data patterns.
 */
#ifndef PROBE_H
#define PROBE_H

#include <sys/types.h>

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

/* Access classes, the letters of the access strip (doc/behaviour.md §1.5). */
#define VGS_ACC_READ	'r'	/* the read went through */
#define VGS_ACC_WROTE	'w'	/* the write went through */
#define VGS_ACC_MAPERR	'S'	/* SIGSEGV, SEGV_MAPERR: a marker or a hole */
#define VGS_ACC_PROT	'P'	/* SIGSEGV for the protection (SEGV_ACCERR) */
#define VGS_ACC_BUS	'B'	/* SIGBUS */
#define VGS_ACC_FAULT	'F'	/* a fault the kernel foretold (S or P) */

/* A fault that no probe armed: what the handler saw. */
struct probe_fault {
	int		sig;
	int		code;
	uintptr_t	addr;
};

void		 probe_init(void);
void		 probe_context(const char *);
void		 probe_current(char *, size_t);
void		 probe_set_recovery(sigjmp_buf *);
const struct probe_fault *probe_unexpected(void);
int		 probe_read(const void *, uint64_t *);
int		 probe_write(void *, const uint64_t *);
char		 probe_access(const void *, uint64_t *);
char		 probe_store(void *, const uint64_t *);
void		 probe_words(uint32_t, size_t, uint64_t *);
uint32_t	 probe_decode(const uint64_t *, size_t);
size_t		 probe_word_offset(int);
ssize_t		 probe_gup(char *const *, size_t, uint64_t *);
int		 probe_oracle(void *, int);
int		 probe_mem(int, const void *, uint64_t *);

#define VGS_PROBE_WORDS	3

#endif
