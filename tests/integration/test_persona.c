/*
 * The init run under the file name dumb-init (issue 10), as PID 1 and as a subreaper: the
 * child leads a session of its own and every signal goes to its process group; -c,
 * --single-child and DUMB_INIT_SETSID=0 keep it in the init's session and signal the child
 * alone; -r takes dumb-init's numbers; -v and DUMB_INIT_DEBUG=1 are debug; bad usage exits 1
 * with one `[dumb-init] ` line and starts nothing; SIGTSTP, SIGTTIN and SIGTTOU stop the child
 * (as SIGSTOP) and never the init, unless -r rewrites them; an exec failure reads as dumb-init's
 * and keeps 126/127. Under tini's, Docker's and Podman's names nothing of it applies.
 *
 * The init is a copy of $INIT_BIN under the name (h_init_as). The pseudo-terminal case (the
 * child takes the terminal, without the SIGHUP of the hand-over) is in test_tty.c.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The test's scratch directory (mark_path), removed even after a failure. */
static char mark_dir[64];

static void persona_fini(void)
{
	char path[128];

	h_cleanup();
	if (mark_dir[0] != '\0') {
		snprintf(path, sizeof(path), "%s/ran", mark_dir);
		(void)unlink(path);
		(void)rmdir(mark_dir);
		mark_dir[0] = '\0';
	}
}

TestSuite(persona, .fini = persona_fini);

/* What /proc/PID/stat says of a process, as the host sees it. */
struct ids {
	char state;
	int pgrp, session;
};

static bool read_ids(pid_t pid, struct ids *out)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return false;
	}
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* ") S ppid pgrp session" */
	return p && sscanf(p + 1, " %c %*d %d %d", &out->state, &out->pgrp, &out->session) == 3;
}

static struct ids ids_of(struct h_proc *h, pid_t pid, const char *what)
{
	struct ids v;

	cr_assert(read_ids(pid, &v), "[%s] cannot read /proc/%d/stat (%s)", h_mode_name(h->mode),
	          (int)pid, what);
	return v;
}

/* Wait until PID is in STATE (or, with !is, no longer in it). */
static void wait_state(struct h_proc *h, pid_t pid, char state, bool is, const char *what)
{
	long deadline = h_now_ms() + 5000;
	struct ids v = {.state = '?'};

	while (!read_ids(pid, &v) || (v.state == state) != is) {
		cr_assert(h_now_ms() < deadline,
		          "[%s] %s: pid %d in state %c, want %s%c; stdout:\n%s",
		          h_mode_name(h->mode), what, (int)pid, v.state, is ? "" : "not ", state,
		          h_tail(h, H_OUT, 2000));
		h_pump(h, 5);
	}
}

/*
 * Wait for the kid's `ready pid=` line; return the kid's pid as the host sees it (the init's
 * only child). On failure, say how the init ended: that is usually the reason.
 */
static pid_t kid_ready(struct h_proc *h)
{
	char v[64];
	long deadline = h_now_ms() + 5000;
	pid_t kid;

	while (!h_line_value(h, H_OUT, "ready pid=", v, sizeof(v))) {
		if (h_now_ms() >= deadline || h->buf[H_OUT].eof) {
			struct h_end e = h_finish(h, 2000);

			cr_assert_fail(
			    "[%s] no `ready` line from the kid; the init ended with %s %d; "
			    "stdout:\n%s\nstderr:\n%s",
			    h_mode_name(h->mode), e.signaled ? "signal" : "exit", e.code,
			    h_tail(h, H_OUT, 2000), h_tail(h, H_ERR, 2000));
		}
		h_pump(h, 20);
	}
	kid = h_child_pid(h->init_pid);
	cr_assert(kid > 0, "[%s] the init has no child", h_mode_name(h->mode));
	return kid;
}

/* Both the init and PIDS asleep with nothing pending: every signal so far has been dealt with. */
static void settle(struct h_proc *h, const pid_t *pids, size_t n)
{
	cr_assert(h_wait_asleep(h, 5000), "[%s] the init never settled", h_mode_name(h->mode));
	for (size_t i = 0; i < n; i++) {
		cr_assert(h_wait_pid_asleep(h, pids[i], 5000), "[%s] pid %d never settled",
		          h_mode_name(h->mode), (int)pids[i]);
	}
	h_pump(h, 0);
}

