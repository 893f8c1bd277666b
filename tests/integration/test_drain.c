/*
 * The shutdown drain (design §2 Shutdown, README "Shutdown"): when the main child exits, the
 * rest of the tree gets SIGTERM, then SIGKILL after --grace, and the init exits with the main
 * child's status as soon as the tree is empty; --kill-after, --grace 0, --rewrite; a process
 * outside the tree is never touched, and a /proc that is not the init's is not trusted.
 *
 * The trees are `kid tree`: nodes that report SIGTERM (`node I got TERM`) or ignore it, some
 * deeper than the init's children, some in sessions of their own. The kid exits (with a code
 * of ours) when the test closes its stdin, which starts the drain at a known moment.
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

TestSuite(drain, .fini = h_cleanup);

#define MAX_NODES 16

/* A running `kid tree` under an init: node pids as the kid printed them, and their starts. */
struct tree {
	int n;
	pid_t pid[MAX_NODES + 1];
	unsigned long long start[MAX_NODES + 1]; /* H_SUB only: the pids are ours */
};

/* Start time (field 22) and state of /proc/PID/stat; false when there is no such process. */
static bool proc_stat(pid_t pid, unsigned long long *start, char *state)
{
	char path[64], buf[512], *p;
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return false;
	}
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* ") S ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime
	 * cstime priority nice threads itrealvalue starttime" */
	ok = p && sscanf(p + 1,
	                 " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
	                 "%*d %*d %*d %llu",
	                 state, start) == 2;
	return ok;
}

/*
 * `launch LAUNCH_OPTS -- init FLAGS kid tree CODE SPECS`; wait for `tree ready` and note the
 * nodes. FLAGS and SPECS are NULL-terminated.
 */
static void start_tree(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
                       const char *const *flags, int code, const char *const *specs, struct tree *t)
{
	const char *argv[64];
	char codes[16];
	int n = 0;

	snprintf(codes, sizeof(codes), "%d", code);
	for (int i = 0; flags[i]; i++) {
		argv[n++] = flags[i];
	}
	argv[n++] = h_helper("kid");
	argv[n++] = "tree";
	argv[n++] = codes;
	memset(t, 0, sizeof(*t));
	for (int i = 0; specs[i]; i++) {
		cr_assert(i < MAX_NODES, "too many nodes");
		argv[n++] = specs[i];
		t->n++;
	}
	argv[n] = NULL;
	h_start(h, mode, launch_opts, argv);
	h_expect_line(h, H_OUT, "tree ready", 10000);
	for (int i = 1; i <= t->n; i++) {
		char prefix[32], v[32];
		char state;

		snprintf(prefix, sizeof(prefix), "node %d pid=", i);
		cr_assert(h_line_value(h, H_OUT, prefix, v, sizeof(v)), "no '%s' line:\n%s", prefix,
		          h_text(h, H_OUT));
		t->pid[i] = (pid_t)atoi(v);
		if (mode == H_SUB && !proc_stat(t->pid[i], &t->start[i], &state)) {
			cr_assert_fail("[%s] node %d (pid %d) is already gone", h_mode_name(mode),
			               i, (int)t->pid[i]);
		}
	}
}

/* Close the kid's stdin (it exits with its code) and return when that was seen. */
static long end_main(struct h_proc *h, int code)
{
	char line[32];

	snprintf(line, sizeof(line), "main exit %d", code);
	h_close_stdin(h);
	h_expect_line(h, H_OUT, line, 5000);
	return h_now_ms();
}

/*
 * Right after the init ended (before h_finish sweeps its session): no node of the tree may be
 * left. As a subreaper the init's leftovers would now be ours (the harness is a subreaper), so
 * each pid must be gone or belong to a newer process. As PID 1 the kernel empties the
 * namespace anyway: there the init's own `tree empty` line says it waited for that.
 */
static void expect_tree_gone(struct h_proc *h, const struct tree *t)
{
	if (h->mode == H_PID1) {
		h_expect_str(h, H_ERR, "init: drain: tree empty after ", 2000);
		return;
	}
	for (int i = 1; i <= t->n; i++) {
		unsigned long long start;
		char state = '?';

		cr_expect(!proc_stat(t->pid[i], &start, &state) || start != t->start[i],
		          "[%s] node %d (pid %d) outlived the init (state %c)",
		          h_mode_name(h->mode), i, (int)t->pid[i], state);
	}
}

