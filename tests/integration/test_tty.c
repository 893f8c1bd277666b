/*
 * The init on a real pseudo-terminal (forkpty), as under `docker run -it`: the child is the
 * terminal's foreground group, Ctrl-C reaches it once and never the init, Ctrl-Z and a
 * forwarded SIGTSTP stop the child and not the init, SIGCONT resumes it and Ctrl-C still works
 * afterwards, a resize sends SIGWINCH, and an interactive bash has job control.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

struct tty_run {
	enum h_mode mode;
	pid_t pid;      /* our child: the init itself (H_SUB) or launch (H_PID1) */
	pid_t init_pid; /* the init as we see it */
	int master;
	char out[1 << 16];
	size_t len;
};

static void tty_read(struct tty_run *t, int timeout_ms)
{
	struct pollfd p = {.fd = t->master, .events = POLLIN};

	if (poll(&p, 1, timeout_ms) > 0 && t->len < sizeof(t->out) - 1) {
		ssize_t n = read(t->master, t->out + t->len, sizeof(t->out) - 1 - t->len);

		if (n > 0) {
			t->len += (size_t)n;
			t->out[t->len] = '\0';
		}
	}
}

/* Wait for NEEDLE in the terminal's output after offset FROM. */
static const char *tty_wait(struct tty_run *t, size_t from, const char *needle, int timeout_ms)
{
	long end = h_now_ms() + timeout_ms;
	const char *hit;

	while ((hit = strstr(t->out + from, needle)) == NULL && h_now_ms() < end) {
		tty_read(t, 50);
	}
	return hit;
}

#define tty_expect(t, from, needle, ms)                                                            \
	cr_assert(tty_wait((t), (from), (needle), (ms)) != NULL,                                   \
	          "[%s] no '%s' on the terminal after %d ms:\n%s", h_mode_name((t)->mode),         \
	          (needle), (ms), (t)->out)

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) {
		n++;
	}
	return n;
}

/*
 * The session leader of a background job: it keeps the terminal's foreground group (its own)
 * and runs ARGV in a new process group, as a shell does for `cmd &`; it says `job pid=N`, and
 * ends with the job's status (128 + N for a signal).
 */
