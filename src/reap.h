#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* reap_all() result bits. */
#define REAP_MAIN  1 /* the main child was reaped: its status is in *main_status */
#define REAP_EMPTY 2 /* no child is left at all (ECHILD): the init's tree is empty */

/*
 * reap_all() - reap every child that has exited, without blocking, until none is left
 * (SIGCHLD coalesces, so one notification may stand for many exits). Returns REAP_* bits.
 * With @warn, every reaped process other than @main_pid is logged (tini -w).
 */
int reap_all(pid_t main_pid, int *main_status, bool warn);

/*
 * reap_pid() - block until child @pid exits and reap it; its status in *status.
 * Only for the short-lived children of the feature probes, which run in the init's own
 * process, never for the main child (the event loop reaps that). Returns 0 or -errno.
 */
int reap_pid(pid_t pid, int *status);
