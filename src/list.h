/*
 * list.h: --list, and the check that a selection leaves something to run.
 */
#ifndef LIST_H
#define LIST_H

struct vgs_opts;

void	list_print(const struct vgs_opts *);
void	list_require_checks(const struct vgs_opts *);

#endif
