/* The init's own file descriptors: what it inherited goes on to the child, never kept. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "fd.h"
#include "feature.h"
#include "log.h"
#include "sys.h"

/* Fallback when close_range is missing: walk /proc/self/fd. */
static void close_by_proc(const int *keep, size_t n)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL) {
		log_warn(errno, "cannot close inherited fds: opendir(/proc/self/fd)");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);
		bool kept = fd < 3 || fd == dirfd(d);

		for (size_t i = 0; i < n && !kept; i++) {
			kept = fd == keep[i];
		}
		if (!kept) {
			close(fd);
		}
	}
	closedir(d);
}

void fd_close_inherited(const int *keep, size_t n)
{
	int sorted[8];
	unsigned int lo = 3;

	/* A handful of fds: insertion sort, then close the gaps between them. */
	n = n > 8 ? 8 : n;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		for (; j > 0 && sorted[j - 1] > keep[i]; j--) {
			sorted[j] = sorted[j - 1];
		}
		sorted[j] = keep[i];
	}
	if (!feat_maybe(FEATURE_CLOSE_RANGE)) {
		close_by_proc(keep, n);
		return;
	}
	for (size_t i = 0; i <= n; i++) {
		unsigned int hi = i < n ? (unsigned int)sorted[i] : 0U;
		int r = 0;

		if (i < n && (sorted[i] < 3 || hi < lo)) {
			continue; /* -1, a std fd, or a duplicate */
		}
		if (i == n) {
			r = sys_close_range(lo, ~0U, 0);
		} else if (hi > lo) {
			r = sys_close_range(lo, hi - 1, 0);
		}
		if (r < 0) {
			if (feat_note(FEATURE_CLOSE_RANGE, errno)) {
				close_by_proc(keep, n);
			} else {
				log_warn(errno, "close_range(%u)", lo);
			}
			return;
		}
		lo = hi + 1;
	}
	feat_note(FEATURE_CLOSE_RANGE, 0);
}
