/*
 * observe.h: fill a struct state from what the kernel shows for an area.
 */
#ifndef OBSERVE_H
#define OBSERVE_H

#include <stddef.h>

struct arena;
struct features;
struct state;

void	observe_init(const struct features *);
int	observe_area(const struct arena *, unsigned, struct state *, char *,
	    size_t);
void	observe_free(void);
void	observe_page(char *, size_t, unsigned, struct state *);

#endif