/* Every stderr line that is not launch's starts with PREFIX. */
static void expect_prefix(struct h_proc *h, const char *prefix)
{
	const char *p = h_text(h, H_ERR);

	while (*p) {
		const char *nl = strchrnul(p, '\n');

		cr_expect(strncmp(p, "launch: ", 8) == 0 || strncmp(p, prefix, strlen(prefix)) == 0,
		          "[%s] a line without '%s': '%.*s'", h_mode_name(h->mode), prefix,
		          (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

static void expect_no_line(struct h_proc *h, const char *line, const char *why)
{
	cr_expect_eq(h_count_lines(h, H_OUT, line), 0, "[%s] %s: `%s` seen; stdout:\n%s",
	             h_mode_name(h->mode), why, line, h_text(h, H_OUT));
}

/* A path in a fresh directory that the kid's `mark` would create: proof that it ran. */
static void mark_path(char *path, size_t size)
{
	snprintf(mark_dir, sizeof(mark_dir), "/tmp/init-persona-XXXXXX");
	cr_assert(mkdtemp(mark_dir), "mkdtemp");
	snprintf(path, size, "%s/ran", mark_dir);
}

/* ---- dumb-init's defaults --------------------------------------------------------------- */

/* The child leads a session (and so a group) of its own, apart from the init's. */
H_TEST_BOTH(persona, child_leads_a_session, .timeout = 30)
{
	struct h_proc h;
	char pid[32], pgid[32], sid[32];
	struct ids kid, init;
	pid_t k;

	h_init_as("dumb-init");
	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "state"));
	h_expect_line(&h, H_OUT, "done", 5000);
	cr_assert(h_line_value(&h, H_OUT, "pid ", pid, sizeof(pid)) &&
	              h_line_value(&h, H_OUT, "pgid ", pgid, sizeof(pgid)) &&
	              h_line_value(&h, H_OUT, "sid ", sid, sizeof(sid)),
	          "[%s] kid state lacks its ids:\n%s", h_mode_name(mode), h_text(&h, H_OUT));
	/* As the kid sees itself. */
	cr_expect_str_eq(sid, pid, "[%s] the kid (pid %s) is in session %s, not its own",
	                 h_mode_name(mode), pid, sid);
	cr_expect_str_eq(pgid, pid, "[%s] the kid (pid %s) is in group %s, not its own",
	                 h_mode_name(mode), pid, pgid);
	/* As the host sees it, beside the init. */
	k = h_child_pid(h.init_pid);
	cr_assert(k > 0, "[%s] the init has no child", h_mode_name(mode));
	kid = ids_of(&h, k, "kid");
	init = ids_of(&h, h.init_pid, "init");
	cr_expect_eq(kid.session, k, "[%s] kid %d in session %d", h_mode_name(mode), (int)k,
	             kid.session);
	cr_expect_neq(init.session, k, "[%s] the init is in its child's session",
	              h_mode_name(mode));
	h_close_stdin(&h);
	h_expect_exit(&h, 0, 10000);
}

/* Every signal goes to the child's whole group: a grandchild in it gets it too. */
H_TEST_BOTH(persona, signals_go_to_the_group, .timeout = 30)
{
	struct h_proc h;
	pid_t kid, gc;
	struct ids g;

	h_init_as("dumb-init");
	h_start(&h, mode, NULL, H_ARGS("-v", h_helper("kid"), "group"));
	kid = kid_ready(&h);
	gc = h_child_pid(kid);
	cr_assert(gc > 0, "[%s] the kid has no grandchild", h_mode_name(mode));
	g = ids_of(&h, gc, "grandchild");
	cr_expect(g.pgrp == kid && g.session == kid,
	          "[%s] grandchild in group %d, session %d; kid %d", h_mode_name(mode), g.pgrp,
	          g.session, (int)kid);
	h_kill(&h, SIGUSR1);
	h_expect_line(&h, H_OUT, "sig 10", 5000);
	h_expect_line(&h, H_OUT, "gc sig 10", 5000);
	h_expect_str(&h, H_ERR, "[dumb-init] signal=SIGUSR1 to=group pid=", 5000);
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "gc sig 15", 5000);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
}

/*
 * A signal pending when the init starts is forwarded before the child has made its session
 * (the init cannot make it for the child, as it makes the group under -g): it must reach the
 * child all the same, every time.
 */
H_TEST_BOTH(persona, signal_before_the_session_is_not_lost, .timeout = 90)
{
	int lost = 0;

	h_init_as("dumb-init");
	for (int i = 0; i < 10; i++) {
		struct h_proc h;
		pid_t kid;

		h_start(&h, mode, H_ARGS("-p", "10"), H_ARGS(h_helper("kid"), "sigs"));
		kid = kid_ready(&h);
		/* Both asleep, nothing pending: a forwarded SIGUSR1 has been printed by now. */
		settle(&h, &kid, 1);
		lost += !h_wait_line(&h, H_OUT, "sig 10", 200);
		h_kill(&h, SIGTERM);
		h_expect_line(&h, H_OUT, "sig 15", 5000);
		h_expect_exit(&h, 0, 10000);
	}
	cr_expect_eq(lost, 0, "[%s] SIGUSR1 pending at start lost in %d of 10 runs",
	             h_mode_name(mode), lost);
}

/* The ways to say "no session of its own", each alone. */
static const struct {
	const char *what;
	const char *const *launch_opts;
	const char *const *init_args;
} single_child[] = {
    {"-c", NULL, H_ARGS("-c")},
    {"--single-child", NULL, H_ARGS("--single-child")},
    {"DUMB_INIT_SETSID=0", H_ARGS("-e", "DUMB_INIT_SETSID=0"), NULL},
};

static const char *const *with_kid(const char *const *pre, const char *mode, const char **buf,
                                   size_t size)
{
	size_t n = 0;

	for (; pre && *pre && n + 4 < size; pre++) {
		buf[n++] = *pre;
	}
	buf[n++] = "-v";
	buf[n++] = h_helper("kid");
	buf[n++] = mode;
	buf[n] = NULL;
	return buf;
}

/*
 * -c, --single-child, DUMB_INIT_SETSID=0: the child is in a group of its own within the
 * init's session, signals reach it alone, and SIGTSTP goes on as SIGTSTP (no SIGSTOP: its
 * group has a parent in the session).
 */
H_TEST_BOTH(persona, single_child_signals_the_child_only, .timeout = 60)
{
	h_init_as("dumb-init");
	for (size_t i = 0; i < LEN(single_child); i++) {
		const char *args[16];
		struct h_proc h;
		pid_t kid, gc;
		struct ids k, init;

		h_start(&h, mode, single_child[i].launch_opts,
		        with_kid(single_child[i].init_args, "group", args, LEN(args)));
		kid = kid_ready(&h);
		gc = h_child_pid(kid);
		cr_assert(gc > 0, "[%s] %s: the kid has no grandchild", h_mode_name(mode),
		          single_child[i].what);
		k = ids_of(&h, kid, "kid");
		init = ids_of(&h, h.init_pid, "init");
		cr_expect_eq(k.pgrp, kid, "[%s] %s: kid %d in group %d", h_mode_name(mode),
		             single_child[i].what, (int)kid, k.pgrp);
		cr_expect_eq(k.session, init.session, "[%s] %s: kid in session %d, the init in %d",
		             h_mode_name(mode), single_child[i].what, k.session, init.session);

		h_kill(&h, SIGUSR1);
		h_expect_line(&h, H_OUT, "sig 10", 5000);
		h_kill(&h, SIGTSTP);
		h_expect_line(&h, H_OUT, "sig 20", 5000);
		settle(&h, (pid_t[]){kid, gc}, 2);
		expect_no_line(&h, "gc sig 10", single_child[i].what);
		expect_no_line(&h, "gc sig 20", single_child[i].what);
		cr_expect(strstr(h_text(&h, H_ERR), "[dumb-init] signal=SIGUSR1 to=child pid="),
		          "[%s] %s: no debug line for the child alone:\n%s", h_mode_name(mode),
		          single_child[i].what, h_text(&h, H_ERR));

		/* The grandchild ends by our hand; then the kid's SIGTERM ends it. */
		cr_assert(kill(gc, SIGTERM) == 0);
		h_expect_line(&h, H_OUT, "gc sig 15", 5000);
		h_kill(&h, SIGTERM);
		h_expect_line(&h, H_OUT, "sig 15", 5000);
		h_expect_exit(&h, 0, 10000);
	}
}

/* -r S:R in numbers: TERM goes as USR1, USR1 is dropped, USR2 goes as TERM; to the group. */
H_TEST_BOTH(persona, rewrite_numbers, .timeout = 30)
{
	struct h_proc h;

	h_init_as("dumb-init");
	h_start(&h, mode, NULL,
	        H_ARGS("-r", "15:10", "--rewrite", "10:0", "-r12:15", h_helper("kid"), "group"));
	kid_ready(&h);
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 10", 5000);
	h_expect_line(&h, H_OUT, "gc sig 10", 5000);
	h_kill(&h, SIGUSR1);
	h_kill(&h, SIGINT); /* forwarded after USR1 would have been */
	h_expect_line(&h, H_OUT, "sig 2", 5000);
	h_expect_line(&h, H_OUT, "gc sig 2", 5000);
	h_kill(&h, SIGUSR2);
	h_expect_line(&h, H_OUT, "gc sig 15", 5000);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
	cr_expect_eq(h_count_lines(&h, H_OUT, "sig 10"), 1, "[%s] USR1 was not dropped:\n%s",
	             h_mode_name(mode), h_text(&h, H_OUT));
	expect_no_line(&h, "sig 12", "USR2 not rewritten");
}

/* Bad usage: exit 1, one `[dumb-init] ` line naming the culprit, and no child. */
H_TEST_BOTH(persona, bad_usage_exits_1, .timeout = 60)
{
	const struct {
		const char *const *args;
		const char *culprit;
	} cases[] = {
	    {H_ARGS("-r", "0:1"), "'0:1'"},
	    {H_ARGS("-r", "32:1"), "'32:1'"},
	    {H_ARGS("-r", "1:32"), "'1:32'"},
	    {H_ARGS("-r", "TERM:INT"), "'TERM:INT'"},
	    {H_ARGS("-r", "15"), "'15'"},
	    {H_ARGS("-r", "15:3:4"), "'15:3:4'"},
	    {H_ARGS("--rewrite=9x:1"), "'9x:1'"},
	    {H_ARGS("--bogus"), "'--bogus'"},
	    {H_ARGS("-Z"), "'-Z'"},
	};
	char path[256];

	h_init_as("dumb-init");
	mark_path(path, sizeof(path));
	for (size_t i = 0; i < LEN(cases) + 1; i++) {
		const char *args[16], *culprit = i < LEN(cases) ? cases[i].culprit : "no command";
		char first[512];
		struct h_proc h;
		size_t n = 0;

		for (const char *const *a = i < LEN(cases) ? cases[i].args : H_ARGS("-c"); *a;
		     a++) {
			args[n++] = *a;
		}
		if (i < LEN(cases)) {
			args[n++] = h_helper("kid");
			args[n++] = "mark";
			args[n++] = path;
		}
		args[n] = NULL;
		h_start(&h, mode, NULL, args);
		h_expect_exit(&h, 1, 10000);
		cr_expect_eq(h_init_err_lines(&h, first, sizeof(first)), 1,
		             "[%s] case %zu: want one line:\n%s", h_mode_name(mode), i,
		             h_text(&h, H_ERR));
		cr_expect(strncmp(first, "[dumb-init] ", 12) == 0 && strstr(first, culprit),
		          "[%s] case %zu: '%s' (want `[dumb-init] ` and %s)", h_mode_name(mode), i,
		          first, culprit);
		cr_expect_str_eq(h_text(&h, H_OUT), "", "[%s] case %zu: stdout", h_mode_name(mode),
		                 i);
		cr_expect(access(path, F_OK) != 0, "[%s] case %zu: the child ran",
		          h_mode_name(mode), i);
	}
}

/*
 * SIGTSTP, SIGTTIN and SIGTTOU sent to the init stop the child, as SIGSTOP (as themselves the
 * kernel would discard them: in a session of its own the child's group is orphaned), and never
 * the init; SIGCONT resumes it.
 */
H_TEST_BOTH(persona, job_control_stops_the_child, .timeout = 30)
{
	static const int sigs[] = {SIGTSTP, SIGTTIN, SIGTTOU};
	struct h_proc h;
	pid_t kid;

	h_init_as("dumb-init");
	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "sigs"));
	kid = kid_ready(&h);
	for (size_t i = 0; i < LEN(sigs); i++) {
		h_mark(&h, H_OUT);
		h_kill(&h, sigs[i]);
		wait_state(&h, kid, 'T', true, "the kid after a job-control signal");
		cr_expect_neq(ids_of(&h, h.init_pid, "init").state, 'T', "[%s] the init stopped",
		              h_mode_name(mode));
		h_kill(&h, SIGCONT);
		wait_state(&h, kid, 'T', false, "the kid after SIGCONT");
		h_expect_line(&h, H_OUT, "sig 18", 5000);
	}
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
	expect_no_line(&h, "sig 20", "SIGTSTP went on as itself");
	expect_no_line(&h, "sig 21", "SIGTTIN went on as itself");
	expect_no_line(&h, "sig 22", "SIGTTOU went on as itself");
}

