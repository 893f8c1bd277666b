/* The one event loop (design §2 Running). */
#include <errno.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "reap.h"
#include "signals.h"
#include "sigtab.h"
#include "status.h"

static void reap(struct state *st)
{
	int status;

	if (reap_all(st->child.pid, &status, st->cfg->warn_reap) == 1) {
		char how[40];

		st->child_status = status;
		st->child_exited = true;
		log_info("child pid=%d %s", (int)st->child.pid,
		         status_describe(status, how, sizeof(how)));
		proc_close(&st->child);
	}
}

static void forward(struct state *st, int sig)
{
	char name[20], as[20];
	const char *label = "dropped";
	int to = signals_target(st->cfg, sig);

	if (to < 0) {
		return;
	}
	if (st->cfg->pause) {
		if (sig == SIGTERM || sig == SIGINT) {
			st->stop = true;
		}
		return;
	}
	if (st->child_exited) {
		return;
	}
	if (to > 0) {
		(void)proc_signal(&st->child, to, st->cfg->group, &label);
	}
	sigtab_name(sig, name, sizeof(name));
	if (to != sig && to > 0) {
		log_debug("signal=%s as=%s to=%s pid=%d result=%s", name,
		          sigtab_name(to, as, sizeof(as)), st->cfg->group ? "group" : "child",
		          (int)st->child.pid, label);
	} else {
		log_debug("signal=%s to=%s pid=%d result=%s", name,
		          st->cfg->group ? "group" : "child", (int)st->child.pid, label);
	}
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

static int watch(int epfd, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int loop_run(struct state *st)
{
	if (watch(st->epfd, st->sfd) < 0) {
		log_warn(errno, "epoll_ctl(signalfd)");
	}
	if (st->child.pidfd >= 0 && watch(st->epfd, st->child.pidfd) < 0) {
		log_warn(errno, "epoll_ctl(pidfd)");
	}
	/* A child that exited before the loop started is reaped here. */
	reap(st);
	while (st->cfg->pause ? !st->stop : !st->child_exited) {
		struct epoll_event ev[4];
		int n = epoll_wait(st->epfd, ev, 4, -1);

		if (n < 0 && errno != EINTR) {
			log_warn(errno, "epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			if (ev[i].data.fd == st->sfd) {
				read_signals(st);
			} else {
				/* The pidfd is readable: the main child has exited. */
				reap(st);
			}
		}
	}
	/* Whatever else has already exited. */
	reap(st);
	if (st->cfg->pause) {
		return 0;
	}
	return status_exit_code(st->child_status, &st->cfg->expect);
}
