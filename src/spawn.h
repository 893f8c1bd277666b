#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "privs.h"
#include "proc.h"
#include "signals.h"

/* What the child is made from. Everything is prepared before the clone (style rule 8). */
struct spawn_req {
	char **argv;                /* the command; argv[0] is looked up in PATH like execvp */
	char **envp;                /* the environment the init got */
	const struct sigsave *sigs; /* mask and dispositions to restore in the child */
	const struct privs *privs;  /* credentials for the child (-u, --cap-*) */
	bool tty;    /* stdin is our terminal and we are its foreground: hand it to the child */
	bool setsid; /* a session of its own, with stdin as its controlling tty (dumb-init) */
};

/* Exit codes of the shell convention for a command that did not start. */
#define SPAWN_NOT_FOUND      127
#define SPAWN_NOT_EXECUTABLE 126

/*
 * spawn_child() - create the child down the ladder clone3(CLONE_PIDFD) → clone(CLONE_PIDFD) →
 * fork + pidfd_open → fork, each rung only when the one above is unsupported, and log the rung
 * once as spawn=clone3|clone|pidfd_open|pid. The child leads its own process group, gets the
 * init's original signal state back and execs the command.
 *
 * Returns 0 with *out set (out->pidfd is -1 on the last rung) and *report_fd the read end of
 * the exec-report pipe (non-blocking, close-on-exec), for spawn_exec_result(); or -errno when
 * no process could be created at all.
 */
int spawn_child(const struct spawn_req *req, struct proc *out, int *report_fd);

/*
 * spawn_exec_result() - read the exec report from @fd: 0 when the exec succeeded (EOF),
 * SPAWN_NOT_FOUND or SPAWN_NOT_EXECUTABLE when it failed (the message, naming @cmd, is
 * logged as "exec CMD: ERR", or "CMD: ERR" without @verb; a failed set-up before the exec is
 * SPAWN_NOT_EXECUTABLE; *@err and *@stage, "exec" or the set-up stage, say why), -EAGAIN when the
 * child has not got that far yet. The caller closes @fd once the answer is not -EAGAIN.
 */
int spawn_exec_result(int fd, const char *cmd, bool verb, int *err, const char **stage);
