/*
 * observe.c: the observers put together.  For an area it reads, in this
 * order, the VMAs (smaps), the markers (pagemap bit 58, then
 * PAGEMAP_SCAN where the kernel has PAGE_IS_GUARD) and finally access,
 * content and writes (the probes), because probing faults pages in and
 * must come last.  Nothing here judges.
 */
#include "vgs.h"
#include "arena.h"
#include "feature.h"
#include "metrics.h"
#include "observe.h"
#include "pagemap.h"
#include "probe.h"
#include "smaps.h"
#include "state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct features	*feat;
static struct smaps		 sm;
static uint64_t			*pm;
static size_t			 pm_cap;

/* Observers consult the probed features (PAGEMAP_SCAN or not). */
void
observe_init(const struct features *f)
{
	feat = f;
}

/* Release the observers' buffers. */
void
observe_free(void)
{
	smaps_free(&sm);
	free(pm);
	pm = NULL;
	pm_cap = 0;
}

/*
 * Probe page p, page number i of its area: how a read ends and what it
 * reads; with VGS_HAVE_WRITE, how a write ends, where a write changes
 * nothing the model does not know: a page whose read faulted (the write
 * must fault too; if it lands, the content it leaves is foreign), or a
 * page holding a pattern we wrote, which gets the same words again.
 * Pages of zero or file content are not written: a first write would
 * allocate a page or copy it, which the model cannot follow.
 */
void
observe_page(char *p, size_t i, unsigned what, struct state *st)
{
	uint64_t	w[VGS_PROBE_WORDS];

	st->access[i] = probe_access(p, w);
	st->data[i] = st->access[i] == VGS_ACC_READ ? probe_decode(w, i) :
	    VGS_DATA_UNKNOWN;
	if (!(what & VGS_HAVE_WRITE))
		return;
	if (st->access[i] != VGS_ACC_READ)
		probe_words(VGS_DATA_OTHER - 1, i, w);
	else if (st->data[i] < VGS_TAG_WRITTEN ||
	    st->data[i] == VGS_DATA_OTHER)
		return;
	st->write[i] = probe_store(p, w);
}

/*
 * Observe the parts of the area named by what (VGS_HAVE_*) into st.
 * 0, or -1 with err when an observer could not read the kernel.
 */
int
observe_area(const struct arena *ar, unsigned what, struct state *st,
    char *err, size_t errsz)
{
	uintptr_t	base = (uintptr_t)ar->base;
	uint64_t	t0;
	size_t		i, nreg;
	int		r;

	state_reset(st);
	if (what & VGS_HAVE_VMAS) {
		t0 = metrics_now();
		r = smaps_read(&sm, "/proc/self/smaps", err, errsz);
		metrics_add(VGS_MET_SMAPS, metrics_now() - t0);
		if (r != 0)
			return (-1);
		smaps_area(&sm, base, ar->npages, vgs_page_size, st);
	}
	if (what & VGS_HAVE_MARKS) {
		if (pm_cap < ar->npages) {
			pm = xreallocarray(pm, ar->npages, sizeof *pm);
			pm_cap = ar->npages;
		}
		t0 = metrics_now();
		r = pagemap_read(ar->pagemap_fd, base, ar->npages, pm);
		metrics_add(VGS_MET_PAGEMAP, metrics_now() - t0);
		if (r != 0) {
			snprintf(err, errsz, "read /proc/self/pagemap: %s",
			    strerror(errno));
			return (-1);
		}
		pagemap_marks(pm, ar->npages, st->marks);
		st->have |= VGS_HAVE_MARKS;
	}
	if ((what & VGS_HAVE_SCAN) && feat != NULL && feat->scan_guard) {
		t0 = metrics_now();
		r = pagemap_scan(ar->pagemap_fd, base, ar->npages,
		    VGS_PAGE_IS_GUARD, VGS_PAGE_IS_GUARD, st->scan, &nreg);
		metrics_add(VGS_MET_SCAN, metrics_now() - t0);
		if (r != 0) {
			snprintf(err, errsz, "PAGEMAP_SCAN: %s",
			    strerror(errno));
			return (-1);
		}
		st->have |= VGS_HAVE_SCAN;
	}
	if (what & (VGS_HAVE_ACCESS | VGS_HAVE_DATA | VGS_HAVE_WRITE)) {
		t0 = metrics_now();
		for (i = 0; i < ar->npages; i++)
			observe_page(arena_page(ar, i), i, what, st);
		metrics_add(VGS_MET_PROBE, metrics_now() - t0);
		st->have |= VGS_HAVE_ACCESS | VGS_HAVE_DATA |
		    (what & VGS_HAVE_WRITE);
	}
	return (0);
}
