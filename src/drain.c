/* Signalling the init's tree for the shutdown drain (design §2 Shutdown); ptree.c finds it. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "drain.h"
#include "feature.h"
#include "log.h"
#include "proc.h"
#include "ptree.h"
#include "sigtab.h"
#include "sys.h"

/*
 * How often, and for how long, the subreaper reads the tree again in one signalling while it
 * still finds live processes it has not signalled yet (see signal_descendants()). The time
 * bound matters: nothing is reaped while it signals, and a chain that ignores the signal
 * (SIGTERM) leaves a zombie, a pid, every few tens of microseconds; the loop reaps them and the
 * next signalling (the grace period's SIGKILL, its retries) goes on.
 */
#define DRAIN_ROUNDS    64
#define DRAIN_BUDGET_MS 50

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Count @p in *rep, and name it while there is room (failures take a named slot first). */
static void report(struct drain_report *rep, const struct pinfo *p, int err)
{
	int slot = rep->nnamed;

	rep->found++;
	rep->failed += err != 0;
	if (slot == DRAIN_NAMED) {
		/* Full: a failure replaces the last entry that is not one. */
		for (slot = DRAIN_NAMED - 1; slot >= 0 && rep->named[slot].err != 0; slot--) {
		}
		if (err == 0 || slot < 0) {
			return;
		}
	} else {
		rep->nnamed++;
	}
	rep->named[slot].pid = p->pid;
	rep->named[slot].err = err;
	rep->named[slot].state = p->state;
	memcpy(rep->named[slot].comm, p->comm, sizeof(p->comm));
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
 * Returns 0 when the signal was sent or the process is gone, else -errno.
 */
static int signal_one(const struct pinfo *p, pid_t self, int sig, bool *pid_only)
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
	if (p->ppid != self && (ptree_read_stat(p->pid, &now) < 0 || now.start != p->start)) {
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
		*pid_only = true;
	}
	log_debug("drain signal=%s pid=%d result=%s", sigtab_name(sig, name, sizeof(name)),
	          (int)p->pid, label);
	proc_close(&pr);
	return r == -ESRCH ? 0 : r;
}

/* The (pid, start) pairs signalled so far in one signalling, sorted by pid for bsearch. */
struct seen {
	struct pinfo *v;
	size_t n, cap;
};

static bool was_seen(const struct seen *s, const struct pinfo *p)
{
	const struct pinfo *hit = s->n ? bsearch(p, s->v, s->n, sizeof(*p), ptree_by_pid) : NULL;

	return hit != NULL && hit->start == p->start;
}

/* Add @p to @seen (kept sorted by the caller). False when out of memory. */
static bool record(struct seen *seen, const struct pinfo *p)
{
	if (seen->n == seen->cap) {
		size_t cap = seen->cap ? 2 * seen->cap : 64;
		struct pinfo *v = realloc(seen->v, cap * sizeof(*v));

		if (v == NULL) {
			return false;
		}
		seen->v = v;
		seen->cap = cap;
	}
	seen->v[seen->n++] = *p;
	return true;
}

/*
 * Our own children, from /proc/self/task/PID/children (one small file; the init has one
 * thread), newest first: the kernel appends a child when it is born or re-parented to us, so
 * the head of a fork chain is last, behind the zombies of its predecessors, which are ours
 * until the loop reaps them. Each child not signalled yet is signalled as soon as its stat
 * says it is alive. An unreaped child cannot be recycled: its pid alone identifies it in @seen.
 * Returns how many live ones were new, or -errno (-ENOENT: CONFIG_PROC_CHILDREN is off).
 */
static int signal_children(int sig, pid_t self, struct seen *seen, struct drain_report *rep)
{
	pid_t *pids;
	size_t before = seen->n;
	int n = ptree_read_children(self, &pids), live = 0;

	for (int i = n - 1; pids != NULL && i >= 0; i--) {
		struct pinfo p = {.pid = pids[i], .ppid = self};

		if (p.pid <= 0 ||
		    (before > 0 && bsearch(&p, seen->v, before, sizeof(p), ptree_by_pid) != NULL)) {
			continue;
		}
		/* Its state first: a zombie needs no signal, and the count is of live ones. */
		if (ptree_read_stat(p.pid, &p) < 0) {
			p = (struct pinfo){.pid = pids[i], .ppid = self, .state = 'X'};
		}
		p.ppid = self;
		if (!record(seen, &p)) {
			n = -ENOMEM;
			break;
		}
		if (ptree_alive(&p)) {
			report(rep, &p, -signal_one(&p, self, sig, &rep->by_pid));
			live++;
		}
	}
	free(pids);
	if (seen->n > before) {
		qsort(seen->v, seen->n, sizeof(*seen->v), ptree_by_pid);
	}
	return n < 0 ? n : live; /* zombies are recorded, but are no reason to look again */
}

/*
 * One reading of the tree: signal every live descendant not signalled before, newest first.
 * Returns how many were new, or -errno.
 */
static int signal_round(int sig, pid_t self, struct seen *seen, struct drain_report *rep)
{
	struct pinfo *list = NULL;
	size_t before = seen->n;
	bool *in = NULL;
	int n = ptree_read_all(&list);

	if (n <= 0 || list == NULL) {
		free(list);
		return n < 0 ? n : 0;
	}
	in = calloc((size_t)n, sizeof(*in));
	if (in == NULL || !ptree_mark_descendants(list, n, self, in)) {
		free(in);
		free(list);
		return -ENOMEM;
	}
	/* From the highest pid down: the head of a fork chain is the newest process. */
	for (int i = n - 1; i >= 0; i--) {
		if (!in[i] || !ptree_alive(&list[i]) || was_seen(seen, &list[i])) {
			continue;
		}
		if (!record(seen, &list[i])) {
			n = -ENOMEM;
			break;
		}
		report(rep, &list[i], -signal_one(&list[i], self, sig, &rep->by_pid));
	}
	if (seen->n > before) {
		qsort(seen->v, seen->n, sizeof(*seen->v), ptree_by_pid);
	}
	free(in);
	free(list);
	return n < 0 ? n : (int)(seen->n - before);
}

