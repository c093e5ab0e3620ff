/*
 * probe.h: access probes (does a read fault?) and per-page data patterns.
 */
#ifndef PROBE_H
#define PROBE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

void		probe_init(void);
int		probe_read(const void *, uint64_t *);
int		probe_write(void *, const uint64_t *);
void		probe_words(uint32_t, size_t, uint64_t *);
uint32_t	probe_decode(const uint64_t *, size_t);
size_t		probe_word_offset(int);
ssize_t		probe_gup(char *const *, size_t, uint64_t *);
int		probe_oracle(void *, int);
int		probe_mem_open(pid_t);
int		probe_mem(int, const void *, uint64_t *);

#define VGS_PROBE_WORDS	3

#endif
