/*
 * test-pagemap.c: decoding pagemap entries (values from the reference
 * run on 6.18.44) and the per-page data patterns the probe checks.
 */
#include "vgs.h"
#include "pagemap.h"
#include "probe.h"
#include "state.h"

#include "unit.h"

int
main(void)
{
	uint64_t	e[5], w[VGS_PROBE_WORDS];
	char		strip[6];

	vgs_init();
	/* A present page: bit 63 (and exclusive bit 56). */
	UNIT_OK(pagemap_mark(0x810000000012bcd0ULL) == 'p');
	/* A guard entry: bits 62 and 58; 58 must win over "swapped". */
	UNIT_OK(pagemap_mark(0x440000000000009fULL) == 'G');
	UNIT_OK(pagemap_mark(1ULL << 58) == 'G');
	UNIT_OK(pagemap_mark(0) == '.');
	/* Swapped out, not a guard. */
	UNIT_OK(pagemap_mark(1ULL << 62) == 'p');
	/* Soft-dirty alone (bit 55) is nothing mapped. */
	UNIT_OK(pagemap_mark(1ULL << 55) == '.');

	e[0] = 0;
	e[1] = 0x440000000000009fULL;
	e[2] = 0x810000000012bcd0ULL;
	e[3] = 1ULL << 62;
	e[4] = 0x4400000000000000ULL;
	pagemap_marks(e, 5, strip);
	strip[5] = '\0';
	UNIT_STREQ(strip, ".GppG");

	/* Patterns round-trip, and a page at the wrong index is caught. */
	probe_words(1234, 7, w);
	UNIT_OK(probe_decode(w, 7) == 1234);
	UNIT_OK(probe_decode(w, 8) == VGS_DATA_OTHER);
	w[1] ^= 1;
	UNIT_OK(probe_decode(w, 7) == VGS_DATA_OTHER);
	probe_words(VGS_DATA_ZERO, 3, w);
	UNIT_OK(probe_decode(w, 3) == VGS_DATA_ZERO);
	w[0] = 0;
	w[1] = 0;
	w[2] = 5;
	UNIT_OK(probe_decode(w, 3) == VGS_DATA_OTHER);
	UNIT_OK(probe_word_offset(0) == 0);
	UNIT_OK(probe_word_offset(2) == vgs_page_size - 8);
	return (unit_done("test-pagemap"));
}
