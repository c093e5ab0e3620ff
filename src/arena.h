/*
 * arena.h: test areas.  An area is npages pages of one backing inside a
 * window bounded by unmergeable border mappings (doc/behaviour.md §10).
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

#include "model.h"

/* Content tag of a backing file's pages when the arena creates it. */
#define VGS_TAG_FILE	2U

struct arena {
	enum backing	 backing;
	size_t		 npages;
	char		*win;
	size_t		 win_len;
	char		*base;		/* first page of the area */
	int		 fd;		/* backing object; -1 for anon */
	int		 pagemap_fd;
};

void	 arena_set_tmpdir(const char *);
const char *arena_tmpdir(void);
int	 arena_check_tmpdir(char *, size_t);
int	 arena_create(struct arena *, enum backing, size_t, char *, size_t);
void	 arena_destroy(struct arena *);
int	 arena_map(struct arena *, size_t, size_t, int);
int	 arena_unmap(struct arena *, size_t, size_t);
int	 arena_reopen_pagemap(struct arena *);
char	*arena_page(const struct arena *, size_t);

#endif