static void expect_term(struct h_proc *h, int node, int ms)
{
	char line[32];

	snprintf(line, sizeof(line), "node %d got TERM", node);
	h_expect_line(h, H_OUT, line, ms);
}

static bool has_str(struct h_proc *h, enum h_stream s, const char *needle)
{
	return strstr(h_text(h, s), needle) != NULL;
}

static int count_str(struct h_proc *h, enum h_stream s, const char *needle)
{
	int n = 0;

	for (const char *p = h_text(h, s); (p = strstr(p, needle)) != NULL; p++) {
		n++;
	}
	return n;
}

/*
 * A tree whose every node handles SIGTERM, under `-v -t 20s`: when the main child exits with
 * CODE, all of them report SIGTERM, none is left, and the init exits with CODE long before the
 * grace period is over.
 */
static void drained_by_term(struct h_proc *h, enum h_mode mode, int code, const char *const *specs)
{
	struct tree t;
	long t0, end;

	start_tree(h, mode, NULL, H_ARGS("-v", "-t", "20s"), code, specs, &t);
	t0 = end_main(h, code);
	for (int i = 1; i <= t.n; i++) {
		expect_term(h, i, 10000);
	}
	end = h_wait_ended(h, 20000);
	/* Scaled, but kept below the 20 s grace period, which is what this tells apart. */
	cr_expect_lt(end - t0, h_slack_cap(1700, 15000),
	             "[%s] the init took %ld ms after the main child (-t 20s)", h_mode_name(mode),
	             end - t0);
	expect_tree_gone(h, &t);
	h_expect_exit(h, code, 10000);
}

/* Scenario 1: the rest of the tree handles SIGTERM; the init ends with it, long before -t. */
H_TEST_BOTH(drain, term_then_exit, .timeout = 60)
{
	struct h_proc h;

	h_need_subreaper(mode);

	drained_by_term(&h, mode, 7, H_ARGS("0t", "0t", "0t", "0t", "0t"));
	cr_expect(has_str(&h, H_ERR, "init: drain: SIGTERM to the rest of the tree, grace=20000ms"),
	          "[%s] no SIGTERM line:\n%s", h_mode_name(mode), h_text(&h, H_ERR));
	cr_expect(!has_str(&h, H_ERR, "grace period over"), "[%s] SIGKILL sent:\n%s",
	          h_mode_name(mode), h_text(&h, H_ERR));
}

/* The rungs where the drain can only signal by PID: no pidfds, or no pidfd_send_signal. */
static bool by_pid_rung(void)
{
	const char *spawn = getenv("INIT_TEST_SPAWN"), *result = getenv("INIT_TEST_RESULT");

	return (spawn && strcmp(spawn, "pid") == 0) || (result && strcmp(result, "fallback") == 0);
}

/*
 * The `pid` rung (no pidfds at all), or pidfd_send_signal refused (result=fallback): the
 * subreaper's drain says once that it signals by PID.
 * Only a descendant that is not the init's own child is signalled that way (a child cannot be
 * recycled before it is reaped), so the tree has both kinds; it ignores SIGTERM so that the
 * SIGKILL round signals by PID too, and the notice must still appear only once.
 */
H_TEST_BOTH(drain, pid_rung_notice, .timeout = 60)
{
	bool want = mode == H_SUB && by_pid_rung();
	struct h_proc h;
	struct tree t;
	int n;

	h_need_subreaper(mode);
	start_tree(&h, mode, NULL, H_ARGS("-v", "-t", "500ms"), 7,
	           H_ARGS("0t", "0i", "2i", "3t", "0t"), &t);
	end_main(&h, 7);
	h_expect_exit(&h, 7, 20000);
	n = count_str(&h, H_ERR, "drain: no pidfds here");
	if (want) {
		cr_expect_eq(n, 1, "[%s] signals by PID: want the notice once, got %d:\n%s",
		             h_mode_name(mode), n, h_text(&h, H_ERR));
	} else {
		cr_expect_eq(n, 0, "[%s] notice where pidfds carry the signals:\n%s",
		             h_mode_name(mode), h_text(&h, H_ERR));
	}
}

