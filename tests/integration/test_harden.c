/*
 * Edges that broke the init before (style rule 30), one test (or pair) per defect: its own
 * writes to a broken or full stderr, a tracer holding the main child, a signal pending at
 * start-up with -g, pause mode and --kill-after, processes it cannot kill, a fork chain during
 * the drain, feature probes under RLIMIT_NPROC, no fd left for a pidfd, odd PATH entries and
 * exec errors, duplicate LISTEN_PID entries, control bytes in error messages, SIG32/SIG33,
 * -k 0, and a silent SIGKILL at the end of the grace period. (The background job on a
 * terminal is in test_tty.c, which has the pseudo-terminal.)
 *
 * Each was seen to fail against the init from before the fixes; the comments say how.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

TestSuite(harden, .fini = h_cleanup);

/*
 * Wait for a complete stdout line starting with PREFIX; copy the rest into OUT. On failure,
 * say how the init ended (if it did): that is usually the reason.
 */
static void wait_prefix(struct h_proc *h, const char *prefix, char *out, size_t outsz)
{
	long deadline = h_now_ms() + 5000;

	while (!h_line_value(h, H_OUT, prefix, out, outsz)) {
		if (h_now_ms() >= deadline || h->buf[H_OUT].eof) {
			struct h_end e;

			h_close_stdin(h); /* launch -d waits for it */
			e = h_finish(h, 2000);

			cr_assert_fail("[%s] no '%s' line from the kid; the init ended with %s %d; "
			               "stdout:\n%s\nstderr:\n%s",
			               h_mode_name(h->mode), prefix, e.signaled ? "signal" : "exit",
			               e.code, h_tail(h, H_OUT, 2000), h_tail(h, H_ERR, 2000));
		}
		h_pump(h, 20);
	}
}

static void kid_ready(struct h_proc *h)
{
	char v[64];

	wait_prefix(h, "ready pid=", v, sizeof(v));
}

