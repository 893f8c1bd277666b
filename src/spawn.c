/*
 * Creating the child. The parent prepares everything (exec candidates, environment), then
 * clones; the child runs only async-signal-safe code until execve, because after a raw clone
 * libc does not know a new process exists (style rules 7-10; git run-command.c, musl
 * posix_spawn.c). Exec failure travels back through a close-on-exec pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "exec.h"
#include "feature.h"
#include "log.h"
#include "spawn.h"
#include "sys.h"

/* What the child sends back when it cannot exec: always < PIPE_BUF, so one atomic write. */
struct exec_report {
	int stage;
	int err;
};

enum {
	STAGE_SIGNALS,
	STAGE_EXEC,
	STAGE_PRIVS, /* + enum privs_stage */
};

enum rung {
	RUNG_CLONE3,
	RUNG_CLONE,
	RUNG_PIDFD_OPEN,
	RUNG_PID,
};

static const char *const rung_label[] = {
    [RUNG_CLONE3] = "clone3",
    [RUNG_CLONE] = "clone",
    [RUNG_PIDFD_OPEN] = "pidfd_open",
    [RUNG_PID] = "pid",
};

/* Everything the child needs, built in the parent. */
struct prepared {
	char **paths;     /* execve candidates, NULL-terminated */
	bool own_paths;   /* the candidates were allocated (PATH search), not argv[0] itself */
	char **envp;      /* the child's environment */
	char *listen_pid; /* the LISTEN_PID entry to fill with the child's pid, or NULL */
	int report_fd;    /* write end of the exec-report pipe */
};

static _Noreturn void child_fail(const struct prepared *prep, int stage, int err)
{
	struct exec_report rep = {.stage = stage, .err = err};

	(void)!write(prep->report_fd, &rep, sizeof(rep)); /* the parent sees EOF if this fails */
	/* The code the loop sees when there was no report pipe to carry this. */
	_exit(stage == STAGE_EXEC && err == ENOENT ? SPAWN_NOT_FOUND : SPAWN_NOT_EXECUTABLE);
}

/* The child, in the order of style rule 9. Never returns. */
static _Noreturn void child_run(const struct spawn_req *req, const struct prepared *prep)
{
	pid_t self = sys_getpid();
	int err = ENOENT, r;

	if (req->setsid) {
		/*
		 * 1 and 2, dumb-init's way: a session of its own, and stdin as its controlling
		 * tty if it is a terminal the init gave up (main's leave_tty); then it is the
		 * foreground group by itself.
		 */
		(void)setsid();
		(void)ioctl(STDIN_FILENO, TIOCSCTTY, 0);
	} else {
		/* 1. Its own process group (not a session: that would drop the controlling tty). */
		(void)setpgid(0, 0);
		/* 2. The terminal's foreground group. Allowed from the background: SIGTTOU is
		 * blocked. */
		if (req->tty) {
			(void)ioctl(STDIN_FILENO, TIOCSPGRP, &self);
		}
	}
	if (prep->listen_pid != NULL) {
		exec_fill_listen_pid(prep->listen_pid, self);
	}
	/*
	 * 3. Groups, gid, uid and capabilities (-u, --cap-*), after the terminal: TIOCSPGRP asks
	 * nothing of the credentials, and the signals stay blocked until the mask below.
	 */
	if (req->privs != NULL) {
		int stage = 0;

		r = privs_apply(req->privs, &stage);
		if (r < 0) {
			child_fail(prep, STAGE_PRIVS + stage, -r);
		}
	}
	/* 4 and 5. Dispositions, then the mask, the init was started with. */
	r = signals_restore(req->sigs);
	if (r < 0) {
		child_fail(prep, STAGE_SIGNALS, -r);
	}
	/*
	 * 6. The init's own fds are all close-on-exec. 7. exec, with execvp's error rules: in a
	 * PATH search a missing file or directory means "try the next entry", and EACCES is
	 * reported only if nothing else was found; a name with a '/' reports its own error
	 * ("/etc/passwd/x": Not a directory).
	 */
	for (char **c = prep->paths; *c != NULL; c++) {
		execve(*c, req->argv, prep->envp);
		if (!prep->own_paths || (errno != EACCES && errno != ENOENT && errno != ENOTDIR)) {
			err = errno;
			break;
		}
		if (errno == EACCES) {
			err = EACCES;
		}
	}
	child_fail(prep, STAGE_EXEC, err);
}

/*
 * No fd left for a pidfd (RLIMIT_NOFILE, or the system's table full): that rung cannot work
 * now, but fork() needs no fd, so go down the ladder. Not cached: it is not the kernel's lack.
 */
static bool no_fd_left(int err)
{
	return err == EMFILE || err == ENFILE;
}

