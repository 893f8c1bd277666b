/*
 * Pause mode (-P, design §2 Shutdown, README "Shutdown"): no child; the init reaps whatever is
 * re-parented to it, ignores every signal but SIGTERM and SIGINT, drains what is left on
 * those and exits 0, and does not wake up while idle.
 *
 * A process with no child has no descendants to adopt, so launch -c gives it some: launch
 * forks a child that waits for a line on stdin and then runs a kid, and execs the init over
 * itself, so that child is the init's from the start (as PID 1 of a namespace, and as a
 * subreaper). The line is sent once the init runs: as a subreaper it must have registered
 * before the kid orphans anything, or the orphans would go to the harness.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

TestSuite(pause, .fini = h_cleanup);

/*
 * `launch -c KID... -- init -P FLAGS`: started and ready; then the line that lets the kid run
 * (as a subreaper, only after the init said it registered).
 */
static void start_pause(struct h_proc *h, enum h_mode mode, const char *const *kid,
                        const char *const *flags)
{
	const char *launch[32], *argv[16];
	int n = 0;

	for (int i = 0; kid && kid[i]; i++) {
		launch[n++] = "-c";
		launch[n++] = kid[i];
	}
	launch[n] = NULL;
	n = 0;
	argv[n++] = "-P";
	argv[n++] = "-v";
	for (int i = 0; flags && flags[i]; i++) {
		argv[n++] = flags[i];
	}
	argv[n] = NULL;
	h_start(h, mode, launch, argv);
	/*
	 * Past start-up, so no signal of the test can be lost: this line comes after the signalfd
	 * exists. (A SigBlk with SIGTERM is no proof: launch's fork, before the exec, blocks every
	 * signal for a moment; a signal sent then to a PID 1 with SIG_DFL is dropped.)
	 */
	h_expect_str(h, H_ERR, "init: pause: no child", 5000);
	if (mode == H_SUB) {
		h_expect_str(h, H_ERR, "init: subreaper=on", 5000);
	}
	if (kid) {
		cr_assert(write(h->in, "go\n", 3) == 3, "write: %s", strerror(errno));
	}
}

/* Children of PID (host view, /proc/PID/task/PID/children), -1 if unreadable. */
static int children_of(pid_t pid)
{
	char path[64];
	int n = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return -1;
	}
	while (fscanf(f, "%d", &v) == 1) {
		n++;
	}
	fclose(f);
	return n;
}

/*
 * Orphans re-parented to the pause init are reaped (kid orphans checks from inside: each one
 * was adopted by its parent, the init, and none is left, not even a zombie); the kid itself
 * too. Then, idle, the init does not wake up at all; signals other than TERM and INT do not end
 * it; SIGTERM does, with 0.
 */
H_TEST_BOTH(pause, reaps_idles_ignores, .timeout = 60)
{
	static const int ignored[] = {SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, 35};
	long deadline;
	struct h_proc h;

	h_need_subreaper(mode);

	start_pause(&h, mode, H_ARGS(h_helper("kid"), "orphans", "5"), NULL);
	h_expect_line(&h, H_OUT, "orphaned 5", 10000);
	h_expect_line(&h, H_OUT, "adopted=5", 5000);
	h_expect_line(&h, H_OUT, "left=0", 25000);
	/* The kid, the init's only child, is reaped too: no child (nor zombie) left. */
	deadline = h_now_ms() + 5000;
	while (children_of(h.init_pid) != 0) {
		cr_assert(h_now_ms() < deadline, "[%s] the pause init still has %d children",
		          h_mode_name(mode), children_of(h.init_pid));
		h_sleep_ms(20);
	}
	cr_assert(h_wait_asleep(&h, 5000), "[%s] the pause init never settled", h_mode_name(mode));
	h_expect_idle(&h, 2000);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		h_kill(&h, ignored[i]);
	}
	/* Asleep again with nothing pending: it has read them all. */
	cr_expect(h_wait_asleep(&h, 5000), "[%s] the pause init did not settle after the signals",
	          h_mode_name(mode));
	cr_expect(h_running(&h), "[%s] a signal other than TERM/INT ended pause mode:\n%s",
	          h_mode_name(mode), h_text(&h, H_ERR));
	h_kill(&h, SIGTERM);
	h_expect_exit(&h, 0, 10000);
}

H_TEST_BOTH(pause, sigint, .timeout = 30)
{
	struct h_proc h;

	h_need_subreaper(mode);

	start_pause(&h, mode, NULL, NULL);
	h_kill(&h, SIGINT);
	h_expect_exit(&h, 0, 10000);
}

