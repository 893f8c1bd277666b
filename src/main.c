/*
 * init: a tiny PID 1 for containers, built on pidfds. main() only sequences the modules:
 * start-up hygiene, configuration, spawn, the event loop, the exit status.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "fd.h"
#include "feature.h"
#include "help.h"
#include "log.h"
#include "loop.h"
#include "owncaps.h"
#include "privs.h"
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

/*
 * -p: the signal we get when our parent dies; it is blocked, so it is forwarded. Returns
 * @sig when the parent died before the prctl (then nobody will send it, and the loop
 * forwards it as if it had come), else 0.
 */
static int set_pdeathsig(int sig)
{
	pid_t parent = getppid();

	if (sig == 0) {
		return 0;
	}
	if (prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) < 0) {
		die(1, errno, "prctl(PR_SET_PDEATHSIG, %d)", sig);
	}
	return getppid() != parent ? sig : 0;
}

/* The pidfd calls this run can use: probed once, now, before the child exists. */
static void probe_features(const struct config *cfg)
{
	unsigned mask =
	    1U << FEATURE_PIDFD_OPEN | 1U << FEATURE_PIDFD_SEND_SIGNAL | 1U << FEATURE_CLOSE_RANGE;
	int r;

	if (!cfg->pause) {
		mask |= 1U << FEATURE_CLONE3 | 1U << FEATURE_CLONE_PIDFD;
	}
	if (cfg->group) {
		mask |= 1U << FEATURE_PIDFD_PGROUP;
	}
	r = feat_probe(mask);
	if (r < 0) {
		log_warn(-r, "cannot probe the pidfd calls under this seccomp filter; using the "
		             "fallbacks");
	}
}

/*
 * Hand the terminal to the child only if it is our controlling terminal and we are in its
 * foreground group: `init cmd &` from an interactive shell must not take the terminal from
 * the shell. Groups outside our PID namespace read as 0 (launched as PID 1 by unshare or a
 * test helper): when both read 0 we cannot tell them apart, and hand over as a foreground
 * init would.
 */
static bool own_foreground_tty(void)
{
	pid_t fg = tcgetpgrp(STDIN_FILENO);

	return fg >= 0 && fg == getpgrp();
}

/*
 * dumb-init: the child gets a session of its own with the terminal as its controlling tty,
 * which the init's session must give up first. As the session leader the init makes the
 * kernel send SIGHUP and SIGCONT to the terminal's foreground group, the init's own here
 * (dumb-init#136). They come as SI_USER from the init's own pid, so the loop drops them as
 * signals it caused (caused_by_self); they never reach the child.
 */
static void leave_tty(void)
{
	(void)ioctl(STDIN_FILENO, TIOCNOTTY);
}

static void parse_or_exit(struct config *cfg, int argc, char **argv)
{
	char err[256];

	int r = config_parse(cfg, argc, argv, environ, err, sizeof(err));

	log_prefix = cfg->persona->log_prefix;
	if (r < 0) {
		die(cfg->persona->usage_exit, 0, "%s (see '%s --help')", err, cfg->persona->name);
	}
	if (cfg->action == CONFIG_HELP) {
		fputs(help_text(), stdout);
		exit(0);
	}
	/* One line: dockerd keeps the whole stdout of `INIT --version` as the version. */
	if (cfg->action == CONFIG_VERSION) {
		printf("%s\n", help_version());
		exit(0);
	}
	if (cfg->action == CONFIG_FEATURES) {
		feat_report();
		exit(0);
	}
	log_level = cfg->verbosity;
}

/*
 * -u and --cap-*: resolved before anything is created, so that a wrong name or a change the
 * init may not make is one line and no child. Exit 2 for a name, 1 for a missing right.
 */
static void prepare_privs_or_exit(const struct config *cfg, struct privs *pv)
{
	char err[256];
	int r = privs_prepare(cfg, environ, pv, err, sizeof(err));

	if (r < 0) {
		die(r == -EINVAL ? 2 : 1, r == -EINVAL || r == -EPERM ? 0 : -r, "%s", err);
	}
}

/*
 * A relative --termination-log is relative to where the init was started, like every path of a
 * command line, not to "/", where it moves: made absolute before the chdir. If the directory
 * cannot be named, the path stays as it is (and is then written under "/").
 */
static void termination_log_absolute(struct config *cfg)
{
	static char abs[PATH_MAX];
	const char *p = cfg->termination_log;
	size_t n;

	if (p == NULL || p[0] == '/' || getcwd(abs, sizeof(abs)) == NULL) {
		return;
	}
	n = strlen(abs);
	if (n + 1 + strlen(p) >= sizeof(abs)) {
		log_warn(0, "--termination-log: the path is too long to make absolute; writing it "
		            "under /");
		return;
	}
	abs[n] = '/';
	memcpy(abs + n + 1, p, strlen(p) + 1);
	cfg->termination_log = abs;
}

/*
 * How the run ended, in one line: the last log line when the drain had to SIGKILL, and the
 * termination message (--termination-log), which Kubernetes shows for the container.
 */
static void report_end(const struct state *st, int code)
{
	struct summary sum;
	char line[SUMMARY_MAX];
	size_t len;

	if (st->cfg->termination_log == NULL && !st->kill_noted) {
		return;
	}
	loop_summary(st, code, &sum);
	len = summary_format(&sum, line, sizeof(line));
	if (st->kill_noted) {
		log_notice("%s", line);
	}
	if (st->cfg->termination_log != NULL) {
		(void)log_file(st->cfg->termination_log, line, len);
	}
}

int main(int argc, char **argv)
{
	struct sigsave sigs;
	struct config cfg;
	struct privs pv;
	struct state st = {
	    .cfg = &cfg, .self = getpid(), .child = {.pid = 0, .pidfd = -1}, .report_fd = -1};
	int r;

	/* Start-up hygiene first (style rule 17): block, reset SIGCHLD, reap what is there. */
	r = signals_block_all(&sigs);
	if (r < 0) {
		die(1, -r, "blocking signals");
	}
	st.at_start = sigs.pending;
	(void)reap_all(0, NULL, false);
	parse_or_exit(&cfg, argc, argv);
	prepare_privs_or_exit(&cfg, &pv);
	become_subreaper();
	st.orphaned_sig = set_pdeathsig(cfg.pdeathsig);
	probe_features(&cfg);

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
		    .privs = pv.user || pv.caps || pv.no_new_privs ? &pv : NULL,
		    .tty = !cfg.setsid && own_foreground_tty(),
		    .setsid = cfg.setsid,
		};

		if (cfg.setsid) {
			leave_tty();
		}
		r = spawn_child(&req, &st.child, &st.report_fd);
		if (r < 0) {
			die(1, -r, "cannot create a process for %s", cfg.argv[0]);
		}
	}
	/* From here on the init must not die (style rule 12). */
	privs_free(&pv);
	owncaps_drop();
	fd_close_inherited((int[]){st.sfd, st.epfd, st.tfd, st.child.pidfd, st.report_fd}, 5);
	/* Pin no directory; the child keeps its own working directory. */
	termination_log_absolute(&cfg);
	(void)!chdir("/");
	if (cfg.pause) {
		log_info("pause: no child; reaping until SIGTERM or SIGINT");
	}
	r = loop_run(&st);
	log_info("exit code=%d", r);
	report_end(&st, r);
	return r;
}
