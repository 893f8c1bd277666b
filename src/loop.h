#pragma once

#include <stdbool.h>

#include "config.h"
#include "proc.h"

/* The running init, owned by main() and passed by pointer (style rule 14). */
struct state {
	const struct config *cfg;
	struct proc child; /* the main child; pid 0 once reaped, and in pause mode */
	int child_status;  /* its wait status, once reaped */
	bool child_exited;
	bool stop; /* pause mode: SIGTERM or SIGINT arrived */
	int sfd;   /* signalfd for every signal */
	int epfd;
};

/*
 * loop_run() - the event loop: epoll over the signalfd and the main child's pidfd, with no
 * timeout, so nothing wakes the init while nothing happens. Forwards signals, reaps children,
 * and returns the init's exit code once the main child has exited (in pause mode: 0 once
 * SIGTERM or SIGINT arrives). It never fails: errors are logged and the loop goes on.
 */
int loop_run(struct state *st);
