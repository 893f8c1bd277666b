/* The one event loop (design §2 Running and Shutdown). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "drain.h"
#include "log.h"
#include "loop.h"
#include "reap.h"
#include "signals.h"
#include "spawn.h"
#include "sigtab.h"
#include "status.h"

/* While SIGKILLed processes linger, send SIGKILL again this often (new forks escape one). */
#define KILL_RETRY_MS 1000
/*
 * After --kill-after has fired, how long the init waits for the tree before it gives up and
 * exits anyway: SIGKILL cannot end a process we may not signal (a setuid descendant of an
 * unprivileged init) or one in uninterruptible sleep, and -k promises an end.
 */
#define KILL_GIVE_UP_MS 3000

static uint64_t now_ms(void)
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

/* The exec report, once it is there: EOF (exec done) or the failure, which sets the code. */
static void read_report(struct state *st)
{
	int r = spawn_exec_result(st->report_fd, st->cfg->argv[0], st->cfg->persona->exec_verb,
	                          &st->exec_err, &st->exec_stage);

	if (r == -EAGAIN) {
		return;
	}
	st->exec_code = r > 0 ? r : 0;
	close(st->report_fd); /* also leaves the epoll set */
	st->report_fd = -1;
}

/* The main child has been reaped (pause mode has none: never). */
static bool child_gone(const struct state *st)
{
	return !st->cfg->pause && st->child.pid == 0;
}

