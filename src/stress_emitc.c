/*
 * stress_emitc.c: turn an operation sequence into a standalone C program (libc
 * only, "cc FILE") that performs it on an area laid out as the engine's
 * and, after every operation, checks the whole area against what the
 * model expected then: markers (pagemap bit 58), VMAs with permissions
 * and the flags the operations touch (smaps), readability and content.
 * The expectations are computed here, by running the model alongside
 * (stress_model_op, model_fork); the program embeds them as strings, so
 * it needs nothing of vmaguard-stress.  It exits 1 where the kernel
 * differs, 0 where it agrees, 77 without guard regions: what a developer
 * attaches to a bug report.
 */
#include "vgs.h"
#include "arena.h"
#include "model.h"
#include "state.h"
#include "stress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* An operation's advice as its C symbol. */
static const char *
advice_name(const struct op *op)
{
	const struct op_advice	*a;

	if (op->kind == VGS_OP_DONTNEED)
		return ("MADV_DONTNEED");
	a = op_advice_of((int)op->arg);
	return (a != NULL ? a->sym : "0");
}

/* An errno value as C: its symbol, or the number where none is known. */
static const char *
errno_name(int e)
{
	static char	num[16];

	if (e == 0 || strerrorname_np(e) == NULL) {
		snprintf(num, sizeof num, "%d", e);
		return (num);
	}
	return (vgs_errno_name(e));
}

/* The expectation of one step as C data: marks, access, data, VMAs. */
static void
emit_state(FILE *f, const char *name, const struct state *st, int gu)
{
	static const unsigned	 fl[] = {
		VGS_VMF_GU, VGS_VMF_WF, VGS_VMF_DC, VGS_VMF_RR
	};
	size_t			 i, j, k;
	int			 any;

	fprintf(f, "static const char %s_marks[] = \"%s\";\n", name,
	    st->marks);
	fprintf(f, "static const char %s_access[] = \"%s\";\n", name,
	    st->access);
	fprintf(f, "static const uint32_t %s_data[] = {", name);
	for (i = 0; i < st->npages; i = j) {
		for (j = i; j < st->npages && st->data[j] == st->data[i]; j++)
			;
		fprintf(f, "%s%zu, %u", i ? ", " : " ", j - i, st->data[i]);
	}
	fprintf(f, ", 0 };\nstatic const char %s_vmas[] = \"", name);
	for (i = 0; i < st->nvmas; i++) {
		fprintf(f, "p%zu-%zu:%s:", st->vmas[i].first,
		    st->vmas[i].first + st->vmas[i].npages - 1,
		    st->vmas[i].perms);
		for (k = any = 0; k < sizeof fl / sizeof fl[0]; k++) {
			if ((k > 0 || gu) && (st->vmas[i].flags & fl[k]))
				fprintf(f, "%s%s", any++ ? "+" : "",
				    state_flag_name(fl[k]));
		}
		fprintf(f, "%s;", any ? "" : "-");
	}
	fprintf(f, "\";\n");
}

static void
emit_op(FILE *f, const struct model *m, const struct op *op, int want)
{
	size_t			 i;
	const struct mpage	*p;

	switch (op->kind) {
	case VGS_OP_INSTALL:
	case VGS_OP_REMOVE:
		fprintf(f, "\tadvise(%u, %u, MADV_GUARD_%s, 0, \"%s\");\n",
		    op->first, op->n, op->kind == VGS_OP_INSTALL ? "INSTALL" :
		    "REMOVE", op->kind == VGS_OP_INSTALL ? "GUARD_INSTALL" :
		    "GUARD_REMOVE");
		break;
	case VGS_OP_PROTECT:
		fprintf(f, "\tprotect(%u, %u, %s);\n", op->first, op->n,
		    op->arg == (PROT_READ | PROT_WRITE) ?
		    "PROT_READ | PROT_WRITE" : op->arg == PROT_READ ?
		    "PROT_READ" : "PROT_NONE");
		break;
	case VGS_OP_ADVISE:
	case VGS_OP_DONTNEED:
		fprintf(f, "\tadvise(%u, %u, %s, %s, \"%s\");\n", op->first,
		    op->n, advice_name(op), errno_name(want),
		    advice_name(op) + 5);
		break;
	case VGS_OP_WRITE:
		fprintf(f, "\twr(%u, %u, \"", op->first, op->arg);
		for (i = op->first; i < op->first + op->n; i++) {
			p = &m->pg[i];
			fputc(p->mapped && !p->guard &&
			    (p->prot & PROT_WRITE) ? 'w' : '.', f);
		}
		fprintf(f, "\");\n");
		break;
	case VGS_OP_REMAP:
		fprintf(f, "\tremap(%u, %u, %u);\n", op->first, op->n,
		    op->arg);
		break;
	case VGS_OP_MREMAP:
		fprintf(f, "\tmoveback(%u, %u, (const size_t[]){ ", op->first,
		    op->n);
		for (i = op->first; i < op->first + op->n; ) {
			size_t	j;

			for (j = i + 1; j < op->first + op->n &&
			    model_same_vma(&m->pg[i], &m->pg[j]); j++)
				;
			fprintf(f, "%zu, %zu, ", j - i, i);
			i = j;
		}
		fprintf(f, "0 });\n");
		break;
	default:
		break;
	}
}

