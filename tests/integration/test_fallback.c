/*
 * Fallback rungs forced from outside with seccomp (style rule 26). First the filter's own
 * self-test (bubblewrap's try-syscall idea: an unfiltered kernel answers a known errno to bad
 * arguments, a filtered one the rule's errno), then the init's labels under INIT_TEST_DENY.
 *
 * Expected labels: INIT_TEST_SPAWN / INIT_TEST_RESULT when set; otherwise derived from
 * INIT_TEST_DENY (no deny: spawn=clone3, result=ok).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

TestSuite(fallback, .fini = h_cleanup);

struct try_case {
	const char *rules[4];
	const char *call;
	const char *want;
};

static void run_try(const struct try_case *c)
{
	const char *argv[16];
	char want[128];
	struct h_proc h;
	int n = 0;

	argv[n++] = h_helper("deny");
	for (int i = 0; c->rules[i]; i++) {
		argv[n++] = c->rules[i];
	}
	argv[n++] = "--";
	argv[n++] = h_helper("kid");
	argv[n++] = "try";
	argv[n++] = c->call;
	argv[n] = NULL;
	h_spawn(&h, argv);
	h_expect_exit(&h, 0, 10000);
	snprintf(want, sizeof(want), "%s: %s", c->call, c->want);
	cr_expect(h_wait_line(&h, H_OUT, want, 0), "deny %s%s -- kid try %s: want '%s', got '%s'",
	          c->rules[0] ? c->rules[0] : "(none)", c->rules[1] ? " ..." : "", c->call, want,
	          h_text(&h, H_OUT));
}

Test(fallback, filter_selftest, .timeout = 60)
{
	static const struct try_case cases[] = {
	    {{NULL}, "clone3", "EFAULT"},
	    {{NULL}, "clone", "EINVAL"},
	    {{NULL}, "clone+pidfd", "EINVAL"},
	    {{NULL}, "pidfd_open", "EINVAL"},
	    {{NULL}, "pidfd_send_signal", "EBADF"},
	    {{NULL}, "pidfd_getfd", "EBADF"},
	    {{NULL}, "waitid", "EINVAL"},
	    {{NULL}, "close_range", "EINVAL"},
	    {{"clone3=ENOSYS"}, "clone3", "ENOSYS"},
	    {{"clone3=EPERM"}, "clone3", "EPERM"},
	    {{"clone3=E2BIG"}, "clone3", "E2BIG"},
	    {{"clone3=ENOSYS"}, "clone", "EINVAL"},
	    {{"pidfd_send_signal=EPERM"}, "pidfd_send_signal", "EPERM"},
	    {{"pidfd_send_signal=EPERM"}, "pidfd_open", "EINVAL"},
	    {{"clone+pidfd=EPERM"}, "clone+pidfd", "EPERM"},
	    {{"clone+pidfd=EPERM"}, "clone", "EINVAL"},
	    {{"clone=ENOSYS"}, "clone+pidfd", "ENOSYS"},
	    {{NULL}, "clone+vm", "EINVAL"},
	    {{"clone+vm=EPERM"}, "clone+vm", "EPERM"},
	    {{"clone+vm=EPERM"}, "clone", "EINVAL"},
	    {{"clone+vm=EPERM", "clone+pidfd=ENOSYS"}, "clone+pidfd", "ENOSYS"},
	    {{"clone+vm=EPERM", "clone+pidfd=ENOSYS"}, "clone+vm", "EPERM"},
	    {{"pidfd_open=ENOSYS"}, "pidfd_open", "ENOSYS"},
	    {{"pidfd_getfd=ENOSYS"}, "pidfd_getfd", "ENOSYS"},
	    {{"waitid=EINVAL", "close_range=EPERM"}, "close_range", "EPERM"},
	    {{"clone3=EPERM", "clone+pidfd=EPERM", "pidfd_open=ENOSYS"}, "pidfd_open", "ENOSYS"},
	    {{"clone3=EPERM", "clone+pidfd=EPERM", "pidfd_open=ENOSYS"}, "clone+pidfd", "EPERM"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_try(&cases[i]);
	}
}

Test(fallback, filter_trap, .timeout = 20)
{
	static const char *const rules[] = {"clone3=TRAP", "clone3=KILL"};

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct h_proc h;
		struct h_end end;

		h_spawn(&h,
		        H_ARGS(h_helper("deny"), rules[i], "--", h_helper("kid"), "try", "clone3"));
		end = h_finish(&h, 10000);
		cr_expect(end.signaled && end.code == SIGSYS, "%s: want death by SIGSYS, got %s %d",
		          rules[i], end.signaled ? "signal" : "exit", end.code);
	}
}

Test(fallback, filter_bad_rule, .timeout = 20)
{
	static const char *const bad[] = {"clone4=ENOSYS", "clone3=EFOO", "clone3", "=EPERM"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct h_proc h;

		h_spawn(&h, H_ARGS(h_helper("deny"), bad[i], "--", h_helper("kid"), "exit", "0"));
		h_expect_exit(&h, 125, 10000);
	}
}

/* Is syscall NAME denied (with any action) by INIT_TEST_DENY? */
static bool denied(const char *name)
{
	const char *rules = h_deny_rules();
	size_t nl = strlen(name);

	for (const char *p = rules; p && (p = strstr(p, name)) != NULL; p += nl) {
		if ((p == rules || p[-1] == ' ' || p[-1] == '\t') && p[nl] == '=') {
			return true;
		}
	}
	return false;
}

