/*
 * pagemap.h: guard markers as the page tables show them, through
 * /proc/self/pagemap (bit 58) and the PAGEMAP_SCAN ioctl.
 */
#ifndef PAGEMAP_H
#define PAGEMAP_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

int	pagemap_open(void);
int	pagemap_proc_open(pid_t, const char *);
char	*pagemap_proc_path(char *, pid_t, const char *);
int	pagemap_read(int, uintptr_t, size_t, uint64_t *);
char	pagemap_mark(uint64_t);
void	pagemap_marks(const uint64_t *, size_t, char *);
int	pagemap_scan(int, uintptr_t, size_t, char *, size_t *);
int	pagemap_scan_marks(int, uintptr_t, size_t, char *);

#endif