/* The brief's literal scenario 1 on the `pid` rung: every leftover is the init's own child. */
Test(drain, pid_rung_notice_children_sub, .timeout = 60)
{
	const char *spawn = getenv("INIT_TEST_SPAWN");
	struct h_proc h;
	struct tree t;

	h_need_subreaper(H_SUB);
	start_tree(&h, H_SUB, NULL, H_ARGS("-v", "-t", "20s"), 7,
	           H_ARGS("0t", "0t", "0t", "0t", "0t"), &t);
	end_main(&h, 7);
	h_expect_exit(&h, 7, 20000);
	cr_log_info("INIT_TEST_SPAWN=%s, five orphaned children: notice %s", spawn ? spawn : "",
	            has_str(&h, H_ERR, "drain: no pidfds here") ? "shown" : "not shown");
	if (!by_pid_rung()) {
		cr_expect(!has_str(&h, H_ERR, "drain: no pidfds here"), "notice with pidfds:\n%s",
		          h_text(&h, H_ERR));
	}
}

/* Scenario 2: the rest ignores SIGTERM: SIGKILL when the grace period is over, none left. */
H_TEST_BOTH(drain, kill_after_grace, .timeout = 60)
{
	struct h_proc h;
	struct tree t;
	long t0, end;

	h_need_subreaper(mode);

	start_tree(&h, mode, NULL, H_ARGS("-v", "-t", "1s"), 7, H_ARGS("0i", "1i", "0i", "0is"),
	           &t);
	t0 = end_main(&h, 7);
	end = h_wait_ended(&h, 20000);
	cr_expect(end - t0 >= 800 && end - t0 <= 1000 + h_slack(700),
	          "[%s] -t 1s: the init ended %ld ms after the main child", h_mode_name(mode),
	          end - t0);
	expect_tree_gone(&h, &t);
	h_expect_exit(&h, 7, 10000);
	/* The wording after "SIGKILL to" (how many, which) is harden::grace_kill_warns_*'s. */
	cr_expect(has_str(&h, H_ERR, "drain: grace period over: SIGKILL to "),
	          "[%s] no SIGKILL line:\n%s", h_mode_name(mode), h_text(&h, H_ERR));
}

/*
 * The default grace period is 5 s. Only without a deny-set: the timer does not depend on the
 * rung, and the rungs' signalling is covered by kill_after_grace.
 */
H_TEST_BOTH(drain, default_grace, .timeout = 60)
{
	struct h_proc h;
	struct tree t;
	long t0, end;

	h_need_subreaper(mode);

	if (h_deny_rules()) {
		cr_skip_test("the timer does not depend on the rung");
	}

	start_tree(&h, mode, NULL, H_ARGS("-v"), 4, H_ARGS("0i", "1i"), &t);
	t0 = end_main(&h, 4);
	end = h_wait_ended(&h, 30000);
	cr_expect(end - t0 >= 4500 && end - t0 <= 5000 + h_slack(1000),
	          "[%s] default grace: the init ended %ld ms after the main child",
	          h_mode_name(mode), end - t0);
	expect_tree_gone(&h, &t);
	h_expect_exit(&h, 4, 10000);
	cr_expect(has_str(&h, H_ERR, "grace=5000ms"), "[%s] stderr:\n%s", h_mode_name(mode),
	          h_text(&h, H_ERR));
}

/*
 * Scenario 3: descendants whose parents are alive (three levels), processes that called
 * setsid, and a setsid one's child: every one gets SIGTERM. Were only the init's own children
 * signalled, nodes 2, 3, 5 and 6 would wait for the SIGKILL 20 s later.
 */
H_TEST_BOTH(drain, deep_and_setsid, .timeout = 60)
{
	struct h_proc h;

	h_need_subreaper(mode);

	drained_by_term(&h, mode, 3, H_ARGS("0t", "1t", "2t", "0ts", "4t", "2ts"));
}

/*
 * Stopped descendants (SIGSTOP, as a suspended job) act on the drain's SIGTERM at once, because
 * SIGCONT follows it; without it they would wait for the SIGKILL 20 s later.
 */
H_TEST_BOTH(drain, stopped_get_term, .timeout = 60)
{
	struct h_proc h;

	h_need_subreaper(mode);

	drained_by_term(&h, mode, 4, H_ARGS("0tz", "1tz"));
}

/* `kid sigs` started by the test itself, outside any init: ready, and no signal so far. */
static void start_outsider(struct h_proc *o)
{
	h_spawn(o, H_ARGS(h_helper("kid"), "sigs"));
	h_expect_str(o, H_OUT, "ready pid=", 5000);
	h_expect_str(o, H_OUT, "\n", 5000);
}

