/*
 * The integration harness (see harness.h). glibc + Criterion; each Criterion test runs in its
 * own worker process, so the small table of live runs below is per test.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MAX_ARGS 64
#define MAX_LIVE 8

/* Runs not yet finished, by pid: h_cleanup runs after the test's stack is gone. */
static struct {
	pid_t spawned, init_pid;
} live[MAX_LIVE];

long h_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void h_sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	if (ms <= 0) {
		return;
	}
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
	}
}

long h_slack(long ms)
{
	const char *v = getenv("INIT_TEST_SLACK");
	long f = v && *v ? atol(v) : 3;

	return ms * (f > 0 ? f : 3);
}

long h_slack_cap(long ms, long cap)
{
	return h_slack(ms) < cap ? h_slack(ms) : cap;
}

/* A hexadecimal field of /proc/PID/status (SigPnd, ShdPnd); false if missing. */
static bool status_hex(pid_t pid, const char *key, unsigned long long *out)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return false;
	}
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			*out = strtoull(line + kl + 1, NULL, 16);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* Is FD (as /proc/PID/syscall prints an argument) PID's signalfd? */
static bool is_signalfd(pid_t pid, const char *fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%lu", (int)pid, strtoul(fd, NULL, 16));
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		return false;
	}
	target[n] = '\0';
	return strcmp(target, "anon_inode:[signalfd]") == 0;
}

/*
 * Is PID blocked in a system call (with EPOLL: the init's wait, epoll or a read of its
 * signalfd) with no signal pending? The kernel prints `running` in /proc/PID/syscall for a
 * task that runs or is about to (a wake-up sets it runnable at once), so a number there means
 * it went back to sleep after any earlier event.
 */
static bool asleep(pid_t pid, bool epoll)
{
	static const long epoll_nrs[] = {
#ifdef SYS_epoll_wait
	    SYS_epoll_wait,
#endif
#ifdef SYS_epoll_pwait2
	    SYS_epoll_pwait2,
#endif
	    SYS_epoll_pwait,
	};
	unsigned long long sigpnd = 1, shdpnd = 1;
	char path[64], buf[256], fd[32] = "";
	bool match = !epoll;
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return false;
	}
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%ld %31s", &nr, fd) < 1 || nr < 0) {
		nr = -1;
	}
	fclose(f);
	for (size_t i = 0; epoll && i < sizeof(epoll_nrs) / sizeof(epoll_nrs[0]); i++) {
		match |= nr == epoll_nrs[i];
	}
	match |= epoll && nr == SYS_read && is_signalfd(pid, fd);
	return nr >= 0 && match && status_hex(pid, "SigPnd", &sigpnd) &&
	       status_hex(pid, "ShdPnd", &shdpnd) && sigpnd == 0 && shdpnd == 0;
}

static bool wait_asleep(struct h_proc *h, pid_t pid, bool epoll, int timeout_ms)
{
	long deadline = h_now_ms() + timeout_ms;

	while (!asleep(pid, epoll)) {
		if (h_now_ms() >= deadline) {
			return false;
		}
		h_pump(h, 2);
	}
	return true;
}

bool h_wait_asleep(struct h_proc *h, int timeout_ms)
{
	return wait_asleep(h, h->init_pid, true, timeout_ms);
}

bool h_wait_pid_asleep(struct h_proc *h, pid_t pid, int timeout_ms)
{
	return wait_asleep(h, pid, false, timeout_ms);
}

pid_t h_child_pid(pid_t pid)
{
	char path[64];
	pid_t found = 0;
	FILE *f;
	int v;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%d", &v) == 1) {
			found = (pid_t)v;
		}
		fclose(f);
	}
	return found;
}

long h_proc_cpu_ms(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return -1;
	}
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* ") S ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime" */
	if (!p ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2) {
		return -1;
	}
	return (long)((ut + st) * 1000 / (unsigned long)sysconf(_SC_CLK_TCK));
}

