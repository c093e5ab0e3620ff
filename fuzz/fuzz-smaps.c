/*
 * fuzz-smaps.c: libFuzzer target for the smaps parser.  Any text must
 * parse or be refused with a message, never read outside the input
 * (the input is not NUL-terminated, like a read() buffer), and what
 * parses must clip to an area and format without trouble.
 */
#include "vgs.h"
#include "smaps.h"
#include "state.h"

#include <stdlib.h>
#include <string.h>

#define AREA_PAGES	16

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct smaps	 sm;
	struct state		 st;
	char			 err[256], *f;
	uintptr_t		 base;
	size_t			 i;

	vgs_page_size = 4096;
	err[0] = '\0';
	if (smaps_parse(&sm, (const char *)data, size, err, sizeof err) != 0) {
		/* A refusal always says why, in one line. */
		if (err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
		return (0);
	}
	for (i = 0; i < sm.n; i++) {
		if (sm.ent[i].end < sm.ent[i].start || !sm.ent[i].has_vmflags)
			abort();
	}
	/* An area at the first entry, and one starting before it. */
	base = sm.n > 0 ? sm.ent[0].start : 0;
	state_init(&st, AREA_PAGES);
	smaps_area(&sm, base, AREA_PAGES, vgs_page_size, &st);
	for (i = 0; i < st.nvmas; i++) {
		if (st.vmas[i].first + st.vmas[i].npages > AREA_PAGES)
			abort();
	}
	f = state_format(&st);
	free(f);
	f = state_strips(&st, "fuzz");
	free(f);
	if (base >= 2 * vgs_page_size) {
		smaps_area(&sm, base - 2 * vgs_page_size, AREA_PAGES,
		    vgs_page_size, &st);
		f = state_format(&st);
		free(f);
	}
	state_free(&st);
	return (0);
}
