/*
 * metrics.c: the counters behind --metrics.  An array indexed by kind
 * (in a page of its own, mapped at first use), a monotonic clock in
 * nanoseconds and the start of the run; no output, so any module may
 * call it from anywhere, forked children included (their counts stay in
 * the child).
 */
#include "vgs.h"
#include "metrics.h"

#include <string.h>
#include <time.h>

/*
 * The counters, in a page of their own that fork() does not copy
 * (MADV_WIPEONFORK: a child starts from zero, as metrics_clear() would
 * have it): the stress engine counts right after each fork, and a
 * written page a child shares costs a page fault, or a copy.
 */
struct counters {
	struct metric_value	v[VGS_MET_COUNT];
	int			held;
};
static struct counters	*ctr;
static uint64_t		 start_ns;

static struct counters *
counters(void)
{
	void	*p;

	if (ctr != NULL)
		return (ctr);
	p = mmap(NULL, sizeof *ctr, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap");
	(void)madvise(p, sizeof *ctr, MADV_WIPEONFORK);
	return (ctr = p);
}

static const char *names[VGS_MET_COUNT] = {
	"install", "remove", "mprotect", "madvise", "mmap", "munmap",
	"mremap", "write", "fork", "other-op", "smaps", "pagemap", "scan",
	"probe", "procmap", "read", "gup", "oracle"
};

/* Monotonic time in nanoseconds; the first call starts the run clock. */
uint64_t
metrics_now(void)
{
	struct timespec	ts;
	uint64_t	t;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	if (start_ns == 0)
		start_ns = t;
	return (t);
}

/* Count one operation of kind k that took ns nanoseconds. */
void
metrics_add(enum metric k, uint64_t ns)
{
	struct counters	*c = counters();

	if ((unsigned)k >= VGS_MET_COUNT || c->held)
		return;
	c->v[k].count++;
	c->v[k].ns += ns;
}

/* Count n operations of kind k that took ns nanoseconds together. */
void
metrics_add_n(enum metric k, uint64_t n, uint64_t ns)
{
	struct counters	*c = counters();

	if ((unsigned)k >= VGS_MET_COUNT || c->held)
		return;
	c->v[k].count += n;
	c->v[k].ns += ns;
}

/*
 * Hold (on) or resume counting.  While a fork child lives, every page
 * its parent writes is copied: the stress engine holds the counters
 * from before fork() until the child is gone, so that they stay in
 * one piece (the time goes to the fork as a whole).
 */
void
metrics_hold(int on)
{
	counters()->held = on;
}

/* The count and time of kind k so far. */
void
metrics_get(enum metric k, struct metric_value *v)
{
	if ((unsigned)k >= VGS_MET_COUNT) {
		memset(v, 0, sizeof *v);
		return;
	}
	*v = counters()->v[k];
}

/* The short name of kind k ("install", "smaps"). */
const char *
metrics_name(enum metric k)
{
	if ((unsigned)k >= VGS_MET_COUNT)
		return ("?");
	return (names[k]);
}

/* Whether kind k observes the kernel (1) or acts on it (0). */
int
metrics_is_observation(enum metric k)
{
	return (k >= VGS_MET_FIRST_OBSERVE && k < VGS_MET_COUNT);
}

/* Nanoseconds since the run clock started (metrics_reset or first use). */
uint64_t
metrics_elapsed(void)
{
	uint64_t	t = metrics_now();

	return (t - start_ns);
}

/* The time spent in kernel operations and in observations, in ns. */
void
metrics_totals(uint64_t *ops_ns, uint64_t *observe_ns)
{
	int	k;

	*ops_ns = *observe_ns = 0;
	for (k = 0; k < VGS_MET_COUNT; k++) {
		if (metrics_is_observation(k))
			*observe_ns += counters()->v[k].ns;
		else
			*ops_ns += counters()->v[k].ns;
	}
}

/* Zero every counter and restart the run clock. */
void
metrics_reset(void)
{
	memset(counters()->v, 0, sizeof counters()->v);
	start_ns = 0;
	(void)metrics_now();
}

/* Zero the counters, keep the run clock (a forked worker's fresh start). */
void
metrics_clear(void)
{
	memset(counters()->v, 0, sizeof counters()->v);
}

/* Add another process's counters (VGS_MET_COUNT values) to ours. */
void
metrics_merge(const struct metric_value *v)
{
	int	k;

	for (k = 0; k < VGS_MET_COUNT; k++) {
		counters()->v[k].count += v[k].count;
		counters()->v[k].ns += v[k].ns;
	}
}
