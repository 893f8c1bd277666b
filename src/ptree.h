#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* What matters here of one /proc/PID/stat. */
struct pinfo {
	pid_t pid;
	pid_t ppid;
	char state;               /* R, S, D, T, Z... */
	unsigned long long start; /* starttime, clock ticks after boot: (pid, start) is unique */
	char comm[16];
};

/*
 * ptree_read_stat() - parent, state, start time and command name of @pid from
 * /proc/PID/stat, into *out; 0 or -errno.
 */
int ptree_read_stat(pid_t pid, struct pinfo *out);

/*
 * ptree_is_ours() - /proc may be another PID namespace's (a host /proc bind-mounted into a
 * container): then its numbers are not our PIDs, and acting on them could signal strangers. It
 * is ours when /proc/self names our own PID.
 */
bool ptree_is_ours(void);

/* ptree_by_pid() - qsort()/bsearch() order of two struct pinfo: by pid. */
int ptree_by_pid(const void *a, const void *b);

/*
 * ptree_read_all() - every process in /proc, sorted by pid, in *list (malloc'd). Returns the
 * count or -errno.
 */
int ptree_read_all(struct pinfo **list);

/*
 * ptree_mark_descendants() - mark the descendants of @self among the @n of @list in @in: a
 * process whose parent is marked is marked, until nothing changes (one pass per generation).
 * Orphans of the tree are re-parented to us (we are the subreaper) or to a subreaper inside the
 * tree, so a descendant stays one for its whole life. Returns false when out of memory.
 */
bool ptree_mark_descendants(const struct pinfo *list, int n, pid_t self, bool *in);

/* ptree_alive() - @p is neither a zombie nor dead. */
bool ptree_alive(const struct pinfo *p);

/*
 * ptree_read_children() - the pids in /proc/self/task/SELF/children, oldest first, in *out
 * (malloc'd). Returns the count, or -errno (-ENOENT: CONFIG_PROC_CHILDREN is off); when out of
 * memory, the count of those read so far.
 */
int ptree_read_children(pid_t self, pid_t **out);