/* The outsider still runs and saw no signal; then it still can (the check is not blind). */
static void check_outsider(struct h_proc *o, const char *when)
{
	h_pump(o, 200);
	cr_expect(!has_str(o, H_OUT, "sig "), "outsider signalled (%s):\n%s", when,
	          h_text(o, H_OUT));
	cr_expect(h_running(o), "outsider gone (%s)", when);
	h_kill(o, SIGTERM);
	h_expect_line(o, H_OUT, "sig 15", 5000);
	h_expect_exit(o, 0, 5000);
}

/* Scenario 4: a process of the same user beside the init, outside its tree, is never touched. */
H_TEST_BOTH(drain, outsider_untouched, .timeout = 60)
{
	struct h_proc h, o;
	struct tree t;

	h_need_subreaper(mode);

	start_outsider(&o);
	start_tree(&h, mode, NULL, H_ARGS("-v", "-t", "500ms"), 7, H_ARGS("0t", "0i", "2t", "2i"),
	           &t);
	end_main(&h, 7);
	expect_term(&h, 1, 10000);
	expect_term(&h, 3, 10000);
	h_wait_ended(&h, 20000);
	expect_tree_gone(&h, &t);
	h_expect_exit(&h, 7, 10000);
	cr_expect(has_str(&h, H_ERR, "grace period over"), "[%s] no SIGKILL round:\n%s",
	          h_mode_name(mode), h_text(&h, H_ERR));
	check_outsider(&o, h_mode_name(mode));
}

/*
 * Scenario 4, second half: a subreaper in a PID namespace of its own that still sees the
 * host's /proc (launch -n -H: PID 1 is launch, the init is PID 2). /proc/self does not name
 * the init, so it must say it cannot find the tree, signal nothing, and only wait.
 */
Test(drain, foreign_proc_sub, .timeout = 60)
{
	struct h_proc h, o;
	struct tree t;

	h_need_subreaper(H_SUB);
	start_outsider(&o);
	/*
	 * ASAN_OPTIONS for the ASan build only (the static one ignores it): LeakSanitizer stops
	 * the process by walking /proc/<getpid()>/task, and /proc here is another namespace's:
	 * on a host /proc/2 is kthreadd (it passes by luck), in a container there is no /proc/2,
	 * it fails and turns the exit into 1. LSan cannot work when /proc is not the init's own.
	 */
	start_tree(&h, H_PID1, H_ARGS("-H", "-e", "ASAN_OPTIONS=detect_leaks=0"),
	           H_ARGS("-v", "-t", "1s"), 7, H_ARGS("0t", "0t", "1t", "0i"), &t);
	cr_expect(has_str(&h, H_ERR, "init: subreaper=on pid=2"),
	          "the init is not a subreaper with PID 2:\n%s", h_text(&h, H_ERR));
	end_main(&h, 7);
	h_expect_str(&h, H_ERR, "cannot find the rest of the tree", 5000);
	h_expect_exit(&h, 7, 20000);
	cr_expect(!has_str(&h, H_OUT, "got TERM"),
	          "nodes were signalled through a foreign /proc:\n%s", h_text(&h, H_OUT));
	check_outsider(&o, "foreign /proc");
}

/* `kid MODE` (sigs, deaf) under the init with FLAGS, once it said it is ready. */
static void start_kid(struct h_proc *h, enum h_mode mode, const char *const *flags,
                      const char *kid_mode)
{
	const char *argv[32];
	int n = 0;

	for (int i = 0; flags[i]; i++) {
		argv[n++] = flags[i];
	}
	argv[n++] = h_helper("kid");
	argv[n++] = kid_mode;
	argv[n] = NULL;
	h_start(h, mode, NULL, argv);
	h_expect_str(h, H_OUT, "ready pid=", 5000);
	h_expect_str(h, H_OUT, "\n", 5000);
}

/* `kid deaf`: it reports signals and never exits by itself. */
static void start_deaf(struct h_proc *h, enum h_mode mode, const char *const *flags)
{
	start_kid(h, mode, flags, "deaf");
}

/* Scenario 5: -k 2s: the child ignores SIGTERM and is killed 2 s after it (137). */
H_TEST_BOTH(drain, kill_after, .timeout = 60)
{
	struct h_proc h;
	long t0, end;

	start_deaf(&h, mode, H_ARGS("-v", "-k", "2s"));
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	end = h_wait_ended(&h, 20000);
	cr_expect(end - t0 >= 1800 && end - t0 <= 2000 + h_slack(700),
	          "[%s] -k 2s: ended %ld ms after SIGTERM:\n%s", h_mode_name(mode), end - t0,
	          h_text(&h, H_ERR));
	h_expect_exit(&h, 137, 10000);
	cr_expect(has_str(&h, H_ERR, "kill-after: 2000ms"), "[%s] stderr:\n%s", h_mode_name(mode),
	          h_text(&h, H_ERR));
}