static void reap(struct state *st)
{
	int status, r = reap_all(st->child.pid, &status, st->cfg->warn_reap);

	if (r & REAP_MAIN) {
		char how[40];

		/* An exited child has written all it will: the report is complete now. */
		if (st->report_fd >= 0) {
			read_report(st);
		}
		st->child_status = status;
		log_info("child pid=%d %s", (int)st->child.pid,
		         status_describe(status, how, sizeof(how)));
		proc_close(&st->child);
	}
	st->empty = (r & REAP_EMPTY) != 0;
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
	st->at.retry = now_ms() + KILL_RETRY_MS;
	cancel_hold(st, st->at.retry - KILL_RETRY_MS); /* SIGKILL overtakes a held SIGTERM */
	if (!child_gone(st)) {
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

static void start_drain(struct state *st)
{
	struct drain_report rep;
	int r;

	reap(st); /* emptiness now, not as of the last SIGCHLD: orphans may have arrived */
	st->drain_at = now_ms();
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

/* Move the shutdown on after anything that may have changed it. */
static void advance(struct state *st)
{
	if (st->phase == PHASE_RUN && child_gone(st)) {
		start_drain(st);
	}
	if ((st->phase == PHASE_TERM || st->phase == PHASE_KILL) && tree_empty(st)) {
		log_info("drain: tree empty after %llums",
		         (unsigned long long)(now_ms() - st->drain_at));
		st->phase = PHASE_DONE;
	}
	if (st->phase == PHASE_DONE) {
		st->at.grace = st->at.kill = st->at.retry = st->at.give_up = 0;
	}
	arm_timer(st);
}

/* --kill-after starts at the first termination signal (after rewriting), in any mode. */
static void note_termination(struct state *st, int sig)
{
	if (st->cfg->kill_after_ms == CONFIG_NEVER || st->at.kill != 0 || st->at.give_up != 0 ||
	    !sigtab_is_termination(sig)) {
		return;
	}
	st->at.kill = now_ms() + st->cfg->kill_after_ms;
}

/* Pass @sig on as @to (its rewrite; 0 drops it). */
static void send(struct state *st, int sig, int to)
{
	char name[20], as[24];
	const char *label = "dropped";

	/* A released SIGTERM may have started the drain just before: nothing more to pass on. */
	if (st->phase != PHASE_RUN) {
		return;
	}
	if (st->cfg->pause) {
		if (sig == SIGTERM || sig == SIGINT) {
			note_termination(st, sig);
			start_drain(st);
		}
		return;
	}
	/* Reaped earlier in this batch: there is nobody to forward to any more. */
	if (child_gone(st)) {
		return;
	}
	note_termination(st, to);
	if (to > 0 && proc_signal(&st->child, to, st->cfg->group, &label) == 0) {
		st->forwarded |= 1ULL << (to - 1);
	}
	as[0] = '\0';
	if (to != sig && to > 0) {
		memcpy(as, " as=", 5);
		sigtab_name(to, as + 4, sizeof(as) - 4);
	}
	log_debug("signal=%s%s to=%s pid=%d result=%s", sigtab_name(sig, name, sizeof(name)), as,
	          st->cfg->group ? "group" : "child", (int)st->child.pid, label);
}

/* The held SIGTERM goes on now. */
static void release(struct state *st, uint64_t now)
{
	st->at.release = 0;
	st->held_ms = now - st->held_ms;
	send(st, SIGTERM, st->held);
}

/*
 * --term-delay: the first SIGTERM (what the kubelet and docker stop send) is held while
 * endpoints are removed and the application keeps serving; it goes on, as its rewrite, when
 * the delay is over. Another termination signal meanwhile releases it at once. Other signals
 * are not held. Returns true when @sig is held.
 */
static bool hold(struct state *st, int sig, int to)
{
	if (st->at.release != 0) {
		if (sigtab_is_termination(sig) || sigtab_is_termination(to)) {
			release(st, now_ms());
			return to == st->held; /* the same signal again adds nothing */
		}
		return false;
	}
	if (sig != SIGTERM || st->cfg->term_delay_ms == 0 || st->delay_used) {
		return false;
	}
	st->delay_used = true;
	st->held = to;
	st->held_ms = now_ms(); /* when it came, until it is released */
	st->at.release = st->held_ms + st->cfg->term_delay_ms;
	note_termination(st, to); /* -k counts from the arrival */
	log_notice("term-delay: SIGTERM held for %llums before it is forwarded",
	           (unsigned long long)st->cfg->term_delay_ms);
	return true;
}

static void forward(struct state *st, int sig)
{
	int to = signals_target(st->cfg, sig);

	if (to < 0 || st->phase != PHASE_RUN || hold(st, sig, to)) {
		return;
	}
	send(st, sig, to);
}

/*
 * A signal that the init caused itself: the SIGPIPE or SIGXFSZ its own write(2) to stderr
 * raised (the log reader went away, stderr is a file at RLIMIT_FSIZE). The kernel sends those
 * as SI_USER from the writer, so the sender is us; forwarding them would kill the application
 * for a log line, and with SIGPIPE ignored and -vv each one would log again, for ever. A
 * SIGPIPE that someone else sends has their pid (0 from outside our namespace) and goes on.
 * So does one that was pending when we started: the program that exec'd us sent it, with
 * our pid, before we could cause anything.
 */
static bool caused_by_self(struct state *st, const struct signalfd_siginfo *si)
{
	uint64_t bit = 1ULL << (si->ssi_signo - 1);

	if (si->ssi_code != SI_USER || (pid_t)si->ssi_pid != st->self) {
		return false;
	}
	if (st->at_start & bit) {
		st->at_start &= ~bit;
		return false;
	}
	return true;
}

/*
 * Read the signalfd and act on what it held: many signals may be pending at once. A
 * non-blocking signalfd is read until a short read; a blocking one (only_signals()) once, as
 * the next turn reads it again, and blocking there is then right.
 */
static void read_signals(struct state *st)
{
	struct signalfd_siginfo si[16];

	for (;;) {
		ssize_t n = read(st->sfd, si, sizeof(si));

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				log_warn(errno, "read(signalfd)");
			}
			return; /* EINTR (a tracer came or went): the loop comes back */
		}
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			if (si[i].ssi_signo == SIGCHLD) {
				reap(st);
			} else if (!caused_by_self(st, &si[i])) {
				forward(st, (int)si[i].ssi_signo);
			}
		}
		if (st->sfd_blocks || (size_t)n < sizeof(si)) {
			return; /* a short read: the next one could only say EAGAIN */
		}
	}
}

/*
 * Nothing to wait for but signals: no deadline armed, the exec report in, no other process's
 * pidfd watched. The main child's exit comes as SIGCHLD as well as through its pidfd, so the
 * signalfd alone tells the loop everything.
 */
static bool only_signals(const struct state *st)
{
	return st->at.timer == 0 && st->report_fd < 0 && st->watched == 0;
}