H_TEST_BOTH(pause, sigterm, .timeout = 30)
{
	struct h_proc h;

	h_need_subreaper(mode);

	start_pause(&h, mode, NULL, NULL);
	h_kill(&h, SIGTERM);
	h_expect_exit(&h, 0, 10000);
}

/* Does PID still exist (a zombie included)? */
static bool exists(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return access(path, F_OK) == 0;
}

/*
 * `kid tree` below the pause init; its main process ends (when stdin closes), the nodes stay
 * (the init's own now, and one deeper). Returns once the init has reaped the kid and sleeps.
 */
static void start_pause_tree(struct h_proc *h, enum h_mode mode, const char *const *flags,
                             const char *const *specs, int nodes)
{
	const char *kid[16];
	long deadline;
	pid_t main_kid;
	int n = 0;

	kid[n++] = h_helper("kid");
	kid[n++] = "tree";
	kid[n++] = "5";
	for (int i = 0; specs[i]; i++) {
		kid[n++] = specs[i];
	}
	kid[n] = NULL;
	start_pause(h, mode, kid, flags);
	h_expect_line(h, H_OUT, "tree ready", 10000);
	for (int i = 1; i <= nodes; i++) {
		char prefix[32], v[32];

		snprintf(prefix, sizeof(prefix), "node %d pid=", i);
		cr_assert(h_line_value(h, H_OUT, prefix, v, sizeof(v)), "no '%s' line:\n%s", prefix,
		          h_text(h, H_OUT));
	}
	/* Until now the kid is the init's only child; its nodes are its own. */
	main_kid = h_child_pid(h->init_pid);
	cr_assert(main_kid > 0, "[%s] the pause init has no child", h_mode_name(mode));
	h_close_stdin(h);
	h_expect_line(h, H_OUT, "main exit 5", 5000);
	deadline = h_now_ms() + 5000;
	while (exists(main_kid)) {
		cr_assert(h_now_ms() < deadline, "[%s] the pause init did not reap the kid",
		          h_mode_name(mode));
		h_pump(h, 5);
	}
	cr_assert(h_wait_asleep(h, 5000), "[%s] the pause init never settled", h_mode_name(mode));
}

/* SIGTERM drains what is left: all get SIGTERM, and the init exits 0 as soon as they are gone. */
H_TEST_BOTH(pause, drain_term, .timeout = 60)
{
	struct h_proc h;
	long t0, end;

	h_need_subreaper(mode);

	start_pause_tree(&h, mode, H_ARGS("-t", "20s"), H_ARGS("0t", "0t", "2t", "0ts"), 4);
	cr_expect(!strstr(h_text(&h, H_OUT), "got TERM"), "[%s] drained before SIGTERM:\n%s",
	          h_mode_name(mode), h_text(&h, H_OUT));
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	for (int i = 1; i <= 4; i++) {
		char line[32];

		snprintf(line, sizeof(line), "node %d got TERM", i);
		h_expect_line(&h, H_OUT, line, 10000);
	}
	end = h_wait_ended(&h, 20000);
	/* Scaled, but kept below the 20 s grace period, which is what this tells apart. */
	cr_expect_lt(end - t0, h_slack_cap(1700, 15000), "[%s] -t 20s: the pause init took %ld ms",
	             h_mode_name(mode), end - t0);
	h_expect_exit(&h, 0, 10000);
	cr_expect(strstr(h_text(&h, H_ERR), "init: drain: tree empty after"), "[%s] stderr:\n%s",
	          h_mode_name(mode), h_text(&h, H_ERR));
}

/* What ignores SIGTERM is killed after the grace period; still exit 0. */
H_TEST_BOTH(pause, drain_kill, .timeout = 60)
{
	struct h_proc h;
	long t0, end;

	h_need_subreaper(mode);

	start_pause_tree(&h, mode, H_ARGS("-t", "1s"), H_ARGS("0i", "1i"), 2);
	t0 = h_now_ms();
	h_kill(&h, SIGINT);
	end = h_wait_ended(&h, 20000);
	cr_expect(end - t0 >= 800 && end - t0 <= 1000 + h_slack(700),
	          "[%s] -t 1s: the pause init took %ld ms", h_mode_name(mode), end - t0);
	h_expect_exit(&h, 0, 10000);
	cr_expect(strstr(h_text(&h, H_ERR), "grace period over"), "[%s] stderr:\n%s",
	          h_mode_name(mode), h_text(&h, H_ERR));
}