void h_expect_idle(struct h_proc *h, long ms)
{
	long v0 = h_proc_status(h->init_pid, "voluntary_ctxt_switches");
	long n0 = h_proc_status(h->init_pid, "nonvoluntary_ctxt_switches");
	long c0 = h_proc_cpu_ms(h->init_pid), tick = 1000 / sysconf(_SC_CLK_TCK);
	long v1, n1, c1;

	cr_assert(v0 >= 0 && n0 >= 0 && c0 >= 0, "[%s] cannot read /proc/%d/status or stat",
	          h_mode_name(h->mode), (int)h->init_pid);
	h_sleep_ms(ms);
	v1 = h_proc_status(h->init_pid, "voluntary_ctxt_switches");
	n1 = h_proc_status(h->init_pid, "nonvoluntary_ctxt_switches");
	c1 = h_proc_cpu_ms(h->init_pid);
	cr_expect_eq(v1, v0, "[%s] voluntary_ctxt_switches %ld -> %ld while idle",
	             h_mode_name(h->mode), v0, v1);
	cr_expect_eq(n1, n0, "[%s] nonvoluntary_ctxt_switches %ld -> %ld while idle",
	             h_mode_name(h->mode), n0, n1);
	cr_expect(c1 - c0 <= tick, "[%s] %ld ms of CPU time in %ld ms while idle",
	          h_mode_name(h->mode), c1 - c0, ms);
}

/* The copy of the init that h_init_as() made for this test, and its directory. */
static char init_copy[4096], init_copy_dir[64];

static const char *init_bin(void)
{
	const char *p = getenv("INIT_BIN");

	cr_assert(p && *p, "INIT_BIN is not set (run through `make integration`)");
	return p;
}

const char *h_init(void)
{
	return init_copy[0] != '\0' ? init_copy : init_bin();
}

const char *h_init_as(const char *name)
{
	char chunk[65536];
	int in, out;
	ssize_t n;

	/* A later call replaces the copy: what runs from it keeps running. */
	if (init_copy[0] != '\0') {
		(void)unlink(init_copy);
		(void)rmdir(init_copy_dir);
	}
	snprintf(init_copy_dir, sizeof(init_copy_dir), "/tmp/init-as-XXXXXX");
	cr_assert(mkdtemp(init_copy_dir), "mkdtemp: %s", strerror(errno));
	snprintf(init_copy, sizeof(init_copy), "%s/%s", init_copy_dir, name);
	in = open(init_bin(), O_RDONLY | O_CLOEXEC);
	out = open(init_copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	cr_assert(in >= 0 && out >= 0, "copy %s to %s: %s", init_bin(), init_copy, strerror(errno));
	while ((n = read(in, chunk, sizeof(chunk))) > 0) {
		cr_assert(write(out, chunk, (size_t)n) == n, "write %s: %s", init_copy,
		          strerror(errno));
	}
	cr_assert(n == 0, "read %s: %s", init_bin(), strerror(errno));
	close(in);
	/* Closed before any exec: a file open for writing cannot be run (ETXTBSY). */
	cr_assert(close(out) == 0, "close %s: %s", init_copy, strerror(errno));
	return init_copy;
}

const char *h_helper(const char *name)
{
	static char paths[4][4096];
	static const char *names[4];
	const char *dir = getenv("INIT_HELPERS");
	int i;

	cr_assert(dir && *dir, "INIT_HELPERS is not set (run through `make integration`)");
	for (i = 0; i < 4 && names[i]; i++) {
		if (strcmp(names[i], name) == 0) {
			return paths[i];
		}
	}
	cr_assert(i < 4, "too many helper names");
	names[i] = name;
	snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, name);
	return paths[i];
}

const char *h_mode_name(enum h_mode mode)
{
	return mode == H_PID1 ? "pid1" : "subreaper";
}

const char *h_deny_rules(void)
{
	const char *r = getenv("INIT_TEST_DENY");

	return r && r[strspn(r, " \t")] ? r : NULL;
}

static void add_arg(const char **argv, int *argc, const char *arg)
{
	cr_assert(*argc < MAX_ARGS - 1, "too many arguments");
	argv[(*argc)++] = arg;
	argv[*argc] = NULL;
}

