/* The one event loop (design §2 Running): signals in and on, reaping, the exec report. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "drain.h"
#include "log.h"
#include "loop.h"
#include "phase.h"
#include "reap.h"
#include "signals.h"
#include "spawn.h"
#include "sigtab.h"
#include "status.h"

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

void loop_reap(struct state *st)
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
			phase_note_termination(st, sig);
			phase_start_drain(st);
		}
		return;
	}
	/* Reaped earlier in this batch: there is nobody to forward to any more. */
	if (phase_child_gone(st)) {
		return;
	}
	phase_note_termination(st, to);
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

void loop_release(struct state *st, uint64_t now)
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
			loop_release(st, phase_now_ms());
			return to == st->held; /* the same signal again adds nothing */
		}
		return false;
	}
	if (sig != SIGTERM || st->cfg->term_delay_ms == 0 || st->delay_used) {
		return false;
	}
	st->delay_used = true;
	st->held = to;
	st->held_ms = phase_now_ms(); /* when it came, until it is released */
	st->at.release = st->held_ms + st->cfg->term_delay_ms;
	phase_note_termination(st, to); /* -k counts from the arrival */
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
				loop_reap(st);
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

static int watch(int epfd, int fd, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.u64 = (uint64_t)fd};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* The signalfd, the timerfd, the main child's pidfd and the exec report, into the epoll set. */
static void watch_all(struct state *st)
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
}

/* What epoll found readable. */
static void dispatch(struct state *st, const struct epoll_event *ev, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t fd = ev[i].data.u64;

		if (fd & DRAIN_WATCH_TAG) {
			close((int)(fd & ~DRAIN_WATCH_TAG)); /* another process has exited */
			st->watched--;
		} else if (fd == (uint64_t)st->sfd) {
			read_signals(st);
		} else if (fd == (uint64_t)st->tfd) {
			phase_on_timer(st);
		} else if (fd == (uint64_t)st->report_fd) {
			read_report(st);
		} else {
			loop_reap(st); /* the pidfd is readable: the main child has exited */
		}
	}
}

int loop_run(struct state *st)
{
	watch_all(st);
	st->phase = PHASE_RUN;
	/* A child that exited before the loop started is reaped here. */
	loop_reap(st);
	if (st->orphaned_sig != 0) {
		forward(st, st->orphaned_sig);
	}
	phase_advance(st);
	while (st->phase != PHASE_DONE) {
		struct epoll_event ev[4];
		int n;

		set_blocking(st, only_signals(st));
		if (st->sfd_blocks) {
			read_signals(st);
			phase_advance(st);
			continue;
		}
		n = epoll_wait(st->epfd, ev, 4, -1);

		if (n < 0 && errno != EINTR) {
			log_warn(errno, "epoll_wait");
		}
		dispatch(st, ev, n);
		phase_advance(st);
	}
	if (st->cfg->pause) {
		return 0;
	}
	if (st->exec_code != 0) {
		return st->exec_code; /* 126/127 by the shell convention, whatever -e says */
	}
	if (!phase_child_gone(st)) {
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
	} else if (!phase_child_gone(st)) {
		s->child = SUMMARY_SURVIVED;
	} else {
		s->child = SUMMARY_ENDED;
	}
}
