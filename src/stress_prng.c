/*
 * stress_prng.c: random numbers for the stress engine and the choice of each
 * operation.  The generator is xoshiro256** seeded through splitmix64;
 * both are a few lines of published arithmetic, identical everywhere,
 * so a seed names one operation sequence for good.
 *
 * An operation depends only on the generator state, the area size and
 * its index, never on what the kernel or the model said: replaying a
 * seed with -n gives the same operations even where the first run
 * failed, and workers regenerate nothing from one another.
 *
 * Range lengths are drawn as 1 + below(2^k), k in 0..6: mostly short,
 * never above 64 pages, so the cost of one operation does not grow with
 * the area (see bench/run).
 */
#include "vgs.h"
#include "stress_ops.h"
#include "stress_prng.h"

#define MAX_RANGE_LOG	6

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z;

	z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static uint64_t
rotl(uint64_t x, int k)
{
	return ((x << k) | (x >> (64 - k)));
}

/* Seed a generator; every seed, 0 included, gives a usable state. */
void
prng_seed(struct prng *p, uint64_t seed)
{
	uint64_t	x = seed;
	int		i;

	for (i = 0; i < 4; i++)
		p->s[i] = splitmix64(&x);
}

/* The next 64 random bits. */
uint64_t
prng_next(struct prng *p)
{
	uint64_t	r, t;

	r = rotl(p->s[1] * 5, 7) * 9;
	t = p->s[1] << 17;
	p->s[2] ^= p->s[0];
	p->s[3] ^= p->s[1];
	p->s[1] ^= p->s[2];
	p->s[0] ^= p->s[3];
	p->s[2] ^= t;
	p->s[3] = rotl(p->s[3], 45);
	return (r);
}

/* A uniform number in [0, n), n > 0, without modulo bias. */
uint64_t
prng_below(struct prng *p, uint64_t n)
{
	uint64_t	r, lim;

	if (n <= 1)
		return (0);
	lim = UINT64_MAX - UINT64_MAX % n;
	do
		r = prng_next(p);
	while (r >= lim);
	return (r % n);
}

/*
 * The seed of sub-stream k of a run seeded with seed: worker k's seed
 * (k > 0; worker 0 runs on the run seed itself, so that the seed a
 * failure report prints replays with one worker) or the sampler of a
 * stream.
 */
uint64_t
prng_derive(uint64_t seed, uint64_t k)
{
	uint64_t	x = seed ^ (k * 0xd1b54a32d192ed03ULL);

	splitmix64(&x);
	return (splitmix64(&x) % 1000000000000ULL);
}

static void
pick_range(struct prng *p, size_t npages, struct op *op)
{
	uint64_t	cap, len;

	op->first = (uint32_t)prng_below(p, npages);
	cap = 1ULL << prng_below(p, MAX_RANGE_LOG + 1);
	len = 1 + prng_below(p, cap);
	if (len > npages - op->first)
		len = npages - op->first;
	op->n = (uint32_t)len;
}

/*
 * Draw operation number index for an area of npages pages.  Write tags
 * come from the index so that a shortened sequence keeps its tags.
 */
void
prng_op(struct prng *p, size_t npages, uint64_t index, struct op *op)
{
	uint64_t	r;
	size_t		i;

	/* The mix: op_table's weights, in percent, in its order. */
	r = prng_below(p, 100);
	for (i = 0; i < VGS_OP_COUNT - 1 && r >= op_table[i].weight; i++)
		r -= op_table[i].weight;
	op->kind = (enum op_kind)i;
	op->first = op->n = op->arg = 0;
	if (!op_table[i].ranged)
		return;
	pick_range(p, npages, op);
	switch (op_table[i].arg) {
	case VGS_ARG_PROT:
		r = prng_below(p, 4);
		op->arg = r < 2 ? PROT_READ | PROT_WRITE :
		    r == 2 ? PROT_READ : PROT_NONE;
		break;
	case VGS_ARG_ADVICE:
		r = prng_below(p, op_nadvices);
		op->arg = (uint32_t)op_advices[r].value;
		break;
	case VGS_ARG_TAG:
		op->arg = (uint32_t)(VGS_TAG_FIRST_STRESS +
		    index % 0x7fff0000ULL);
		break;
	default:
		break;
	}
}
