#pragma once

#include <stddef.h>

/*
 * fd_close_inherited() - close every fd >= 3 except the @n in @keep (up to 8; -1 entries are
 * ignored): the fds the init inherited have gone on to the child (or, in pause mode, are of
 * no use), and the init must not keep them busy (catatonit #12). close_range, or
 * /proc/self/fd where it is missing.
 */
void fd_close_inherited(const int *keep, size_t n);