/* Create the process on the highest rung available. Returns the pid (0 in the child). */
static pid_t create(int *pidfd, enum rung *rung)
{
	pid_t pid;

	*pidfd = -1;
	if (feat_maybe(FEATURE_CLONE3)) {
		struct sys_clone_args args = {
		    .flags = CLONE_PIDFD,
		    .pidfd = (uint64_t)(uintptr_t)pidfd,
		    .exit_signal = SIGCHLD,
		};

		*rung = RUNG_CLONE3;
		pid = sys_clone3(&args, CLONE_ARGS_SIZE_VER0);
		if (pid >= 0 || !(feat_note(FEATURE_CLONE3, errno) || no_fd_left(errno))) {
			return pid;
		}
	}
	if (feat_maybe(FEATURE_CLONE_PIDFD)) {
		*rung = RUNG_CLONE;
		pid = sys_clone_pidfd(SIGCHLD, pidfd);
		if (pid == 0) {
			return 0;
		}
		/* A kernel older than 5.2 ignores the flag: a child, but still no pidfd. */
		if (pid > 0 && *pidfd >= 0) {
			feat_note(FEATURE_CLONE_PIDFD, 0);
			return pid;
		}
		if (pid < 0 && !(feat_note(FEATURE_CLONE_PIDFD, errno) || no_fd_left(errno))) {
			return pid;
		}
		if (pid > 0) {
			feat_note(FEATURE_CLONE_PIDFD, ENOSYS);
			goto open_pidfd;
		}
	}
	pid = fork();
	if (pid <= 0) {
		return pid;
	}
open_pidfd:
	/* Race-free: the pid of our own unreaped child cannot be reused. */
	*rung = RUNG_PID;
	if (feat_maybe(FEATURE_PIDFD_OPEN)) {
		*pidfd = sys_pidfd_open(pid, 0);
		if (*pidfd >= 0) {
			feat_note(FEATURE_PIDFD_OPEN, 0);
			*rung = RUNG_PIDFD_OPEN;
		} else if (!feat_note(FEATURE_PIDFD_OPEN, errno)) {
			log_warn(errno, "pidfd_open(%d)", (int)pid);
		}
	}
	return pid;
}

int spawn_exec_result(int fd, const char *cmd, bool verb, int *err, const char **stage)
{
	struct exec_report rep;
	ssize_t n;

	do {
		n = read(fd, &rep, sizeof(rep));
	} while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN) {
		return -EAGAIN;
	}
	if (n != (ssize_t)sizeof(rep)) {
		return 0; /* EOF: the exec closed the pipe */
	}
	*err = rep.err;
	if (rep.stage == STAGE_EXEC) {
		*stage = "exec";
		log_err(rep.err, "%s%s", verb ? "exec " : "", cmd);
		return rep.err == ENOENT ? SPAWN_NOT_FOUND : SPAWN_NOT_EXECUTABLE;
	}
	*stage =
	    rep.stage == STAGE_SIGNALS ? "signal mask" : privs_stage_name(rep.stage - STAGE_PRIVS);
	log_err(rep.err, "child set-up for %s (%s)", cmd, *stage);
	return SPAWN_NOT_EXECUTABLE;
}

static void prep_free(struct prepared *prep)
{
	for (char **c = prep->paths; prep->own_paths && c != NULL && *c != NULL; c++) {
		free(*c);
	}
	free(prep->paths);
	free(prep->envp);
	free(prep->listen_pid);
}

/* The child exists: its group from this side too, and the rung it was made on. */
static void announce(const struct spawn_req *req, pid_t pid, enum rung rung)
{
	/*
	 * The child's own group, from this side too, as shells do: a signal for the group
	 * (-g) forwarded before the child has run its setpgid() would find no group.
	 * EACCES once the child has exec'd is fine: it did it itself by then.
	 */
	if (!req->setsid) {
		/* Not with setsid: a group leader cannot make a session (EPERM). */
		(void)setpgid(pid, pid);
	}
	if (rung == RUNG_PID) {
		log_warn(0,
		         "spawn=pid pid=%d: no pidfd, signals go by PID (safe only until "
		         "the child is reaped)",
		         (int)pid);
	} else {
		log_info("spawn=%s pid=%d", rung_label[rung], (int)pid);
	}
}

int spawn_child(const struct spawn_req *req, struct proc *out, int *report_fd)
{
	struct prepared prep = {0};
	int pipefd[2], r;
	enum rung rung = RUNG_PID;

	*report_fd = -1;
	prep.paths = exec_candidates(req->argv[0], req->envp, &prep.own_paths);
	prep.envp =
	    exec_env(req->envp, req->privs != NULL ? req->privs->home : NULL, &prep.listen_pid);
	if (prep.paths == NULL || prep.envp == NULL) {
		prep_free(&prep);
		return -ENOMEM;
	}
	/*
	 * No fd left for the report pipe (a tiny RLIMIT_NOFILE): run the child anyway. Its exec
	 * failure then shows only as its exit code 127, without the message.
	 */
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		if (!no_fd_left(errno)) {
			r = -errno;
			prep_free(&prep);
			return r;
		}
		log_warn(errno, "no fd for the exec report pipe: an exec failure will show only as "
		                "exit code 127");
		pipefd[0] = pipefd[1] = -1;
	}
	prep.report_fd = pipefd[1];
	out->pid = create(&out->pidfd, &rung);
	if (out->pid == 0) {
		child_run(req, &prep);
	}
	r = out->pid < 0 ? -errno : 0;
	if (pipefd[1] >= 0) {
		close(pipefd[1]);
	}
	if (r == 0) {
		announce(req, out->pid, rung);
		/*
		 * Never wait for the report here: a child stopped before its exec (Ctrl-Z at
		 * once, a SIGSTOP) would hold the init in read() with every signal unforwarded.
		 * The event loop reads it when it comes.
		 */
		if (pipefd[0] >= 0 && fcntl(pipefd[0], F_SETFL, O_NONBLOCK) < 0) {
			log_warn(errno, "fcntl(O_NONBLOCK) on the exec report pipe");
		}
		*report_fd = pipefd[0];
	} else if (pipefd[0] >= 0) {
		close(pipefd[0]);
	}
	prep_free(&prep);
	return r;
}
