/*
 * fuzz-options.c: libFuzzer target for the strict number, duration and
 * backing-list parsers behind the command line.  The first byte picks
 * the parser, the rest is the argument.  Beyond not crashing, each
 * verdict is checked against a slow reference: a number is accepted
 * exactly when it is plain decimal digits without overflow, and a
 * duration exactly when it is digits and a known unit within a week.
 */
#include "vgs.h"
#include "model.h"
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WEEK_MS	(7ULL * 24 * 3600 * 1000)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Plain decimal without overflow: 0 and the value, or -1. */
static int
ref_u64(const char *s, size_t n, uint64_t *v)
{
	size_t	i;

	*v = 0;
	if (n == 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		if (*v > (UINT64_MAX - (s[i] - '0')) / 10)
			return (-1);
		*v = *v * 10 + (s[i] - '0');
	}
	return (0);
}

static void
check_u64(const char *s, uint64_t min, uint64_t max)
{
	uint64_t	v = 0, r;
	int		ok;

	ok = options_parse_u64(s, min, max, &v) == 0;
	if (ok != (ref_u64(s, strlen(s), &r) == 0 && r >= min && r <= max))
		abort();
	if (ok && v != r)
		abort();
	if (!ok && errno != EINVAL && errno != ERANGE)
		abort();
}

static void
check_duration(const char *s)
{
	static const struct {
		const char	*suffix;
		uint64_t	 mult;
	} units[] = { { "", 1000 }, { "s", 1000 }, { "ms", 1 },
	    { "m", 60000 }, { "h", 3600000 } };
	uint64_t	ms = 0, r;
	size_t		n, i;
	int		ok, want = 0;

	ok = options_parse_duration(s, &ms) == 0;
	n = strspn(s, "0123456789");
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		/* The parser takes at most 31 digits, zeros included. */
		if (strcmp(s + n, units[i].suffix) == 0 && n < 32 &&
		    ref_u64(s, n, &r) == 0 && r <= WEEK_MS / units[i].mult) {
			want = 1;
			if (ok && ms != r * units[i].mult)
				abort();
		}
	}
	if (ok != want)
		abort();
}

static void
check_backings(const char *s)
{
	unsigned	mask = 0;
	char		err[256];

	err[0] = '\0';
	if (options_parse_backings(s, &mask, err, sizeof err) == 0) {
		if (mask == 0 || (mask & ~VGS_BACKING_ALL) != 0)
			abort();
	} else if (err[0] == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s;
	uint64_t	 lo, hi;

	if (size == 0)
		return (0);
	/* A C string, as getopt hands it over: stop at the first NUL. */
	s = malloc(size);
	if (s == NULL)
		abort();
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		check_u64(s, 0, UINT64_MAX);
		break;
	case 1:
		lo = data[0] >> 2;
		hi = lo + 1000;
		check_u64(s, lo, hi);
		break;
	case 2:
		check_duration(s);
		break;
	default:
		check_backings(s);
		break;
	}
	free(s);
	return (0);
}
