/*
 * test-smaps.c: the smaps parser on real and doctored text: header
 * detection, whole-token VmFlags, fields starting with hex letters,
 * trailing spaces, a truncated file, and clipping to a test area.
 * The fixture was captured on 6.18.44 with 4 KiB pages (so the area
 * maths below uses 4096: that is the fixture's page size).
 */
#include "vgs.h"
#include "smaps.h"
#include "state.h"

#include "unit.h"

static void
test_fixture(void)
{
	struct smaps		 sm;
	struct state		 st;
	const struct smaps_entry *e;
	char			 path[512], err[256], *text, *f;
	size_t			 len;

	snprintf(path, sizeof path, "%s/tests/fixtures/smaps-6.18.44.txt",
	    unit_srcdir());
	text = unit_slurp(path, &len);
	memset(&sm, 0, sizeof sm);
	UNIT_OK(smaps_parse(&sm, text, len, err, sizeof err) == 0);
	UNIT_OK(sm.n == 27);

	e = smaps_find(&sm, 0x7f916188d000UL);
	UNIT_OK(e != NULL);
	if (e != NULL) {
		UNIT_OK(e->end == 0x7f9161892000UL);
		UNIT_STREQ(e->perms, "rw-p");
		UNIT_OK(e->flags & VGS_VMF_GU);
		UNIT_OK(e->flags & VGS_VMF_AC);
		UNIT_OK(e->has_vmflags);
	}
	e = smaps_find(&sm, 0x7f9161892000UL);
	UNIT_OK(e != NULL && !(e->flags & VGS_VMF_GU));
	UNIT_OK(e != NULL && strcmp(e->perms, "r--p") == 0);
	e = smaps_find(&sm, 0x7f91616a3000UL);
	UNIT_OK(e != NULL && (e->flags & VGS_VMF_GU) &&
	    (e->flags & VGS_VMF_SH));
	UNIT_OK(e != NULL && strcmp(e->name, "/memfd:x (deleted)") == 0);

	/* The area of the fixture: p0-4 rw gu, p5-9 r plain. */
	state_init(&st, 10);
	smaps_area(&sm, 0x7f916188d000UL, 10, 4096, &st);
	f = state_format(&st);
	UNIT_STREQ(f, "count=2 vmas=[5:rw-p:gu,5:r--p:-]");
	free(f);
	/* Clipped: an area that starts inside the first VMA. */
	state_free(&st);
	state_init(&st, 4);
	smaps_area(&sm, 0x7f916188d000UL + 3 * 4096, 4, 4096, &st);
	f = state_format(&st);
	UNIT_STREQ(f, "count=2 vmas=[2:rw-p:gu,2:r--p:-]");
	free(f);
	state_free(&st);

	/*
	 * Read in parts: a part that ends inside the area may be followed
	 * by more of it (0); one with an entry past its end ends it (1).
	 */
	state_init(&st, 10);
	f = strstr(text, "7f9161897000-");
	UNIT_OK(f != NULL);
	if (f != NULL) {
		UNIT_OK(smaps_parse(&sm, text, f - text, err,
		    sizeof err) == 0);
		UNIT_OK(smaps_area_add(&sm, 0x7f916188d000UL, 10, 4096,
		    &st) == 0);
		UNIT_OK(smaps_parse(&sm, f, len - (f - text), err,
		    sizeof err) == 0);
		UNIT_OK(smaps_area_add(&sm, 0x7f916188d000UL, 10, 4096,
		    &st) == 1);
		st.have |= VGS_HAVE_VMAS;
		f = state_format(&st);
		UNIT_STREQ(f, "count=2 vmas=[5:rw-p:gu,5:r--p:-]");
		free(f);
	}
	state_free(&st);

	/* Truncated inside the last entry: an error, not a short list. */
	UNIT_OK(smaps_parse(&sm, text, len - 40, err, sizeof err) == -1);
	UNIT_CONTAINS(err, "truncated");
	/* Truncated right after a header line. */
	f = strstr(text, "7f916188d000-");
	UNIT_OK(f != NULL);
	if (f != NULL) {
		UNIT_OK(smaps_parse(&sm, text, f - text + 50, err,
		    sizeof err) == -1);
	}
	smaps_free(&sm);
	free(text);
}

static void
test_tokens(void)
{
	struct smaps	 sm;
	char		 err[256];
	const char	*t1 =
	    "00400000-00401000 r--p 00000000 08:01 12 /bin/x\n"
	    "AnonHugePages:      2048 kB\n"
	    "FilePmdMapped:         0 kB\n"
	    "THPeligible:    1\n"
	    "VmFlags: rd gux xgu wr \n"
	    "00401000-00403000 rw-p 00000000 00:00 0 \n"
	    "Size:                  8 kB\n"
	    "VmFlags: rd wr gu\n"
	    "00403000-00404000 rw-p 00000000 00:00 0\n"
	    "VmFlags:  wf   dc gu  lo sl  \n";

	memset(&sm, 0, sizeof sm);
	UNIT_OK(smaps_parse(&sm, t1, strlen(t1), err, sizeof err) == 0);
	UNIT_OK(sm.n == 3);
	if (sm.n == 3) {
		/* Fields starting with hex letters are not headers. */
		UNIT_OK(sm.ent[0].anon_huge_kb == 2048);
		UNIT_STREQ(sm.ent[0].name, "/bin/x");
		/* Tokens match whole: gux and xgu are not gu. */
		UNIT_OK(!(sm.ent[0].flags & VGS_VMF_GU));
		/* Last token without a trailing space. */
		UNIT_OK(sm.ent[1].flags & VGS_VMF_GU);
		UNIT_OK((sm.ent[2].flags & (VGS_VMF_WF | VGS_VMF_DC |
		    VGS_VMF_GU | VGS_VMF_LO | VGS_VMF_SL)) == (VGS_VMF_WF |
		    VGS_VMF_DC | VGS_VMF_GU | VGS_VMF_LO | VGS_VMF_SL));
		UNIT_STREQ(sm.ent[2].name, "");
	}
	/* A field before any header. */
	UNIT_OK(smaps_parse(&sm, "Size: 4 kB\n", 11, err, sizeof err) == -1);
	/* A garbled header. */
	UNIT_OK(smaps_parse(&sm, "zz-yy rw-p\nVmFlags: rd\n", 22, err,
	    sizeof err) == -1);
	/* Empty text: no entries, no error. */
	UNIT_OK(smaps_parse(&sm, "", 0, err, sizeof err) == 0 && sm.n == 0);
	smaps_free(&sm);
}

int
main(void)
{
	vgs_init();
	test_fixture();
	test_tokens();
	return (unit_done("test-smaps"));
}
