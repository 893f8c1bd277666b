#pragma once

#include <stdbool.h>

/*
 * drain_signal_tree() - send @sig to every process of the init's tree but the init itself.
 * SIGTERM is followed by SIGCONT, so that a stopped process can act on it (as systemd does).
 *
 * As PID 1 the tree is the whole PID namespace, reached with kill(-1, @sig), which the kernel
 * applies to exactly the namespace's processes: it cannot miss, nor hit a recycled PID.
 *
 * As a subreaper the tree is every descendant, found through the parent links in /proc
 * (including grandchildren whose parents are alive and processes that called setsid), and
 * each is signalled through a pidfd proven to refer to it: see signal_one(). /proc is used only
 * when it belongs to our PID namespace.
 *
 * Where a process below our children can only be signalled by PID (no pidfds, or
 * pidfd_send_signal refused), a warning says once, when *warned is still false, that the
 * guarantee is reduced; *warned is then set.
 *
 * Returns the number of processes signalled (as PID 1: 1 when any exists, else 0), or -errno
 * when the tree could not be read (then nothing outside it was touched either).
 */
int drain_signal_tree(int sig, bool *warned);