/* O_NONBLOCK on the signalfd off while only_signals(), on for epoll: a change is rare. */
static void set_blocking(struct state *st, bool block)
{
	int fl;

	if (st->sfd_blocks == block || (block && st->sfd_stuck)) {
		return;
	}
	fl = fcntl(st->sfd, F_GETFL);
	if (fl < 0 || fcntl(st->sfd, F_SETFL, block ? fl & ~O_NONBLOCK : fl | O_NONBLOCK) < 0) {
		/* Once (a seccomp filter may deny fcntl): epoll then serves every turn. */
		log_warn(errno, "fcntl(signalfd)");
		st->sfd_stuck = true;
		return;
	}
	st->sfd_blocks = block;
}

static void on_timer(struct state *st)
{
	uint64_t ticks, now = now_ms();

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
		release(st, now);
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

static int watch(int epfd, int fd, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.u64 = (uint64_t)fd};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int loop_run(struct state *st)
{
	if (watch(st->epfd, st->sfd, EPOLLIN) < 0 || watch(st->epfd, st->tfd, EPOLLIN) < 0) {
		log_warn(errno, "epoll_ctl");
	}
	/*
	 * One shot: the pidfd stays readable once the child has exited, but a tracer (gdb,
	 * strace -p) holds the zombie until it lets go, and until then waitpid() finds nothing.
	 * A level-triggered watch would spin; the SIGCHLD that the kernel sends when the tracer
	 * releases it reaps the child instead.
	 */
	if (st->child.pidfd >= 0 && watch(st->epfd, st->child.pidfd, EPOLLIN | EPOLLONESHOT) < 0) {
		log_warn(errno, "epoll_ctl(pidfd)");
	}
	if (st->report_fd >= 0 && watch(st->epfd, st->report_fd, EPOLLIN) < 0) {
		log_warn(errno, "epoll_ctl(exec report)");
	}
	st->phase = PHASE_RUN;
	/* A child that exited before the loop started is reaped here. */
	reap(st);
	if (st->orphaned_sig != 0) {
		forward(st, st->orphaned_sig);
	}
	advance(st);
	while (st->phase != PHASE_DONE) {
		struct epoll_event ev[4];
		int n;

		set_blocking(st, only_signals(st));
		if (st->sfd_blocks) {
			read_signals(st);
			advance(st);
			continue;
		}
		n = epoll_wait(st->epfd, ev, 4, -1);

		if (n < 0 && errno != EINTR) {
			log_warn(errno, "epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			uint64_t fd = ev[i].data.u64;

			if (fd & DRAIN_WATCH_TAG) {
				close(
				    (int)(fd & ~DRAIN_WATCH_TAG)); /* another process has exited */
				st->watched--;
			} else if (fd == (uint64_t)st->sfd) {
				read_signals(st);
			} else if (fd == (uint64_t)st->tfd) {
				on_timer(st);
			} else if (fd == (uint64_t)st->report_fd) {
				read_report(st);
			} else {
				reap(st); /* the pidfd is readable: the main child has exited */
			}
		}
		advance(st);
	}
	if (st->cfg->pause) {
		return 0;
	}
	if (st->exec_code != 0) {
		return st->exec_code; /* 126/127 by the shell convention, whatever -e says */
	}
	if (!child_gone(st)) {
		return 128 + SIGKILL; /* -k gave up on a main child that SIGKILL did not end */
	}
	return status_exit_code(st->child_status, &st->cfg->expect);
}

void loop_summary(const struct state *st, int code, struct summary *s)
{
	*s = (struct summary){
	    .exit_code = code,
	    .cmd = st->cfg->pause ? NULL : st->cfg->argv[0],
	    .status = st->child_status,
	    .forwarded = st->forwarded,
	    .init_killed = st->killed_child,
	    .stage = st->exec_stage,
	    .err = st->exec_err,
	    .term_delay_ms = st->delay_used && st->at.release == 0 ? st->held_ms : 0,
	    .drain_term = st->drain_term,
	    .drain_killed = st->kill_noted ? st->drain_killed : 0,
	    .killed = st->kill_noted ? &st->killed : NULL,
	};
	if (st->cfg->pause) {
		s->child = SUMMARY_NONE;
	} else if (st->exec_code != 0) {
		s->child = SUMMARY_NOT_RUN;
	} else if (!child_gone(st)) {
		s->child = SUMMARY_SURVIVED;
	} else {
		s->child = SUMMARY_ENDED;
	}
}