/* -k counts from the first termination signal: a second SIGTERM 1.5 s later changes nothing. */
H_TEST_BOTH(drain, kill_after_first_signal, .timeout = 60)
{
	struct h_proc h;
	long t0, end;

	start_deaf(&h, mode, H_ARGS("-v", "-k", "2s"));
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_sleep_ms(1500 - (h_now_ms() - t0));
	h_kill(&h, SIGTERM);
	end = h_wait_ended(&h, 20000);
	/* From the second one it would be 3.5 s: the allowance must stay below that. */
	cr_expect(end - t0 >= 1800 && end - t0 <= 2000 + h_slack_cap(350, 1400),
	          "[%s] -k 2s: ended %ld ms after the first SIGTERM (second at 1.5 s)",
	          h_mode_name(mode), end - t0);
	h_expect_exit(&h, 137, 10000);
}

/* INT, QUIT and HUP start -k too. */
H_TEST_BOTH(drain, kill_after_other_signals, .timeout = 60)
{
	static const int sigs[] = {SIGINT, SIGQUIT, SIGHUP};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct h_proc h;
		char line[16];
		long t0, end;

		start_deaf(&h, mode, H_ARGS("-k", "1s"));
		t0 = h_now_ms();
		h_kill(&h, sigs[i]);
		snprintf(line, sizeof(line), "sig %d", sigs[i]);
		h_expect_line(&h, H_OUT, line, 5000);
		end = h_wait_ended(&h, 20000);
		cr_expect(end - t0 >= 800 && end - t0 <= 1000 + h_slack(700),
		          "[%s] -k 1s: ended %ld ms after %s", h_mode_name(mode), end - t0,
		          strsignal(sigs[i]));
		h_expect_exit(&h, 137, 10000);
	}
}

/*
 * -k looks at the signal after --rewrite: TERM forwarded as USR1 does not start it (the child
 * still runs 1.5 s later, until an INT does), and USR1 forwarded as TERM does.
 */
H_TEST_BOTH(drain, kill_after_rewritten, .timeout = 60)
{
	struct h_proc h;
	long t0, end;

	start_deaf(&h, mode, H_ARGS("-k", "1s", "-r", "TERM:USR1"));
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 10", 5000);
	h_sleep_ms(1500);
	cr_expect(h_running(&h), "[%s] TERM rewritten to USR1 started -k", h_mode_name(mode));
	t0 = h_now_ms();
	h_kill(&h, SIGINT);
	h_expect_line(&h, H_OUT, "sig 2", 5000);
	end = h_wait_ended(&h, 20000);
	cr_expect(end - t0 >= 800 && end - t0 <= 1000 + h_slack(700),
	          "[%s] -k 1s: ended %ld ms after SIGINT", h_mode_name(mode), end - t0);
	h_expect_exit(&h, 137, 10000);

	start_deaf(&h, mode, H_ARGS("-k", "1s", "-r", "USR1:TERM"));
	t0 = h_now_ms();
	h_kill(&h, SIGUSR1);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	end = h_wait_ended(&h, 20000);
	cr_expect(end - t0 >= 800 && end - t0 <= 1000 + h_slack(700),
	          "[%s] -k 1s: ended %ld ms after USR1 (forwarded as TERM)", h_mode_name(mode),
	          end - t0);
	h_expect_exit(&h, 137, 10000);
}

/* Without -k the init never escalates: the child ignores SIGTERM and goes on. */
H_TEST_BOTH(drain, no_kill_after_by_default, .timeout = 60)
{
	struct h_proc h;
	pid_t kid;

	start_deaf(&h, mode, H_ARGS("-v"));
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_sleep_ms(2000);
	cr_expect(h_running(&h), "[%s] the init escalated without -k:\n%s", h_mode_name(mode),
	          h_text(&h, H_ERR));
	kid = h_child_pid(h.init_pid);
	cr_assert(kid > 0, "[%s] no child of the init %d", h_mode_name(mode), (int)h.init_pid);
	cr_assert(kill(kid, SIGKILL) == 0, "kill %d: %s", (int)kid, strerror(errno));
	h_expect_exit(&h, 137, 10000);
}