/* Lines of stderr containing NEEDLE; the first one goes to FIRST. */
static int err_lines_with(struct h_proc *h, const char *needle, char *first, size_t firstsz)
{
	const char *p = h_text(h, H_ERR);
	size_t nl_len = strlen(needle);
	int n = 0;

	if (first && firstsz) {
		first[0] = '\0';
	}
	while (*p) {
		const char *nl = strchrnul(p, '\n');

		if (memmem(p, (size_t)(nl - p), needle, nl_len)) {
			if (n++ == 0 && first) {
				snprintf(first, firstsz, "%.*s", (int)(nl - p), p);
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	return n;
}

static long ctxt_switches(pid_t pid)
{
	return h_proc_status(pid, "voluntary_ctxt_switches") +
	       h_proc_status(pid, "nonvoluntary_ctxt_switches");
}

/* SIGTERM ends `kid sigs`; the init must then exit 0. */
static void terminate(struct h_proc *h)
{
	h_kill(h, SIGTERM);
	h_expect_line(h, H_OUT, "sig 15", 5000);
	h_expect_exit(h, 0, 10000);
}

/*
 * Defect 1a: the init's own write(2) to a stderr nobody reads raises SIGPIPE; it must not be
 * forwarded. Old init: the child was killed by it, exit 141.
 */
H_TEST_BOTH(harden, own_sigpipe_not_forwarded, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, mode, H_ARGS("-2", "broken"), H_ARGS("-v", h_helper("kid"), "sleep", "1000"));
	h_expect_exit(&h, 0, 10000);
}

/*
 * Defect 1b: stderr a file already past RLIMIT_FSIZE: the init's own write raises SIGXFSZ,
 * which must not be forwarded. Old init: the child was killed by it, exit 153.
 */
H_TEST_BOTH(harden, own_sigxfsz_not_forwarded, .timeout = 30)
{
	char path[] = "/tmp/init-harden-fsize-XXXXXX";
	struct h_proc h;
	struct h_end e;
	int fd = mkstemp(path);

	cr_assert(fd >= 0, "mkstemp: %s", strerror(errno));
	cr_assert(write(fd, "0123456789abcdef0123456789abcdef\n", 33) == 33, "write");
	close(fd);
	h_start(&h, mode, H_ARGS("-R", "fsize=10", "-2", path),
	        H_ARGS("-v", h_helper("kid"), "sleep", "300"));
	e = h_finish(&h, 10000);
	unlink(path);
	cr_assert(!e.signaled && e.code == 0, "[%s] want exit 0, got %s %d; stderr:\n%s",
	          h_mode_name(mode), e.signaled ? "signal" : "exit", e.code,
	          h_tail(&h, H_ERR, 2000));
}

/*
 * Defect 1c: SIGPIPE inherited as ignored, stderr broken, -vv: each forwarded signal is
 * logged, the log write raises SIGPIPE again. Old init: a feedback loop at 100% CPU.
 */
H_TEST_BOTH(harden, sigpipe_no_feedback_loop, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, mode, H_ARGS("-2", "broken", "-i", "13"),
	        H_ARGS("-vv", h_helper("kid"), "sigs"));
	kid_ready(&h);
	/* Not asserted: a looping init never settles, and h_expect_idle says by how much. */
	(void)h_wait_asleep(&h, 3000);
	h_expect_idle(&h, 1000);
	terminate(&h);
}

/*
 * Defect 1d, the other side: a SIGPIPE sent to the init from outside is still forwarded, and
 * only that one. Old init: its own SIGPIPE (stderr broken, -v) was forwarded at start-up and
 * killed the kid before it blocked its signals (exit 141, no `ready`).
 */
H_TEST_BOTH(harden, outside_sigpipe_forwarded, .timeout = 30)
{
	struct h_proc h;
	pid_t kid;

	h_start(&h, mode, H_ARGS("-2", "broken"), H_ARGS("-v", h_helper("kid"), "sigs"));
	kid_ready(&h);
	kid = h_child_pid(h.init_pid);
	cr_assert(kid > 0, "[%s] the init has no child", h_mode_name(mode));
	/* Both asleep with nothing pending: whatever the init forwarded, the kid has printed. */
	cr_assert(h_wait_asleep(&h, 5000), "[%s] the init never settled", h_mode_name(mode));
	cr_assert(h_wait_pid_asleep(&h, kid, 5000), "[%s] the kid never settled",
	          h_mode_name(mode));
	h_pump(&h, 0);
	cr_expect_eq(h_count_lines(&h, H_OUT, "sig 13"), 0,
	             "[%s] the init forwarded its own SIGPIPE:\n%s", h_mode_name(mode),
	             h_text(&h, H_OUT));
	h_mark(&h, H_OUT);
	h_kill(&h, SIGPIPE);
	h_expect_line(&h, H_OUT, "sig 13", 5000);
	terminate(&h);
	cr_expect_eq(h_count_lines(&h, H_OUT, "sig 13"), 1, "[%s] want one `sig 13`:\n%s",
	             h_mode_name(mode), h_text(&h, H_OUT));
}

/* State letter of /proc/PID/stat, '?' if gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p, state = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		return state;
	}
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (p) {
		(void)sscanf(p + 1, " %c", &state);
	}
	return state;
}

/*
 * Defect 2: the main child is a zombie that a tracer (this test) has not waited for yet. Its
 * pidfd is readable, but waitpid() has nothing for the init until the tracer lets go. Old
 * init: a busy loop until then (75 to 90% of a CPU, 50 to 1300 context switches a second).
 */
H_TEST_BOTH(harden, traced_zombie_no_busy_loop, .timeout = 60)
{
	long deadline, c0, c1, t0, t1;
	struct h_proc h;
	pid_t kid;
	int st;

	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "sigs"));
	kid_ready(&h);
	kid = h_child_pid(h.init_pid);
	cr_assert(kid > 0, "[%s] the init has no child", h_mode_name(mode));
	cr_assert(ptrace(PTRACE_SEIZE, kid, NULL, NULL) == 0, "PTRACE_SEIZE %d: %s", (int)kid,
	          strerror(errno));
	cr_assert(kill(kid, SIGKILL) == 0, "kill %d: %s", (int)kid, strerror(errno));
	deadline = h_now_ms() + 5000;
	while (proc_state(kid) != 'Z') {
		cr_assert(h_now_ms() < deadline, "[%s] the traced kid %d is in state %c, not Z",
		          h_mode_name(mode), (int)kid, proc_state(kid));
		h_pump(&h, 5);
	}
	/* Not asserted: a spinning init never sleeps; the counts below say by how much. */
	(void)h_wait_asleep(&h, 2000);
	c0 = ctxt_switches(h.init_pid);
	t0 = h_proc_cpu_ms(h.init_pid);
	h_pump_for(&h, 1000);
	c1 = ctxt_switches(h.init_pid);
	t1 = h_proc_cpu_ms(h.init_pid);
	cr_expect(c0 >= 0 && c1 - c0 <= 5,
	          "[%s] %ld context switches in 1 s while the tracer holds the zombie",
	          h_mode_name(mode), c1 - c0);
	/* A busy loop on an idle core may hardly ever be switched out: count its CPU time too. */
	cr_expect(t0 >= 0 && t1 - t0 <= 100,
	          "[%s] %ld ms of CPU time in 1 s while the tracer holds the zombie",
	          h_mode_name(mode), t1 - t0);
	/* The tracer's wait hands the zombie to its real parent, the init. */
	cr_assert(waitpid(kid, &st, __WALL) == kid, "waitpid(%d) as tracer: %s", (int)kid,
	          strerror(errno));
	h_expect_exit(&h, 137, (int)h_slack(2000));
}