/* -r 20:20: SIGTSTP goes on as itself (to the group); SIGTTIN still stops the child. */
H_TEST_BOTH(persona, rewrite_keeps_tstp, .timeout = 30)
{
	struct h_proc h;
	pid_t kid;

	h_init_as("dumb-init");
	h_start(&h, mode, NULL, H_ARGS("-r", "20:20", h_helper("kid"), "group"));
	kid = kid_ready(&h);
	h_kill(&h, SIGTSTP);
	h_expect_line(&h, H_OUT, "sig 20", 5000);
	h_expect_line(&h, H_OUT, "gc sig 20", 5000);
	cr_expect_neq(ids_of(&h, kid, "kid").state, 'T', "[%s] the kid stopped on TSTP",
	              h_mode_name(mode));
	h_kill(&h, SIGTTIN);
	wait_state(&h, kid, 'T', true, "the kid after SIGTTIN");
	h_kill(&h, SIGCONT);
	wait_state(&h, kid, 'T', false, "the kid after SIGCONT");
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
	expect_no_line(&h, "sig 21", "SIGTTIN went on as itself");
}

/* -v, --verbose and DUMB_INIT_DEBUG=1: the debug lines (each forwarded signal); else none. */
H_TEST_BOTH(persona, debug_verbosity, .timeout = 60)
{
	const struct {
		const char *const *launch_opts;
		const char *flag; /* or NULL */
		bool debug;
	} cases[] = {
	    {NULL, "-v", true},
	    {NULL, "--verbose", true},
	    {H_ARGS("-e", "DUMB_INIT_DEBUG=1"), NULL, true},
	    {NULL, NULL, false},
	    {H_ARGS("-e", "DUMB_INIT_DEBUG=0"), NULL, false},
	    {H_ARGS("-e", "DUMB_INIT_DEBUG=true"), NULL, false},
	};

	h_init_as("dumb-init");
	for (size_t i = 0; i < LEN(cases); i++) {
		struct h_proc h;
		pid_t kid;

		h_start(&h, mode, cases[i].launch_opts,
		        cases[i].flag ? H_ARGS(cases[i].flag, h_helper("kid"), "sigs")
		                      : H_ARGS(h_helper("kid"), "sigs"));
		kid = kid_ready(&h);
		h_kill(&h, SIGUSR1);
		h_expect_line(&h, H_OUT, "sig 10", 5000);
		settle(&h, &kid, 1);
		cr_expect_eq(
		    strstr(h_text(&h, H_ERR), "[dumb-init] signal=SIGUSR1 to=group pid=") != NULL,
		    cases[i].debug, "[%s] case %zu: want %s debug line; stderr:\n%s",
		    h_mode_name(mode), i, cases[i].debug ? "a" : "no", h_text(&h, H_ERR));
		h_kill(&h, SIGTERM);
		h_expect_line(&h, H_OUT, "sig 15", 5000);
		h_expect_exit(&h, 0, 10000);
		/* Whatever it logged, under its name. */
		expect_prefix(&h, "[dumb-init] ");
	}
}