/*
 * The rung the ladder must reach under INIT_TEST_DENY: clone3, else clone with CLONE_PIDFD
 * (blocked by a `clone` or `clone+pidfd` rule), else fork + pidfd_open, else the plain pid.
 */
static const char *expected_spawn(void)
{
	const char *env = getenv("INIT_TEST_SPAWN");

	if (env && *env) {
		return env;
	}
	if (!denied("clone3")) {
		return "clone3";
	}
	if (!denied("clone") && !denied("clone+pidfd")) {
		return "clone";
	}
	return denied("pidfd_open") ? "pid" : "pidfd_open";
}

static const char *expected_result(const char *spawn)
{
	const char *env = getenv("INIT_TEST_RESULT");

	if (env && *env) {
		return env;
	}
	return strcmp(spawn, "pid") == 0 || denied("pidfd_send_signal") ? "fallback" : "ok";
}

H_TEST_BOTH(fallback, labels, .timeout = 30)
{
	const char *spawn = expected_spawn(), *result = expected_result(spawn);
	char want[64];
	struct h_proc h;

	cr_log_info("[%s] INIT_TEST_DENY='%s': expect spawn=%s result=%s", h_mode_name(mode),
	            h_deny_rules() ? h_deny_rules() : "", spawn, result);
	h_start(&h, mode, NULL, H_ARGS("-vv", h_helper("kid"), "sigs"));
	h_expect_str(&h, H_OUT, "ready pid=", 5000);
	snprintf(want, sizeof(want), "spawn=%s", spawn);
	h_expect_str(&h, H_ERR, want, 5000);
	h_mark(&h, H_ERR);
	h_kill(&h, SIGUSR1);
	h_expect_line(&h, H_OUT, "sig 10", 5000);
	h_expect_str(&h, H_ERR, "signal=SIGUSR1", 5000);
	snprintf(want, sizeof(want), "result=%s", result);
	h_expect_str(&h, H_ERR, want, 5000);
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
}

/* -v alone already names the rung. */
H_TEST_BOTH(fallback, spawn_label_v, .timeout = 20)
{
	char want[64];
	struct h_proc h;

	snprintf(want, sizeof(want), "spawn=%s", expected_spawn());
	h_start(&h, mode, NULL, H_ARGS("-v", h_helper("kid"), "exit", "0"));
	h_expect_exit(&h, 0, 10000);
	cr_expect(strstr(h_text(&h, H_ERR), want), "[%s] no '%s' with -v:\n%s", h_mode_name(mode),
	          want, h_text(&h, H_ERR));
}

