/* The drain's phases and their deadlines (design §2 Shutdown): run → TERM → KILL → done. */
#include <errno.h>
#include <signal.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "drain.h"
#include "log.h"
#include "loop.h"
#include "phase.h"
#include "sigtab.h"

/* While SIGKILLed processes linger, send SIGKILL again this often (new forks escape one). */
#define KILL_RETRY_MS 1000
/*
 * After --kill-after has fired, how long the init waits for the tree before it gives up and
 * exits anyway: SIGKILL cannot end a process we may not signal (a setuid descendant of an
 * unprivileged init) or one in uninterruptible sleep, and -k promises an end.
 */
#define KILL_GIVE_UP_MS 3000

uint64_t phase_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Arm the timerfd for the earliest deadline, or disarm it: no deadline, no wake-up. */
static void arm_timer(struct state *st)
{
	uint64_t at = 0,
	         cand[] = {st->at.grace, st->at.kill, st->at.retry, st->at.give_up, st->at.release};
	struct itimerspec its = {0};

	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (cand[i] != 0 && (at == 0 || cand[i] < at)) {
			at = cand[i];
		}
	}
	if (at == st->at.timer) {
		return; /* no deadline changed: no system call */
	}
	st->at.timer = at;
	its.it_value.tv_sec = (time_t)(at / 1000);
	its.it_value.tv_nsec = (long)(at % 1000) * 1000000;
	if (at != 0 && its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) {
		its.it_value.tv_nsec = 1;
	}
	if (timerfd_settime(st->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		log_warn(errno, "timerfd_settime");
	}
}

bool phase_child_gone(const struct state *st)
{
	return !st->cfg->pause && st->child.pid == 0;
}

/*
 * Nobody left: no child of ours and, as PID 1, no other process of the namespace either
 * (they are watched through pidfds until they exit, and looked for again once all have).
 */
static bool tree_empty(struct state *st)
{
	if (!st->empty || st->watched > 0) {
		return false;
	}
	st->watched = drain_watch_others(st->epfd);
	return st->watched == 0;
}

/* A SIGTERM still held (--term-delay) is not forwarded after all: it was held until @now. */
static void cancel_hold(struct state *st, uint64_t now)
{
	if (st->at.release != 0) {
		st->at.release = 0;
		st->held_ms = now - st->held_ms;
	}
}

/* Signal the tree; say once what the report says about signalling by PID. */
static int signal_tree(struct state *st, int sig, struct drain_report *rep)
{
	int r = drain_signal_tree(sig, rep);

	if (rep->by_pid && !st->told_by_pid) {
		st->told_by_pid = true;
		log_warn(0, "drain: no pidfds here for signals: processes are signalled by PID "
		            "after a start time check, and a PID recycled in between could still "
		            "be hit");
	}
	return r;
}

/* Why the tree gets SIGKILL: the log says different things. */
enum kill_why {
	KILL_AT_ONCE,    /* --grace 0 */
	KILL_GRACE_OVER, /* the grace period ran out: say how many it did not end */
	KILL_AFTER,      /* --kill-after fired */
	KILL_AGAIN,      /* the retry: whoever is still there survived a SIGKILL */
};

/*
 * SIGKILL to what is left of the tree, again every KILL_RETRY_MS while anything is left.
 * When the tree cannot be known, only the main child can be reached, through its handle.
 */
static void kill_tree(struct state *st, enum kill_why why)
{
	struct drain_report rep;
	int r = signal_tree(st, SIGKILL, &rep);
	char who[256];

	st->phase = PHASE_KILL;
	st->at.grace = 0;
	st->at.retry = phase_now_ms() + KILL_RETRY_MS;
	cancel_hold(st, st->at.retry - KILL_RETRY_MS); /* SIGKILL overtakes a held SIGTERM */
	if (!phase_child_gone(st)) {
		st->killed_child = true; /* -k: the init's own SIGKILL, not a forwarded one */
	}
	if (why != KILL_AGAIN && !st->kill_noted) {
		/* For the summary: the first SIGKILL is the one that ended the drain. */
		st->kill_noted = true;
		st->drain_killed = r < 0 ? -1 : rep.found;
		st->killed = rep;
	}
	if (r < 0 && st->child.pid > 0) {
		const char *label;

		(void)proc_signal(&st->child, SIGKILL, false, &label);
	} else if (r < 0) {
		log_warn(-r, "drain: cannot find the rest of the tree to kill it; exiting");
		st->phase = PHASE_DONE;
		return;
	}
	if (why == KILL_GRACE_OVER && (r < 0 || rep.found < 0)) {
		log_warn(0, "drain: grace period over: SIGKILL to the rest of the tree");
	} else if (why == KILL_GRACE_OVER && rep.found > 0) {
		log_warn(0, "drain: grace period over: SIGKILL to %d process(es) left: %s",
		         rep.found, drain_describe(&rep, who, sizeof(who)));
	} else if (why == KILL_AGAIN && rep.found > 0 && !st->told_survivors) {
		st->told_survivors = true;
		log_warn(0, "drain: %d process(es) survive SIGKILL: %s", rep.found,
		         drain_describe(&rep, who, sizeof(who)));
	}
}