/* An exec failure reads as dumb-init's, and keeps the shell's 127 and 126. */
H_TEST_BOTH(persona, exec_failure, .timeout = 30)
{
	static const struct {
		const char *cmd, *line;
		int code;
	} cases[] = {
	    {"/nonexistent", "[dumb-init] /nonexistent: No such file or directory", 127},
	    {"/dev/null", "[dumb-init] /dev/null: Permission denied", 126},
	};

	h_init_as("dumb-init");
	for (size_t i = 0; i < LEN(cases); i++) {
		struct h_proc h;

		h_start(&h, mode, NULL, H_ARGS(cases[i].cmd));
		h_expect_exit(&h, cases[i].code, 10000);
		cr_expect_eq(h_count_lines(&h, H_ERR, cases[i].line), 1,
		             "[%s] want the line '%s'; stderr:\n%s", h_mode_name(mode),
		             cases[i].line, h_text(&h, H_ERR));
		expect_prefix(&h, "[dumb-init] ");
	}
}

/* ---- Under the other names, nothing of it ------------------------------------------------ */

/*
 * tini, docker-init, catatonit: the child in a group of its own within the init's session,
 * signals to it alone, SIGTSTP as itself, `init: ` lines, -c unknown (exit 2), -r 15:3:4 bad
 * (exit 2), an exec failure as `init: exec CMD: ERR`.
 */
