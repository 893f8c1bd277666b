/*
 * Which pidfd features this kernel and this seccomp profile allow. The answer is cached per
 * feature (the only mutable global besides the log level). "Unsupported" is a fixed errno set
 * per call; every other errno is a real error (style rule 5, after crun and systemd).
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

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

/* One throw-away child's work: the probes of @mask from @first on, their answers in @out. */
struct probe_run {
	unsigned mask;
	int first;
	int at;                 /* the probe in progress, FEATURE_COUNT once all have answered */
	int out[FEATURE_COUNT]; /* errno per probe, 0: works */
};

/* The child's stack when it shares the init's memory: the probes are a few calls deep. */
#define PROBE_STACK 16384

/*
 * The throw-away child: run the probes in order, each answer in @arg's out[] as soon as it is
 * there. A probe that a SECCOMP_RET_TRAP or RET_KILL rule kills ends the child, and at says
 * which. SIGSYS is blocked here, but the kernel unblocks a forced SIGSYS and applies SIG_DFL
 * (force_sig_info_to_task), so the trap does kill.
 */
static int probe_child(void *arg)
{
	struct probe_run *run = arg;

	for (int f = run->first; f < FEATURE_COUNT; f++) {
		if (run->mask & (1U << f)) {
			run->at = f;
			run->out[f] = features[f].probe();
		}
	}
	run->at = FEATURE_COUNT;
	_exit(0);
}

/*
 * Make the probe child for @run and reap it. First a child that shares the init's memory and
 * runs while the init waits (CLONE_VM | CLONE_VFORK, as posix_spawn does): no page tables to
 * copy or tear down, most of what a fork costs on a VM (about 0.5 ms each way here). Its death
 * by a filter must stay its own: a kernel before 5.16 kills every process of a shared mm when
 * one dumps core, so the mm is not dumpable meanwhile (which also keeps a killed probe from
 * leaving a core file). An init whose dumpable flag is 2 (which cannot be set back) or cannot
 * be changed forks instead, as it does when a filter refuses that clone. Returns the pid or
 * -errno.
 */
static pid_t probe_spawn(struct probe_run *run)
{
	_Alignas(16) unsigned char stack[PROBE_STACK];
	int was = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), status;
	pid_t pid = -1;

	if (was == 0 || (was == 1 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0)) {
		pid = clone(probe_child, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD,
		            run);
		if (was == 1) {
			(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0); /* allowed a moment ago */
		}
#ifdef __SANITIZE_ADDRESS__
		/* The child's frames poisoned it. */
		ASAN_UNPOISON_MEMORY_REGION(stack, sizeof(stack));
#endif
	}
	if (pid < 0) {
		pid = fork();
		if (pid == 0) {
			(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* no core file from a probe */
			probe_child(run);
		}
	}
	if (pid < 0) {
		return -errno;
	}
	(void)reap_pid(pid, &status); /* the init's only child yet: nothing else is reaped */
	return pid;
}

/*
 * Run the probes of @mask from @first on in one child; record each answer in *out (errno, 0:
 * works, PROBE_TRAPPED for the one that killed the child). The child writes its answers into a
 * shared page: they come back from a child that shares the init's memory, from a fork, and
 * from QEMU's user mode, which makes CLONE_VM | CLONE_VFORK a fork. Returns the feature after
 * the trapped one (where to go on), FEATURE_COUNT when all answered, or -errno when no child
 * could be run.
 */
static int probe_batch(unsigned mask, int first, int *out)
{
	struct probe_run *run =
	    mmap(NULL, sizeof(*run), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int f;

	if (run == MAP_FAILED) {
		return -errno;
	}
	*run = (struct probe_run){.mask = mask, .first = first, .at = first};
	pid = probe_spawn(run);
	f = pid < 0 ? (int)pid : run->at;
	for (int g = first; g < f; g++) {
		out[g] = run->out[g];
	}
	if (f >= 0 && f < FEATURE_COUNT) {
		out[f++] = PROBE_TRAPPED; /* the child died in this probe */
	}
	munmap(run, sizeof(*run));
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
