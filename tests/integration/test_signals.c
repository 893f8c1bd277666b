/*
 * Signal forwarding (dumb-init's print_signals handshake): every catchable signal reaches the
 * child, -g reaches its whole group, a signal sent before the child exists is not lost, a storm
 * does not wedge the init, and -p delivers a signal when the init's parent dies.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(signals, .fini = h_cleanup);

static void expect_sig(struct h_proc *h, const char *prefix, int sig)
{
	char line[32];

	snprintf(line, sizeof(line), "%ssig %d", prefix, sig);
	h_expect_line(h, H_OUT, line, 5000);
}

/* Wait for `ready pid=P ...` and check the kid is not the init itself (no init at all). */
static void kid_ready(struct h_proc *h)
{
	char v[64];

	h_expect_str(h, H_OUT, "ready pid=", 5000);
	h_expect_str(h, H_OUT, "\n", 5000);
	cr_assert(h_line_value(h, H_OUT, "ready pid=", v, sizeof(v)));
	cr_assert(atoi(v) != (h->mode == H_PID1 ? 1 : h->init_pid),
	          "[%s] the kid is the init's own process (pid %d)", h_mode_name(h->mode), atoi(v));
}

/* SIGTERM ends `kid sigs`; the init must then exit 0. */
static void terminate(struct h_proc *h)
{
	h_kill(h, SIGTERM);
	expect_sig(h, "", SIGTERM);
	h_expect_exit(h, 0, 10000);
}

H_TEST_BOTH(signals, each_forwarded, .timeout = 60)
{
	static const int rt[] = {35, 64};
	struct h_proc h;

	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "sigs"));
	kid_ready(&h);
	for (int sig = 1; sig <= 31; sig++) {
		/* Not catchable (KILL, STOP), the init's own (CHLD), or the one that ends kid. */
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGTERM) {
			continue;
		}
		/* Under QEMU these kill the emulator (it takes them for its own faults). */
		if (h_emulated() && QEMU_FAULT_SIGNAL(sig)) {
			continue;
		}
		h_kill(&h, sig);
		expect_sig(&h, "", sig);
	}
	for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
		h_kill(&h, rt[i]);
		expect_sig(&h, "", rt[i]);
	}
	terminate(&h);
}

H_TEST_BOTH(signals, group, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, mode, NULL, H_ARGS("-g", h_helper("kid"), "group"));
	kid_ready(&h);
	h_kill(&h, SIGUSR1);
	expect_sig(&h, "", SIGUSR1);
	expect_sig(&h, "gc ", SIGUSR1);
	h_kill(&h, SIGTERM);
	expect_sig(&h, "gc ", SIGTERM);
	expect_sig(&h, "", SIGTERM);
	h_expect_exit(&h, 0, 10000);
}

/* TINI_KILL_PROCESS_GROUP=1 means -g. */
H_TEST_BOTH(signals, group_env, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, mode, H_ARGS("-e", "TINI_KILL_PROCESS_GROUP=1"),
	        H_ARGS(h_helper("kid"), "group"));
	kid_ready(&h);
	h_kill(&h, SIGUSR1);
	expect_sig(&h, "", SIGUSR1);
	expect_sig(&h, "gc ", SIGUSR1);
	h_kill(&h, SIGTERM);
	expect_sig(&h, "", SIGTERM);
	h_expect_exit(&h, 0, 10000);
}

/* Pending (blocked) at the init's exec: must reach the child once it runs. */
H_TEST_BOTH(signals, pending_at_start, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, mode, H_ARGS("-p", "10", "-p", "35"), H_ARGS(h_helper("kid"), "sigs"));
	kid_ready(&h);
	expect_sig(&h, "", SIGUSR1);
	expect_sig(&h, "", 35);
	terminate(&h);
}

H_TEST_BOTH(signals, storm, .timeout = 120)
{
	struct h_proc h;
	int eagain = 0;

	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "sigs"));
	kid_ready(&h);
	for (int i = 0; i < 25000; i++) {
		cr_assert(kill(h.init_pid, SIGUSR1) == 0, "kill SIGUSR1 #%d: %s", i,
		          strerror(errno));
		if (kill(h.init_pid, 35) < 0) {
			/* A full real-time queue (RLIMIT_SIGPENDING) is fine. */
			cr_assert(errno == EAGAIN, "kill 35 #%d: %s", i, strerror(errno));
			eagain++;
		}
		if (i % 500 == 0) {
			h_pump(&h, 0); /* keep the child's stdout flowing */
		}
	}
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 60000);
	h_expect_exit(&h, 0, 30000);
	cr_log_info("[%s] storm: %d EAGAIN on 35; the kid saw %d x 10, %d x 35", h_mode_name(mode),
	            eagain, h_count_lines(&h, H_OUT, "sig 10"), h_count_lines(&h, H_OUT, "sig 35"));
	cr_expect_gt(h_count_lines(&h, H_OUT, "sig 10"), 0, "[%s] no SIGUSR1 got through",
	             h_mode_name(mode));
	cr_expect(kill(h.init_pid, 0) < 0 || mode == H_PID1, "init still alive");
}

/* -r FROM:TO forwards FROM as TO; TO=0 drops FROM. */
H_TEST_BOTH(signals, rewrite, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, mode, NULL,
	        H_ARGS("-r", "USR1:USR2", "-r", "SIGHUP:0", h_helper("kid"), "sigs"));
	kid_ready(&h);
	h_kill(&h, SIGUSR1);
	expect_sig(&h, "", SIGUSR2);
	h_kill(&h, SIGHUP);
	h_kill(&h, SIGINT); /* forwarded after HUP would have been */
	expect_sig(&h, "", SIGINT);
	terminate(&h);
	cr_expect_eq(h_count_lines(&h, H_OUT, "sig 10"), 0,
	             "[%s] USR1 reached the child unrewritten", h_mode_name(mode));
	cr_expect_eq(h_count_lines(&h, H_OUT, "sig 1"), 0, "[%s] HUP was not dropped",
	             h_mode_name(mode));
}

/* init -p SIGTERM: launch -d is the init's parent; closing launch's stdin ends it. */
Test(signals, pdeathsig_sub, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, H_SUB, H_ARGS("-d"), H_ARGS("-p", "SIGTERM", h_helper("kid"), "sigs"));
	kid_ready(&h);
	cr_assert(h.init_pid != h.spawned);
	h_close_stdin(&h);
	expect_sig(&h, "", SIGTERM);
	h_expect_exit(&h, 0, 10000);
}

Test(signals, pdeathsig_env_sub, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, H_SUB, H_ARGS("-d", "-e", "INIT_PDEATHSIG=TERM"),
	        H_ARGS(h_helper("kid"), "sigs"));
	kid_ready(&h);
	h_close_stdin(&h);
	expect_sig(&h, "", SIGTERM);
	h_expect_exit(&h, 0, 10000);
}
