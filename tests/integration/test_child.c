/*
 * The child is transparent (tini's sigconf-test idea): it starts with the signal mask and
 * ignored set the init was started with, exactly the fds the init inherited, the cwd, its own
 * process group, and LISTEN_PID rewritten to its pid; the init keeps no inherited fd and sits
 * in "/".
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

TestSuite(child, .fini = h_cleanup);

static void value(struct h_proc *h, const char *key, char *out, size_t outsz)
{
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "%s ", key);
	cr_assert(h_line_value(h, H_OUT, prefix, out, outsz), "[%s] no '%s' line:\n%s",
	          h_mode_name(h->mode), key, h_text(h, H_OUT));
}

static bool has_fd(pid_t pid, int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	return access(path, F_OK) == 0;
}

static bool cwd_is_root(pid_t pid, char *cwd, size_t cwdsz)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	n = readlink(path, cwd, cwdsz - 1);
	cwd[n < 0 ? 0 : n] = '\0';
	return strcmp(cwd, "/") == 0;
}

/* The init may close and chdir just after the spawn: give it up to 2 s. */
static void check_init_side(struct h_proc *h)
{
	struct timespec tick = {.tv_nsec = 20 * 1000 * 1000};
	char cwd[4096] = "";
	bool fd_gone = false, at_root = false;

	for (int i = 0; i < 100 && !(fd_gone && at_root); i++) {
		fd_gone = !has_fd(h->init_pid, 7);
		at_root = cwd_is_root(h->init_pid, cwd, sizeof(cwd));
		if (!(fd_gone && at_root)) {
			nanosleep(&tick, NULL);
		}
	}
	cr_expect(fd_gone, "[%s] the init still holds inherited fd 7", h_mode_name(h->mode));
	cr_expect(at_root, "[%s] the init's cwd is '%s', not '/'", h_mode_name(h->mode), cwd);
}

H_TEST_BOTH(child, transparent, .timeout = 30)
{
	char dir[] = "/tmp/init-cwd-XXXXXX", real[4096], v[4096], pid[32], pgid[32];
	struct h_proc h;

	cr_assert(mkdtemp(dir), "mkdtemp");
	cr_assert(realpath(dir, real), "realpath");
	/* LISTEN_PID names the init: 1 as PID 1; launch's own pid (it execs the init) else. */
	h_start_in(&h, mode,
	           mode == H_PID1
	               ? H_ARGS("-i", "1", "-i", "2", "-b", "10", "-f", "7", "-e", "LISTEN_PID=1")
	               : H_ARGS("-i", "1", "-i", "2", "-b", "10", "-f", "7", "-L"),
	           H_ARGS(h_helper("kid"), "state"), real);
	h_expect_line(&h, H_OUT, "done", 5000);

	value(&h, "sigblk", v, sizeof(v));
	cr_expect_str_eq(v, "0000000000000200", "[%s] SigBlk %s: want only SIGUSR1",
	                 h_mode_name(mode), v);
	value(&h, "sigign", v, sizeof(v));
	/*
	 * Not under QEMU: it installs a handler of its own for every signal, so the exec of the
	 * child resets what the init's parent ignored (the emulated init asked for nothing else).
	 */
	if (!h_emulated()) {
		cr_expect_str_eq(v, "0000000000000003", "[%s] SigIgn %s: want HUP and INT",
		                 h_mode_name(mode), v);
	}
	value(&h, "fds", v, sizeof(v));
	cr_expect_str_eq(v, "0 1 2 7", "[%s] fds %s", h_mode_name(mode), v);
	value(&h, "pid", pid, sizeof(pid));
	value(&h, "pgid", pgid, sizeof(pgid));
	cr_expect_str_eq(pgid, pid, "[%s] pgid %s, pid %s: not its own group", h_mode_name(mode),
	                 pgid, pid);
	value(&h, "listen_pid", v, sizeof(v));
	cr_expect_str_eq(v, pid, "[%s] LISTEN_PID %s, child pid %s", h_mode_name(mode), v, pid);
	value(&h, "ppid", v, sizeof(v));
	cr_expect_eq(atoi(v), mode == H_PID1 ? 1 : h.init_pid, "[%s] ppid %s: not the init's child",
	             h_mode_name(mode), v);
	value(&h, "cwd", v, sizeof(v));
	cr_expect_str_eq(v, real, "[%s] cwd %s, want %s", h_mode_name(mode), v, real);

	check_init_side(&h);
	h_close_stdin(&h);
	h_expect_exit(&h, 0, 10000);
	rmdir(real);
}

/* LISTEN_PID naming some other process is left alone. */
H_TEST_BOTH(child, listen_pid_other, .timeout = 30)
{
	struct h_proc h;
	char v[64];

	h_start(&h, mode, H_ARGS("-e", "LISTEN_PID=999999"), H_ARGS(h_helper("kid"), "state"));
	h_expect_line(&h, H_OUT, "done", 5000);
	value(&h, "listen_pid", v, sizeof(v));
	cr_expect_str_eq(v, "999999", "[%s]", h_mode_name(mode));
	h_close_stdin(&h);
	h_expect_exit(&h, 0, 10000);
}