/* In the forked child: pipes to 0/1/2, a clean signal state, no stray fds, then exec. */
static void child_exec(const char *const *argv, const int pin[2], const int pout[2],
                       const int perr[2], const char *cwd)
{
	sigset_t none;

	if (dup2(pin[0], 0) < 0 || dup2(pout[1], 1) < 0 || dup2(perr[1], 2) < 0) {
		_exit(124);
	}
	/* Dispositions and mask as a fresh login would have them: the tests set their own. */
	for (int sig = 1; sig < 65; sig++) {
		/* The raw call: glibc refuses 32 and 33, which `make` can hand us ignored. */
		struct {
			void (*handler)(int);
			unsigned long flags;
			void (*restorer)(void);
			unsigned long long mask;
		} dfl = {.handler = SIG_DFL};

		if (sig != SIGKILL && sig != SIGSTOP) {
			(void)syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
		}
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Criterion's own descriptors must not reach the init (test_child counts fds). */
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) {
		for (int fd = 3; fd < 4096; fd++) {
			close(fd);
		}
	}
	/* No controlling terminal: the tests exercise the pipe case. */
	(void)setsid();
	if (cwd && chdir(cwd) < 0) {
		dprintf(2, "harness: chdir %s: %s\n", cwd, strerror(errno));
		_exit(124);
	}
	execv(argv[0], (char *const *)argv);
	dprintf(2, "harness: exec %s: %s\n", argv[0], strerror(errno));
	_exit(124);
}

static void register_live(struct h_proc *h)
{
	for (int i = 0; i < MAX_LIVE; i++) {
		if (live[i].spawned == 0) {
			live[i].spawned = h->spawned;
			live[i].init_pid = h->init_pid;
			h->slot = i;
			return;
		}
	}
	cr_assert_fail("too many live runs in one test");
}

static void unregister_live(struct h_proc *h)
{
	live[h->slot].spawned = 0;
	live[h->slot].init_pid = 0;
}