H_TEST_BOTH(persona, other_names_unchanged, .timeout = 120)
{
	static const char *const names[] = {"tini", "docker-init", "catatonit"};
	char path[256];

	mark_path(path, sizeof(path));
	for (size_t n = 0; n < LEN(names); n++) {
		const char *name = names[n];
		struct h_proc h;
		struct ids k, init;
		char first[512];
		pid_t kid, gc;

		h_init_as(name);
		h_start(&h, mode, NULL, H_ARGS("-vv", h_helper("kid"), "group"));
		kid = kid_ready(&h);
		gc = h_child_pid(kid);
		cr_assert(gc > 0, "[%s] %s: the kid has no grandchild", h_mode_name(mode), name);
		k = ids_of(&h, kid, "kid");
		init = ids_of(&h, h.init_pid, "init");
		cr_expect(k.pgrp == kid && k.session == init.session,
		          "[%s] %s: kid %d in group %d, session %d; the init in session %d",
		          h_mode_name(mode), name, (int)kid, k.pgrp, k.session, init.session);
		h_kill(&h, SIGUSR1);
		h_expect_line(&h, H_OUT, "sig 10", 5000);
		h_kill(&h, SIGTSTP);
		h_expect_line(&h, H_OUT, "sig 20", 5000);
		settle(&h, (pid_t[]){kid, gc}, 2);
		expect_no_line(&h, "gc sig 10", name);
		cr_expect(strstr(h_text(&h, H_ERR), "init: signal=SIGUSR1 to=child pid="),
		          "[%s] %s: no `init: ` debug line for the child:\n%s", h_mode_name(mode),
		          name, h_text(&h, H_ERR));
		cr_assert(kill(gc, SIGTERM) == 0);
		h_expect_line(&h, H_OUT, "gc sig 15", 5000);
		h_kill(&h, SIGTERM);
		h_expect_exit(&h, 0, 10000);
		expect_prefix(&h, "init: ");

		/* dumb-init's flags are not theirs. */
		h_start(&h, mode, NULL, H_ARGS("-c", h_helper("kid"), "mark", path));
		h_expect_exit(&h, 2, 10000);
		cr_expect_eq(h_init_err_lines(&h, first, sizeof(first)), 1, "[%s] %s -c:\n%s",
		             h_mode_name(mode), name, h_text(&h, H_ERR));
		cr_expect(strncmp(first, "init: ", 6) == 0 && strstr(first, "'-c'"),
		          "[%s] %s -c: '%s'", h_mode_name(mode), name, first);
		cr_expect(access(path, F_OK) != 0, "[%s] %s -c: the child ran", h_mode_name(mode),
		          name);

		h_start(&h, mode, NULL, H_ARGS("-r", "15:3:4", h_helper("kid"), "mark", path));
		h_expect_exit(&h, 2, 10000);
		cr_expect_eq(h_init_err_lines(&h, first, sizeof(first)), 1, "[%s] %s -r:\n%s",
		             h_mode_name(mode), name, h_text(&h, H_ERR));
		cr_expect(strncmp(first, "init: ", 6) == 0 && strstr(first, "'15:3:4'"),
		          "[%s] %s -r 15:3:4: '%s'", h_mode_name(mode), name, first);
		cr_expect(access(path, F_OK) != 0, "[%s] %s -r: the child ran", h_mode_name(mode),
		          name);

		h_start(&h, mode, H_ARGS("-e", "DUMB_INIT_SETSID=1"), H_ARGS("/nonexistent"));
		h_expect_exit(&h, 127, 10000);
		cr_expect_eq(
		    h_count_lines(&h, H_ERR, "init: exec /nonexistent: No such file or directory"),
		    1, "[%s] %s: stderr:\n%s", h_mode_name(mode), name, h_text(&h, H_ERR));
		expect_prefix(&h, "init: ");
	}
}
