/*
 * watchdog.h: a deadline for the work a check does in the tool's own
 * process, where no child deadline applies.
 */
#ifndef WATCHDOG_H
#define WATCHDOG_H

#include <stddef.h>

#include "vgs.h"

/* The deadline is the --child-timeout ceiling, but never below this. */
#define VGS_WATCHDOG_MIN_MS	10000

void		 watchdog_start(unsigned);
enum outcome	 watchdog_call(const char *, enum outcome (*)(void *),
		    void *, char *, size_t);
void		 watchdog_pause(void);
void		 watchdog_resume(void);
void		 watchdog_poke(void);

#endif