static void run_background_job(const char *const *argv)
{
	pid_t job = fork();
	int st;

	if (job < 0) {
		_exit(126);
	}
	if (job == 0) {
		(void)setpgid(0, 0);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	(void)setpgid(job, job); /* both sides, as a shell does: no race with the exec */
	dprintf(STDOUT_FILENO, "job pid=%d\n", (int)job);
	while (waitpid(job, &st, 0) < 0) {
		if (errno != EINTR) {
			_exit(126);
		}
	}
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

/*
 * Start `[launch -n --] init ARGS...` with a new pty as its controlling terminal: as the
 * session leader (the terminal's foreground group), or with BACKGROUND as a background job of
 * a session leader that keeps the foreground. With LEADER, as PID 1 the init itself leads the
 * terminal's session (launch -n -T, as an engine starts PID 1 for `run -t`), not launch.
 */
static void tty_start_full(struct tty_run *t, enum h_mode mode, const char *const *args,
                           bool background, bool leader)
{
	struct winsize ws = {.ws_row = 24, .ws_col = 80};
	const char *argv[32];
	int n = 0;

	h_need_mode(mode);
	memset(t, 0, sizeof(*t));
	t->mode = mode;
	if (mode == H_PID1) {
		argv[n++] = h_helper("launch");
		argv[n++] = "-n";
		if (leader) {
			argv[n++] = "-T";
		}
		argv[n++] = "--";
	}
	argv[n++] = h_init();
	for (; *args != NULL && n < 31; args++) {
		argv[n++] = *args;
	}
	argv[n] = NULL;
	if (leader && mode == H_PID1) {
		/* A session with no terminal yet: launch's -T gives it to the init. */
		int slave;

		cr_assert(openpty(&t->master, &slave, NULL, NULL, &ws) == 0, "openpty: %s",
		          strerror(errno));
		t->pid = fork();
		cr_assert(t->pid >= 0, "fork: %s", strerror(errno));
		if (t->pid == 0) {
			close(t->master);
			if (setsid() < 0 || dup2(slave, 0) < 0 || dup2(slave, 1) < 0 ||
			    dup2(slave, 2) < 0) {
				_exit(126);
			}
			if (slave > 2) {
				close(slave);
			}
			execv(argv[0], (char *const *)argv);
			_exit(127);
		}
		close(slave);
	} else {
		t->pid = forkpty(&t->master, NULL, NULL, &ws);
		cr_assert(t->pid >= 0, "forkpty: %s", strerror(errno));
	}
	if (t->pid == 0) {
		if (background) {
			run_background_job(argv);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	t->init_pid = t->pid;
	if (background && mode == H_SUB) {
		const char *p;

		tty_expect(t, 0, "job pid=", 5000);
		p = strstr(t->out, "job pid=");
		t->init_pid = (pid_t)atoi(p + strlen("job pid="));
	}
	if (mode == H_PID1) {
		const char *p;

		tty_expect(t, 0, "launch: pid=", 5000);
		p = strstr(t->out, "launch: pid=");
		t->init_pid = (pid_t)atoi(p + strlen("launch: pid="));
	}
}

static void tty_start_as(struct tty_run *t, enum h_mode mode, const char *const *args,
                         bool background)
{
	tty_start_full(t, mode, args, background, false);
}

static void tty_start(struct tty_run *t, enum h_mode mode, const char *const *args)
{
	tty_start_as(t, mode, args, false);
}

/* How our child ended: its exit code, or 128 + signal. */
static int tty_finish(struct tty_run *t, int timeout_ms)
{
	long end = h_now_ms() + timeout_ms;
	int status;
	pid_t r;

	while ((r = waitpid(t->pid, &status, WNOHANG)) == 0 && h_now_ms() < end) {
		tty_read(t, 50);
	}
	if (r == 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &status, 0);
		cr_assert_fail("[%s] the init did not end within %d ms:\n%s", h_mode_name(t->mode),
		               timeout_ms, t->out);
	}
	tty_read(t, 100);
	close(t->master);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * The foreground group of the terminal once it is no longer the one it started with: the
 * init's own (H_SUB) or launch's, which the init shares (H_PID1).
 */
static pid_t wait_foreground(struct tty_run *t)
{
	long end = h_now_ms() + 5000;
	pid_t fg;

	while ((fg = tcgetpgrp(t->master)) == t->init_pid || fg == t->pid || fg <= 0) {
		cr_assert(h_now_ms() < end, "[%s] the child never became the foreground group:\n%s",
		          h_mode_name(t->mode), t->out);
		tty_read(t, 20);
	}
	return fg;
}

/* 'R', 'S', 'T'...: the State letter of /proc/PID/status. */
static char proc_state(pid_t pid)
{
	char path[64], line[256];
	char state = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL) {
		return state;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "State:", 6) == 0) {
			sscanf(line + 6, " %c", &state);
		}
	}
	fclose(f);
	return state;
}

static void wait_state(struct tty_run *t, pid_t pid, char want, const char *what)
{
	long end = h_now_ms() + 5000;

	while (proc_state(pid) != want) {
		cr_assert(h_now_ms() < end, "[%s] %s: pid %d is in state %c, not %c; terminal:\n%s",
		          h_mode_name(t->mode), what, (int)pid, proc_state(pid), want, t->out);
		tty_read(t, 20);
	}
}

H_TEST_BOTH(tty, foreground_ctrl_c_once_and_winch, .timeout = 30, .fini = h_cleanup)
{
	struct tty_run t;
	struct winsize ws = {.ws_row = 40, .ws_col = 120};
	size_t mark;
	pid_t fg;
	int pid = 0, pgid = 0;
	const char *ready;

	tty_start(&t, mode, H_ARGS("-vv", h_helper("kid"), "sigs"));
	tty_expect(&t, 0, "ready pid=", 5000);
	ready = strstr(t.out, "ready pid=");
	cr_assert_eq(sscanf(ready, "ready pid=%d pgid=%d", &pid, &pgid), 2);
	cr_expect_eq(pid, pgid, "the child does not lead its own process group");
	fg = wait_foreground(&t);
	if (mode == H_SUB) {
		cr_expect_eq(fg, pid, "foreground group %d, child %d", (int)fg, pid);
	}

	mark = t.len;
	cr_assert_eq(write(t.master, "\x03", 1), 1);
	tty_expect(&t, mark, "sig 2\r\n", 5000);
	tty_read(&t, 300); /* a second delivery would show up now */
	cr_expect_eq(count(t.out + mark, "sig 2\r\n"), 1, "Ctrl-C delivered %d times:\n%s",
	             count(t.out + mark, "sig 2\r\n"), t.out);
	cr_expect_null(strstr(t.out, "signal=SIGINT"), "the init got the terminal's SIGINT:\n%s",
	               t.out);

	mark = t.len;
	cr_assert_eq(ioctl(t.master, TIOCSWINSZ, &ws), 0);
	tty_expect(&t, mark, "sig 28\r\n", 5000);

	kill(t.init_pid, SIGTERM);
	tty_expect(&t, mark, "sig 15\r\n", 5000);
	cr_expect_eq(tty_finish(&t, 10000), 0, "output:\n%s", t.out);
}

H_TEST_BOTH(tty, job_control_stops_child_not_init, .timeout = 30, .fini = h_cleanup)
{
	struct tty_run t;
	pid_t fg;

	tty_start(&t, mode, H_ARGS("-vv", h_helper("kid"), "sleepforever"));
	fg = wait_foreground(&t);

	/* Ctrl-Z: the terminal stops the foreground group, the child. */
	cr_assert_eq(write(t.master, "\x1a", 1), 1);
	wait_state(&t, fg, 'T', "after Ctrl-Z");
	cr_expect_neq(proc_state(t.init_pid), 'T', "the init was stopped");
	kill(t.init_pid, SIGCONT);
	wait_state(&t, fg, 'S', "after SIGCONT to the init");

	/* SIGTSTP sent to the init is forwarded; the init itself never stops. */
	kill(t.init_pid, SIGTSTP);
	wait_state(&t, fg, 'T', "after SIGTSTP to the init");
	cr_expect_neq(proc_state(t.init_pid), 'T', "the init was stopped");
	kill(t.init_pid, SIGCONT);
	wait_state(&t, fg, 'S', "after the second SIGCONT");

	/* Ctrl-C still reaches the child: it dies of SIGINT, the init exits 130. */
	cr_assert_eq(write(t.master, "\x03", 1), 1);
	cr_expect_eq(tty_finish(&t, 10000), 130, "output:\n%s", t.out);
}

/* Wait until the terminal's foreground group is (or, with !is, is no longer) PGRP. */
static void wait_pgrp(struct tty_run *t, pid_t pgrp, bool is, const char *what)
{
	long end = h_now_ms() + 5000;

	while ((tcgetpgrp(t->master) == pgrp) != is) {
		cr_assert(h_now_ms() < end, "%s: foreground group %d:\n%s", what,
		          (int)tcgetpgrp(t->master), t->out);
		tty_read(t, 20);
	}
}

/* Wait until PID runs COMM: a signal sent before its exec may meet bash's own handler. */
static void wait_exec(struct tty_run *t, pid_t pid, const char *comm)
{
	long end = h_now_ms() + 5000;
	char path[64], name[64] = "";

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	for (;;) {
		FILE *f = fopen(path, "r");

		if (f != NULL) {
			if (fgets(name, sizeof(name), f) == NULL) {
				name[0] = '\0';
			}
			fclose(f);
		}
		if (strncmp(name, comm, strlen(comm)) == 0) {
			return;
		}
		cr_assert(h_now_ms() < end, "pid %d never ran %s (comm '%s')", (int)pid, comm,
		          name);
		tty_read(t, 20);
	}
}

Test(tty, interactive_bash_has_job_control, .timeout = 30, .fini = h_cleanup)
{
	struct tty_run t;
	size_t mark;
	pid_t bash;

	if (access("/bin/bash", X_OK) != 0) {
		cr_skip_test("no /bin/bash");
	}
	tty_start(&t, H_SUB, H_ARGS("/bin/bash", "--norc", "--noprofile", "-i"));
	bash = wait_foreground(&t);
	mark = t.len;
	cr_assert(write(t.master, "echo answer=$((6*7))\n", 21) == 21);
	tty_expect(&t, mark, "answer=42", 5000);
	/*
	 * Job control: bash runs a foreground job in a group of its own and hands it the
	 * terminal; Ctrl-C ends the job and bash takes the terminal back.
	 */
	cr_assert(write(t.master, "sleep 30\n", 9) == 9);
	wait_pgrp(&t, bash, false, "sleep never became the foreground job");
	wait_exec(&t, tcgetpgrp(t.master), "sleep");
	cr_assert_eq(write(t.master, "\x03", 1), 1);
	wait_pgrp(&t, bash, true, "bash did not get the terminal back");
	tty_read(&t, 200);
	mark = t.len;
	cr_assert(write(t.master, "echo still=$((1+1))\n", 20) == 20);
	tty_expect(&t, mark, "still=2", 5000);
	cr_assert(write(t.master, "exit 7\n", 7) == 7);
	cr_expect_eq(tty_finish(&t, 10000), 7, "output:\n%s", t.out);
	cr_expect_null(strstr(t.out, "no job control"), "bash has no job control:\n%s", t.out);
	cr_expect_null(strstr(t.out, "cannot set terminal process group"), "%s", t.out);
}

/*
 * What a full-screen program does first: read the window size and switch the terminal to raw
 * mode and back. From a background group tcsetattr() would stop it with SIGTTOU; under the
 * init it works as without one.
 */
H_TEST_BOTH(tty, full_screen_program_owns_the_terminal, .timeout = 30, .fini = h_cleanup)
{
	struct tty_run t;

	if (access("/bin/stty", X_OK) != 0 || access("/bin/sh", X_OK) != 0) {
		cr_skip_test("no /bin/stty or /bin/sh");
	}
	tty_start(
	    &t, mode,
	    H_ARGS("/bin/sh", "-c",
	           "echo size=$(stty size) && stty raw -echo && stty -raw echo && echo raw=ok"));
	tty_expect(&t, 0, "size=24 80", 5000);
	tty_expect(&t, 0, "raw=ok", 5000);
	cr_expect_eq(tty_finish(&t, 10000), 0, "output:\n%s", t.out);
}

/*
 * A background job (`init kid sigs &` from a shell) must not take the terminal: the leader's
 * group stays in the foreground. Old init: its child made itself the foreground group
 * whenever stdin was a terminal, so the shell lost its terminal to a background job.
 */
/*
 * Subreaper only: as PID 1 of a namespace that launch made, neither the init's process group
 * (launch's) nor the leader's is visible inside the namespace, both read as 0, and the init
 * cannot tell a background start from a foreground one (README "Choices").
 */
Test(tty, background_job_keeps_terminal_sub, .timeout = 30, .fini = h_cleanup)
{
	const enum h_mode mode = H_SUB;
	struct tty_run t;
	size_t mark;

	tty_start_as(&t, mode, H_ARGS("-vv", h_helper("kid"), "sigs"), true);
	tty_expect(&t, 0, "ready pid=", 5000);
	cr_expect_eq(tcgetpgrp(t.master), t.pid,
	             "[%s] foreground group %d, not the session leader's %d:\n%s",
	             h_mode_name(mode), (int)tcgetpgrp(t.master), (int)t.pid, t.out);
	mark = t.len;
	kill(t.init_pid, SIGUSR1);
	tty_expect(&t, mark, "sig 10\r\n", 5000);
	cr_expect_eq(tcgetpgrp(t.master), t.pid,
	             "[%s] foreground group %d after a signal, not the leader's %d:\n%s",
	             h_mode_name(mode), (int)tcgetpgrp(t.master), (int)t.pid, t.out);
	kill(t.init_pid, SIGTERM);
	tty_expect(&t, mark, "sig 15\r\n", 5000);
	cr_expect_eq(tty_finish(&t, 10000), 0, "output:\n%s", t.out);
}

/*
 * Under the name dumb-init the child leads a session of its own with the terminal as its
 * controlling tty (TIOCSCTTY, once the init gave it up with TIOCNOTTY), so it is the
 * terminal's foreground group and Ctrl-C reaches it, not the init; the SIGHUP and SIGCONT
 * that the hand-over makes the kernel send to the init's group never reach it (dumb-init
 * #136). As PID 1 the init leads the terminal's session, as under `docker run -t` (launch -T).
 */
H_TEST_BOTH(tty, dumb_init_child_takes_the_terminal, .timeout = 30, .fini = h_cleanup)
{
	struct tty_run t;
	size_t mark;
	pid_t kid;
	int sid = 0;

	h_init_as("dumb-init");
	tty_start_full(&t, mode, H_ARGS("-v", h_helper("kid"), "sigs"), false, true);
	tty_expect(&t, 0, "ready pid=", 5000);
	kid = h_child_pid(t.init_pid);
	cr_assert(kid > 0, "[%s] the init has no child:\n%s", h_mode_name(mode), t.out);
	cr_expect_eq(ioctl(t.master, TIOCGSID, &sid), 0, "TIOCGSID: %s", strerror(errno));
	cr_expect_eq(sid, kid, "[%s] the terminal's session is %d, not the child's %d:\n%s",
	             h_mode_name(mode), sid, (int)kid, t.out);
	cr_expect_eq(tcgetpgrp(t.master), kid, "[%s] foreground group %d, not the child's %d",
	             h_mode_name(mode), (int)tcgetpgrp(t.master), (int)kid);

	/* A SIGHUP or SIGCONT of the hand-over, forwarded late, would show up now. */
	tty_read(&t, 300);
	cr_expect_eq(count(t.out, "sig 1\r\n"), 0, "[%s] the child got a SIGHUP:\n%s",
	             h_mode_name(mode), t.out);
	cr_expect_eq(count(t.out, "sig 18\r\n"), 0, "[%s] the child got a SIGCONT:\n%s",
	             h_mode_name(mode), t.out);
	cr_expect_null(strstr(t.out, "signal=SIGHUP"), "[%s] the init forwarded a SIGHUP:\n%s",
	               h_mode_name(mode), t.out);

	mark = t.len;
	cr_assert_eq(write(t.master, "\x03", 1), 1);
	tty_expect(&t, mark, "sig 2\r\n", 5000);
	tty_read(&t, 300); /* a second delivery, through the init, would show up now */
	cr_expect_eq(count(t.out + mark, "sig 2\r\n"), 1, "[%s] Ctrl-C delivered %d times:\n%s",
	             h_mode_name(mode), count(t.out + mark, "sig 2\r\n"), t.out);
	cr_expect_null(strstr(t.out, "signal=SIGINT"),
	               "[%s] the init got the terminal's SIGINT:\n%s", h_mode_name(mode), t.out);

	kill(t.init_pid, SIGTERM);
	tty_expect(&t, mark, "sig 15\r\n", 5000);
	cr_expect_eq(tty_finish(&t, 10000), 0, "output:\n%s", t.out);
}
