#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How many processes a report names: enough to say who, short enough for one log line. */
#define DRAIN_NAMED 4

/* What one signalling of the tree found. */
struct drain_report {
	int found;   /* live processes of the tree (zombies left out); -1: unknown (no /proc) */
	int failed;  /* of them, how many the signal could not reach (EPERM) */
	bool by_pid; /* some were signalled by PID after a start-time check (no pidfd) */
	int nnamed;
	struct {
		pid_t pid;
		int err;    /* 0: the signal reached it; else why not */
		char state; /* its state letter in /proc (R, S, D, T...) */
		char comm[16];
	} named[DRAIN_NAMED]; /* the first few, those the signal could not reach first */
};

/*
 * drain_signal_tree() - send @sig to every process of the init's tree but the init itself,
 * and say in *rep what was found. SIGTERM is followed by SIGCONT, so that a stopped process
 * can act on it (as systemd does).
 *
 * As PID 1 the tree is the whole PID namespace, reached with kill(-1, @sig), which the kernel
 * applies to exactly the namespace's processes, atomically with respect to fork: it cannot
 * miss, nor hit a recycled PID. /proc, when it is the namespace's own, only counts and names.
 *
 * As a subreaper the tree is every descendant, found through the parent links in /proc
 * (including grandchildren whose parents are alive and processes that called setsid), and
 * each is signalled through a pidfd proven to refer to it: see signal_one(). /proc is used only
 * when it belongs to our PID namespace. The tree is read again until a reading finds nobody
 * new, so that a chain of processes that fork and exit cannot outrun one snapshot.
 *
 * Returns 0, or -errno when the tree could not be read (then nothing outside it was touched
 * either).
 */
int drain_signal_tree(int sig, struct drain_report *rep);

/* epoll data of a pidfd that drain_watch_others() added: this bit, and the fd below it. */
#define DRAIN_WATCH_TAG (1ULL << 32)

/*
 * drain_watch_others() - as PID 1, once none of our own children is left: open a pidfd for
 * every other live process of the namespace (they entered it some other way: docker exec,
 * the containers of a pod that shares it) and add it to @epfd, one-shot, with data.u64 =
 * DRAIN_WATCH_TAG | fd. A pidfd becomes readable when its process exits, so the drain waits
 * for them with no wake-up of its own; the caller closes each when it fires. Returns how many
 * were added: 0 means the namespace has nobody else (or, not PID 1 or with no /proc of our
 * namespace, that nobody else can be known).
 */
int drain_watch_others(int epfd);

/*
 * drain_describe() - the processes *rep names, for a log line: "pid=12 (app: Operation not
 * permitted) pid=13 (worker, state D)", into @buf of @len bytes; returns @buf.
 */
const char *drain_describe(const struct drain_report *rep, char *buf, size_t len);
