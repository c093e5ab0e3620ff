/*
 * unit-model.h: what the model's unit programs share: the expected state
 * of a model in the notation of doc/behaviour.md §1.2, VMAs and markers only.
 */
#ifndef UNIT_MODEL_H
#define UNIT_MODEL_H

#include "model.h"
#include "state.h"

#include "unit.h"

#define RW	(PROT_READ | PROT_WRITE)

/* The expected state in notation, VMAs and markers only. */
static char *
expect(const struct model *m)
{
	struct state	 st;
	char		*f;

	state_init(&st, m->npages);
	model_expect(m, &st);
	st.have = VGS_HAVE_VMAS | VGS_HAVE_MARKS;
	f = state_format(&st);
	state_free(&st);
	return (f);
}

#define EXPECT(m, want) do {						\
	char *f_ = expect(m);						\
	UNIT_STREQ(f_, want);						\
	free(f_);							\
} while (0)

#endif