/*
 * Defect 3: -g and a signal pending when the init starts: forwarded to the child's group
 * before the child had made it. Old init: lost in nearly every run.
 */
H_TEST_BOTH(harden, group_signal_pending_at_start, .timeout = 90)
{
	int lost = 0;

	for (int i = 0; i < 5; i++) {
		struct h_proc h;
		pid_t kid;

		h_start(&h, mode, H_ARGS("-p", "10"), H_ARGS("-g", h_helper("kid"), "sigs"));
		kid_ready(&h);
		kid = h_child_pid(h.init_pid);
		cr_assert(kid > 0, "[%s] the init has no child", h_mode_name(mode));
		/* Both asleep, nothing pending: a forwarded SIGUSR1 has been printed by now. */
		cr_assert(h_wait_asleep(&h, 5000), "[%s] the init never settled",
		          h_mode_name(mode));
		cr_assert(h_wait_pid_asleep(&h, kid, 5000), "[%s] the kid never settled",
		          h_mode_name(mode));
		lost += !h_wait_line(&h, H_OUT, "sig 10", 200);
		terminate(&h);
	}
	cr_expect_eq(lost, 0, "[%s] -g: SIGUSR1 pending at start lost in %d of 5 runs",
	             h_mode_name(mode), lost);
}

/*
 * Defect 5: --kill-after in pause mode. A process that ignores SIGTERM (`kid deaf`, the pause
 * init's child through launch -c) is killed 1 s after SIGTERM, not when the 10 s grace period
 * is over. Old init: -k was never armed in pause mode, ~10 s.
 */
H_TEST_BOTH(harden, pause_kill_after, .timeout = 60)
{
	long bound = h_slack_cap(1000, 7000) + 1000, t0, end;
	struct h_proc h;

	h_start(&h, mode, H_ARGS("-c", h_helper("kid"), "-c", "deaf"),
	        H_ARGS("-P", "-v", "-t", "10", "-k", "1"));
	/* After the signalfd exists: no SIGTERM of ours can be lost. */
	h_expect_str(&h, H_ERR, "init: pause: no child", 5000);
	cr_assert(write(h.in, "go\n", 3) == 3, "write: %s", strerror(errno));
	kid_ready(&h);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	end = h_ended_at(&h, 20000);
	cr_expect(end >= 0 && end - t0 < bound,
	          "[%s] -P -t 10 -k 1: ended %ld ms after SIGTERM, want < %ld; stderr:\n%s",
	          h_mode_name(mode), end < 0 ? -1 : end - t0, bound, h_tail(&h, H_ERR, 2000));
	h_expect_exit(&h, 0, 10000);
}

/* A setuid-root copy of kid under build/ (beside INIT_HELPERS), removed by suid_fini. */
static char suid_dir[4096], suid_kid[4200];

static void suid_fini(void)
{
	h_cleanup();
	if (suid_kid[0]) {
		unlink(suid_kid);
	}
	if (suid_dir[0]) {
		rmdir(suid_dir);
	}
}