void phase_start_drain(struct state *st)
{
	struct drain_report rep;
	int r;

	loop_reap(st); /* emptiness now, not as of the last SIGCHLD: orphans may have arrived */
	st->drain_at = phase_now_ms();
	cancel_hold(st, st->drain_at); /* the drain sends its own SIGTERM */
	if (tree_empty(st)) {
		st->phase = PHASE_DONE;
		return;
	}
	if (st->cfg->grace_ms == 0) {
		log_info("drain: SIGKILL to the rest of the tree (grace=0ms)");
		kill_tree(st, KILL_AT_ONCE);
		return;
	}
	log_info("drain: SIGTERM to the rest of the tree, grace=%llums",
	         (unsigned long long)st->cfg->grace_ms);
	r = signal_tree(st, SIGTERM, &rep);
	if (r < 0) {
		log_warn(-r, "drain: cannot find the rest of the tree; waiting for the children");
	}
	st->drain_term = r < 0 ? -1 : rep.found;
	st->phase = PHASE_TERM;
	st->at.grace = st->drain_at + st->cfg->grace_ms;
}

void phase_advance(struct state *st)
{
	if (st->phase == PHASE_RUN && phase_child_gone(st)) {
		phase_start_drain(st);
	}
	if ((st->phase == PHASE_TERM || st->phase == PHASE_KILL) && tree_empty(st)) {
		log_info("drain: tree empty after %llums",
		         (unsigned long long)(phase_now_ms() - st->drain_at));
		st->phase = PHASE_DONE;
	}
	if (st->phase == PHASE_DONE) {
		st->at.grace = st->at.kill = st->at.retry = st->at.give_up = 0;
	}
	arm_timer(st);
}

void phase_note_termination(struct state *st, int sig)
{
	if (st->cfg->kill_after_ms == CONFIG_NEVER || st->at.kill != 0 || st->at.give_up != 0 ||
	    !sigtab_is_termination(sig)) {
		return;
	}
	st->at.kill = phase_now_ms() + st->cfg->kill_after_ms;
}

void phase_on_timer(struct state *st)
{
	uint64_t ticks, now = phase_now_ms();

	(void)!read(st->tfd, &ticks, sizeof(ticks)); /* non-blocking; only clears readiness */
	st->at.timer = 0;                            /* a one-shot timer that fired is disarmed */
	if (st->at.kill != 0 && now >= st->at.kill) {
		/* --kill-after: SIGKILL to everything, whatever the phase; an end in any case. */
		log_info("kill-after: %llums since the first termination signal: SIGKILL to the "
		         "tree",
		         (unsigned long long)st->cfg->kill_after_ms);
		st->at.kill = 0;
		st->at.give_up = now + KILL_GIVE_UP_MS;
		kill_tree(st, KILL_AFTER);
	} else if (st->at.release != 0 && now >= st->at.release) {
		loop_release(st, now);
	} else if (st->at.give_up != 0 && now >= st->at.give_up) {
		log_warn(0,
		         "kill-after: the tree is not empty %llums after SIGKILL; exiting "
		         "without it",
		         (unsigned long long)KILL_GIVE_UP_MS);
		st->phase = PHASE_DONE;
	} else if (st->phase == PHASE_TERM && st->at.grace != 0 && now >= st->at.grace) {
		kill_tree(st, KILL_GRACE_OVER);
	} else if (st->phase == PHASE_KILL && st->at.retry != 0 && now >= st->at.retry) {
		kill_tree(st, KILL_AGAIN);
	}
}