/*
 * Every descendant, read again until a reading finds nobody new (at most DRAIN_ROUNDS).
 * One snapshot is not enough: a chain in which each process forks the next and exits has a
 * new member every few tens of microseconds, so the process that the snapshot saw is gone by
 * the time it is signalled and its successor was never seen. Reading again at once, and
 * signalling the newest process first, catches the chain's head within microseconds of seeing
 * it: each member becomes our child when its parent exits (we are the subreaper), so our own
 * short list of children, read before the whole of /proc, holds the head; a fatal signal that
 * arrives while it forks makes the kernel abandon that fork (copy_process checks for a pending
 * fatal signal), so the chain ends there. Stopping the tree with SIGSTOP before signalling it would
 * race in the same way and would show the processes and their parents a job-control stop they never
 * asked for; the kernel's atomic group kill would reach processes outside the tree that share a
 * process group with it.
 */
static int signal_descendants(int sig, struct drain_report *rep)
{
	struct seen seen = {0};
	pid_t self = getpid();
	long end = now_ms() + DRAIN_BUDGET_MS;
	int r = 0;

	if (!ptree_is_ours()) {
		return -EXDEV;
	}
	for (int round = 0; round < DRAIN_ROUNDS && (round == 0 || now_ms() < end); round++) {
		/* Our children first, again until none is new: a chain's head is one of them. */
		for (int pass = 0; pass < DRAIN_ROUNDS && now_ms() < end &&
		                   signal_children(sig, self, &seen, rep) > 0;
		     pass++) {
		}
		r = signal_round(sig, self, &seen, rep);
		if (r <= 0) {
			break;
		}
	}
	free(seen.v);
	return r < 0 ? r : 0;
}

/* As PID 1: kill(-1) does the work; /proc, when it is ours, tells who was there. */
static int signal_namespace(int sig, struct drain_report *rep)
{
	struct pinfo *list = NULL;
	int n = ptree_is_ours() ? ptree_read_all(&list) : -EXDEV;

	rep->found = n < 0 ? -1 : 0;
	for (int i = 0; list != NULL && i < n; i++) {
		if (list[i].pid != 1 && ptree_alive(&list[i])) {
			report(rep, &list[i], 0);
		}
	}
	free(list);
	if (kill(-1, sig) < 0 && errno != ESRCH) {
		return -errno;
	}
	if (sig == SIGTERM) {
		(void)kill(-1, SIGCONT); /* a stopped process could not act on SIGTERM */
	}
	/* kill(-1) skips the processes it may not signal: name them (signal 0 only asks). */
	for (int i = 0; i < rep->nnamed; i++) {
		if (kill(rep->named[i].pid, 0) < 0 && errno == EPERM) {
			rep->named[i].err = EPERM;
			rep->failed++;
		}
	}
	return 0;
}

int drain_signal_tree(int sig, struct drain_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	/* From a namespace's PID 1, -1 means every process of the namespace but us. */
	return getpid() == 1 ? signal_namespace(sig, rep) : signal_descendants(sig, rep);
}

/* A pidfd for @p, proven to be @p by its start time after opening; -1 if it is gone. */
static int open_checked(const struct pinfo *p)
{
	struct pinfo now;
	int fd = sys_pidfd_open(p->pid, 0);

	if (fd >= 0 &&
	    (ptree_read_stat(p->pid, &now) < 0 || now.start != p->start || !ptree_alive(&now))) {
		close(fd);
		return -1;
	}
	return fd;
}

int drain_watch_others(int epfd)
{
	struct pinfo *list = NULL;
	int n, added = 0;

	if (getpid() != 1 || !feat_maybe(FEATURE_PIDFD_OPEN) || !ptree_is_ours()) {
		return 0;
	}
	n = ptree_read_all(&list);
	for (int i = 0; list != NULL && i < n; i++) {
		struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT};
		int fd;

		if (list[i].pid == 1 || !ptree_alive(&list[i]) ||
		    (fd = open_checked(&list[i])) < 0) {
			continue;
		}
		ev.data.u64 = DRAIN_WATCH_TAG | (uint64_t)fd;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			continue;
		}
		log_debug("drain: waiting for pid=%d (%s), not a child of ours", (int)list[i].pid,
		          list[i].comm);
		added++;
	}
	free(list);
	return added;
}

const char *drain_describe(const struct drain_report *rep, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < rep->nnamed && off < len; i++) {
		int n;

		if (rep->named[i].err != 0) {
			n = snprintf(buf + off, len - off, "%spid=%d (%s: %s)", i ? " " : "",
			             (int)rep->named[i].pid, rep->named[i].comm,
			             strerror(rep->named[i].err));
		} else {
			n = snprintf(buf + off, len - off, "%spid=%d (%s, state %c)", i ? " " : "",
			             (int)rep->named[i].pid, rep->named[i].comm,
			             rep->named[i].state);
		}
		off += n > 0 ? (size_t)n : 0;
	}
	if (rep->found > rep->nnamed && off < len) {
		snprintf(buf + off, len - off, " and %d more", rep->found - rep->nnamed);
	}
	return buf;
}
