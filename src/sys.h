#pragma once
/*
 * Every raw system call the init makes, in one place (style rule 3). Each wrapper keeps libc
 * semantics (-1 and errno), answers ENOSYS when the libc headers lack the number, and names
 * the kernel version that added the call. The UAPI bits libc does not give us are defined
 * here under #ifndef, because musl-gcc cannot see the kernel headers (rule 4).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2) /* Linux 6.9 */
#endif
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifndef P_PIDFD
#define P_PIDFD 3 /* waitid(2): Linux 5.4 */
#endif
#ifndef CLONE_ARGS_SIZE_VER0
#define CLONE_ARGS_SIZE_VER0 64 /* the first published struct clone_args */
#endif
#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#endif

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT           47 /* Linux 4.3 */
#define PR_CAP_AMBIENT_RAISE     2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38 /* Linux 3.5 */
#endif

/* include/uapi/linux/capability.h: capset(2) with 64-bit sets, two 32-bit halves each. */
#define SYS_CAP_VERSION_3 0x20080522
struct sys_cap_header {
	uint32_t version;
	int pid;
};
struct sys_cap_data {
	uint32_t effective, permitted, inheritable;
};

/*
 * 32-bit ARM and i386 have 16-bit ids on the old numbers; the *32 calls take full ids.
 */
#ifdef SYS_setresuid32
#define SYS_INIT_SETRESUID SYS_setresuid32
#define SYS_INIT_SETRESGID SYS_setresgid32
#define SYS_INIT_SETGROUPS SYS_setgroups32
#else
#define SYS_INIT_SETRESUID SYS_setresuid
#define SYS_INIT_SETRESGID SYS_setresgid
#define SYS_INIT_SETGROUPS SYS_setgroups
#endif

/* include/uapi/linux/sched.h, the version-0 layout every clone3 kernel accepts. */
struct sys_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
};

/* clone3(2): Linux 5.3. With stack 0 the child runs on a copy of ours, like fork(). */
static inline pid_t sys_clone3(struct sys_clone_args *args, size_t size)
{
#ifdef SYS_clone3
	return (pid_t)syscall(SYS_clone3, args, size);
#else
	(void)args;
	(void)size;
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * clone(2) with CLONE_PIDFD (Linux 5.2): the kernel stores the pidfd through the parent_tid
 * argument, the third on x86-64 and arm64. s390 swaps flags and stack (CLONE_BACKWARDS2,
 * as in bubblewrap's raw_clone). Stack 0 means "a copy of ours", as fork() does.
 */
static inline pid_t sys_clone_pidfd(unsigned long flags, int *pidfd)
{
#if defined(__s390__) || defined(__CRIS__)
	return (pid_t)syscall(SYS_clone, 0UL, flags | CLONE_PIDFD, pidfd, NULL, 0UL);
#else
	return (pid_t)syscall(SYS_clone, flags | CLONE_PIDFD, 0UL, pidfd, NULL, 0UL);
#endif
}

/* pidfd_open(2): Linux 5.3. Never name this pidfd_open: glibc >= 2.36 declares that. */
static inline int sys_pidfd_open(pid_t pid, unsigned int flags)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, flags);
#else
	(void)pid;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

/* pidfd_send_signal(2): Linux 5.1; PIDFD_SIGNAL_PROCESS_GROUP in @flags: Linux 6.9. */
static inline int sys_pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
#ifdef SYS_pidfd_send_signal
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags);
#else
	(void)pidfd;
	(void)sig;
	(void)info;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

/* close_range(2): Linux 5.9. */
static inline int sys_close_range(unsigned int first, unsigned int last, unsigned int flags)
{
#ifdef SYS_close_range
	return (int)syscall(SYS_close_range, first, last, flags);
#else
	(void)first;
	(void)last;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * rt_sigprocmask(2) on the kernel's 64-bit mask. libc's sigset_t helpers refuse the signals
 * libc keeps for itself (musl: 32-34, glibc: 32-33), but the init must hold every one of them.
 */
static inline int sys_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
	return (int)syscall(SYS_rt_sigprocmask, how, set, old, sizeof(uint64_t));
}

/* rt_sigpending(2) on the same 64-bit mask. */
static inline int sys_sigpending(uint64_t *set)
{
	return (int)syscall(SYS_rt_sigpending, set, sizeof(uint64_t));
}

/* signalfd4(2): Linux 2.6.27, on the same 64-bit mask. */
static inline int sys_signalfd(const uint64_t *mask, int flags)
{
	return (int)syscall(SYS_signalfd4, -1, mask, sizeof(uint64_t), flags);
}

/* waitid(P_PIDFD) probe: Linux 5.4. Raw, so that it needs no libc support for P_PIDFD. */
static inline int sys_waitid_pidfd(int pidfd, siginfo_t *info, int options)
{
	return (int)syscall(SYS_waitid, P_PIDFD, pidfd, info, options, NULL);
}

/* getpid(2) straight from the kernel: valid in a child made by a raw clone. */
static inline pid_t sys_getpid(void)
{
	return (pid_t)syscall(SYS_getpid);
}

/*
 * The credential calls for the child between clone and exec. Raw, because musl's setresuid()
 * and setgroups() go through __synccall to reach every thread, which is not safe in a
 * process libc does not know exists (style rule 8); and the kernel changes only the calling
 * thread, which is all the child has.
 */
static inline int sys_setgroups(size_t n, const uint32_t *groups)
{
	return (int)syscall(SYS_INIT_SETGROUPS, n, groups);
}

static inline int sys_setresgid(uint32_t gid)
{
	return (int)syscall(SYS_INIT_SETRESGID, gid, gid, gid);
}

static inline int sys_setresuid(uint32_t uid)
{
	return (int)syscall(SYS_INIT_SETRESUID, uid, uid, uid);
}

/* capset(2) of the calling thread: effective, permitted and inheritable in one call. */
static inline int sys_capset(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct sys_cap_header h = {.version = SYS_CAP_VERSION_3, .pid = 0};
	struct sys_cap_data d[2] = {
	    {(uint32_t)eff, (uint32_t)prm, (uint32_t)inh},
	    {(uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32)},
	};

	return (int)syscall(SYS_capset, &h, d);
}

static inline int sys_prctl(int op, unsigned long a2, unsigned long a3)
{
	return (int)syscall(SYS_prctl, op, a2, a3, 0UL, 0UL);
}
