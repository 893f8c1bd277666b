/*
 * Which pidfd features this kernel and this seccomp profile allow. The answer is cached per
 * feature (the only mutable global besides the log level). "Unsupported" is a fixed errno set
 * per call; every other errno is a real error (style rule 5, after crun and systemd).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "feature.h"
#include "reap.h"
#include "sys.h"

#ifndef PR_GET_SECCOMP
#define PR_GET_SECCOMP 21
#endif

static feat_t cache[FEATURE_COUNT];

/* A probe's answer when the call killed the throw-away child (SECCOMP_RET_TRAP). */
#define PROBE_TRAPPED (-1)

struct feature_desc {
	const char *name;
	int unsupported[3]; /* errno values that mean "not here" (0-terminated) */
	int (*probe)(void); /* a harmless call: returns 0 when the feature answers as it should */
};

/* Each probe passes arguments that a working kernel rejects with one known errno. */
static int expect_errno(long r, int want)
{
	return r == -1 && errno == want ? 0 : (r == -1 ? errno : EINVAL);
}

static int probe_clone3(void)
{
	return expect_errno(sys_clone3(NULL, CLONE_ARGS_SIZE_VER0), EFAULT);
}

static int probe_clone_pidfd(void)
{
	int fd = -1;
	/* CLONE_PARENT_SETTID with the same pointer as the pidfd is refused before any fork. */
	pid_t r = sys_clone_pidfd(CLONE_PARENT_SETTID | SIGCHLD, &fd);

	if (r == 0) {
		_exit(0); /* a kernel without CLONE_PIDFD ignored the flag and forked */
	}
	return r > 0 ? ENOSYS : expect_errno(r, EINVAL);
}

static int probe_pidfd_open(void)
{
	return expect_errno(sys_pidfd_open(0, 0), EINVAL);
}

static int probe_pidfd_send_signal(void)
{
	return expect_errno(sys_pidfd_send_signal(-1, 0, NULL, 0), EBADF);
}

static int probe_pgroup(void)
{
	int fd;

	/* The flag signals the group that the pidfd's process leads: lead one. */
	(void)setpgid(0, 0);
	fd = sys_pidfd_open(getpid(), 0);
	if (fd < 0) {
		return errno;
	}
	return sys_pidfd_send_signal(fd, 0, NULL, PIDFD_SIGNAL_PROCESS_GROUP) == 0 ? 0 : errno;
}

static int probe_waitid_pidfd(void)
{
	siginfo_t si;

	return expect_errno(sys_waitid_pidfd(INT_MAX, &si, WEXITED | WNOHANG), EBADF);
}

static int probe_close_range(void)
{
	return expect_errno(sys_close_range(~0U, 0, 0), EINVAL);
}

static const struct feature_desc features[FEATURE_COUNT] = {
    [FEATURE_CLONE3] = {"clone3", {ENOSYS, EPERM, E2BIG}, probe_clone3},
    [FEATURE_CLONE_PIDFD] = {"clone_pidfd", {ENOSYS, EPERM, EINVAL}, probe_clone_pidfd},
    [FEATURE_PIDFD_OPEN] = {"pidfd_open", {ENOSYS, EPERM}, probe_pidfd_open},
    /* EPERM is ambiguous here (seccomp, or no right to signal): proc.c decides it. */
    [FEATURE_PIDFD_SEND_SIGNAL] = {"pidfd_send_signal", {ENOSYS}, probe_pidfd_send_signal},
    [FEATURE_PIDFD_PGROUP] = {"pidfd_signal_process_group", {EINVAL, ENOSYS, EPERM}, probe_pgroup},
    [FEATURE_WAITID_PIDFD] = {"waitid_pidfd", {EINVAL, ENOSYS, EPERM}, probe_waitid_pidfd},
    [FEATURE_CLOSE_RANGE] = {"close_range", {ENOSYS, EPERM}, probe_close_range},
};

static bool is_unsupported(enum feature f, int err)
{
	for (size_t i = 0; i < 3 && features[f].unsupported[i] != 0; i++) {
		if (features[f].unsupported[i] == err) {
			return true;
		}
	}
	return false;
}

/*
 * Is any seccomp filter in force? 0 from PR_GET_SECCOMP means none; any error means "maybe":
 * EINVAL is also what a filter that denies prctl() answers (seen with one that also traps
 * clone3: taking it for a kernel without seccomp skipped the probes, and clone3 killed the
 * init). A kernel built without seccomp only pays for one probe child.
 */
static bool seccomp_filtered(void)
{
	return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0;
}

