/*
 * stress_prng.h: the stress engine's own random numbers and the random choice
 * of operations.  Never rand(): a seed must give the same operations on
 * every libc and every run.
 */
#ifndef STRESS_PRNG_H
#define STRESS_PRNG_H

#include <stddef.h>
#include <stdint.h>

struct op;

struct prng {
	uint64_t	s[4];
};

void		prng_seed(struct prng *, uint64_t);
uint64_t	prng_next(struct prng *);
uint64_t	prng_below(struct prng *, uint64_t);
uint64_t	prng_derive(uint64_t, uint64_t);
void		prng_op(struct prng *, size_t, uint64_t, struct op *);

#endif
