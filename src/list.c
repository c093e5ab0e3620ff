/*
 * list.c: what a run with the same selection (-r, -x, -b) would check,
 * without running anything (--list): the catalogue in run order, then
 * the stress phase, each with the backings it applies to and, for the
 * selected backings it does not apply to, why ("n/a").  Three forms:
 * text for a person, names (one a line) for scripts and completion, and
 * JSON Lines for tools.  Nothing here probes the kernel: a check listed
 * may still be skipped for what the kernel lacks.
 */
#include "vgs.h"
#include "backing.h"
#include "list.h"
#include "options.h"
#include "report.h"
#include "report_writer.h"
#include "scenario.h"
#include "stress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stress phase (stress_run.c), listed like a catalogue entry. */
static const struct scenario stress_entry = {
	.name = "stress",
	.claim = "random operations on each backing, the model judging every "
	    "one (-t, -n)",
	.rule = "7.9",
	.backings = VGS_BACKING_ALL,
};

static const struct {
	unsigned	 bit;
	const char	*name;
} need_names[] = {
	{ VGS_NEED_GU, "gu" },
	{ VGS_NEED_THP, "thp" },
	{ VGS_NEED_SOFTDIRTY, "softdirty" },
};

static int
stress_selected(const struct vgs_opts *o)
{
	if (o->run != NULL && !vgs_list_has(o->run, "stress"))
		return (0);
	return (!vgs_list_has(o->exclude, "stress"));
}

/* Selected backings sc applies to, as a mask. */
static unsigned
applies_mask(const struct scenario *sc, const struct vgs_opts *o)
{
	return (sc->backings & o->backings);
}

static void
list_text(const struct scenario *sc, const struct vgs_opts *o)
{
	int	b;

	report_text("%-20s %s\n", sc->name, sc->claim);
	for (b = 0; b < VGS_BACKING_COUNT; b++) {
		if (!(o->backings & VGS_BACKING_BIT(b)) ||
		    scenario_applies(sc, b))
			continue;
		report_text("%-20s n/a %s: %s\n", "", backing_name(b),
		    sc->na_reason ? sc->na_reason : "");
	}
}

/* One JSON object on one line; strings escaped as in --json. */
static void
list_json(const struct scenario *sc, const struct vgs_opts *o,
    size_t pages)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 len = 0, i;
	int	 b, first;

	if ((f = open_memstream(&line, &len)) == NULL)
		fatal("open_memstream");
	fputs("{\"name\":", f);
	report_json_string(f, sc->name);
	fputs(",\"claim\":", f);
	report_json_string(f, sc->claim);
	fputs(",\"rule\":", f);
	report_json_string(f, sc->rule ? sc->rule : "");
	fputs(",\"needs\":[", f);
	for (i = 0, first = 1; i < sizeof need_names / sizeof need_names[0];
	    i++) {
		if (!(sc->needs & need_names[i].bit))
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ",", need_names[i].name);
		first = 0;
	}
	fprintf(f, "],\"pages\":%zu,\"backings\":[", pages);
	for (b = 0, first = 1; b < VGS_BACKING_COUNT; b++) {
		if (!(applies_mask(sc, o) & VGS_BACKING_BIT(b)))
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ",", backing_name(b));
		first = 0;
	}
	fputs("],\"not_applicable\":{", f);
	for (b = 0, first = 1; b < VGS_BACKING_COUNT; b++) {
		if (!(o->backings & VGS_BACKING_BIT(b)) ||
		    scenario_applies(sc, b))
			continue;
		fprintf(f, "%s\"%s\":", first ? "" : ",", backing_name(b));
		report_json_string(f, sc->na_reason ? sc->na_reason : "");
		first = 0;
	}
	fputs("}}\n", f);
	if (fclose(f) != 0)
		fatal("open_memstream");
	report_text("%s", line);
	free(line);
}

static void
list_one(const struct scenario *sc, const struct vgs_opts *o, size_t pages)
{
	switch (o->list) {
	case VGS_LIST_NAMES:
		if (applies_mask(sc, o) != 0)
			report_text("%s\n", sc->name);
		break;
	case VGS_LIST_JSON:
		list_json(sc, o, pages);
		break;
	default:
		list_text(sc, o);
		break;
	}
}

/* --list in the format the options ask for. */
void
list_print(const struct vgs_opts *o)
{
	size_t	i;

	for (i = 0; i < scenario_count; i++) {
		if (scenario_selected(scenario_table[i], o))
			list_one(scenario_table[i], o,
			    scenario_npages(scenario_table[i]));
	}
	if (stress_selected(o))
		list_one(&stress_entry, o, o->pages ? o->pages :
		    VGS_STRESS_PAGES);
}

/*
 * A selection that leaves nothing to check is a usage error, with the
 * reason: "-r zap-truncate -b anon" would otherwise run nothing and pass.
 */
void
list_require_checks(const struct vgs_opts *o)
{
	const struct scenario	*sc = NULL;
	size_t			 i;
	int			 b;

	if (stress_selected(o) || scenario_count_checks(o) > 0)
		return;
	for (i = 0; i < scenario_count && sc == NULL; i++) {
		if (scenario_selected(scenario_table[i], o))
			sc = scenario_table[i];
	}
	if (sc == NULL)
		usage_error("--run and --exclude leave nothing to run");
	for (b = 0; b < VGS_BACKING_COUNT; b++) {
		if (o->backings & VGS_BACKING_BIT(b))
			break;
	}
	usage_error("nothing to run: %s does not apply to %s: %s (see "
	    "--list)", sc->name, backing_name(b), sc->na_reason ?
	    sc->na_reason : "");
}