/*
 * PR_SET_CHILD_SUBREAPER answering EINVAL, as it does under QEMU's user mode (issue 11): not
 * PID 1, the init says so in one warning line and runs its child as before. Natively a
 * seccomp filter gives the EINVAL (every prctl fails: the init's capability drop too, which
 * must stay quiet; other lines are the deny-set's rung); under QEMU (tests/arch.sh) the
 * emulator itself does. Under clone3=TRAP it found that PR_GET_SECCOMP's EINVAL was taken
 * for "no filter": no probes, and clone3 killed the init (signal 31).
 */
Test(fallback, subreaper_einval_one_warning, .timeout = 30)
{
	static const char warning[] = "init: warning: not PID 1 and "
	                              "prctl(PR_SET_CHILD_SUBREAPER) failed: orphans will not "
	                              "be reaped: Invalid argument";
	struct h_proc h;

	h_start_deny(&h, H_SUB, NULL, h_emulated() ? NULL : H_ARGS("prctl=EINVAL"),
	             H_ARGS(h_helper("kid"), "exit", "3"));
	h_expect_exit(&h, 3, 10000);
	cr_expect_eq(h_count_lines(&h, H_ERR, warning), 1, "want the warning once:\n%s",
	             h_text(&h, H_ERR));
}

/*
 * fcntl() denied (a seccomp filter): the loop cannot make its signalfd blocking for the
 * two-call signal path, so epoll serves every turn; it says so once, not once per signal.
 */
H_TEST_BOTH(fallback, fcntl_denied_warns_once, .timeout = 30)
{
	struct h_proc h;

	h_start_deny(&h, mode, NULL, H_ARGS("fcntl=EPERM"), H_ARGS(h_helper("kid"), "sigs"));
	h_expect_str(&h, H_OUT, "ready pid=", 5000);
	for (int i = 0; i < 3; i++) {
		h_mark(&h, H_OUT);
		h_kill(&h, SIGUSR1);
		h_expect_line(&h, H_OUT, "sig 10", 5000);
	}
	h_kill(&h, SIGTERM);
	h_expect_exit(&h, 0, 10000);
	cr_expect_eq(
	    h_count_lines(&h, H_ERR, "init: warning: fcntl(signalfd): Operation not permitted"), 1,
	    "[%s] want the warning once:\n%s", h_mode_name(mode), h_text(&h, H_ERR));
}

/*
 * The probes run in a child that shares the init's memory (CLONE_VM | CLONE_VFORK: no fork's
 * page tables). A rule that kills the process (SECCOMP_RET_KILL_PROCESS, with a core dump)
 * must end that child only: before Linux 5.16 a core dump killed every process of the mm, so
 * the init makes its mm undumpable while the child runs. clone3 is then not used.
 */
H_TEST_BOTH(fallback, probe_killed_alone, .timeout = 30)
{
	struct h_proc h;

	h_start_deny(&h, mode, NULL, H_ARGS("clone3=KILL"),
	             H_ARGS("-v", h_helper("kid"), "exit", "3"));
	h_expect_exit(&h, 3, 10000);
	cr_expect(!strstr(h_text(&h, H_ERR), "spawn=clone3"),
	          "[%s] clone3 used after its probe was killed:\n%s", h_mode_name(mode),
	          h_text(&h, H_ERR));
}

/*
 * ... and dumpable again afterwards: an undumpable init's /proc files belong to root, so a
 * debugger or `ps` of the same unprivileged user could no longer read them.
 */
