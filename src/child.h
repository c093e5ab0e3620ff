/*
 * child.h: running work in a forked child with a deadline, and the
 * process's signal and clean-up discipline.
 */
#ifndef CHILD_H
#define CHILD_H

#include <sys/types.h>

#include <signal.h>
#include <stddef.h>

#define VGS_CHILD_TEXT	8192

struct child_result {
	int		status;		/* its exit status, or -1 */
	int		signo;		/* signal that killed it, or 0 */
	int		timed_out;
	int		stuck;		/* SIGKILL did not end it: D */
	unsigned	deadline_ms;	/* the deadline it was given */
	double		seconds;
	char		text[VGS_CHILD_TEXT];	/* what it said */
};

/* A child started by child_start(), until child_wait(). */
struct child {
	pid_t		 pid;
	int		 fd;		/* the read end of its pipe */
	double		 start;
	unsigned	 ms;		/* its deadline */
	int		 learn;		/* its time feeds the deadline */
};

#define VGS_TICK_MS	250

/*
 * The adaptive deadline (child_timeout()): the ceiling until a child
 * has finished; then DEADLINE_MULT times the slowest child so far, at
 * least DEADLINE_FLOOR_MS and at most the ceiling.  A child that misses
 * the ceiling before any has finished makes the floor the deadline until
 * one does: every fork may hang on this kernel.  A child past an
 * adaptive deadline whose processes still run (state R: working, or
 * waiting for a CPU) is given more time in ticks, up to the ceiling:
 * only a child that sleeps, as hung ones do, is killed early.
 */
#define VGS_DEADLINE_FLOOR_MS	1000
#define VGS_DEADLINE_MULT	20

void	 child_set_timeout(unsigned);
unsigned child_ceiling(void);
unsigned child_timeout(void);
void	 child_stats(unsigned *, double *);
void	 child_set_tick(int (*)(void *), void *);
void	 child_signals_init(void);
int	 child_run(int (*)(void *), void *, struct child_result *);
int	 child_run_for(int (*)(void *), void *, unsigned,
	    struct child_result *);
int	 child_start(int (*)(void *), void *, unsigned, struct child *);
int	 child_wait(struct child *, struct child_result *);
void	 child_say(const char *, ...) __attribute__((format(printf, 1, 2)));
int	 child_is_child(void);
void	 child_kill_all(void);
void	 child_abandon_all(void);
void	 child_die_with_parent(pid_t);
int	 child_reap_killed(pid_t, int *);

/* child_deadline.c, for child.c. */
double	 child_deadline_left(struct child *);
void	 child_deadline_learn(const struct child_result *, int);

#endif
