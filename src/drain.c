/* Finding and signalling the init's process tree for the shutdown drain (design §2 Shutdown). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drain.h"
#include "feature.h"
#include "log.h"
#include "proc.h"
#include "sigtab.h"
#include "sys.h"

/* One line of /proc/PID/stat that matters here. */
struct pinfo {
	pid_t pid;
	pid_t ppid;
	unsigned long long start; /* starttime, clock ticks after boot: (pid, start) is unique */
};

/* Field @field (numbered as in proc(5), 3 = state) of the text after the command name. */
static int stat_field(const char *s, int field, unsigned long long *out)
{
	unsigned long long v = 0;

	for (int f = 3; f < field; f++) {
		s = strchr(s + 1, ' ');
		if (s == NULL) {
			return -EIO;
		}
	}
	s++;
	if (*s < '0' || *s > '9') {
		return -EIO;
	}
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long long)(*s++ - '0');
	}
	*out = v;
	return 0;
}

/* Parent and start time of @pid from /proc/PID/stat; 0 or -errno. */
static int read_stat(pid_t pid, struct pinfo *out)
{
	char path[32], buf[512], *p;
	unsigned long long ppid;
	ssize_t n;
	int fd;

	*out = (struct pinfo){0};
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		return -ESRCH;
	}
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: fields start after the last ')'. */
	p = strrchr(buf, ')');
	if (p == NULL || stat_field(p + 1, 4, &ppid) < 0 ||
	    stat_field(p + 1, 22, &out->start) < 0) {
		return -EIO;
	}
	out->pid = pid;
	out->ppid = (pid_t)ppid;
	return 0;
}

/*
 * /proc may be another PID namespace's (a host /proc bind-mounted into a container): then its
 * numbers are not our PIDs, and acting on them could signal strangers. It is ours when
 * /proc/self names our own PID.
 */
static bool proc_is_ours(void)
{
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);

	if (n <= 0) {
		return false;
	}
	link[n] = '\0';
	return atoi(link) == (int)getpid();
}

/* Every process in /proc, in *list (malloc'd). Returns the count or -errno. */
static int read_all(struct pinfo **list)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0, cap = 64;

	*list = NULL;
	if (d == NULL) {
		return errno > 0 ? -errno : -EIO;
	}
	*list = malloc(cap * sizeof(**list));
	if (*list == NULL) {
		closedir(d);
		return -ENOMEM;
	}
	while ((e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(e->d_name);

		if (pid <= 0) {
			continue;
		}
		if (n == cap) {
			struct pinfo *bigger = realloc(*list, 2 * cap * sizeof(**list));

			if (bigger == NULL) {
				break; /* signal what we have; the next round gets the rest */
			}
			*list = bigger;
			cap *= 2;
		}
		if (read_stat(pid, &(*list)[n]) == 0) {
			n++;
		}
	}
	closedir(d);
	return (int)n;
}

/*
 * Mark the descendants of @self: a process whose parent is marked is marked, until nothing
 * changes (one pass per generation). Orphans of the tree are re-parented to us (we are the
 * subreaper) or to a subreaper inside the tree, so a descendant stays one for its whole life.
 * Returns false when out of memory.
 */
static bool mark_descendants(const struct pinfo *list, int n, pid_t self, bool *in)
{
	pid_t max = self;
	bool *pid_in, changed = true;

	for (int i = 0; i < n; i++) {
		max = list[i].pid > max ? list[i].pid : max;
	}
	pid_in = calloc((size_t)max + 1, sizeof(*pid_in));
	if (pid_in == NULL) {
		return false;
	}
	pid_in[self] = true;
	while (changed) {
		changed = false;
		for (int i = 0; i < n; i++) {
			pid_t pp = list[i].ppid;

			if (!in[i] && list[i].pid != self && pp > 0 && pp <= max && pid_in[pp]) {
				in[i] = pid_in[list[i].pid] = changed = true;
			}
		}
	}
	free(pid_in);
	return true;
}

/*
 * Signal one descendant without ever reaching a recycled PID. Why the pidfd is the right one:
 * - a direct child of ours cannot be recycled before we reap it, and nothing is reaped
 *   between reading /proc and opening the pidfd (one thread);
 * - for a deeper process, the pidfd is opened after /proc said (pid, start) was in the tree,
 *   and /proc is read again afterwards: the same start time means the pidfd's process is
 *   that same process, and a pidfd keeps meaning it for good.
 * Without pidfds the check is made just before kill(), and a PID recycled between the two
 * could still be hit: the reduced guarantee the log states once.
 */
static int signal_one(const struct pinfo *p, pid_t self, int sig, bool *by_pid)
{
	struct proc pr = {.pid = p->pid, .pidfd = -1};
	struct pinfo now = {0};
	const char *label = "error";
	char name[20];
	int r;

	if (feat_maybe(FEATURE_PIDFD_OPEN)) {
		pr.pidfd = sys_pidfd_open(p->pid, 0);
		if (pr.pidfd < 0 && !feat_note(FEATURE_PIDFD_OPEN, errno)) {
			return errno == ESRCH ? 0 : -errno;
		}
	}
	if (p->ppid != self && (read_stat(p->pid, &now) < 0 || now.start != p->start)) {
		proc_close(&pr);
		return 0; /* gone, and maybe already replaced */
	}
	r = proc_signal(&pr, sig, false, &label);
	if (r == 0 && sig == SIGTERM) {
		const char *ignored;

		(void)proc_signal(&pr, SIGCONT, false, &ignored); /* a stopped one could not act */
	}
	/* "fallback": kill() by PID, because there is no pidfd or it may not carry signals. */
	if (p->ppid != self && strcmp(label, "fallback") == 0) {
		*by_pid = true;
	}
	log_debug("drain signal=%s pid=%d result=%s", sigtab_name(sig, name, sizeof(name)),
	          (int)p->pid, label);
	proc_close(&pr);
	return r == 0 ? 1 : 0;
}

static int signal_descendants(int sig, bool *warned)
{
	pid_t self = getpid();
	struct pinfo *list = NULL;
	bool *in, by_pid = false;
	int n, count = 0;

	if (!proc_is_ours()) {
		return -EXDEV;
	}
	n = read_all(&list);
	if (n <= 0 || list == NULL) {
		free(list);
		return n < 0 ? n : 0;
	}
	in = calloc((size_t)n + 1, sizeof(*in));
	if (in == NULL) {
		free(list);
		return -ENOMEM;
	}
	if (!mark_descendants(list, n, self, in)) {
		free(in);
		free(list);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		if (in[i]) {
			int r = signal_one(&list[i], self, sig, &by_pid);

			count += r > 0 ? r : 0;
		}
	}
	if (by_pid && !*warned) {
		*warned = true;
		log_warn(0, "drain: no pidfds here for signals: processes are signalled by PID "
		            "after a start time check, and a PID recycled in between could still "
		            "be hit");
	}
	free(in);
	free(list);
	return count;
}

int drain_signal_tree(int sig, bool *warned)
{
	if (getpid() == 1) {
		/* From a namespace's PID 1, -1 means every process of the namespace but us. */
		if (kill(-1, sig) < 0) {
			return errno == ESRCH ? 0 : -errno;
		}
		if (sig == SIGTERM) {
			(void)kill(-1, SIGCONT); /* a stopped process could not act on SIGTERM */
		}
		return 1;
	}
	return signal_descendants(sig, warned);
}