static void spawn_argv(struct h_proc *h, const char *const *argv, const char *cwd)
{
	int pin[2], pout[2], perr[2];

	/* Orphans of an init started with launch -d come back to us. */
	cr_assert(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0, "PR_SET_CHILD_SUBREAPER: %s",
	          strerror(errno));
	cr_assert(pipe2(pin, O_CLOEXEC) == 0 && pipe2(pout, O_CLOEXEC) == 0 &&
	              pipe2(perr, O_CLOEXEC) == 0,
	          "pipe2: %s", strerror(errno));
	h->spawned = fork();
	cr_assert(h->spawned >= 0, "fork: %s", strerror(errno));
	if (h->spawned == 0) {
		child_exec(argv, pin, pout, perr, cwd);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	h->in = pin[1];
	h->fd[H_OUT] = pout[0];
	h->fd[H_ERR] = perr[0];
	for (int s = 0; s < 2; s++) {
		fcntl(h->fd[s], F_SETFL, O_NONBLOCK);
		h->buf[s].cap = 4096;
		h->buf[s].data = calloc(1, h->buf[s].cap);
		cr_assert(h->buf[s].data, "calloc");
	}
	h->init_pid = h->spawned;
	/* Our end of a pipe whose reader died must not kill the test. */
	signal(SIGPIPE, SIG_IGN);
	register_live(h);
}

void h_spawn(struct h_proc *h, const char *const *argv)
{
	memset(h, 0, sizeof(*h));
	h->mode = H_SUB;
	spawn_argv(h, argv, NULL);
}

void h_need_mode(enum h_mode mode)
{
	static int ok = -1;
	struct h_proc probe;
	struct h_end end;
	const char *must = getenv("INIT_TESTS_MUST_RUN");

	if (mode != H_PID1 || ok == 1) {
		return;
	}
	if (ok == -1) {
		h_spawn(&probe,
		        H_ARGS(h_helper("launch"), "-n", "--", h_helper("kid"), "exit", "0"));
		end = h_finish(&probe, 10000);
		ok = !end.signaled && end.code == 0;
		if (!ok) {
			cr_log_warn("launch -n does not work here:\n%s",
			            h_tail(&probe, H_ERR, 500));
		}
	}
	if (!ok) {
		cr_assert(!(must && strcmp(must, "1") == 0),
		          "PID namespaces unavailable and INIT_TESTS_MUST_RUN=1");
		cr_skip_test("PID namespaces (clone CLONE_NEWPID + mount proc) unavailable");
	}
}

bool h_emulated(void)
{
	const char *e = getenv("INIT_EMULATED");

	return e && strcmp(e, "1") == 0;
}

void h_need_native(const char *why)
{
	if (h_emulated()) {
		cr_skip_test("under QEMU's user mode: %s", why);
	}
}

void h_need_subreaper(enum h_mode mode)
{
	if (mode == H_SUB) {
		h_need_native("QEMU answers PR_SET_CHILD_SUBREAPER with EINVAL, so the init (not "
		              "PID 1 here) cannot adopt the orphans this test needs");
	}
}

static void start_run(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
                      const char *const *deny_rules, const char *const *init_args, const char *cwd)
{
	const char *argv[MAX_ARGS];
	char rules[1024];
	int argc = 0;
	char pidline[32];

	h_need_mode(mode);
	memset(h, 0, sizeof(*h));
	h->mode = mode;
	argv[0] = NULL;
	add_arg(argv, &argc, h_helper("launch"));
	if (mode == H_PID1) {
		add_arg(argv, &argc, "-n");
	}
	for (int i = 0; launch_opts && launch_opts[i]; i++) {
		h->parent_dies |= strcmp(launch_opts[i], "-d") == 0;
		add_arg(argv, &argc, launch_opts[i]);
	}
	add_arg(argv, &argc, "--");
	if (h_deny_rules() || (deny_rules && deny_rules[0])) {
		h_need_native("a seccomp filter would apply to QEMU's own system calls, not to the "
		              "emulated init's");
		add_arg(argv, &argc, h_helper("deny"));
		for (int i = 0; deny_rules && deny_rules[i]; i++) {
			add_arg(argv, &argc, deny_rules[i]);
		}
		snprintf(rules, sizeof(rules), "%s", h_deny_rules() ? h_deny_rules() : "");
		for (char *save = NULL, *r = strtok_r(rules, " \t", &save); r;
		     r = strtok_r(NULL, " \t", &save)) {
			add_arg(argv, &argc, r);
		}
		add_arg(argv, &argc, "--");
	}
	add_arg(argv, &argc, h_init());
	for (int i = 0; init_args && init_args[i]; i++) {
		add_arg(argv, &argc, init_args[i]);
	}
	spawn_argv(h, argv, cwd);
	if (mode == H_PID1 || h->parent_dies) {
		long deadline = h_now_ms() + 5000;

		/* The whole `launch: pid=N` line, printed right after clone/fork. */
		while (!h_line_value(h, H_ERR, "launch: pid=", pidline, sizeof(pidline))) {
			cr_assert(h_now_ms() < deadline && !h->buf[H_ERR].eof,
			          "no pid line from launch:\n%s", h_tail(h, H_ERR, 2000));
			h_pump(h, 50);
		}
		h->init_pid = (pid_t)atoi(pidline);
		cr_assert(h->init_pid > 0, "bad pid line '%s'", pidline);
		live[h->slot].init_pid = h->init_pid;
	}
}

void h_start_in(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
                const char *const *init_args, const char *cwd)
{
	start_run(h, mode, launch_opts, NULL, init_args, cwd);
}

void h_start(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
             const char *const *init_args)
{
	start_run(h, mode, launch_opts, NULL, init_args, NULL);
}

void h_start_deny(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
                  const char *const *deny_rules, const char *const *init_args)
{
	start_run(h, mode, launch_opts, deny_rules, init_args, NULL);
}

static void buf_append(struct h_buf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap) {
			b->cap *= 2;
		}
		b->data = realloc(b->data, b->cap);
		cr_assert(b->data, "realloc");
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void h_pump(struct h_proc *h, int timeout_ms)
{
	struct pollfd pfd[2];
	char chunk[65536];
	int n = 0, idx[2];

	for (int s = 0; s < 2; s++) {
		if (h->fd[s] >= 0) {
			pfd[n] = (struct pollfd){.fd = h->fd[s], .events = POLLIN};
			idx[n++] = s;
		}
	}
	if (n == 0) {
		if (timeout_ms > 0) {
			poll(NULL, 0, timeout_ms);
		}
		return;
	}
	if (poll(pfd, (nfds_t)n, timeout_ms) <= 0) {
		return;
	}
	for (int i = 0; i < n; i++) {
		int s = idx[i];

		if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) {
			continue;
		}
		for (;;) {
			ssize_t r = read(h->fd[s], chunk, sizeof(chunk));

			if (r > 0) {
				buf_append(&h->buf[s], chunk, (size_t)r);
				continue;
			}
			if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
				close(h->fd[s]);
				h->fd[s] = -1;
				h->buf[s].eof = true;
			}
			if (r < 0 && errno == EINTR) {
				continue;
			}
			break;
		}
	}
}

