/*
 * observe.c: the observers put together.  For an area it reads, in this
 * order, the VMAs (smaps), the markers (pagemap bit 58, then
 * PAGEMAP_SCAN where the kernel has PAGE_IS_GUARD) and finally access,
 * content and writes (the probes), because probing faults pages in and
 * must come last.  Nothing here judges.
 *
 * The stress engine observes in pieces instead: observe_vmas() streams
 * smaps through a bounded buffer and keeps only the area's VMAs (smaps
 * text is about 1 KB per VMA of the process: 60 MB near the kernel's
 * 65530-VMA limit), and observe_pages() looks at each page of a window
 * the way its caller chose: an exception (a fault taken by a load) is
 * what observing a page costs most, so a page that is readable is read
 * with a plain load, one that is not present is read through the
 * kernel (process_vm_readv), and one that should fault is asked of the
 * kernel (MADV_POPULATE_READ) unless the caller wants the signal itself.
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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SMAPS_CHUNK	(256 * 1024)

static const struct features	*feat;
static struct smaps		 sm;
static uint64_t			*pm;
static size_t			 pm_cap;
static char			*sbuf;		/* observe_vmas() */
static size_t			 sbuf_cap;
static struct smaps		 spart;
static char			**gup_pages;	/* observe_pages() */
static size_t			*gup_index;
static uint64_t			*gup_words;
static size_t			 gup_cap;

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
	smaps_free(&spart);
	free(pm);
	free(sbuf);
	free(gup_pages);
	free(gup_index);
	free(gup_words);
	pm = NULL;
	sbuf = NULL;
	gup_pages = NULL;
	gup_index = NULL;
	gup_words = NULL;
	pm_cap = sbuf_cap = gup_cap = 0;
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
		r = pagemap_scan(ar->pagemap_fd, base, ar->npages, st->scan,
		    &nreg);
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

/* Where the last whole entry of smaps text ends (after its VmFlags). */
static size_t
whole_entries(const char *buf, size_t len)
{
	const char	*q, *nl;

	for (q = buf + len; q > buf; q--) {
		if (q[-1] != '\n' || (size_t)(buf + len - q) < 8 ||
		    memcmp(q, "VmFlags:", 8) != 0)
			continue;
		if ((nl = memchr(q, '\n', buf + len - q)) == NULL)
			continue;
		return ((size_t)(nl + 1 - buf));
	}
	return (0);
}

/*
 * The VMAs of the area (with their VmFlags) from /proc/PID/smaps (pid
 * 0: this process's) into st's VMA list, read and parsed a bounded
 * piece at a time.  0, or -1 with err.
 */
int
observe_vmas(const struct arena *ar, pid_t pid, struct state *st, char *err,
    size_t errsz)
{
	char		path[64];
	size_t		len = 0, end;
	ssize_t		n;
	uint64_t	t0 = metrics_now();
	int		fd, past, rc = -1;

	st->nvmas = 0;
	if (pid == 0)
		snprintf(path, sizeof path, "/proc/self/smaps");
	else
		pagemap_proc_path(path, pid, "smaps");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "open %s: %s", path, strerror(errno));
		return (-1);
	}
	for (;;) {
		if (sbuf_cap - len < SMAPS_CHUNK / 4) {
			sbuf_cap = sbuf_cap ? sbuf_cap * 2 : SMAPS_CHUNK;
			sbuf = xreallocarray(sbuf, sbuf_cap, 1);
		}
		n = read(fd, sbuf + len, sbuf_cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errsz, "read %s: %s", path,
			    strerror(errno));
			goto out;
		}
		len += (size_t)n;
		end = n == 0 ? len : whole_entries(sbuf, len);
		if (end > 0) {
			if (smaps_parse(&spart, sbuf, end, err, errsz) != 0)
				goto out;
			past = smaps_area_add(&spart, (uintptr_t)ar->base,
			    ar->npages, vgs_page_size, st);
			memmove(sbuf, sbuf + end, len - end);
			len -= end;
			/*
			 * Past the area's end, nothing more is the area's:
			 * the kernel makes the text a page at a time,
			 * walking each VMA's page tables, and the
			 * libraries and stack above are spared.
			 */
			if (past)
				break;
		}
		if (n == 0)
			break;
	}
	st->have |= VGS_HAVE_VMAS;
	rc = 0;
out:
	close(fd);
	metrics_add(VGS_MET_SMAPS, metrics_now() - t0);
	return (rc);
}

/* A load's outcome: its access class, and what it read. */
static void
saw(struct state *st, size_t i, char acc, const uint64_t *w, size_t pg)
{
	st->access[i] = acc;
	st->data[i] = acc == VGS_ACC_READ ? probe_decode(w, pg) :
	    VGS_DATA_UNKNOWN;
}

/* The VGS_LOOK_GUP pages: one process_vm_readv for all of them. */
static void
look_gup(const struct arena *ar, size_t lo, size_t ngup, struct state *st)
{
	uint64_t	w[VGS_PROBE_WORDS], t0 = metrics_now();
	size_t		done = 0, k;
	ssize_t		got;

	while (done < ngup) {
		got = probe_gup(gup_pages + done, ngup - done,
		    gup_words + done * VGS_PROBE_WORDS);
		for (k = 0; got > 0 && k < (size_t)got; k++)
			saw(st, gup_index[done + k], VGS_ACC_READ,
			    gup_words + (done + k) * VGS_PROBE_WORDS,
			    lo + gup_index[done + k]);
		done += got > 0 ? (size_t)got : 0;
		if (done == ngup)
			break;
		/*
		 * The kernel would not read this page (or the call is not
		 * there): what a load sees, signal and all, is the answer.
		 */
		k = gup_index[done];
		saw(st, k, probe_access(arena_page(ar, lo + k), w), w, lo + k);
		done++;
	}
	metrics_add_n(VGS_MET_GUP, ngup, metrics_now() - t0);
}

