/*
 * child_deadline.c: how long a forked child may take.  Children here
 * take milliseconds, and may take a hundred times that under emulation
 * (QEMU TCG): a fixed deadline is either far too long for a kernel on
 * which forks hang (each hung child costs all of it) or too short for a
 * slow machine.  So the deadline follows what the children of this run
 * took; the rule is in child.h, --help and the man page:
 *
 *   nothing finished yet       the ceiling (--child-timeout, 10 s);
 *                              after a miss, the floor: forks hang
 *   otherwise                  20 x the slowest so far, in [1 s, ceiling]
 *   past it, still running     a tick more at a time, up to the ceiling
 *
 * Only children run with the adaptive deadline (child_run(), or
 * child_start() with 0) teach it; those given their own (stress groups,
 * minimisation, races) neither learn nor extend.
 */
#include "vgs.h"
#include "child.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* What the adaptive deadline has learnt. */
static unsigned		 ceiling_ms = 10000;
static unsigned		 nfinished;
static double		 slowest;	/* seconds, of those finished */
static int		 blind_miss;	/* a miss before any finished */

/* The longest deadline a child gets (--child-timeout), in ms. */
void
child_set_timeout(unsigned ms)
{
	ceiling_ms = ms;
}

/* The ceiling: --child-timeout. */
unsigned
child_ceiling(void)
{
	return (ceiling_ms);
}

/* The deadline the next child_run() child gets, in ms. */
unsigned
child_timeout(void)
{
	double	ms;

	if (nfinished == 0)
		return (blind_miss && ceiling_ms > VGS_DEADLINE_FLOOR_MS ?
		    VGS_DEADLINE_FLOOR_MS : ceiling_ms);
	ms = slowest * 1000 * VGS_DEADLINE_MULT;
	if (ms < VGS_DEADLINE_FLOOR_MS)
		ms = VGS_DEADLINE_FLOOR_MS;
	return (ms >= ceiling_ms ? ceiling_ms : (unsigned)ms + 1);
}

/* How many children finished by themselves, and the slowest (s). */
void
child_stats(unsigned *n, double *max)
{
	*n = nfinished;
	*max = slowest;
}

/* Is the task whose stat file is path running (state R)? */
static int
task_running(const char *path)
{
	FILE	*f;
	char	 buf[256], *p;

	if ((f = fopen(path, "re")) == NULL)
		return (0);
	p = fgets(buf, sizeof buf, f);
	fclose(f);
	return (p != NULL && (p = strrchr(buf, ')')) != NULL && p[1] == ' ' &&
	    p[2] == 'R');
}

/*
 * Is any thread of any process of the tree under pid running, or
 * waiting for a CPU (state R)?  Depth-limited; without
 * /proc/PID/task/TID/children only pid's own threads are looked at.
 */
static int
tree_running(pid_t pid, int depth)
{
	DIR		*d;
	FILE		*f;
	struct dirent	*t;
	char		 path[96];
	long		 kid;
	int		 running = 0;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return (0);
	while (!running && (t = readdir(d)) != NULL) {
		if (t->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%.16s/stat",
		    (int)pid, t->d_name);
		running = task_running(path);
		if (running || depth == 0)
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%.16s/children",
		    (int)pid, t->d_name);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		while (!running && fscanf(f, "%ld", &kid) == 1)
			running = tree_running((pid_t)kid, depth - 1);
		fclose(f);
	}
	closedir(d);
	return (running);
}

/*
 * Seconds left before c's deadline.  An adaptive deadline is only a
 * guess: a child whose processes still run (a loaded or emulated
 * machine) gets another tick, up to the ceiling; one whose processes
 * all sleep is what a hang looks like.
 */
double
child_deadline_left(struct child *c)
{
	double	left = c->start + c->ms / 1000.0 - vgs_now();

	while (left <= 0 && c->learn && !vgs_stop && c->ms < ceiling_ms &&
	    tree_running(c->pid, 3)) {
		c->ms = c->ms + VGS_TICK_MS < ceiling_ms ?
		    c->ms + VGS_TICK_MS : ceiling_ms;
		left = c->start + c->ms / 1000.0 - vgs_now();
	}
	return (left);
}

/* A child with the adaptive deadline ended: learn from its time. */
void
child_deadline_learn(const struct child_result *res, int finished)
{
	if (finished) {
		nfinished++;
		if (res->seconds > slowest)
			slowest = res->seconds;
	} else if (res->timed_out && nfinished == 0)
		blind_miss = 1;
}