/* Is there a complete line equal to LINE at or after *pos? Advances *pos over full lines. */
static bool scan_lines(struct h_buf *b, size_t *pos, const char *line)
{
	size_t ll = strlen(line);

	for (;;) {
		char *start = b->data + *pos;
		char *nl = memchr(start, '\n', b->len - *pos);

		if (!nl) {
			return false;
		}
		*pos = (size_t)(nl - b->data) + 1;
		if ((size_t)(nl - start) == ll && memcmp(start, line, ll) == 0) {
			return true;
		}
	}
}

bool h_wait_line(struct h_proc *h, enum h_stream s, const char *line, int timeout_ms)
{
	long deadline = h_now_ms() + timeout_ms;
	size_t pos = h->buf[s].mark;

	for (;;) {
		if (scan_lines(&h->buf[s], &pos, line)) {
			return true;
		}
		if (h_now_ms() >= deadline || h->buf[s].eof) {
			return false;
		}
		h_pump(h, 50);
	}
}

bool h_wait_str(struct h_proc *h, enum h_stream s, const char *needle, int timeout_ms)
{
	long deadline = h_now_ms() + timeout_ms;

	for (;;) {
		struct h_buf *b = &h->buf[s];

		if (memmem(b->data + b->mark, b->len - b->mark, needle, strlen(needle))) {
			return true;
		}
		if (h_now_ms() >= deadline || b->eof) {
			return false;
		}
		h_pump(h, 50);
	}
}

void h_pump_for(struct h_proc *h, long ms)
{
	long end = h_now_ms() + ms;

	for (long now = h_now_ms(); now < end; now = h_now_ms()) {
		h_pump(h, (int)(end - now));
	}
}

void h_mark(struct h_proc *h, enum h_stream s)
{
	h_pump(h, 0);
	h->buf[s].mark = h->buf[s].len;
}

const char *h_text(struct h_proc *h, enum h_stream s)
{
	return h->buf[s].data;
}

const char *h_tail(struct h_proc *h, enum h_stream s, size_t n)
{
	struct h_buf *b = &h->buf[s];

	return b->len > n ? b->data + b->len - n : b->data;
}

bool h_line_value(struct h_proc *h, enum h_stream s, const char *prefix, char *out, size_t outsz)
{
	const char *p = h->buf[s].data;
	size_t pl = strlen(prefix);

	for (;;) {
		const char *nl = strchr(p, '\n');

		if (!nl) {
			return false;
		}
		if ((size_t)(nl - p) >= pl && strncmp(p, prefix, pl) == 0) {
			snprintf(out, outsz, "%.*s", (int)(nl - p - (long)pl), p + pl);
			return true;
		}
		p = nl + 1;
	}
}

int h_count_lines(struct h_proc *h, enum h_stream s, const char *line)
{
	const char *p = h_text(h, s);
	size_t ll = strlen(line);
	int n = 0;

	while (*p) {
		const char *nl = strchrnul(p, '\n');

		n += (size_t)(nl - p) == ll && strncmp(p, line, ll) == 0;
		p = *nl ? nl + 1 : nl;
	}
	return n;
}

