/* Signals to one process through its pidfd, with the kill() fallback (systemd pidref_kill). */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "feature.h"
#include "proc.h"
#include "sys.h"

static const char *error_label(int err)
{
	return err == ESRCH ? "esrch" : err == EPERM ? "eperm" : "error";
}

static int by_kill(const struct proc *p, int sig, bool group, const char **label)
{
	if (kill(group ? -p->pid : p->pid, sig) < 0) {
		*label = error_label(errno);
		return -errno;
	}
	*label = "fallback";
	return 0;
}

/* 1: not sent, go to kill(); 0 or -errno: done. */
static int by_pidfd(const struct proc *p, int sig, bool group, const char **label)
{
	unsigned int flags = 0;
	int err;

	if (p->pidfd < 0 || !feat_maybe(FEATURE_PIDFD_SEND_SIGNAL)) {
		return 1;
	}
	if (group) {
		if (!feat_maybe(FEATURE_PIDFD_PGROUP)) {
			return 1;
		}
		flags = PIDFD_SIGNAL_PROCESS_GROUP;
	}
	if (sys_pidfd_send_signal(p->pidfd, sig, NULL, flags) == 0) {
		feat_note(FEATURE_PIDFD_SEND_SIGNAL, 0);
		if (group) {
			feat_note(FEATURE_PIDFD_PGROUP, 0);
		}
		*label = "ok";
		return 0;
	}
	err = errno;
	/* Before 6.9 an unknown flag is EINVAL: only the group flag is missing. */
	if (group && err == EINVAL && feat_get(FEATURE_PIDFD_PGROUP) != FEAT_YES) {
		feat_note(FEATURE_PIDFD_PGROUP, err);
		return 1;
	}
	if (feat_note(FEATURE_PIDFD_SEND_SIGNAL, err)) {
		return 1;
	}
	/*
	 * EPERM is either a seccomp rule against pidfd_send_signal or a real lack of permission.
	 * Until the call has worked once, ask kill(): if kill() may signal the process, the
	 * syscall is what is refused, and it stays refused.
	 */
	if (err == EPERM && feat_get(FEATURE_PIDFD_SEND_SIGNAL) != FEAT_YES &&
	    kill(group ? -p->pid : p->pid, 0) == 0) {
		feat_note(FEATURE_PIDFD_SEND_SIGNAL, ENOSYS);
		return 1;
	}
	*label = error_label(err);
	return -err;
}

int proc_signal(const struct proc *p, int sig, bool group, const char **label)
{
	int r;

	/* A forgotten handle: pid 0 would make kill() hit the init's own process group. */
	if (p->pid <= 0) {
		*label = "esrch";
		return -ESRCH;
	}
	r = by_pidfd(p, sig, group, label);
	r = r == 1 ? by_kill(p, sig, group, label) : r;
	/*
	 * No such group: the child has not made it yet (it calls setsid() itself, and with
	 * setsid the init cannot make it for it). Then the child alone is the group to be, and
	 * the signal stays pending across its setsid() and exec.
	 */
	if (r == -ESRCH && group) {
		r = proc_signal(p, sig, false, label);
	}
	return r;
}

void proc_close(struct proc *p)
{
	if (p->pidfd >= 0) {
		close(p->pidfd);
	}
	p->pidfd = -1;
	p->pid = 0;
}
