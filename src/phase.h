#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "loop.h"

/* phase_now_ms() - CLOCK_MONOTONIC in ms: the clock of every deadline in struct state. */
uint64_t phase_now_ms(void);

/* phase_child_gone() - the main child has been reaped (pause mode has none: never). */
bool phase_child_gone(const struct state *st);

/*
 * phase_start_drain() - the main child is gone (or pause mode got SIGTERM or SIGINT): reap,
 * then SIGTERM to the rest of the tree and the grace period, SIGKILL at once with --grace 0,
 * or PHASE_DONE when nobody is left. A held SIGTERM (--term-delay) is dropped: the drain
 * sends its own.
 */
void phase_start_drain(struct state *st);

/*
 * phase_advance() - move the shutdown on after anything that may have changed it (a reap, a
 * signal, a deadline), and arm the timerfd for the earliest deadline left, or disarm it: no
 * deadline, no wake-up, and no system call when no deadline changed.
 */
void phase_advance(struct state *st);

/*
 * phase_note_termination() - @sig was forwarded or held: --kill-after starts at the first
 * termination signal (after rewriting), in any mode.
 */
void phase_note_termination(struct state *st, int sig);

/*
 * phase_on_timer() - the timerfd fired: --kill-after's SIGKILL, the release of a held SIGTERM,
 * giving up after --kill-after, the end of the grace period, or SIGKILL again to survivors.
 */
void phase_on_timer(struct state *st);