int h_init_err_lines(struct h_proc *h, char *first, size_t firstsz)
{
	const char *p = h->buf[H_ERR].data;
	int count = 0;

	if (first && firstsz) {
		first[0] = '\0';
	}
	while (*p) {
		const char *nl = strchrnul(p, '\n');

		if (strncmp(p, "launch: ", 8) != 0) {
			if (count++ == 0 && first) {
				snprintf(first, firstsz, "%.*s", (int)(nl - p), p);
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	return count;
}

void h_close_stdin(struct h_proc *h)
{
	if (h->in >= 0) {
		close(h->in);
		h->in = -1;
	}
}

void h_kill(struct h_proc *h, int sig)
{
	cr_assert(kill(h->init_pid, sig) == 0, "kill(%d, %d): %s", (int)h->init_pid, sig,
	          strerror(errno));
}

/* waitpid(pid, WNOHANG): true when it ended, status in *st. */
static bool reaped(pid_t pid, int *st)
{
	pid_t r;

	while ((r = waitpid(pid, st, WNOHANG)) < 0 && errno == EINTR) {
	}
	return r == pid;
}

/*
 * The processes of session SID (the harness child calls setsid(), and the init's children
 * only change process group): SIGKILL each (KILL_THEM), or count the live ones other than SID
 * itself. Returns how many there were.
 */
/*
 * Reap a process we just SIGKILLed if it is (or, once its parent is gone, becomes) our child:
 * the test worker is a subreaper, and an orphan left to Criterion's runner when the worker
 * exits makes the runner exit 1 with every test passed. Waits at most about a second.
 */
static void reap_killed(pid_t pid)
{
	for (int i = 0; i < 100; i++) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG | __WALL);

		if (r == pid || (r < 0 && errno == ECHILD && kill(pid, 0) < 0)) {
			return;
		}
		h_sleep_ms(10);
	}
}

static int scan_session(pid_t sid, bool kill_them)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/proc");

	if (!d || sid <= 0) {
		if (d) {
			closedir(d);
		}
		return 0;
	}
	while ((de = readdir(d))) {
		char path[300], buf[512], *p, state = '?';
		int pid = atoi(de->d_name), session = 0;
		FILE *f;

		if (pid <= 0 || pid == getpid() || (!kill_them && pid == sid)) {
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "re");
		if (!f) {
			continue;
		}
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		/* ") S ppid pgrp session" */
		if (p && sscanf(p + 1, " %c %*d %*d %d", &state, &session) == 2 && session == sid) {
			if (kill_them) {
				kill(pid, SIGKILL);
				reap_killed(pid);
				n++;
			} else {
				n += state != 'Z' && state != 'X';
			}
		}
	}
	closedir(d);
	return n;
}

static int kill_session(pid_t sid)
{
	return scan_session(sid, true);
}

int h_session_procs(struct h_proc *h)
{
	return scan_session(h->spawned, false);
}

/*
 * The sessions of the init's children that lead one of their own (the child of an init run
 * as dumb-init does): outside the run's session, kill_session() alone would leave them.
 */
static void kill_child_sessions(pid_t init_pid)
{
	char path[64];
	FILE *f;
	int c;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)init_pid, (int)init_pid);
	f = fopen(path, "re");
	if (!f) {
		return;
	}
	while (fscanf(f, "%d", &c) == 1) {
		if (getsid(c) == c) {
			(void)kill_session(c);
		}
	}
	fclose(f);
}

static void kill_all(struct h_proc *h)
{
	int st;

	if (h->done) {
		return;
	}
	kill_child_sessions(h->init_pid);
	kill(h->init_pid, SIGKILL);
	kill(h->spawned, SIGKILL);
	(void)kill_session(h->spawned);
	(void)waitpid(h->spawned, &st, 0);
	if (h->init_pid != h->spawned) {
		(void)waitpid(h->init_pid, &st, WNOHANG); /* ours only with launch -d */
	}
	h_close_stdin(h);
	h->done = true;
	unregister_live(h);
}

void h_kill_all(struct h_proc *h)
{
	kill_all(h);
}

