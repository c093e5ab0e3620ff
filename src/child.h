/*
 * child.h: running work in a forked child with a deadline, and the
 * process's signal and clean-up discipline.
 */
#ifndef CHILD_H
#define CHILD_H

#include <signal.h>
#include <stddef.h>

#define VGS_CHILD_TEXT	8192

struct child_result {
	int	status;		/* child's exit status, or -1 */
	int	signo;		/* signal that killed it, or 0 */
	int	timed_out;
	double	seconds;
	char	text[VGS_CHILD_TEXT];	/* what the child said */
};

extern volatile sig_atomic_t vgs_stop;

#define VGS_TICK_MS	250

void	child_set_timeout(unsigned);
void	child_set_tick(void (*)(void *), void *);
unsigned child_timeout(void);
void	child_signals_init(void);
int	child_run(int (*)(void *), void *, struct child_result *);
void	child_say(const char *, ...) __attribute__((format(printf, 1, 2)));
int	child_is_child(void);
void	child_kill_all(void);

#endif
