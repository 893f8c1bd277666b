#pragma once

#include <stdbool.h>
#include <sys/types.h>

/*
 * reap_all() - reap every child that has exited, without blocking, until none is left
 * (SIGCHLD coalesces, so one notification may stand for many exits). When @main_pid is among
 * them its wait status goes to *main_status and the return value is 1; otherwise 0.
 * With @warn, every other reaped process is logged (tini -w).
 */
int reap_all(pid_t main_pid, int *main_status, bool warn);

/*
 * reap_pid() - block until child @pid exits and reap it; its status in *status.
 * Only for short-lived children of our own before the main child runs (feature probes) and
 * for a child whose exec failed. Returns 0 or -errno.
 */
int reap_pid(pid_t pid, int *status);