bool h_running(struct h_proc *h)
{
	siginfo_t si = {0};

	return waitid(P_PID, h->spawned, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == 0;
}

long h_ended_at(struct h_proc *h, int timeout_ms)
{
	long deadline = h_now_ms() + timeout_ms;

	while (h_running(h)) {
		if (h_now_ms() >= deadline) {
			return -1;
		}
		h_pump(h, 5);
	}
	return h_now_ms();
}

long h_wait_ended(struct h_proc *h, int timeout_ms)
{
	long t = h_ended_at(h, timeout_ms);

	cr_assert(t >= 0, "[%s] the init still runs after %d ms; stderr:\n%s", h_mode_name(h->mode),
	          timeout_ms, h_tail(h, H_ERR, 3000));
	return t;
}

static bool parse_launch_end(struct h_proc *h, struct h_end *end)
{
	char v[32];
	const char *s = h->buf[H_ERR].data, *p = NULL, *q;

	/* The last `launch: exit|signal` line. */
	for (q = s; (q = strstr(q, "launch: ")) != NULL; q++) {
		if ((q == s || q[-1] == '\n') &&
		    (strncmp(q + 8, "exit ", 5) == 0 || strncmp(q + 8, "signal ", 7) == 0)) {
			p = q;
		}
	}
	if (!p) {
		return false;
	}
	end->signaled = p[8] == 's';
	snprintf(v, sizeof(v), "%s", p + (end->signaled ? 15 : 13));
	end->code = atoi(v);
	return true;
}

struct h_end h_finish(struct h_proc *h, int timeout_ms)
{
	long deadline = h_now_ms() + timeout_ms, drain_until;
	struct h_end end = {.signaled = false, .code = -1};
	bool spawned_done = false, init_done = false;
	int st = 0, init_st = 0;

	while (!(spawned_done && init_done)) {
		if (h_now_ms() >= deadline) {
			kill_all(h);
			cr_assert_fail("[%s] timed out after %d ms; stdout:\n%s\nstderr:\n%s",
			               h_mode_name(h->mode), timeout_ms, h_tail(h, H_OUT, 2000),
			               h_tail(h, H_ERR, 2000));
		}
		if (!spawned_done && reaped(h->spawned, &st)) {
			spawned_done = true;
			init_st = st;
		}
		init_done = spawned_done;
		if (spawned_done && h->parent_dies) {
			/* The init outlived launch -d and was re-parented to us (subreaper). */
			init_done = reaped(h->init_pid, &init_st);
		}
		h_pump(h, 20);
	}
	h->done = true;
	unregister_live(h);
	h_close_stdin(h);
	/* The init is gone: anything left of its session outlived it. Do not leak it. */
	if (kill_session(h->spawned) > 0) {
		cr_log_warn("[%s] processes outlived the init; killed them", h_mode_name(h->mode));
	}
	/* Collect the rest of the output; leftover processes may hold a pipe a moment longer. */
	drain_until = h_now_ms() + 2000 < deadline ? h_now_ms() + 2000 : deadline;
	while ((!h->buf[H_OUT].eof || !h->buf[H_ERR].eof) && h_now_ms() < drain_until) {
		h_pump(h, 50);
	}
	if (h->mode == H_PID1) {
		cr_assert(parse_launch_end(h, &end), "no `launch: exit|signal` line; stderr:\n%s",
		          h_tail(h, H_ERR, 2000));
		return end;
	}
	end.signaled = WIFSIGNALED(init_st);
	end.code = end.signaled ? WTERMSIG(init_st) : WEXITSTATUS(init_st);
	return end;
}

void h_expect_exit(struct h_proc *h, int code, int timeout_ms)
{
	struct h_end end = h_finish(h, timeout_ms);

	cr_assert(!end.signaled && end.code == code,
	          "[%s] want exit %d, got %s %d; stderr:\n%s\nstdout:\n%s", h_mode_name(h->mode),
	          code, end.signaled ? "signal" : "exit", end.code, h_tail(h, H_ERR, 2000),
	          h_tail(h, H_OUT, 1000));
}

long h_proc_status(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			v = atol(line + kl + 1);
			break;
		}
	}
	fclose(f);
	return v;
}

void h_cleanup(void)
{
	int st;

	for (int i = 0; i < MAX_LIVE; i++) {
		if (live[i].spawned) {
			kill_child_sessions(live[i].init_pid);
			kill(live[i].init_pid, SIGKILL);
			kill(live[i].spawned, SIGKILL);
			(void)kill_session(live[i].spawned);
			(void)waitpid(live[i].spawned, &st, 0);
			live[i].spawned = 0;
		}
	}
	if (init_copy[0] != '\0') {
		(void)unlink(init_copy);
		(void)rmdir(init_copy_dir);
		init_copy[0] = '\0';
	}
}