/*
 * The throw-away child: run the probes of @mask from @first on, in order, and write one byte
 * per probe to @fd (its errno, 0: works) as soon as it has answered. A probe that a
 * SECCOMP_RET_TRAP rule kills ends the child: the parent sees the bytes so far, then EOF.
 * SIGSYS is blocked here, but the kernel unblocks a forced SIGSYS and applies SIG_DFL
 * (force_sig_info_to_task), so the trap does kill.
 */
static _Noreturn void probe_child(unsigned mask, int first, int fd)
{
	/* No core file from a trapped probe. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	for (int f = first; f < FEATURE_COUNT; f++) {
		if (mask & (1U << f)) {
			unsigned char r = (unsigned char)(features[f].probe() & 0xff);

			if (write(fd, &r, 1) != 1) {
				_exit(1);
			}
		}
	}
	_exit(0);
}

/*
 * Run the probes of @mask from @first on in one child; record each answer in *out (errno, 0:
 * works, PROBE_TRAPPED for the one that killed the child). Returns the feature after the
 * trapped one (where to go on), FEATURE_COUNT when all answered, or -errno when no child
 * could be run.
 */
static int probe_batch(unsigned mask, int first, int *out)
{
	int fd[2], f = first, status;
	unsigned char r;
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC) < 0) {
		return -errno;
	}
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		probe_child(mask, first, fd[1]);
	}
	close(fd[1]);
	if (pid < 0) {
		close(fd[0]);
		return -errno;
	}
	for (; f < FEATURE_COUNT; f++) {
		if (!(mask & (1U << f))) {
			continue;
		}
		if (read(fd[0], &r, 1) != 1) {
			out[f] = PROBE_TRAPPED; /* the child died in this probe */
			f++;
			break;
		}
		out[f] = r;
	}
	close(fd[0]);
	(void)reap_pid(pid, &status); /* the init's only child yet: nothing else is reaped */
	return f;
}

int feat_probe(unsigned mask)
{
	int out[FEATURE_COUNT] = {0}, f = 0;

	if (!seccomp_filtered()) {
		return 0; /* nothing can trap: the real calls answer for themselves */
	}
	while (f < FEATURE_COUNT) {
		f = probe_batch(mask, f, out);
		if (f < 0) {
			/* No probe could run (fork or pipe failed): take no chance with a trap. */
			for (int g = 0; g < FEATURE_COUNT; g++) {
				cache[g] = FEAT_NO;
			}
			return f;
		}
	}
	for (int g = 0; g < FEATURE_COUNT; g++) {
		/* Not probed means not to be tried: the run does not need it. */
		if (!(mask & (1U << g)) || out[g] == PROBE_TRAPPED ||
		    (out[g] > 0 && is_unsupported(g, out[g]))) {
			cache[g] = FEAT_NO;
		}
	}
	return 0;
}

bool feat_maybe(enum feature f)
{
	return cache[f] != FEAT_NO;
}

bool feat_note(enum feature f, int err)
{
	if (err == 0) {
		cache[f] = FEAT_YES;
		return false;
	}
	if (is_unsupported(f, err)) {
		cache[f] = FEAT_NO;
		return true;
	}
	return false;
}

feat_t feat_get(enum feature f)
{
	return cache[f];
}

/* The errno names a --version reader expects to see; others print as numbers. */
static const char *errno_name(int err, char *buf, size_t len)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
	    {ENOSYS, "ENOSYS"}, {EPERM, "EPERM"}, {EINVAL, "EINVAL"}, {E2BIG, "E2BIG"},
	    {EFAULT, "EFAULT"}, {EBADF, "EBADF"}, {EACCES, "EACCES"}, {ESRCH, "ESRCH"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == err) {
			return names[i].name;
		}
	}
	snprintf(buf, len, "errno %d", err);
	return buf;
}

void feat_report(void)
{
	int out[FEATURE_COUNT] = {0}, f = 0;
	char buf[16];

	while (f >= 0 && f < FEATURE_COUNT) {
		f = probe_batch((1U << FEATURE_COUNT) - 1, f, out);
	}
	for (int g = 0; g < FEATURE_COUNT; g++) {
		const char *name = features[g].name;

		if (f < 0) {
			printf("%s: unknown (probe failed)\n", name);
		} else if (out[g] == 0) {
			printf("%s: yes\n", name);
		} else if (out[g] == PROBE_TRAPPED) {
			printf("%s: no (trapped by seccomp: SIGSYS)\n", name);
		} else {
			printf("%s: no (%s)\n", name, errno_name(out[g], buf, sizeof(buf)));
		}
	}
}
