#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "drain.h"
#include "proc.h"
#include "summary.h"

/* RUNNING → (main child gone, or pause stopped) → TERM → KILL → DONE. */
enum phase {
	PHASE_RUN,  /* the main child runs (pause mode: waiting for SIGTERM/SIGINT) */
	PHASE_TERM, /* drain: the rest of the tree got SIGTERM, the grace period runs */
	PHASE_KILL, /* drain: the rest of the tree got SIGKILL */
	PHASE_DONE, /* the tree is empty: exit */
};

/* The running init, owned by main() and passed by pointer (style rule 14). */
struct state {
	const struct config *cfg;
	pid_t self;        /* our pid: a signal sent by it is one that we caused */
	struct proc child; /* the main child; pid 0 once reaped, and in pause mode */
	int child_status;  /* its wait status, once reaped */
	bool empty;        /* the last reap found no child left */
	int watched;       /* PID 1: other processes of the namespace whose pidfds we watch */
	enum phase phase;
	uint64_t drain_at; /* CLOCK_MONOTONIC ms when the drain started */
	struct {
		uint64_t grace;   /* the grace period ends, 0 when not running */
		uint64_t kill;    /* --kill-after fires, 0 when not armed */
		uint64_t retry;   /* PHASE_KILL: send SIGKILL again */
		uint64_t give_up; /* --kill-after has fired: exit then, whatever is left */
		uint64_t release; /* --term-delay: forward the held SIGTERM then */
		uint64_t timer;   /* what the timerfd is armed for, 0: disarmed */
	} at;                     /* deadlines, CLOCK_MONOTONIC ms */
	bool told_by_pid;         /* the drain has said that it signals by PID */
	bool told_survivors;      /* the drain has named the processes SIGKILL does not end */
	int orphaned_sig;         /* -p: our parent died before we could ask for the signal */
	uint64_t at_start;        /* signals pending when we started (bit sig - 1): not our own */
	int report_fd; /* exec-report pipe of the main child until it answered, else -1 */
	int exec_code; /* 126/127 when the main child's exec failed, else 0 */
	int exec_err;  /* then: its errno, and "exec" or the set-up stage */
	const char *exec_stage;
	int held;           /* --term-delay: the signal to forward at at.release (rewritten) */
	bool delay_used;    /* the first SIGTERM has been held: a later one is not */
	uint64_t held_ms;   /* how long it was held, for the summary */
	uint64_t forwarded; /* bit N-1: signal N was forwarded to the main child */
	int drain_term;     /* processes the drain sent SIGTERM (-1: unknown) */
	int drain_killed;   /* processes the first SIGKILL of the tree hit (-1: unknown) */
	bool kill_noted;    /* drain_killed and killed are set */
	bool killed_child;  /* the init SIGKILLed the tree while the main child was alive (-k) */
	struct drain_report killed; /* that SIGKILL's report: who */
	int sfd;                    /* signalfd for every signal */
	bool sfd_blocks;            /* O_NONBLOCK is off: only_signals() held at the last turn */
	bool sfd_stuck;             /* fcntl() on it failed: it stays non-blocking, epoll waits */
	int tfd;                    /* timerfd for the deadlines above */
	int epfd;
};

/*
 * loop_run() - the event loop: epoll over the signalfd, the main child's pidfd and one
 * timerfd that is armed only while a deadline runs, so nothing wakes the init while nothing
 * happens. While there is nothing to wait for but signals (the usual state of a running
 * child), a blocking read of the signalfd replaces epoll: one system call to receive a
 * signal, one to forward it. Forwards signals, reaps children, drains the tree once the main child
 * has exited (in pause mode: once SIGTERM or SIGINT arrives), and returns the init's exit code. It
 * never fails: errors are logged and the loop goes on.
 */
int loop_run(struct state *st);

/* loop_summary() - after loop_run() returned @code: how the run ended, for summary_format(). */
void loop_summary(const struct state *st, int code, struct summary *s);

/* loop_reap() - reap what has exited; note the main child's status and whether none is left. */
void loop_reap(struct state *st);

/* loop_release() - the SIGTERM held by --term-delay goes on now, @now in phase_now_ms(). */
void loop_release(struct state *st, uint64_t now);