/*
 * The page frame a pagemap entry maps (0: none, or none shown: only
 * CAP_SYS_ADMIN sees frame numbers).
 */
static uint64_t
frame(uint64_t e)
{
	return ((e & VGS_PM_PRESENT) ? e & ((1ULL << 55) - 1) : 0);
}

/*
 * Another process's pages (a fork child's, looked at from its parent).
 * A page the child maps from the very frame the parent maps holds what
 * the parent's page holds, which is the parent's to judge: it is
 * counted (rm->same) and not read.  Others (frames not shown, or not
 * the same) are read through its /proc/PID/mem, where
 * rm->keep says so; the fd is opened at the first such read (-2 in
 * rm->memfd when that failed, with errno).  No access probes.
 */
static void
look_remote(const struct arena *ar, size_t lo, size_t n,
    const unsigned char *how, struct state *st, struct remote *rm)
{
	uint64_t	w[VGS_PROBE_WORDS], t0 = metrics_now(), f;
	size_t		i, k = 0;

	for (i = 0; i < n; i++) {
		if (how[i] == VGS_LOOK_EMPTY)
			st->data[i] = VGS_DATA_ZERO;
		if (how[i] != VGS_LOOK_READ && how[i] != VGS_LOOK_GUP)
			continue;
		f = frame(rm->child[i]);
		if (f != 0 && rm->parent != NULL &&
		    f == frame(rm->parent[i])) {
			rm->same++;
			continue;
		}
		if (rm->keep != NULL && !rm->keep[i])
			continue;
		if (rm->memfd == -1 && (rm->memfd =
		    pagemap_proc_open(rm->pid, "mem")) == -1) {
			rm->memfd = -2;		/* errno says why */
			break;
		}
		/* A read the kernel refuses: a load would fault. */
		saw(st, i, probe_mem(rm->memfd, arena_page(ar, lo + i),
		    w) != 0 ? VGS_ACC_FAULT : VGS_ACC_READ, w, lo + i);
		k++;
	}
	metrics_add_n(VGS_MET_GUP, k, metrics_now() - t0);
	st->have |= VGS_HAVE_ACCESS | VGS_HAVE_DATA;
}

/*
 * Look at pages lo..lo+n-1 of the area as how[i] (VGS_LOOK_*) says,
 * into st's access and data (window-relative).  Pages looked at
 * otherwise than by a load or process_vm_readv have no data.  With rm
 * (not NULL) the pages are another process's (look_remote()); a page
 * that should fault is not looked at then.
 */
void
observe_pages(const struct arena *ar, size_t lo, size_t n,
    const unsigned char *how, struct state *st, struct remote *rm)
{
	uint64_t	w[VGS_PROBE_WORDS], t0 = metrics_now(), t1, other = 0;
	size_t		i, ngup = 0, nread = 0;
	char		*p;
	int		rc;

	if (rm != NULL) {
		look_remote(ar, lo, n, how, st, rm);
		return;
	}
	for (i = 0; i < n; i++) {
		p = arena_page(ar, lo + i);
		switch (how[i]) {
		case VGS_LOOK_READ:
			saw(st, i, probe_access(p, w), w, lo + i);
			nread++;
			break;
		case VGS_LOOK_FAULT:
			t1 = metrics_now();
			saw(st, i, probe_access(p, w), w, lo + i);
			t1 = metrics_now() - t1;
			metrics_add(VGS_MET_PROBE, t1);
			other += t1;
			break;
		case VGS_LOOK_ORACLE:
			t1 = metrics_now();
			rc = probe_oracle(p, 0);
			if (rc != 0) {
				/* Refused: a load would fault, of which
				 * class the kernel does not say. */
				st->access[i] = VGS_ACC_FAULT;
				st->data[i] = VGS_DATA_UNKNOWN;
			} else
				saw(st, i, probe_access(p, w), w, lo + i);
			t1 = metrics_now() - t1;
			metrics_add(VGS_MET_ORACLE, t1);
			other += t1;
			break;
		case VGS_LOOK_EMPTY:
			st->data[i] = VGS_DATA_ZERO;
			break;
		case VGS_LOOK_GUP:
			if (ngup == gup_cap) {
				gup_cap = gup_cap ? gup_cap * 2 : 256;
				gup_pages = xreallocarray(gup_pages, gup_cap,
				    sizeof *gup_pages);
				gup_index = xreallocarray(gup_index, gup_cap,
				    sizeof *gup_index);
				gup_words = xreallocarray(gup_words, gup_cap,
				    VGS_PROBE_WORDS * sizeof *gup_words);
			}
			gup_pages[ngup] = p;
			gup_index[ngup++] = i;
			break;
		default:
			break;
		}
	}
	if (nread > 0)
		metrics_add_n(VGS_MET_READ, nread, metrics_now() - t0 - other);
	if (ngup > 0)
		look_gup(ar, lo, ngup, st);
	st->have |= VGS_HAVE_ACCESS | VGS_HAVE_DATA;
}