static void make_suid_kid(void)
{
	char buf[65536];
	const char *kid = h_helper("kid");
	struct statvfs sv;
	int in, out;
	ssize_t n;

	if (h_deny_rules()) {
		cr_skip_test("deny sets no_new_privs: the kernel then ignores the setuid bit, so "
		             "there is no process the init cannot kill");
	}
	if (geteuid() != 0) {
		cr_skip_test("making a setuid-root copy of kid needs root");
	}
	snprintf(suid_dir, sizeof(suid_dir), "%.*s/../harden-suid-XXXXXX",
	         (int)(strrchr(kid, '/') - kid), kid);
	cr_assert(mkdtemp(suid_dir), "mkdtemp %s: %s", suid_dir, strerror(errno));
	cr_assert(chmod(suid_dir, 0755) == 0, "chmod %s: %s", suid_dir, strerror(errno));
	cr_assert(statvfs(suid_dir, &sv) == 0, "statvfs: %s", strerror(errno));
	if (sv.f_flag & ST_NOSUID) {
		cr_skip_test("%s is on a nosuid mount", suid_dir);
	}
	snprintf(suid_kid, sizeof(suid_kid), "%s/kid", suid_dir);
	in = open(kid, O_RDONLY | O_CLOEXEC);
	out = open(suid_kid, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	cr_assert(in >= 0 && out >= 0, "copy %s to %s: %s", kid, suid_kid, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		cr_assert(write(out, buf, (size_t)n) == n, "write %s: %s", suid_kid,
		          strerror(errno));
	}
	cr_assert(n == 0, "read %s: %s", kid, strerror(errno));
	/* chown clears the setuid bit: mode last. */
	cr_assert(fchown(out, 0, 0) == 0 && fchmod(out, 04755) == 0, "chown/chmod %s: %s", suid_kid,
	          strerror(errno));
	close(in);
	close(out);
}

/*
 * The init as uid 65534 with FLAGS; its main child `kid sigs` has started the setuid copy as
 * `kid root`, which the init will inherit when the main child exits and can neither SIGTERM
 * nor SIGKILL (as PID 1, kill(-1) then answers EPERM: there is nobody it may signal).
 */
static void start_unkillable(struct h_proc *h, enum h_mode mode, const char *const *flags)
{
	const char *argv[16];
	char v[64];
	int n = 0;

	for (int i = 0; flags[i]; i++) {
		argv[n++] = flags[i];
	}
	argv[n++] = h_helper("kid");
	argv[n++] = "bg";
	argv[n++] = suid_kid;
	argv[n++] = "root";
	argv[n++] = "--";
	argv[n++] = "sigs";
	argv[n] = NULL;
	h_start(h, mode, H_ARGS("-u", "65534"), argv);
	wait_prefix(h, "root pid=", v, sizeof(v));
	kid_ready(h);
	h_kill(h, SIGTERM);
	h_expect_line(h, H_OUT, "sig 15", 5000);
}

/* The warning, at the default verbosity: once, with the reason. */
static void expect_survivor_warning(struct h_proc *h, int want_count)
{
	char line[1024];
	int n = err_lines_with(h, "survive SIGKILL", line, sizeof(line));

	cr_expect(n >= 1, "[%s] no `survive SIGKILL` warning; stderr:\n%s", h_mode_name(h->mode),
	          h_tail(h, H_ERR, 2000));
	if (n >= 1) {
		cr_expect(strstr(line, "Operation not permitted"),
		          "[%s] the warning does not say why: %s", h_mode_name(h->mode), line);
	}
	if (want_count > 0) {
		cr_expect_eq(n, want_count, "[%s] `survive SIGKILL` %d times; stderr:\n%s",
		             h_mode_name(h->mode), n, h_tail(h, H_ERR, 2000));
	}
}

/*
 * Defect 6a: with -k the init gives up on what it cannot kill and exits soon after the -k
 * deadline. Old init: it said nothing and never exited, in both modes (as PID 1, kill(-1)
 * returns 0 when every process refused with EPERM: it fails only when there is nobody).
 */
/*
 * PID 1 only for now: the subreaper variant passes every assertion but makes the Criterion
 * binary exit 1 with "Failing: 0" (a process the init leaves behind by design, here the
 * setuid-root kid, upsets Criterion's runner even once the harness has killed and reaped it;
 * not understood yet). unkillable_warns_once covers the subreaper's warning.
 */
static void harden_unkillable_kill_after_body(enum h_mode mode);
Test(harden, unkillable_kill_after_pid1, .timeout = 60, .fini = suid_fini)
{
	harden_unkillable_kill_after_body(H_PID1);
}
static void harden_unkillable_kill_after_body(enum h_mode mode)
{
	struct h_proc h;
	struct h_end e;
	long t0, end;

	make_suid_kid();
	start_unkillable(&h, mode, H_ARGS("-t", "1", "-k", "2"));
	t0 = h_now_ms();
	end = h_ended_at(&h, (int)h_slack(5000));
	expect_survivor_warning(&h, 0);
	if (end < 0) {
		h_kill_all(&h);
		cr_assert_fail("[%s] -t 1 -k 2: the init still runs %ld ms after SIGTERM; "
		               "stderr:\n%s",
		               h_mode_name(mode), h_slack(5000), h_tail(&h, H_ERR, 2000));
	}
	e = h_finish(&h, 10000);
	cr_log_info("[%s] ended %ld ms after SIGTERM with %s %d", h_mode_name(mode), end - t0,
	            e.signaled ? "signal" : "exit", e.code);
}

/*
 * Defect 6b: without -k the init warns once (within a few seconds, and not again every time
 * it tries); then the test kills everything.
 */
H_TEST_BOTH(harden, unkillable_warns_once, .timeout = 60, .fini = suid_fini)
{
	struct h_proc h;

	h_need_subreaper(mode);

	make_suid_kid();
	start_unkillable(&h, mode, H_ARGS("-t", "1"));
	if (h_wait_str(&h, H_ERR, "survive SIGKILL", (int)h_slack(3000))) {
		h_pump_for(&h, 3000); /* an observation window: the init retries meanwhile */
	}
	expect_survivor_warning(&h, 1);
	h_kill_all(&h);
}

/*
 * Live processes of the run's session, the most of five looks 20 ms apart: a look at /proc can
 * miss a chain whose head changes between two directory entries.
 */
static int chain_left(struct h_proc *h)
{
	int left = 0;

	for (int i = 0; i < 5; i++) {
		int n = h_session_procs(h);

		left = n > left ? n : left;
		h_pump(h, 20);
	}
	return left;
}

/*
 * Defect 7: a fork-and-exit chain left behind by the main child escapes a drain that reads
 * /proc and then signals. Subreaper only: as PID 1 the kernel's kill(-1) is atomic with
 * respect to fork. Old init: one look at /proc per second; it catches the chain's head only
 * by luck (on a 2-core VM: no exit within 30 s in 2 to 3 runs of 8, 1 to 27 s otherwise).
 */
/*
 * Three chains in a row: one escapes a single /proc snapshot only some of the time, so a
 * drain that can be outrun fails at least one of them (the old init did in most runs).
 */
Test(harden, fork_chain_drained_sub, .timeout = 120)
{
	h_need_subreaper(H_SUB);
	for (int run = 0; run < 3; run++) {
		struct h_proc h;
		long t0, end;
		char v[64];
		int left;

		h_start(&h, H_SUB, NULL, H_ARGS("-t", "1", h_helper("kid"), "chain"));
		wait_prefix(&h, "chain pid=", v, sizeof(v));
		t0 = h_now_ms();
		end = h_ended_at(&h, (int)(1000 + h_slack(3000)));
		if (end < 0) {
			left = chain_left(&h);
			h_kill_all(&h);
			cr_assert_fail(
			    "run %d: the init still runs %ld ms after the main child, %d "
			    "processes of the chain alive; stderr:\n%s",
			    run, 1000 + h_slack(3000), left, h_tail(&h, H_ERR, 2000));
		}
		/* The harness would kill leftovers with a warning only: count them first. */
		left = chain_left(&h);
		cr_expect_eq(left, 0,
		             "run %d: %d processes of the chain outlived the init (ended after %ld "
		             "ms)",
		             run, left, end - t0);
		h_expect_exit(&h, 0, 10000);
		cr_log_info("run %d: the init ended %ld ms after the main child", run, end - t0);
	}
}

/*
 * Defect 8: under a seccomp filter the old init probed pidfd_send_signal with a throw-away
 * fork at its first use, inside the event loop; when that fork failed (RLIMIT_NPROC, set here
 * from outside once the init runs as uid 65534) it made the trapped call unprobed and died of
 * SIGSYS (31). The fixed init probes at start-up and delivers by kill().
 */
/*
 * Set the soft RLIMIT_NPROC of PID (uid UID) to SOFT (at most its hard limit) from a child
 * that takes UID first: without CAP_SYS_RESOURCE, which a container's root may lack, only the
 * same user may change another process's limits. The hard limit stays, so that the soft one
 * can be raised back. Returns 0 or an errno.
 */
static int set_nproc(pid_t pid, uid_t uid, rlim_t soft)
{
	pid_t c = fork();
	int st;

	cr_assert(c >= 0, "fork: %s", strerror(errno));
	if (c == 0) {
		struct rlimit rl;

		if (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0 ||
		    prlimit(pid, RLIMIT_NPROC, NULL, &rl) < 0) {
			_exit(errno);
		}
		rl.rlim_cur = soft < rl.rlim_max ? soft : rl.rlim_max;
		_exit(prlimit(pid, RLIMIT_NPROC, &rl, NULL) < 0 ? errno : 0);
	}
	cr_assert(waitpid(c, &st, 0) == c, "waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
}

H_TEST_BOTH(harden, no_probe_fork_in_loop, .timeout = 60)
{
	struct h_proc h;
	int err;

	h_start_deny(&h, mode, H_ARGS("-u", "65534"), H_ARGS("pidfd_send_signal=TRAP"),
	             H_ARGS(h_helper("kid"), "sigs"));
	kid_ready(&h);
	cr_assert(h_wait_asleep(&h, 5000), "[%s] the init never settled", h_mode_name(mode));
	err = set_nproc(h.init_pid, 65534, 0);
	cr_assert(err == 0, "prlimit(%d, RLIMIT_NPROC, 0): %s", (int)h.init_pid, strerror(err));
	h_kill(&h, SIGUSR1);
	if (!h_wait_line(&h, H_OUT, "sig 10", 5000)) {
		struct h_end e = h_finish(&h, 5000);

		cr_assert_fail("[%s] no `sig 10` with RLIMIT_NPROC 0; the init ended with %s %d; "
		               "stderr:\n%s",
		               h_mode_name(mode), e.signaled ? "signal" : "exit", e.code,
		               h_tail(&h, H_ERR, 2000));
	}
	/* The limit back: the exit path may need a process (LeakSanitizer's, under ASan). */
	err = set_nproc(h.init_pid, 65534, RLIM_INFINITY);
	cr_assert(err == 0, "prlimit(%d, RLIMIT_NPROC): %s", (int)h.init_pid, strerror(err));
	terminate(&h);
}

/*
 * Defect 9: no fd left for clone3's pidfd (EMFILE) must step down to a rung that needs none,
 * with the `spawn=pid` warning, instead of "cannot create a process". Tiny limits may still
 * fail earlier, at set-up (signalfd, epoll...): exit 1, which is fine. Old init: exit 1 with
 * "cannot create a process for ...: Too many open files" where clone3 wanted the 9th fd.
 */
H_TEST_BOTH(harden, emfile_steps_down, .timeout = 120)
{
	int stepped = 0;

	for (int n = 4; n <= 14; n++) {
		char lim[32], first[512];
		struct h_proc h;
		struct h_end e;
		const char *err;

		snprintf(lim, sizeof(lim), "nofile=%d", n);
		h_start(&h, mode, H_ARGS("-R", lim), H_ARGS(h_helper("kid"), "exit", "3"));
		e = h_finish(&h, 10000);
		err = h_text(&h, H_ERR);
		h_init_err_lines(&h, first, sizeof(first));
		cr_log_info("[%s] RLIMIT_NOFILE=%d: %s %d: %s", h_mode_name(mode), n,
		            e.signaled ? "signal" : "exit", e.code, first);
		cr_expect(!strstr(err, "cannot create a process"),
		          "[%s] RLIMIT_NOFILE=%d: %s %d:\n%s", h_mode_name(mode), n,
		          e.signaled ? "signal" : "exit", e.code, err);
		cr_expect(!e.signaled && (e.code == 3 || e.code == 1),
		          "[%s] RLIMIT_NOFILE=%d: %s %d:\n%s", h_mode_name(mode), n,
		          e.signaled ? "signal" : "exit", e.code, err);
		stepped += !e.signaled && e.code == 3 && strstr(err, "spawn=pid") != NULL;
	}
	cr_expect_gt(stepped, 0, "[%s] no RLIMIT_NOFILE from 4 to 14 ran the child on the pid rung",
	             h_mode_name(mode));
}

/*
 * Defect 10a: a PATH entry of PATH_MAX bytes or more is skipped, as execvp does. Old init:
 * 126, "File name too long".
 */
H_TEST_BOTH(harden, path_entry_too_long, .timeout = 30)
{
	static char env[8400];
	const char *kid = h_helper("kid");
	struct h_proc h;
	size_t n;

	memcpy(env, "PATH=", 5);
	memset(env + 5, 'a', 4100);
	n = 5 + 4100;
	snprintf(env + n, sizeof(env) - n, ":%.*s", (int)(strrchr(kid, '/') - kid), kid);
	h_start(&h, mode, H_ARGS("-e", env), H_ARGS("kid", "exit", "5"));
	h_expect_exit(&h, 5, 10000);
}

/* Defect 10b: ENOTDIR is an exec error like any other: 126. Old init: 127, "No such file". */
H_TEST_BOTH(harden, exec_not_a_directory, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, mode, NULL, H_ARGS("/etc/passwd/x"));
	h_expect_exit(&h, 126, 10000);
	cr_expect(strstr(h_text(&h, H_ERR), "Not a directory"), "[%s] stderr:\n%s",
	          h_mode_name(mode), h_text(&h, H_ERR));
}

/* The value of the first `NAME ` line of the kid's stdout. */
static void value(struct h_proc *h, const char *name, char *out, size_t outsz)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s ", name);
	cr_assert(h_line_value(h, H_OUT, prefix, out, outsz), "[%s] no '%s' line:\n%s",
	          h_mode_name(h->mode), name, h_text(h, H_OUT));
}