H_TEST_BOTH(fallback, probe_leaves_init_dumpable, .timeout = 30)
{
	char path[64];
	struct stat sb;
	struct h_proc h;

	h_start_deny(&h, mode, H_ARGS("-u", "65534"), H_ARGS("pidfd_getfd=ENOSYS"),
	             H_ARGS(h_helper("kid"), "sigs"));
	h_expect_str(&h, H_OUT, "ready pid=", 5000); /* spawned: the probes are over */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)h.init_pid);
	cr_assert(stat(path, &sb) == 0, "stat %s: %s", path, strerror(errno));
	cr_expect_eq(sb.st_uid, 65534, "[%s] %s belongs to uid %u, not the init's 65534",
	             h_mode_name(mode), path, (unsigned)sb.st_uid);
	h_kill(&h, SIGTERM);
	h_expect_exit(&h, 0, 10000);
}

/*
 * A filter that refuses a clone(2) that shares memory while a fork still works: the probes go
 * to a forked child, their answers come back through the shared page, and they still say what
 * works; a real start then uses what they found.
 */
Test(fallback, probe_fork_fallback, .timeout = 30)
{
	struct h_proc h;

	h_need_native("QEMU makes its own calls for the emulated clone");
	/* LeakSanitizer (the ASan build) checks in a CLONE_VM child; the static init ignores it. */
	h_spawn(&h, H_ARGS("/usr/bin/env", "ASAN_OPTIONS=detect_leaks=0", h_helper("deny"),
	                   "clone+vm=EPERM", "clone+pidfd=ENOSYS", "--", h_init(), "--features"));
	h_expect_exit(&h, 0, 10000);
	cr_expect(h_wait_line(&h, H_OUT, "clone_pidfd: no (ENOSYS)", 0), "got:\n%s",
	          h_text(&h, H_OUT));
	cr_expect(h_wait_line(&h, H_OUT, "pidfd_open: yes", 0), "got:\n%s", h_text(&h, H_OUT));

	h_spawn(&h,
	        H_ARGS("/usr/bin/env", "ASAN_OPTIONS=detect_leaks=0", h_helper("deny"),
	               "clone+vm=EPERM", "--", h_init(), "-v", "--", h_helper("kid"), "exit", "3"));
	h_expect_exit(&h, 3, 10000);
	cr_expect(strstr(h_text(&h, H_ERR), "spawn=clone3 "), "want spawn=clone3:\n%s",
	          h_text(&h, H_ERR));
}

/*
 * The probe child that a SECCOMP_RET_KILL rule kills dumps no core, although it shares the
 * init's memory and core files are allowed: the init made that memory undumpable for the
 * while (before Linux 5.16 the dump would have killed the init too). Seen only where the core
 * pattern writes a file into the working directory, as Debian's default "core" does.
 */
Test(fallback, probe_killed_leaves_no_core, .timeout = 30)
{
	char dir[] = "/tmp/init-core-XXXXXX", pattern[64] = "";
	FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
	struct dirent *e;
	struct h_proc h;
	DIR *d;

	h_need_native("the core file would be QEMU's");
	cr_assert(f && fgets(pattern, sizeof(pattern), f), "core_pattern: %s", strerror(errno));
	fclose(f);
	if (pattern[0] == '|' || strchr(pattern, '/')) {
		cr_skip_test("core_pattern '%s' does not write into the working directory",
		             pattern);
	}
	cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	h_spawn(&h, H_ARGS("/usr/bin/prlimit", "--core=unlimited", "/usr/bin/env", "-C", dir,
	                   "ASAN_OPTIONS=detect_leaks=0", h_helper("deny"), "clone3=KILL", "--",
	                   h_init(), "--", h_helper("kid"), "exit", "3"));
	h_expect_exit(&h, 3, 10000);
	d = opendir(dir);
	cr_assert(d, "opendir %s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.') {
			char path[PATH_MAX];

			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
			cr_expect_fail("the killed probe left %s", e->d_name);
		}
	}
	closedir(d);
	rmdir(dir);
}
