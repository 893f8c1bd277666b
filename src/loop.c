/* The one event loop (design §2 Running and Shutdown). */
#include <errno.h>
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

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Arm the timerfd for the earliest deadline, or disarm it: no deadline, no wake-up. */
static void arm_timer(struct state *st)
{
	uint64_t at = 0, cand[] = {st->grace_at, st->kill_at, st->retry_at};
	struct itimerspec its = {0};

	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (cand[i] != 0 && (at == 0 || cand[i] < at)) {
			at = cand[i];
		}
	}
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
	int r = spawn_exec_result(st->report_fd, st->cfg->argv[0]);

	if (r == -EAGAIN) {
		return;
	}
	st->exec_code = r > 0 ? r : 0;
	close(st->report_fd); /* also leaves the epoll set */
	st->report_fd = -1;
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
		st->child_exited = true;
		log_info("child pid=%d %s", (int)st->child.pid,
		         status_describe(status, how, sizeof(how)));
		proc_close(&st->child);
	}
	st->empty = (r & REAP_EMPTY) != 0;
}

/* SIGKILL to what is left of the tree; gives up when the tree cannot be known. */
static void kill_tree(struct state *st)
{
	int r = drain_signal_tree(SIGKILL, &st->warned);

	st->phase = PHASE_KILL;
	st->grace_at = 0;
	st->retry_at = now_ms() + KILL_RETRY_MS;
	if (r < 0) {
		log_warn(-r, "drain: cannot find the rest of the tree to kill it; exiting");
		st->phase = PHASE_DONE;
	}
}

static void start_drain(struct state *st)
{
	int r;

	reap(st); /* emptiness now, not as of the last SIGCHLD: orphans may have arrived */
	st->drain_at = now_ms();
	if (st->empty) {
		st->phase = PHASE_DONE;
		return;
	}
	if (st->cfg->grace_ms == 0 || st->killed) {
		log_info("drain: SIGKILL to the rest of the tree (grace=%llums)",
		         (unsigned long long)st->cfg->grace_ms);
		kill_tree(st);
		return;
	}
	log_info("drain: SIGTERM to the rest of the tree, grace=%llums",
	         (unsigned long long)st->cfg->grace_ms);
	r = drain_signal_tree(SIGTERM, &st->warned);
	if (r < 0) {
		log_warn(-r, "drain: cannot find the rest of the tree; waiting for the children");
	}
	st->phase = PHASE_TERM;
	st->grace_at = st->drain_at + st->cfg->grace_ms;
}

/* Move the shutdown on after anything that may have changed it. */
static void advance(struct state *st)
{
	if (st->phase == PHASE_RUN && (st->cfg->pause ? st->stop : st->child_exited)) {
		start_drain(st);
	}
	if ((st->phase == PHASE_TERM || st->phase == PHASE_KILL) && st->empty) {
		log_info("drain: tree empty after %llums",
		         (unsigned long long)(now_ms() - st->drain_at));
		st->phase = PHASE_DONE;
	}
	if (st->phase == PHASE_DONE) {
		st->grace_at = st->kill_at = st->retry_at = 0;
	}
	arm_timer(st);
}

/* --kill-after starts at the first termination signal (after rewriting). */
static void note_termination(struct state *st, int sig)
{
	if (st->cfg->kill_after_ms == CONFIG_NEVER || st->kill_armed ||
	    !sigtab_is_termination(sig)) {
		return;
	}
	st->kill_armed = true;
	st->kill_at = now_ms() + st->cfg->kill_after_ms;
}

static void forward(struct state *st, int sig)
{
	char name[20], as[24];
	const char *label = "dropped";
	int to = signals_target(st->cfg, sig);

	if (to < 0 || st->phase != PHASE_RUN) {
		return;
	}
	if (st->cfg->pause) {
		if (sig == SIGTERM || sig == SIGINT) {
			st->stop = true;
		}
		return;
	}
	/* Reaped earlier in this batch: there is nobody to forward to any more. */
	if (st->child_exited) {
		return;
	}
	note_termination(st, to);
	if (to > 0) {
		(void)proc_signal(&st->child, to, st->cfg->group, &label);
	}
	as[0] = '\0';
	if (to != sig && to > 0) {
		memcpy(as, " as=", 5);
		sigtab_name(to, as + 4, sizeof(as) - 4);
	}
	log_debug("signal=%s%s to=%s pid=%d result=%s", sigtab_name(sig, name, sizeof(name)), as,
	          st->cfg->group ? "group" : "child", (int)st->child.pid, label);
}

/* Drain the signalfd: many signals may be pending at once. */
static void read_signals(struct state *st)
{
	struct signalfd_siginfo si[16];

	for (;;) {
		ssize_t n = read(st->sfd, si, sizeof(si));

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				log_warn(errno, "read(signalfd)");
			}
			if (errno != EINTR) {
				return;
			}
			continue;
		}
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			if (si[i].ssi_signo == SIGCHLD) {
				reap(st);
			} else {
				forward(st, (int)si[i].ssi_signo);
			}
		}
	}
}

static void on_timer(struct state *st)
{
	uint64_t ticks, now = now_ms();

	(void)!read(st->tfd, &ticks, sizeof(ticks)); /* non-blocking; only clears readiness */
	if (st->kill_at != 0 && now >= st->kill_at) {
		log_info("kill-after: %llums since the first termination signal: SIGKILL to the "
		         "tree",
		         (unsigned long long)st->cfg->kill_after_ms);
		st->kill_at = 0;
		st->killed = true;
		if (drain_signal_tree(SIGKILL, &st->warned) < 0 && st->child.pid > 0) {
			const char *label;

			(void)proc_signal(&st->child, SIGKILL, false, &label);
		}
	}
	if (st->phase == PHASE_TERM && st->grace_at != 0 && now >= st->grace_at) {
		log_info("drain: grace period over: SIGKILL to the rest of the tree");
		kill_tree(st);
	} else if (st->phase == PHASE_KILL && st->retry_at != 0 && now >= st->retry_at) {
		kill_tree(st);
	}
}

static int watch(int epfd, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int loop_run(struct state *st)
{
	if (watch(st->epfd, st->sfd) < 0 || watch(st->epfd, st->tfd) < 0) {
		log_warn(errno, "epoll_ctl");
	}
	if (st->child.pidfd >= 0 && watch(st->epfd, st->child.pidfd) < 0) {
		log_warn(errno, "epoll_ctl(pidfd)");
	}
	if (st->report_fd >= 0 && watch(st->epfd, st->report_fd) < 0) {
		log_warn(errno, "epoll_ctl(exec report)");
	}
	st->phase = PHASE_RUN;
	/* A child that exited before the loop started is reaped here. */
	reap(st);
	advance(st);
	while (st->phase != PHASE_DONE) {
		struct epoll_event ev[4];
		int n = epoll_wait(st->epfd, ev, 4, -1);

		if (n < 0 && errno != EINTR) {
			log_warn(errno, "epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			if (ev[i].data.fd == st->sfd) {
				read_signals(st);
			} else if (ev[i].data.fd == st->tfd) {
				on_timer(st);
			} else if (ev[i].data.fd == st->report_fd) {
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
	return status_exit_code(st->child_status, &st->cfg->expect);
}