/*
 * Defect 11: two LISTEN_PID entries naming the init. Every entry the child sees names the
 * child. Old init: the first entry became an empty string (and its allocation leaked, which
 * LeakSanitizer turns into exit 1 under the ASan build).
 */
H_TEST_BOTH(harden, listen_pid_duplicate, .timeout = 30)
{
	char pid[32], all[1024], bad[32];
	struct h_proc h;
	int entries = 0;

	h_start(&h, mode, H_ARGS("-L", "-L"), H_ARGS(h_helper("kid"), "state"));
	h_expect_line(&h, H_OUT, "done", 5000);
	value(&h, "pid", pid, sizeof(pid));
	value(&h, "listen_pid_all", all, sizeof(all));
	value(&h, "env_malformed", bad, sizeof(bad));
	for (char *save = NULL, *v = strtok_r(all, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
		entries++;
		cr_expect_str_eq(v, pid, "[%s] a LISTEN_PID entry is %s, the child is %s",
		                 h_mode_name(mode), v, pid);
	}
	cr_expect_gt(entries, 0, "[%s] no LISTEN_PID entry left", h_mode_name(mode));
	cr_expect_str_eq(bad, "0", "[%s] %s environ strings without '=' (empty entries)",
	                 h_mode_name(mode), bad);
	h_close_stdin(&h);
	h_expect_exit(&h, 0, 10000);
}

/* Offset of the first raw control byte in the init's stderr lines (not launch's), or -1. */
static long control_byte(struct h_proc *h)
{
	const char *s = h_text(h, H_ERR), *p = s;

	while (*p) {
		const char *nl = strchrnul(p, '\n');

		if (strncmp(p, "launch: ", 8) != 0) {
			for (const char *c = p; c < nl; c++) {
				if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f) {
					return c - s;
				}
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	return -1;
}

/* STR with every byte outside 0x20..0x7e as \xNN, for a readable failure message. */
static const char *escaped(const char *str)
{
	static char out[4096];
	size_t o = 0;

	for (; *str && o + 5 < sizeof(out); str++) {
		unsigned char c = (unsigned char)*str;

		if (c == '\n') {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\n\n");
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}

static void expect_clean_error(enum h_mode mode, const char *const *launch_opts,
                               const char *const *args, int code, const char *what)
{
	struct h_proc h;
	char first[1024];
	long at;
	int n;

	h_start(&h, mode, launch_opts, args);
	h_expect_exit(&h, code, 10000);
	n = h_init_err_lines(&h, first, sizeof(first));
	cr_expect_eq(n, 1, "[%s] %s: %d stderr lines from the init, want 1:\n%s", h_mode_name(mode),
	             what, n, escaped(h_text(&h, H_ERR)));
	at = control_byte(&h);
	cr_expect(at < 0, "[%s] %s: raw control byte 0x%02x in the init's stderr:\n%s",
	          h_mode_name(mode), what, at < 0 ? 0 : (unsigned char)h_text(&h, H_ERR)[at],
	          escaped(h_text(&h, H_ERR)));
}

/*
 * Defect 12: error messages that echo the user's bytes do not pass control bytes through: a
 * newline would forge a second line, an ESC sequence would drive the terminal. Old init: the
 * bytes went out raw (two lines for the newline).
 */
H_TEST_BOTH(harden, messages_escape_control_bytes, .timeout = 60)
{
	const char *kid = h_helper("kid");

	expect_clean_error(mode, NULL, H_ARGS("-p", "TERM\nINIT: fake", kid, "exit", "0"), 2,
	                   "-p with a newline");
	expect_clean_error(mode, NULL, H_ARGS("-p", "\x1b[31mTERM\x1b[0m", kid, "exit", "0"), 2,
	                   "-p with an ESC sequence");
	expect_clean_error(mode, NULL, H_ARGS("-t", "5\x1b[2J", kid, "exit", "0"), 2,
	                   "-t with an ESC sequence");
	expect_clean_error(mode, NULL, H_ARGS("-r", "USR1:\x7f", kid, "exit", "0"), 2,
	                   "-r with DEL");
	expect_clean_error(mode, H_ARGS("-e", "INIT_GRACE=\x1b]0;title\x07"),
	                   H_ARGS(kid, "exit", "0"), 2, "INIT_GRACE with an OSC sequence");
	/* -q: only the error, not the warnings of some rungs (spawn=pid). */
	expect_clean_error(mode, NULL, H_ARGS("-q", "no\x1b[31msuch\ncommand\x07"), 127,
	                   "a missing command named with control bytes");
}

/*
 * Defect 13: SIG32 and SIG33, as the log writes the two signals without a name, are accepted
 * back by -r and -p. Old init: "invalid rewrite", exit 2.
 */
H_TEST_BOTH(harden, sig32_sig33_accepted, .timeout = 30)
{
	struct h_proc h;

	h_need_native(QEMU_RT);

	h_start(&h, mode, NULL,
	        H_ARGS("-r", "SIG32:USR1", "-r", "sig33:USR2", h_helper("kid"), "sigs"));
	kid_ready(&h);
	h_kill(&h, 32);
	h_expect_line(&h, H_OUT, "sig 10", 5000);
	h_kill(&h, 33);
	h_expect_line(&h, H_OUT, "sig 12", 5000);
	terminate(&h);
}

/* -p SIG33: launch -d is the init's parent; closing launch's stdin ends it. */
Test(harden, sig33_pdeathsig_sub, .timeout = 30)
{
	struct h_proc h;

	h_need_native(QEMU_RT);

	h_start(&h, H_SUB, H_ARGS("-d"), H_ARGS("-p", "SIG33", h_helper("kid"), "sigs"));
	kid_ready(&h);
	h_close_stdin(&h);
	h_expect_line(&h, H_OUT, "sig 33", 5000);
	terminate(&h);
}

/* Defect 14: -k 0 means at once, as -t 0 does. Old init: 0 meant never. */
H_TEST_BOTH(harden, kill_after_zero, .timeout = 30)
{
	struct h_proc h;
	long t0, end;

	h_start(&h, mode, NULL, H_ARGS("-k", "0", h_helper("kid"), "deaf"));
	kid_ready(&h);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	end = h_ended_at(&h, (int)h_slack(2000));
	if (end < 0) {
		h_kill_all(&h);
		cr_assert_fail("[%s] -k 0: the init still runs %ld ms after SIGTERM",
		               h_mode_name(mode), h_slack(2000));
	}
	h_expect_exit(&h, 137, 10000);
	cr_log_info("[%s] -k 0: ended %ld ms after SIGTERM", h_mode_name(mode), end - t0);
}

/*
 * Defect 15: the SIGKILL at the end of the grace period says so at the default verbosity, with
 * how many processes it hit. Old init: only at -v, and without a count.
 */
H_TEST_BOTH(harden, grace_kill_warns_by_default, .timeout = 30)
{
	char line[1024];
	struct h_proc h;
	int n;

	h_need_subreaper(mode);

	h_start(&h, mode, NULL, H_ARGS("-t", "1", h_helper("kid"), "tree", "0", "0i"));
	h_expect_line(&h, H_OUT, "tree ready", 10000);
	h_close_stdin(&h);
	h_expect_line(&h, H_OUT, "main exit 0", 5000);
	h_expect_exit(&h, 0, (int)h_slack(5000));
	n = err_lines_with(&h, "grace period over", line, sizeof(line));
	cr_expect(n > 0, "[%s] no `grace period over` line; stderr:\n%s", h_mode_name(mode),
	          h_text(&h, H_ERR));
	cr_expect(n == 0 || strstr(line, "SIGKILL to 1 process"),
	          "[%s] the line does not say `SIGKILL to 1 process`: %s", h_mode_name(mode), line);
}
