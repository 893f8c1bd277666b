/*
 * Kubernetes (issue 9): --term-delay holds the first SIGTERM while endpoints are removed, and
 * --termination-log writes one line saying how the run ended (also the last log line when the
 * drain had to SIGKILL). Specification: design §5, README "Kubernetes", src/summary.h.
 *
 * The delay is timed from h_kill(): the child sees SIGTERM no earlier than the delay after it
 * (lower bounds are never scaled), and at most a scaled allowance later. The messages are
 * compared whole: every key, in order, with the pids the kid printed (namespace pids as PID 1,
 * which is what the init's own /proc shows too).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

/* Kubernetes keeps this many bytes of the message (src/summary.h SUMMARY_MAX). */
#define MSG_MAX 4096
/* How long a forwarded signal may take to show, scaled, below the delays it tells apart. */
#define AT_ONCE_MS 300

/* Scratch directories of the current test, removed by the suite's .fini even after a failure. */
static char tmpdirs[4][64];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void kube_fini(void)
{
	h_cleanup();
	for (size_t i = 0; i < sizeof(tmpdirs) / sizeof(tmpdirs[0]); i++) {
		if (tmpdirs[i][0] != '\0') {
			(void)nftw(tmpdirs[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
			tmpdirs[i][0] = '\0';
		}
	}
}

TestSuite(kube, .fini = kube_fini);

/* A fresh directory under /tmp, removed after the test. */
static const char *scratch(void)
{
	for (size_t i = 0; i < sizeof(tmpdirs) / sizeof(tmpdirs[0]); i++) {
		if (tmpdirs[i][0] == '\0') {
			snprintf(tmpdirs[i], sizeof(tmpdirs[i]), "/tmp/init-kube-XXXXXX");
			cr_assert_not_null(mkdtemp(tmpdirs[i]), "mkdtemp: %s", strerror(errno));
			return tmpdirs[i];
		}
	}
	cr_assert_fail("too many scratch directories");
	return NULL;
}

/* DIR/NAME into OUT. */
static const char *path_in(const char *dir, const char *name, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s/%s", dir, name);
	return out;
}

/*
 * `launch LAUNCH_OPTS -- init FLAGS CMD...` (all NULL-terminated lists), in CWD (NULL: ours).
 */
static void start_in(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
                     const char *const *flags, const char *const *cmd, const char *cwd)
{
	const char *argv[64];
	int n = 0;

	for (int i = 0; flags && flags[i]; i++) {
		argv[n++] = flags[i];
	}
	for (int i = 0; cmd && cmd[i]; i++) {
		cr_assert(n < 63, "too many arguments");
		argv[n++] = cmd[i];
	}
	argv[n] = NULL;
	h_start_in(h, mode, launch_opts, argv, cwd);
}

static void start(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
                  const char *const *flags, const char *const *cmd)
{
	start_in(h, mode, launch_opts, flags, cmd, NULL);
}

/* `kid sigs` / `kid deaf` said `ready pid=P`: return P (a namespace pid as PID 1). */
static pid_t kid_ready(struct h_proc *h)
{
	char v[64];
	long deadline = h_now_ms() + 5000;

	while (!h_line_value(h, H_OUT, "ready pid=", v, sizeof(v))) {
		cr_assert(h_now_ms() < deadline && !h->buf[H_OUT].eof,
		          "[%s] no `ready` from the kid; stdout:\n%s\nstderr:\n%s",
		          h_mode_name(h->mode), h_tail(h, H_OUT, 1000), h_tail(h, H_ERR, 2000));
		h_pump(h, 20);
	}
	return (pid_t)atoi(v);
}

/* Wait for LINE on stdout (failing after MS) and return when it was seen. */
static long line_at(struct h_proc *h, const char *line, int ms)
{
	h_expect_line(h, H_OUT, line, ms);
	return h_now_ms();
}

static bool has_line(struct h_proc *h, enum h_stream s, const char *line)
{
	return h_count_lines(h, s, line) > 0;
}

/* The last stderr line that is not launch's own, without its newline ("" if none). */
static const char *last_err_line(struct h_proc *h, char *out, size_t outsz)
{
	const char *p = h_text(h, H_ERR);

	out[0] = '\0';
	while (*p) {
		const char *nl = strchrnul(p, '\n');

		if (strncmp(p, "launch: ", 8) != 0 && nl > p) {
			snprintf(out, outsz, "%.*s", (int)(nl - p), p);
		}
		p = *nl ? nl + 1 : nl;
	}
	return out;
}

/*
 * Stderr lines (not launch's) containing NEEDLE; the first one goes to FIRST (if not NULL).
 * (Not every line: on the `pid` rung the init warns at start-up that it has no pidfd.)
 */
static int err_lines_with(struct h_proc *h, const char *needle, char *first, size_t firstsz)
{
	const char *p = h_text(h, H_ERR);
	int n = 0;

	if (first != NULL) {
		first[0] = '\0';
	}
	while (*p) {
		const char *nl = strchrnul(p, '\n');

		if (strncmp(p, "launch: ", 8) != 0 &&
		    memmem(p, (size_t)(nl - p), needle, strlen(needle))) {
			if (n++ == 0 && first != NULL) {
				snprintf(first, firstsz, "%.*s", (int)(nl - p), p);
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	return n;
}

/* Nothing about the run's end was logged: no summary, no warning about the message. */
static void expect_no_end_lines(struct h_proc *h)
{
	cr_expect_eq(err_lines_with(h, "exit_code=", NULL, 0), 0, "[%s] summary logged:\n%s",
	             h_mode_name(h->mode), h_text(h, H_ERR));
	cr_expect_eq(err_lines_with(h, "termination message", NULL, 0), 0, "[%s] warning:\n%s",
	             h_mode_name(h->mode), h_text(h, H_ERR));
}

/* The kid's child as the host sees it: the init's first child. */
static pid_t main_child(struct h_proc *h)
{
	pid_t kid = h_child_pid(h->init_pid);

	cr_assert(kid > 0, "[%s] the init %d has no child", h_mode_name(h->mode), (int)h->init_pid);
	return kid;
}

/* SIGKILL the main child from outside (the test, as the OOM killer would). */
static void kill_main_child(struct h_proc *h)
{
	pid_t kid = main_child(h);

	cr_assert(kill(kid, SIGKILL) == 0, "kill %d: %s", (int)kid, strerror(errno));
}

/*
 * The termination message at PATH: one line ending in its only '\n', at most MSG_MAX bytes,
 * no control byte. Copied into OUT without the newline.
 */
static void read_msg(const char *path, char *out, size_t outsz)
{
	char buf[2 * MSG_MAX];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	cr_assert(fd >= 0, "no termination message at %s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	cr_assert(n >= 0, "read %s: %s", path, strerror(errno));
	buf[n] = '\0';
	cr_assert(n > 0 && n <= MSG_MAX, "%s: %zd bytes (at most %d):\n%.300s", path, n, MSG_MAX,
	          buf);
	cr_assert(buf[n - 1] == '\n', "%s: no newline at the end:\n%s", path, buf);
	for (ssize_t i = 0; i < n - 1; i++) {
		unsigned char c = (unsigned char)buf[i];

		cr_assert(c >= 0x20 && c != 0x7f, "%s: byte %zd is 0x%02x:\n%s", path, i, c, buf);
	}
	buf[n - 1] = '\0';
	snprintf(out, outsz, "%s", buf);
}

static void expect_msg(struct h_proc *h, const char *path, const char *want)
{
	char got[2 * MSG_MAX];

	read_msg(path, got, sizeof(got));
	cr_expect_str_eq(got, want, "[%s] termination message:\n got \"%s\"\nwant \"%s\"",
	                 h_mode_name(h->mode), got, want);
}

/* The cmd= value of a message for a command: bytes the line cannot hold as they are escaped. */
static const char *escaped(const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *s && o + 5 < outsz; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '=') {
			out[o++] = (char)c;
		} else {
			o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
		}
	}
	out[o] = '\0';
	return out;
}

/* `--term-delay` held the first SIGTERM: the notice, at the default verbosity. */
static void held_line(char *out, size_t outsz, long ms)
{
	snprintf(out, outsz, "init: term-delay: SIGTERM held for %ldms before it is forwarded", ms);
}

/*
 * The child sees SIGTERM no earlier than the delay after it reached the init, and then soon;
 * the notice is logged once, when the SIGTERM comes, not when it goes. From the flag and from
 * INIT_TERM_DELAY.
 */
H_TEST_BOTH(kube, delay_holds_sigterm, .timeout = 60)
{
	const char *const *const launch[] = {NULL, H_ARGS("-e", "INIT_TERM_DELAY=1s")};
	const char *const *const flags[] = {H_ARGS("--term-delay", "1s"), H_NOARGS};

	for (int i = 0; i < 2; i++) {
		struct h_proc h;
		char held[128];
		long t0, dt;

		start(&h, mode, launch[i], flags[i], H_ARGS(h_helper("kid"), "sigs"));
		kid_ready(&h);
		t0 = h_now_ms();
		h_kill(&h, SIGTERM);
		held_line(held, sizeof(held), 1000);
		h_expect_line(&h, H_ERR, held, 900);
		cr_expect(!has_line(&h, H_OUT, "sig 15"), "[%s] %s: SIGTERM forwarded at once",
		          h_mode_name(mode), i ? "INIT_TERM_DELAY" : "--term-delay");
		dt = line_at(&h, "sig 15", 10000) - t0;
		/* 999: the init's clock counts whole milliseconds from when the signal came. */
		cr_expect(dt >= 999 && dt <= 1000 + h_slack(AT_ONCE_MS),
		          "[%s] %s 1s: the child saw SIGTERM %ld ms after it was sent",
		          h_mode_name(mode), i ? "INIT_TERM_DELAY" : "--term-delay", dt);
		h_expect_exit(&h, 0, 10000);
		cr_expect_eq(h_count_lines(&h, H_ERR, held), 1, "[%s] the notice, once:\n%s",
		             h_mode_name(mode), h_text(&h, H_ERR));
		cr_expect_eq(h_count_lines(&h, H_OUT, "sig 15"), 1, "[%s]:\n%s", h_mode_name(mode),
		             h_text(&h, H_OUT));
	}
}

/* The held SIGTERM goes on as its --rewrite target, after the delay. */
H_TEST_BOTH(kube, delay_rewritten, .timeout = 60)
{
	struct h_proc h;
	long t0, dt;

	start(&h, mode, NULL, H_ARGS("--term-delay", "1s", "-r", "TERM:USR1"),
	      H_ARGS(h_helper("kid"), "sigs"));
	kid_ready(&h);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	dt = line_at(&h, "sig 10", 10000) - t0;
	cr_expect(dt >= 999 && dt <= 1000 + h_slack(AT_ONCE_MS),
	          "[%s] TERM:USR1 held 1s: the child saw USR1 after %ld ms", h_mode_name(mode), dt);
	/* A SIGTERM after the delay is not held again: the delay is used once. */
	h_mark(&h, H_OUT);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	dt = line_at(&h, "sig 10", 5000) - t0;
	cr_expect(dt <= h_slack_cap(AT_ONCE_MS, 900), "[%s] the second SIGTERM held %ld ms",
	          h_mode_name(mode), dt);
	cr_expect(!has_line(&h, H_OUT, "sig 15"), "[%s] TERM reached the child unrewritten:\n%s",
	          h_mode_name(mode), h_text(&h, H_OUT));
	kill_main_child(&h);
	h_expect_exit(&h, 137, 10000);
}

/*
 * Signals other than the termination ones pass during the delay, at once, and do not end it:
 * USR1, USR2, WINCH and a real-time one arrive long before the held SIGTERM does.
 */
H_TEST_BOTH(kube, delay_other_signals_pass, .timeout = 60)
{
	static const int sigs[] = {SIGUSR1, SIGUSR2, SIGWINCH, 36};
	struct h_proc h;
	char held[128];
	long t0, dt;

	start(&h, mode, NULL, H_ARGS("--term-delay", "3s"), H_ARGS(h_helper("kid"), "sigs"));
	kid_ready(&h);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	held_line(held, sizeof(held), 3000);
	h_expect_line(&h, H_ERR, held, 2000); /* the init holds it now */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		char line[16];
		long t1 = h_now_ms();

		snprintf(line, sizeof(line), "sig %d", sigs[i]);
		h_kill(&h, sigs[i]);
		dt = line_at(&h, line, 5000) - t1;
		cr_expect(dt <= h_slack_cap(AT_ONCE_MS, 1500),
		          "[%s] signal %d took %ld ms during the delay", h_mode_name(mode), sigs[i],
		          dt);
		cr_expect(!has_line(&h, H_OUT, "sig 15"), "[%s] signal %d released SIGTERM:\n%s",
		          h_mode_name(mode), sigs[i], h_text(&h, H_OUT));
	}
	dt = line_at(&h, "sig 15", 10000) - t0;
	cr_expect(dt >= 2999 && dt <= 3000 + h_slack(AT_ONCE_MS),
	          "[%s] --term-delay 3s: SIGTERM after %ld ms", h_mode_name(mode), dt);
	h_expect_exit(&h, 0, 10000);
	cr_expect_eq(h_count_lines(&h, H_ERR, held), 1, "[%s]:\n%s", h_mode_name(mode),
	             h_text(&h, H_ERR));
}

/*
 * A second SIGTERM during the delay forwards the held one at once, and that was it: nothing
 * more comes when the delay would have ended. A third SIGTERM after that is not held either
 * (the delay is used once), and the notice stays single.
 */
H_TEST_BOTH(kube, delay_second_sigterm, .timeout = 60)
{
	struct h_proc h;
	char held[128];
	pid_t kid;
	long t0, t1, dt;

	start(&h, mode, NULL, H_ARGS("--term-delay", "2s"), H_ARGS(h_helper("kid"), "deaf"));
	kid_ready(&h);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	held_line(held, sizeof(held), 2000);
	h_expect_line(&h, H_ERR, held, 1500);
	cr_expect(!has_line(&h, H_OUT, "sig 15"), "[%s] forwarded at once", h_mode_name(mode));
	t1 = h_now_ms();
	h_kill(&h, SIGTERM);
	dt = line_at(&h, "sig 15", 5000) - t1;
	cr_expect(
	    dt <= h_slack_cap(AT_ONCE_MS, 1500),
	    "[%s] second SIGTERM: the child saw SIGTERM %ld ms later (%ld ms after the first)",
	    h_mode_name(mode), dt, h_now_ms() - t0);
	/* Past the end of the delay: still one SIGTERM. */
	h_pump_for(&h, t0 + 2000 + h_slack(AT_ONCE_MS) - h_now_ms());
	cr_expect_eq(h_count_lines(&h, H_OUT, "sig 15"), 1,
	             "[%s] the released SIGTERM came again when the delay ended:\n%s",
	             h_mode_name(mode), h_text(&h, H_OUT));
	kid = main_child(&h);
	cr_assert(h_wait_asleep(&h, 5000), "[%s] the init never settled", h_mode_name(mode));
	cr_assert(h_wait_pid_asleep(&h, kid, 5000), "[%s] the kid never settled",
	          h_mode_name(mode));
	h_mark(&h, H_OUT);
	t1 = h_now_ms();
	h_kill(&h, SIGTERM);
	dt = line_at(&h, "sig 15", 5000) - t1;
	cr_expect(dt <= h_slack_cap(AT_ONCE_MS, 1500), "[%s] third SIGTERM held %ld ms",
	          h_mode_name(mode), dt);
	kill_main_child(&h);
	h_expect_exit(&h, 137, 10000);
	cr_expect_eq(h_count_lines(&h, H_ERR, held), 1, "[%s]:\n%s", h_mode_name(mode),
	             h_text(&h, H_ERR));
	cr_expect_eq(h_count_lines(&h, H_OUT, "sig 15"), 2, "[%s] want two `sig 15`:\n%s",
	             h_mode_name(mode), h_text(&h, H_OUT));
}

/* INT, QUIT or HUP during the delay: the held SIGTERM and that signal, both at once. */
H_TEST_BOTH(kube, delay_released_by_other_termination, .timeout = 60)
{
	static const int sigs[] = {SIGINT, SIGQUIT, SIGHUP};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct h_proc h;
		char held[128], line[16];
		long t1, dt;

		start(&h, mode, NULL, H_ARGS("--term-delay", "5s"),
		      H_ARGS(h_helper("kid"), "deaf"));
		kid_ready(&h);
		h_kill(&h, SIGTERM);
		held_line(held, sizeof(held), 5000);
		h_expect_line(&h, H_ERR, held, 4000);
		t1 = h_now_ms();
		h_kill(&h, sigs[i]);
		snprintf(line, sizeof(line), "sig %d", sigs[i]);
		h_expect_line(&h, H_OUT, line, 5000);
		dt = line_at(&h, "sig 15", 5000) - t1;
		cr_expect(dt <= h_slack_cap(AT_ONCE_MS, 3000),
		          "[%s] %s during the delay: SIGTERM %ld ms later", h_mode_name(mode),
		          strsignal(sigs[i]), dt);
		kill_main_child(&h);
		h_expect_exit(&h, 137, 10000);
	}
}

/*
 * -k counts from the first SIGTERM's arrival, not from its release: --term-delay 5s -k 1s kills
 * a deaf child about 1 s after the SIGTERM, not 6 s.
 */
H_TEST_BOTH(kube, delay_kill_after_from_arrival, .timeout = 60)
{
	struct h_proc h;
	long t0, end;

	start(&h, mode, NULL, H_ARGS("--term-delay", "5s", "-k", "1s"),
	      H_ARGS(h_helper("kid"), "deaf"));
	kid_ready(&h);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	end = h_wait_ended(&h, 20000);
	/* Kept below the 5 s delay, which is what this tells apart. */
	cr_expect(end - t0 >= 999 && end - t0 <= 1000 + h_slack_cap(700, 3500),
	          "[%s] --term-delay 5s -k 1s: ended %ld ms after SIGTERM", h_mode_name(mode),
	          end - t0);
	h_expect_exit(&h, 137, 10000);
}

/*
 * The main child exits while its SIGTERM is held: the drain starts at once (the tree's SIGTERM
 * is the drain's own), and the message says how long the SIGTERM was held.
 */
H_TEST_BOTH(kube, delay_child_exits_during_it, .timeout = 60)
{
	char msgpath[128], want[512], got[2 * MSG_MAX], held[128];
	const char *dir = scratch();
	struct h_proc h;
	long t0, t_held, t1, end, ms;
	char *p;

	h_need_subreaper(mode);

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	start(&h, mode, NULL, H_ARGS("--term-delay", "5s", "--termination-log", msgpath),
	      H_ARGS(h_helper("kid"), "tree", "7", "0t"));
	h_expect_line(&h, H_OUT, "tree ready", 10000);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	held_line(held, sizeof(held), 5000);
	h_expect_line(&h, H_ERR, held, 4000);
	/* The init had the SIGTERM by now: its term_delay counts from no later than this. */
	t_held = h_now_ms();
	h_sleep_ms(300 - (h_now_ms() - t0));
	t1 = h_now_ms();
	h_close_stdin(&h);
	h_expect_line(&h, H_OUT, "main exit 7", 5000);
	h_expect_line(&h, H_OUT, "node 1 got TERM", (int)h_slack_cap(AT_ONCE_MS, 3000));
	end = h_wait_ended(&h, 20000);
	cr_expect(end - t1 <= h_slack_cap(AT_ONCE_MS, 3000),
	          "[%s] the init ended %ld ms after the main child (SIGTERM held 5s)",
	          h_mode_name(mode), end - t1);
	h_expect_exit(&h, 7, 10000);
	read_msg(msgpath, got, sizeof(got));
	p = strstr(got, " term_delay=");
	cr_assert_not_null(p, "[%s] no term_delay in \"%s\"", h_mode_name(mode), got);
	ms = strtol(p + strlen(" term_delay="), NULL, 10);
	cr_expect(ms >= t1 - t_held - 1 && ms <= end - t0,
	          "[%s] term_delay=%ldms; the main child exited %ld ms after the SIGTERM was "
	          "sent, %ld ms after the init logged the hold",
	          h_mode_name(mode), ms, t1 - t0, t1 - t_held);
	snprintf(want, sizeof(want),
	         "exit_code=7 child=exited code=7 cmd=%s term_delay=%ldms drain_term=1 "
	         "drain_exited=1 drain_killed=0",
	         h_helper("kid"), ms);
	cr_expect_str_eq(got, want, "[%s]\n got \"%s\"\nwant \"%s\"", h_mode_name(mode), got, want);
}

/*
 * Pause mode (-P, the pod's pause process): the delay holds the drain; an INT during it ends
 * it at once. (-v: the init says when it is ready for signals.)
 */
H_TEST_BOTH(kube, delay_pause, .timeout = 60)
{
	struct h_proc h;
	char held[128];
	long t0, end;

	start(&h, mode, NULL, H_ARGS("-P", "-v", "--term-delay", "1s"), NULL);
	h_expect_str(&h, H_ERR, "init: pause: no child", 5000);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	end = h_wait_ended(&h, 20000);
	cr_expect(end - t0 >= 999 && end - t0 <= 1000 + h_slack(AT_ONCE_MS),
	          "[%s] -P --term-delay 1s: ended %ld ms after SIGTERM", h_mode_name(mode),
	          end - t0);
	h_expect_exit(&h, 0, 10000);
	held_line(held, sizeof(held), 1000);
	cr_expect_eq(h_count_lines(&h, H_ERR, held), 1, "[%s]:\n%s", h_mode_name(mode),
	             h_text(&h, H_ERR));

	start(&h, mode, NULL, H_ARGS("-P", "-v", "--term-delay", "5s"), NULL);
	h_expect_str(&h, H_ERR, "init: pause: no child", 5000);
	h_kill(&h, SIGTERM);
	held_line(held, sizeof(held), 5000);
	h_expect_line(&h, H_ERR, held, 4000);
	t0 = h_now_ms();
	h_kill(&h, SIGINT);
	end = h_wait_ended(&h, 20000);
	cr_expect(end - t0 <= h_slack_cap(AT_ONCE_MS, 3000),
	          "[%s] -P --term-delay 5s: ended %ld ms after SIGINT", h_mode_name(mode),
	          end - t0);
	h_expect_exit(&h, 0, 10000);
	cr_expect_eq(h_count_lines(&h, H_ERR, "init: drain: tree empty after 0ms"), 0,
	             "[%s] (a drain that ran twice would say so twice):\n%s", h_mode_name(mode),
	             h_text(&h, H_ERR));
}

/*
 * A normal exit: the file's old content (longer, two lines) is replaced by the one line, from
 * the flag and from INIT_TERMINATION_LOG; nothing was killed, so the init logs nothing.
 */
H_TEST_BOTH(kube, msg_normal_exit, .timeout = 30)
{
	const char *dir = scratch();
	char msgpath[128], want[512];

	path_in(dir, "termination-log", msgpath, sizeof(msgpath));
	snprintf(want, sizeof(want),
	         "exit_code=3 child=exited code=3 cmd=%s drain_term=0 drain_exited=0 "
	         "drain_killed=0",
	         h_helper("kid"));
	for (int i = 0; i < 2; i++) {
		char env[160];
		struct h_proc h;
		FILE *f = fopen(msgpath, "we");

		cr_assert_not_null(f);
		fprintf(f, "%0*d\nsecond line of an older message\n", 600, 0);
		fclose(f);
		snprintf(env, sizeof(env), "INIT_TERMINATION_LOG=%s", msgpath);
		start(&h, mode, i ? H_ARGS("-e", env) : NULL,
		      i ? H_NOARGS : H_ARGS("--termination-log", msgpath),
		      H_ARGS(h_helper("kid"), "exit", "3"));
		h_expect_exit(&h, 3, 10000);
		expect_msg(&h, msgpath, want);
		expect_no_end_lines(&h);
	}
}

/* Pause mode: no child, no command in the message. */
H_TEST_BOTH(kube, msg_pause, .timeout = 30)
{
	const char *dir = scratch();
	char msgpath[128];
	struct h_proc h;

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	start(&h, mode, NULL, H_ARGS("-P", "-v", "--termination-log", msgpath), NULL);
	h_expect_str(&h, H_ERR, "init: pause: no child", 5000);
	h_kill(&h, SIGTERM);
	h_expect_exit(&h, 0, 10000);
	expect_msg(&h, msgpath,
	           "exit_code=0 child=none drain_term=0 drain_exited=0 drain_killed=0");
}

/*
 * The child was ended by a signal the init forwarded: forwarded=yes, for the SIGTERM, and for
 * the SIGINT a -r TERM:INT made of it. The drain then sent its own SIGTERM to the node.
 */
H_TEST_BOTH(kube, msg_signal_forwarded, .timeout = 30)
{
	h_need_subreaper(mode);
	static const struct {
		const char *rewrite;
		int code;
		const char *sig;
	} cases[] = {{NULL, 143, "SIGTERM"}, {"TERM:INT", 130, "SIGINT"}};
	const char *dir = scratch();
	char msgpath[128];

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[512];
		struct h_proc h;

		start(&h, mode, NULL,
		      cases[i].rewrite
		          ? H_ARGS("--termination-log", msgpath, "-r", cases[i].rewrite)
		          : H_ARGS("--termination-log", msgpath),
		      H_ARGS(h_helper("kid"), "tree", "0", "0t"));
		h_expect_line(&h, H_OUT, "tree ready", 10000);
		h_kill(&h, SIGTERM);
		h_expect_line(&h, H_OUT, "node 1 got TERM", 5000);
		h_expect_exit(&h, cases[i].code, 10000);
		snprintf(want, sizeof(want),
		         "exit_code=%d child=signaled signal=%s forwarded=yes cmd=%s drain_term=1 "
		         "drain_exited=1 drain_killed=0",
		         cases[i].code, cases[i].sig, h_helper("kid"));
		expect_msg(&h, msgpath, want);
	}
}

/*
 * The child died of a signal the init did not forward (the OOM killer's SIGKILL; a SIGTERM
 * it sent itself): forwarded=no, even when the init had forwarded other signals before.
 */
H_TEST_BOTH(kube, msg_signal_not_forwarded, .timeout = 30)
{
	const char *dir = scratch();
	char msgpath[128], want[512];
	struct h_proc h;

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	/* It killed itself. */
	start(&h, mode, NULL, H_ARGS("--termination-log", msgpath),
	      H_ARGS(h_helper("kid"), "kill", "9"));
	h_expect_exit(&h, 137, 10000);
	snprintf(want, sizeof(want),
	         "exit_code=137 child=signaled signal=SIGKILL forwarded=no cmd=%s drain_term=0 "
	         "drain_exited=0 drain_killed=0",
	         h_helper("kid"));
	expect_msg(&h, msgpath, want);

	start(&h, mode, NULL, H_ARGS("--termination-log", msgpath),
	      H_ARGS(h_helper("kid"), "kill", "15"));
	h_expect_exit(&h, 143, 10000);
	snprintf(want, sizeof(want),
	         "exit_code=143 child=signaled signal=SIGTERM forwarded=no cmd=%s drain_term=0 "
	         "drain_exited=0 drain_killed=0",
	         h_helper("kid"));
	expect_msg(&h, msgpath, want);

	/* USR1 and TERM forwarded (the kid ignores both), then SIGKILL from outside. */
	start(&h, mode, NULL, H_ARGS("--termination-log", msgpath),
	      H_ARGS(h_helper("kid"), "deaf"));
	kid_ready(&h);
	h_kill(&h, SIGUSR1);
	h_expect_line(&h, H_OUT, "sig 10", 5000);
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	kill_main_child(&h);
	h_expect_exit(&h, 137, 10000);
	snprintf(want, sizeof(want),
	         "exit_code=137 child=signaled signal=SIGKILL forwarded=no cmd=%s drain_term=0 "
	         "drain_exited=0 drain_killed=0",
	         h_helper("kid"));
	expect_msg(&h, msgpath, want);
}

/* An exec failure: 127 or 126, the stage and the error text; not a summary log line. */
H_TEST_BOTH(kube, msg_exec_failure, .timeout = 30)
{
	const char *dir = scratch();
	char msgpath[128], want[512], last[512];
	struct h_proc h;

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	start(&h, mode, NULL, H_ARGS("--termination-log", msgpath), H_ARGS("nosuch-init-kube"));
	h_expect_exit(&h, 127, 10000);
	expect_msg(&h, msgpath,
	           "exit_code=127 child=not-started stage=exec error=\"No such file or directory\" "
	           "cmd=nosuch-init-kube drain_term=0 drain_exited=0 drain_killed=0");
	cr_expect_eq(err_lines_with(&h, "exit_code=", NULL, 0), 0, "[%s] summary logged:\n%s",
	             h_mode_name(mode), h_text(&h, H_ERR));
	last_err_line(&h, last, sizeof(last));
	cr_expect_str_eq(last, "init: exec nosuch-init-kube: No such file or directory");

	/* A directory: 126, "Permission denied". */
	start(&h, mode, NULL, H_ARGS("--termination-log", msgpath), H_ARGS(dir));
	h_expect_exit(&h, 126, 10000);
	snprintf(want, sizeof(want),
	         "exit_code=126 child=not-started stage=exec error=\"Permission denied\" cmd=%s "
	         "drain_term=0 drain_exited=0 drain_killed=0",
	         dir);
	expect_msg(&h, msgpath, want);
}

/* Node pids from `node I pid=P` lines, 1..n. */
static void node_pids(struct h_proc *h, int n, pid_t *pid)
{
	for (int i = 1; i <= n; i++) {
		char prefix[32], v[32];

		snprintf(prefix, sizeof(prefix), "node %d pid=", i);
		cr_assert(h_line_value(h, H_OUT, prefix, v, sizeof(v)), "no '%s' line:\n%s", prefix,
		          h_text(h, H_OUT));
		pid[i] = (pid_t)atoi(v);
	}
}

/*
 * killed=P/NAME,P/NAME...: the items in any order must be exactly the pids WANT[0..n-1] (with
 * NAME), then ",+MORE" when MORE > 0.
 */
static void expect_killed(struct h_proc *h, const char *msg, const pid_t *want, int n,
                          const char *name, int more)
{
	const char *p = strstr(msg, " killed=");
	bool seen[16] = {false};

	cr_assert_not_null(p, "[%s] no killed= in \"%s\"", h_mode_name(h->mode), msg);
	p += strlen(" killed=");
	for (int i = 0; i < n; i++) {
		char *end;
		long pid = strtol(p, &end, 10);
		int k;

		cr_assert(end > p && *end == '/', "[%s] item %d of \"%s\"", h_mode_name(h->mode), i,
		          msg);
		for (k = 0; k < n && (want[k] != pid || seen[k]); k++) {
		}
		cr_expect(k < n, "[%s] killed= names pid %ld, not one of the nodes: \"%s\"",
		          h_mode_name(h->mode), pid, msg);
		if (k < n) {
			seen[k] = true;
		}
		p = end + 1;
		cr_expect_eq(strncmp(p, name, strlen(name)), 0, "[%s] item %d of \"%s\": not %s",
		             h_mode_name(h->mode), i, msg, name);
		p += strlen(name);
		cr_assert(*p == (i + 1 < n || more ? ',' : '\0'), "[%s] after item %d of \"%s\"",
		          h_mode_name(h->mode), i, msg);
		if (*p) {
			p++;
		}
	}
	if (more) {
		char tail[16];

		snprintf(tail, sizeof(tail), "+%d", more);
		cr_expect_str_eq(p, tail, "[%s] \"%s\" does not end with ,%s", h_mode_name(h->mode),
		                 msg, tail);
	}
}

/*
 * The drain SIGKILLs two of three processes: drain_term=3 (as PID 1 the namespace holds just
 * these three besides the init, as a subreaper its tree does), one exited within the grace,
 * two killed and both named; the same line is the init's last log line.
 */
H_TEST_BOTH(kube, msg_drain_kills_two, .timeout = 60)
{
	const char *dir = scratch();
	char msgpath[128], got[2 * MSG_MAX], want[512], last[2 * MSG_MAX], line[2 * MSG_MAX + 8];
	struct h_proc h;
	pid_t pid[4];

	h_need_subreaper(mode);

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	start(&h, mode, NULL, H_ARGS("-t", "500ms", "--termination-log", msgpath),
	      H_ARGS(h_helper("kid"), "tree", "7", "0t", "0i", "1i"));
	h_expect_line(&h, H_OUT, "tree ready", 10000);
	node_pids(&h, 3, pid);
	h_close_stdin(&h);
	h_expect_line(&h, H_OUT, "node 1 got TERM", 5000);
	h_expect_exit(&h, 7, 20000);
	read_msg(msgpath, got, sizeof(got));
	snprintf(want, sizeof(want),
	         "exit_code=7 child=exited code=7 cmd=%s drain_term=3 drain_exited=1 "
	         "drain_killed=2 killed=",
	         h_helper("kid"));
	cr_expect_eq(strncmp(got, want, strlen(want)), 0, "[%s]\n got \"%s\"\nwant \"%s...\"",
	             h_mode_name(mode), got, want);
	expect_killed(&h, got, pid + 2, 2, "kid", 0);
	snprintf(line, sizeof(line), "init: %.*s", (int)(sizeof(got) - 1), got);
	cr_expect_str_eq(last_err_line(&h, last, sizeof(last)), line,
	                 "[%s] the last log line is not the summary:\n%s", h_mode_name(mode),
	                 h_text(&h, H_ERR));
	cr_expect_eq(err_lines_with(&h, "exit_code=", NULL, 0), 1, "[%s]:\n%s", h_mode_name(mode),
	             h_text(&h, H_ERR));
}

/*
 * Six SIGKILLed: the first four named, then "+2"; the names (a command whose name has a space,
 * '=', ',' and '/'... as the kernel keeps it: the symlink's name) are escaped, so the list
 * stays one value. The command keeps ',' and '/' as they are.
 */
H_TEST_BOTH(kube, msg_killed_more_escaped, .timeout = 60)
{
	const char *dir = scratch();
	char msgpath[128], link[128], got[2 * MSG_MAX], want[1024], esc[512];
	struct h_proc h;
	pid_t pid[7];

	h_need_subreaper(mode);

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	path_in(dir, "w =,x", link, sizeof(link));
	cr_assert(symlink(h_helper("kid"), link) == 0, "symlink: %s", strerror(errno));
	start(&h, mode, NULL, H_ARGS("-t", "300ms", "--termination-log", msgpath),
	      H_ARGS(link, "tree", "5", "0i", "0i", "1i", "0is", "0i", "2i"));
	h_expect_line(&h, H_OUT, "tree ready", 10000);
	node_pids(&h, 6, pid);
	h_close_stdin(&h);
	h_expect_exit(&h, 5, 20000);
	read_msg(msgpath, got, sizeof(got));
	snprintf(want, sizeof(want),
	         "exit_code=5 child=exited code=5 cmd=%s drain_term=6 drain_exited=0 "
	         "drain_killed=6 killed=",
	         escaped(link, esc, sizeof(esc)));
	cr_expect_eq(strncmp(got, want, strlen(want)), 0, "[%s]\n got \"%s\"\nwant \"%s...\"",
	             h_mode_name(mode), got, want);
	cr_expect_not_null(strstr(got, "cmd=/tmp/init-kube-"), "[%s] \"%s\"", h_mode_name(mode),
	                   got);
	cr_expect_not_null(strstr(got, "/w\\x20\\x3d,x "), "[%s] cmd: \"%s\"", h_mode_name(mode),
	                   got);
	/* Any four of the six, each "w\x20\x3d\x2cx". */
	{
		const char *p = strstr(got, " killed=");
		int named = 0;

		cr_assert_not_null(p);
		for (p += strlen(" killed="); *p && *p != '+'; named++) {
			char *end;
			long v = strtol(p, &end, 10);
			int k;

			for (k = 1; k <= 6 && pid[k] != v; k++) {
			}
			cr_expect(k <= 6, "[%s] %ld is not a node: \"%s\"", h_mode_name(mode), v,
			          got);
			cr_assert_eq(strncmp(end, "/w\\x20\\x3d\\x2cx,", 16), 0,
			             "[%s] item %d of \"%s\"", h_mode_name(mode), named, got);
			p = end + 16;
		}
		cr_expect_eq(named, 4, "[%s] %d named: \"%s\"", h_mode_name(mode), named, got);
		cr_expect_str_eq(p, "+2", "[%s] \"%s\"", h_mode_name(mode), got);
	}
}

/*
 * Nothing SIGKILLed: the drain's SIGTERM ended everything in time, so at the default
 * verbosity the init logs nothing at all, and the message counts them.
 */
H_TEST_BOTH(kube, msg_nothing_killed, .timeout = 60)
{
	const char *dir = scratch();
	char msgpath[128], want[512];
	struct h_proc h;

	h_need_subreaper(mode);

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	start(&h, mode, NULL, H_ARGS("-t", "20s", "--termination-log", msgpath),
	      H_ARGS(h_helper("kid"), "tree", "4", "0t", "1t", "0ts"));
	h_expect_line(&h, H_OUT, "tree ready", 10000);
	h_close_stdin(&h);
	h_expect_exit(&h, 4, 20000);
	snprintf(want, sizeof(want),
	         "exit_code=4 child=exited code=4 cmd=%s drain_term=3 drain_exited=3 "
	         "drain_killed=0",
	         h_helper("kid"));
	expect_msg(&h, msgpath, want);
	expect_no_end_lines(&h);
	cr_expect_eq(err_lines_with(&h, "SIGKILL", NULL, 0), 0, "[%s]:\n%s", h_mode_name(mode),
	             h_text(&h, H_ERR));
}

/*
 * The summary is the last log line whenever the drain SIGKILLed, with no --termination-log
 * too; -q silences it.
 */
H_TEST_BOTH(kube, summary_line_without_log, .timeout = 60)
{
	char want[512], last[2 * MSG_MAX];
	struct h_proc h;
	pid_t pid[2];

	h_need_subreaper(mode);

	start(&h, mode, NULL, H_ARGS("-t", "300ms"), H_ARGS(h_helper("kid"), "tree", "6", "0i"));
	h_expect_line(&h, H_OUT, "tree ready", 10000);
	node_pids(&h, 1, pid);
	h_close_stdin(&h);
	h_expect_exit(&h, 6, 20000);
	snprintf(want, sizeof(want),
	         "init: exit_code=6 child=exited code=6 cmd=%s drain_term=1 drain_exited=0 "
	         "drain_killed=1 killed=%d/kid",
	         h_helper("kid"), (int)pid[1]);
	cr_expect_str_eq(last_err_line(&h, last, sizeof(last)), want, "[%s] stderr:\n%s",
	                 h_mode_name(mode), h_text(&h, H_ERR));

	start(&h, mode, NULL, H_ARGS("-q", "-t", "300ms"),
	      H_ARGS(h_helper("kid"), "tree", "6", "0i"));
	h_expect_line(&h, H_OUT, "tree ready", 10000);
	h_close_stdin(&h);
	h_expect_exit(&h, 6, 20000);
	cr_expect_eq(err_lines_with(&h, "exit_code=", NULL, 0), 0, "[%s] -q:\n%s",
	             h_mode_name(mode), h_text(&h, H_ERR));
}

/*
 * A path that cannot be written (its directory missing, a read-only file of /proc, a
 * directory, a full device): one warning line naming it and why, and the exit code unchanged.
 */
H_TEST_BOTH(kube, msg_unwritable, .timeout = 60)
{
	const char *dir = scratch();
	char missing[128];
	const struct {
		const char *path;
		int err;
	} cases[] = {
	    {path_in(dir, "no/such/dir/msg", missing, sizeof(missing)), ENOENT},
	    {"/proc/version", EACCES},
	    {dir, EISDIR},
	    {"/dev/full", ENOSPC},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[512], first[512];
		struct h_proc h;
		int n;

		start(&h, mode, NULL, H_ARGS("--termination-log", cases[i].path),
		      H_ARGS(h_helper("kid"), "exit", "3"));
		h_expect_exit(&h, 3, 10000);
		snprintf(want, sizeof(want),
		         "init: warning: cannot write the termination message to %s: %s",
		         cases[i].path, strerror(cases[i].err));
		n = err_lines_with(&h, "termination message", first, sizeof(first));
		cr_expect_eq(n, 1, "[%s] %s: %d lines:\n%s", h_mode_name(mode), cases[i].path, n,
		             h_text(&h, H_ERR));
		cr_expect_str_eq(first, want, "[%s]\n got \"%s\"\nwant \"%s\"", h_mode_name(mode),
		                 first, want);
	}
	/* And the exit code of a killed child (a code of its own) is kept just as well. */
	{
		struct h_proc h;

		start(&h, mode, NULL, H_ARGS("--termination-log", missing),
		      H_ARGS(h_helper("kid"), "kill", "9"));
		h_expect_exit(&h, 137, 10000);
	}
}

/*
 * The file is past RLIMIT_FSIZE (the init's own limit): the write is cut short. The warning
 * must give the real reason (EFBIG), not whatever errno an earlier call left, and the exit code
 * stays. (The init blocks SIGXFSZ: its write fails instead of killing it.)
 */
H_TEST_BOTH(kube, msg_file_size_limit, .timeout = 30)
{
	const char *dir = scratch();
	char msgpath[128], want[512], first[512];
	struct h_proc h;
	int n;

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	start(&h, mode, H_ARGS("-R", "fsize=16"), H_ARGS("--termination-log", msgpath),
	      H_ARGS(h_helper("kid"), "exit", "3"));
	h_expect_exit(&h, 3, 10000);
	snprintf(want, sizeof(want),
	         "init: warning: cannot write the termination message to %s: %s", msgpath,
	         strerror(EFBIG));
	n = err_lines_with(&h, "termination message", first, sizeof(first));
	cr_expect_eq(n, 1, "[%s] %d lines:\n%s", h_mode_name(mode), n, h_text(&h, H_ERR));
	cr_expect_str_eq(first, want, "[%s]\n got \"%s\"\nwant \"%s\"", h_mode_name(mode), first,
	                 want);
}

/*
 * A relative PATH is relative to the directory the init was started in (as every path of a
 * command line is), not to "/", where the init moves so as not to pin a directory.
 */
H_TEST_BOTH(kube, msg_relative_path, .timeout = 30)
{
	const char *dir = scratch();
	char name[64], inroot[80], msgpath[160], want[512];
	struct h_proc h;

	snprintf(name, sizeof(name), "init-kube-rel-%d", (int)getpid());
	snprintf(inroot, sizeof(inroot), "/%s", name);
	path_in(dir, name, msgpath, sizeof(msgpath));
	start_in(&h, mode, NULL, H_ARGS("--termination-log", name),
	         H_ARGS(h_helper("kid"), "exit", "3"), dir);
	h_expect_exit(&h, 3, 10000);
	if (access(inroot, F_OK) == 0) {
		unlink(inroot);
		cr_expect_fail("[%s] --termination-log %s (in %s) was written to %s",
		               h_mode_name(mode), name, dir, inroot);
	}
	snprintf(want, sizeof(want),
	         "exit_code=3 child=exited code=3 cmd=%s drain_term=0 drain_exited=0 "
	         "drain_killed=0",
	         h_helper("kid"));
	expect_msg(&h, msgpath, want);
}

/*
 * An over-long command: a symlink to kid at the end of a 3000-byte path whose directory names
 * are spaces (each escaped to 4 bytes) after one with a newline, a quote and '='. The message
 * stays one line within 4096 bytes, the command is cut with "...", and what is left of it is
 * the path's start; the drain's keys still follow.
 */
H_TEST_BOTH(kube, msg_long_command, .timeout = 30)
{
	const char *dir = scratch();
	static char path[4096], got[2 * MSG_MAX], cmd[2 * MSG_MAX];
	char msgpath[128], spaces[251];
	const char *tail = " drain_term=0 drain_exited=0 drain_killed=0", *v, *end;
	struct h_proc h;
	size_t len, k = 0;

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	memset(spaces, ' ', 250);
	spaces[250] = '\0';
	len = (size_t)snprintf(path, sizeof(path), "%s/a\n\"=b", dir);
	cr_assert(mkdir(path, 0755) == 0, "mkdir: %s", strerror(errno));
	while (len < 3000) {
		len += (size_t)snprintf(path + len, sizeof(path) - len, "/%s", spaces);
		cr_assert(mkdir(path, 0755) == 0, "mkdir (%zu bytes): %s", len, strerror(errno));
	}
	len += (size_t)snprintf(path + len, sizeof(path) - len, "/kid");
	cr_assert(symlink(h_helper("kid"), path) == 0, "symlink: %s", strerror(errno));
	start(&h, mode, NULL, H_ARGS("--termination-log", msgpath), H_ARGS(path, "exit", "3"));
	h_expect_exit(&h, 3, 10000);
	expect_no_end_lines(&h);
	read_msg(msgpath, got, sizeof(got)); /* one line, <= 4096 bytes with the newline */
	cr_assert_eq(strncmp(got, "exit_code=3 child=exited code=3 cmd=", 36), 0, "[%s] \"%.200s\"",
	             h_mode_name(mode), got);
	v = got + 36;
	end = strchr(v, ' ');
	cr_assert_not_null(end, "[%s] \"%.200s\"", h_mode_name(mode), got);
	cr_expect_str_eq(end, tail, "[%s] after the command: \"%.300s\"", h_mode_name(mode), end);
	/* Unescape the value: a prefix of the path, then "...". */
	for (const char *p = v; p < end;) {
		unsigned x;

		if (*p == '\\') {
			cr_assert(sscanf(p, "\\x%2x", &x) == 1, "[%s] bad escape at \"%.10s\"",
			          h_mode_name(mode), p);
			cmd[k++] = (char)x;
			p += 4;
		} else {
			cmd[k++] = *p++;
		}
	}
	cmd[k] = '\0';
	cr_assert(k > 3 && strcmp(cmd + k - 3, "...") == 0, "[%s] not cut: \"%.300s\"",
	          h_mode_name(mode), v);
	k -= 3;
	cr_expect(k >= strlen(dir) + 8 && k < len && memcmp(cmd, path, k) == 0,
	          "[%s] cmd= is not the path's start (%zu bytes kept of %zu): \"%.300s\"",
	          h_mode_name(mode), k, len, v);
}

/*
 * -k fires while the SIGTERM is still held (it counts from the arrival): the message still
 * says that a SIGTERM was held (term_delay=), and names the main child as SIGKILLed.
 */
H_TEST_BOTH(kube, msg_term_delay_cut_by_kill_after, .timeout = 30)
{
	const char *dir = scratch();
	char msgpath[128], got[2 * MSG_MAX], want[512];
	struct h_proc h;
	pid_t kid;

	path_in(dir, "msg", msgpath, sizeof(msgpath));
	start(&h, mode, NULL,
	      H_ARGS("--term-delay", "5s", "-k", "1s", "--termination-log", msgpath),
	      H_ARGS(h_helper("kid"), "deaf"));
	kid = kid_ready(&h);
	h_kill(&h, SIGTERM);
	h_expect_exit(&h, 137, 20000);
	read_msg(msgpath, got, sizeof(got));
	snprintf(want, sizeof(want),
	         "exit_code=137 child=signaled signal=SIGKILL forwarded=init cmd=%s term_delay=",
	         h_helper("kid"));
	cr_expect_eq(strncmp(got, want, strlen(want)), 0, "[%s]\n got \"%s\"\nwant \"%s...\"",
	             h_mode_name(mode), got, want);
	snprintf(want, sizeof(want), " drain_killed=1 killed=%d/kid", (int)kid);
	cr_expect(strlen(got) > strlen(want) && strcmp(got + strlen(got) - strlen(want), want) == 0,
	          "[%s] \"%s\" does not end with \"%s\"", h_mode_name(mode), got, want);
}
