#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* What the init was started with, so that the child gets it back (design: transparent child). */
struct sigsave {
	uint64_t mask;     /* the blocked mask, bit (sig - 1) for sig */
	bool chld_ignored; /* SIGCHLD was SIG_IGN: the init resets it, the child restores it */
	uint64_t pending;  /* pending when the init started: sent before it, never caused by it */
};

/*
 * signals_block_all() - start-up hygiene steps 1 and 2 (style rule 17): block every signal
 * 1..64, keeping the old mask in @save, and reset an inherited SIG_IGN for SIGCHLD (with it the
 * kernel reaps children itself and their statuses vanish). The signals pending at that moment
 * go in @save too. Returns 0 or -errno.
 *
 * The fault signals are blocked too, so that a SIGSEGV sent with kill() is forwarded like any
 * other: a real fault is still fatal, because the kernel unblocks a forced fault signal and
 * applies SIG_DFL (force_sig_info_to_task in kernel/signal.c).
 */
int signals_block_all(struct sigsave *save);

/* signals_restore() - for the child, before exec: the disposition and mask the init got. */
int signals_restore(const struct sigsave *save);

/* signals_open() - a non-blocking, close-on-exec signalfd for every signal. fd or -errno. */
int signals_open(void);

/*
 * signals_target() - what to forward for @sig under @cfg: the rewritten signal, 0 to drop it,
 * or -1 when @sig is not forwarded at all (SIGCHLD and the uncatchable ones).
 */
int signals_target(const struct config *cfg, int sig);