/*
 * Write the program for ops (cfg names the backing, area size, seed
 * and whether gu is judged) to path.  0, or -1 with err.
 */
int
stress_emitc_write(const char *path, const struct stress_cfg *cfg,
    const struct opseq *ops, char *err, size_t errsz)
{
	FILE		*f;
	struct model	 m, cm;
	struct state	 st;
	unsigned	 next_seg = 2;
	size_t		 i, k;
	char		 name[32], buf[VGS_OP_TEXT];
	int		*want;

	if ((f = fopen(path, "w")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	fprintf(f, "/*\n * Reproducer written by %s %s: %zu operations on "
	    "a %s area of %zu pages\n * (stream seed %llu), each followed by "
	    "a check of the whole area\n * against what the model of guard "
	    "regions expects.\n *\n *   cc -o repro %s && ./repro\n *\n"
	    " * Exit status: 0 as expected, 1 the kernel differs (printed), "
	    "77 no guard\n * regions, 99 setup failed.\n *\n", PACKAGE_NAME,
	    PACKAGE_VERSION, ops->n, backing_name(cfg->backing),
	    cfg->npages, (unsigned long long)cfg->seed, path);
	for (i = 0; i < ops->n; i++)
		fprintf(f, " *   %s\n", op_format(&ops->ops[i], buf,
		    sizeof buf));
	fprintf(f, " */\n#define NPAGES\t\t%zu\n#define BACKING\t\t%d\t"
	    "/* anon, shmem, file-shared, file-private */\n"
	    "#define CHECK_GU\t%d\t/* the VM_MAYBE_GUARD series */\n"
	    "#define FIRST_TAG\t%u\n", cfg->npages, (int)cfg->backing,
	    cfg->check_gu ? 1 : 0, VGS_TAG_FIRST_STRESS);
	for (k = 0; stress_emitc_runtime[k] != NULL; k++)
		fprintf(f, "%s\n", stress_emitc_runtime[k]);

	want = xcalloc(ops->n + 1, sizeof *want);
	model_init(&m, cfg->backing, cfg->npages, VGS_TAG_FILE);
	model_map(&m, 0, cfg->npages, PROT_READ | PROT_WRITE, 1);
	model_write(&m, 0, 1, VGS_TAG_FIRST_STRESS);
	state_init(&st, cfg->npages);
	model_expect(&m, &st);
	emit_state(f, "s0", &st, cfg->check_gu);
	for (i = 0; i < ops->n; i++) {
		snprintf(name, sizeof name, "s%zu", i + 1);
		if (ops->ops[i].kind == VGS_OP_FORK) {
			model_fork(&m, &cm);
			model_expect(&cm, &st);
			model_free(&cm);
			snprintf(name, sizeof name, "c%zu", i + 1);
			emit_state(f, name, &st, cfg->check_gu);
			snprintf(name, sizeof name, "s%zu", i + 1);
		}
		want[i] = stress_model_op(&m, &ops->ops[i], &next_seg);
		model_expect(&m, &st);
		emit_state(f, name, &st, cfg->check_gu);
	}

	fprintf(f, "\nint\nmain(void)\n{\n\tsetup();\n"
	    "\tcheck(s0_marks, s0_access, s0_data, s0_vmas);\n");
	model_free(&m);
	model_init(&m, cfg->backing, cfg->npages, VGS_TAG_FILE);
	model_map(&m, 0, cfg->npages, PROT_READ | PROT_WRITE, 1);
	model_write(&m, 0, 1, VGS_TAG_FIRST_STRESS);
	next_seg = 2;
	for (i = 0; i < ops->n; i++) {
		fprintf(f, "\n\twhere = \"after op %zu '%s'\";\n", i + 1,
		    op_format(&ops->ops[i], buf, sizeof buf));
		emit_op(f, &m, &ops->ops[i], want[i]);
		if (ops->ops[i].kind == VGS_OP_FORK)
			fprintf(f, "\tforkcheck(c%zu_marks, c%zu_access, "
			    "c%zu_data, c%zu_vmas);\n", i + 1, i + 1, i + 1,
			    i + 1);
		fprintf(f, "\tcheck(s%zu_marks, s%zu_access, s%zu_data, "
		    "s%zu_vmas);\n", i + 1, i + 1, i + 1, i + 1);
		stress_model_op(&m, &ops->ops[i], &next_seg);
	}
	fprintf(f, "\n\tprintf(\"repro: %%s\\n\", bad ? \"the kernel "
	    "differs from the model (above)\" :\n\t    \"the kernel behaves "
	    "as the model expects\");\n\treturn (bad);\n}\n");
	model_free(&m);
	state_free(&st);
	free(want);
	if (fclose(f) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}
