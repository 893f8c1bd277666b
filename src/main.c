/*
 * init: a tiny PID 1 for containers, built on pidfds. main() only sequences the modules:
 * start-up hygiene, configuration, spawn, the event loop, the exit status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "feature.h"
#include "help.h"
#include "log.h"
#include "loop.h"
#include "reap.h"
#include "signals.h"
#include "spawn.h"
#include "sys.h"

extern char **environ;

/* Not PID 1: become the subreaper, so that orphans of our tree come to us (catatonit). */
static void become_subreaper(void)
{
	if (getpid() == 1) {
		return;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		log_warn(errno, "not PID 1 and prctl(PR_SET_CHILD_SUBREAPER) failed: orphans will "
		                "not be reaped");
		return;
	}
	log_info("subreaper=on pid=%d", (int)getpid());
}

/* -p: the signal we get when our parent dies; it is blocked, so it is forwarded. */
static void set_pdeathsig(int sig)
{
	pid_t parent = getppid();

	if (sig == 0) {
		return;
	}
	if (prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) < 0) {
		die(1, errno, "prctl(PR_SET_PDEATHSIG, %d)", sig);
	}
	/* The parent may have died before the prctl: then nobody will send it, so we do. */
	if (getppid() != parent) {
		(void)kill(getpid(), sig); /* pending until the loop reads it */
	}
}

static void parse_or_exit(struct config *cfg, int argc, char **argv)
{
	char err[256];

	if (config_parse(cfg, argc, argv, environ, err, sizeof(err)) < 0) {
		fprintf(stderr, "init: %s (see 'init --help')\n", err);
		exit(2);
	}
	if (cfg->action == CONFIG_HELP) {
		fputs(help_text(), stdout);
		exit(0);
	}
	if (cfg->action == CONFIG_VERSION) {
		printf("%s\n", help_version());
		feat_report();
		exit(0);
	}
	log_level = cfg->verbosity;
}

int main(int argc, char **argv)
{
	struct sigsave sigs;
	struct config cfg;
	struct state st = {.cfg = &cfg, .child = {.pid = 0, .pidfd = -1}, .report_fd = -1};
	int r;

	/* Start-up hygiene first (style rule 17): block, reset SIGCHLD, reap what is there. */
	r = signals_block_all(&sigs);
	if (r < 0) {
		die(1, -r, "blocking signals");
	}
	(void)reap_all(0, NULL, false);
	parse_or_exit(&cfg, argc, argv);
	become_subreaper();
	set_pdeathsig(cfg.pdeathsig);

	st.sfd = signals_open();
	if (st.sfd < 0) {
		die(1, -st.sfd, "signalfd");
	}
	st.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (st.epfd < 0) {
		die(1, errno, "epoll_create1");
	}
	st.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (st.tfd < 0) {
		die(1, errno, "timerfd_create");
	}
	if (!cfg.pause) {
		struct spawn_req req = {
		    .argv = cfg.argv,
		    .envp = environ,
		    .sigs = &sigs,
		    .tty = isatty(STDIN_FILENO),
		};

		r = spawn_child(&req, &st.child, &st.report_fd);
		if (r < 0) {
			die(1, -r, "cannot create a process for %s", cfg.argv[0]);
		}
	}
	/* From here on the init must not die (style rule 12). */
	spawn_close_inherited((int[]){st.sfd, st.epfd, st.tfd, st.child.pidfd, st.report_fd}, 5);
	/* Pin no directory; the child keeps its own working directory. */
	(void)!chdir("/");
	if (cfg.pause) {
		log_info("pause: no child; reaping until SIGTERM or SIGINT");
	}
	r = loop_run(&st);
	log_info("exit code=%d", r);
	return r;
}
