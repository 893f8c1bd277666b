#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* A process handle, not a bare pid (style rule 6). pidfd -1: the PID-only fallback. */
struct proc {
	pid_t pid;
	int pidfd;
};

/*
 * proc_signal() - send @sig to @p, or with @group to its process group (the child leads its
 * own group). Goes through the pidfd when there is one and the kernel allows it, else through
 * kill(). *label gets the delivery's result label: "ok" (through the pidfd), "fallback"
 * (delivered by kill()), "esrch", "eperm", or "error". Returns 0 or -errno; -ESRCH for a
 * closed handle (pid 0), which must never reach kill().
 *
 * The kill() path is exact only while @p is our unreaped child: its pid (and group id) cannot
 * be reused before we reap it. The init only uses it for the main child while it runs.
 */
int proc_signal(const struct proc *p, int sig, bool group, const char **label);

/* proc_close() - close the pidfd, if any, and forget the process. */
void proc_close(struct proc *p);