/* Scenario 6: --grace 0 (or INIT_GRACE=0): SIGKILL at once, no SIGTERM first. */
H_TEST_BOTH(drain, grace_zero, .timeout = 60)
{
	const char *const *const launch[] = {NULL, H_ARGS("-e", "INIT_GRACE=0")};
	const char *const *const flags[] = {H_ARGS("-v", "--grace", "0"), H_ARGS("-v")};

	h_need_subreaper(mode);

	for (int i = 0; i < 2; i++) {
		struct h_proc h;
		struct tree t;
		long t0, end;

		start_tree(&h, mode, launch[i], flags[i], 7, H_ARGS("0i", "1i", "0t", "3is"), &t);
		t0 = end_main(&h, 7);
		end = h_wait_ended(&h, 20000);
		/* Scaled, but kept below the default grace of 5 s, which it tells apart. */
		cr_expect_lt(end - t0, h_slack_cap(350, 4500),
		             "[%s] %s: the init ended %ld ms after the main child",
		             h_mode_name(mode), i ? "INIT_GRACE=0" : "--grace 0", end - t0);
		expect_tree_gone(&h, &t);
		h_expect_exit(&h, 7, 10000);
		cr_expect(!has_str(&h, H_OUT, "got TERM"), "[%s] SIGTERM sent with grace 0:\n%s",
		          h_mode_name(mode), h_text(&h, H_OUT));
		cr_expect(has_str(&h, H_ERR, "(grace=0ms)"), "[%s] stderr:\n%s", h_mode_name(mode),
		          h_text(&h, H_ERR));
	}
}

/* `kid sigs` under the init with FLAGS, ready. */
static void start_sigs(struct h_proc *h, enum h_mode mode, const char *const *flags)
{
	start_kid(h, mode, flags, "sigs");
}

static bool has_line(struct h_proc *h, const char *line)
{
	size_t ll = strlen(line);

	for (const char *p = h_text(h, H_OUT); *p;) {
		const char *nl = strchrnul(p, '\n');

		if ((size_t)(nl - p) == ll && strncmp(p, line, ll) == 0) {
			return true;
		}
		p = *nl ? nl + 1 : nl;
	}
	return false;
}

/* Scenario 7: -r TERM:USR1 (and INT:TERM to end it). */
H_TEST_BOTH(drain, rewrite_term, .timeout = 30)
{
	struct h_proc h;

	start_sigs(&h, mode, H_ARGS("-r", "TERM:USR1", "-r", "SIGINT:SIGTERM"));
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 10", 5000);
	h_kill(&h, SIGINT);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
	cr_expect(!has_line(&h, "sig 2"), "[%s] INT reached the child", h_mode_name(mode));
}

/*
 * -r RTMIN+1:0 drops 35. The kid reads pending signals lowest first, so a wrongly forwarded
 * 35 would show before the 36 sent after it.
 */
H_TEST_BOTH(drain, rewrite_drop_rt, .timeout = 30)
{
	struct h_proc h;

	h_need_native(QEMU_RT);

	start_sigs(&h, mode, H_ARGS("-r", "RTMIN+1:0"));
	h_kill(&h, 35);
	h_kill(&h, SIGUSR2);
	h_expect_line(&h, H_OUT, "sig 12", 5000);
	h_kill(&h, 36);
	h_expect_line(&h, H_OUT, "sig 36", 5000);
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
	cr_expect(!has_line(&h, "sig 35"), "[%s] 35 was not dropped:\n%s", h_mode_name(mode),
	          h_text(&h, H_OUT));
}

/* -r USR2:RTMAX delivers 64; numbers work as well as names. */
H_TEST_BOTH(drain, rewrite_to_rtmax, .timeout = 30)
{
	struct h_proc h;

	h_need_native(QEMU_RT);

	start_sigs(&h, mode, H_ARGS("-r", "USR2:RTMAX", "-r", "34:RTMIN+2"));
	h_kill(&h, SIGUSR2);
	h_expect_line(&h, H_OUT, "sig 64", 5000);
	h_kill(&h, 34);
	h_expect_line(&h, H_OUT, "sig 36", 5000);
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
	cr_expect(!has_line(&h, "sig 12"), "[%s] USR2 reached the child unrewritten",
	          h_mode_name(mode));
	cr_expect(!has_line(&h, "sig 34"), "[%s] 34 reached the child unrewritten",
	          h_mode_name(mode));
}
