/*
 * deny: install a classic-BPF seccomp filter that makes chosen system calls fail, then exec
 * (style rule 26; crun's tests/no_openat2.c). The integration suite runs the init under it
 * to force each rung of the clone3 -> clone -> pidfd_open -> pid ladder and the kill()
 * fallback for signals.
 *
 *   deny RULE... -- PROGRAM ARGS...
 *   RULE = NAME=ACTION
 *   NAME = clone3 | clone | pidfd_open | pidfd_send_signal | pidfd_getfd | waitid |
 *          close_range | setresuid | setresgid | setgroups | capset | prctl | fcntl |
 *          clone+pidfd | clone+vm (legacy clone only when its flags have CLONE_PIDFD,
 *          or CLONE_VM)
 *   ACTION = ENOSYS | EPERM | EINVAL | E2BIG (the call fails with that errno) |
 *            TRAP (the kernel sends SIGSYS, as SECCOMP_RET_TRAP does) |
 *            KILL (the process dies of SIGSYS, as SECCOMP_RET_KILL_PROCESS makes it)
 *
 * Errors of deny itself: one line on stderr, exit 125. No linux/ UAPI headers (style rule 4).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DENY_ERR 125

#ifndef CLONE_VM
#define CLONE_VM 0x00000100
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

/* <linux/filter.h> and <linux/bpf_common.h> */
#ifndef BPF_LD
struct sock_filter {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};
struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};
#define BPF_LD   0x00
#define BPF_JMP  0x05
#define BPF_RET  0x06
#define BPF_W    0x00
#define BPF_ABS  0x20
#define BPF_JEQ  0x10
#define BPF_JSET 0x40
#define BPF_K    0x00
#define BPF_STMT(code, k)                                                                          \
	(struct sock_filter)                                                                       \
	{                                                                                          \
		(uint16_t)(code), 0, 0, (uint32_t)(k)                                              \
	}
#define BPF_JUMP(code, k, jt, jf)                                                                  \
	(struct sock_filter)                                                                       \
	{                                                                                          \
		(uint16_t)(code), (uint8_t)(jt), (uint8_t)(jf), (uint32_t)(k)                      \
	}
#endif

/* <linux/seccomp.h> */
#ifndef SECCOMP_MODE_FILTER
#define SECCOMP_MODE_FILTER 2
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#define SECCOMP_RET_TRAP         0x00030000U
#define SECCOMP_RET_ERRNO        0x00050000U
#define SECCOMP_RET_ALLOW        0x7fff0000U
#endif
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif

/* struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; */
#define DATA_NR   0
#define DATA_ARCH 4
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define DATA_ARG0_LO 16
#else
#define DATA_ARG0_LO 20
#endif

/* <linux/audit.h>: EM_* | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE */
#if defined(__x86_64__)
#define NATIVE_ARCH 0xc000003eU /* AUDIT_ARCH_X86_64 */
#elif defined(__aarch64__)
#define NATIVE_ARCH 0xc00000b7U /* AUDIT_ARCH_AARCH64 */
#else
#error "deny: add this architecture's AUDIT_ARCH_* value"
#endif

#define NR_CLONE_PIDFD (-1) /* pseudo numbers for the "clone+FLAG" rules */
#define NR_CLONE_VM    (-2)
#define MAX_RULES      16

static const struct {
	const char *name;
	long nr;
} calls[] = {
    {"clone3", SYS_clone3},
    {"clone", SYS_clone},
    {"pidfd_open", SYS_pidfd_open},
    {"pidfd_send_signal", SYS_pidfd_send_signal},
    {"pidfd_getfd", SYS_pidfd_getfd},
    {"waitid", SYS_waitid},
    {"close_range", SYS_close_range},
    {"setresuid", SYS_setresuid},
    {"setresgid", SYS_setresgid},
    {"setgroups", SYS_setgroups},
    {"capset", SYS_capset},
    {"prctl", SYS_prctl},
    {"fcntl", SYS_fcntl},
    {"clone+pidfd", NR_CLONE_PIDFD},
    {"clone+vm", NR_CLONE_VM},
};

static const struct {
	const char *name;
	uint32_t ret;
} actions[] = {
    {"ENOSYS", SECCOMP_RET_ERRNO | ENOSYS},
    {"EPERM", SECCOMP_RET_ERRNO | EPERM},
    {"EINVAL", SECCOMP_RET_ERRNO | EINVAL},
    {"E2BIG", SECCOMP_RET_ERRNO | E2BIG},
    {"TRAP", SECCOMP_RET_TRAP},
    {"KILL", SECCOMP_RET_KILL_PROCESS},
};

struct rule {
	long nr;
	uint32_t ret;
};

static void bad(const char *what, const char *arg) __attribute__((noreturn));

static void bad(const char *what, const char *arg)
{
	dprintf(STDERR_FILENO, "deny: %s '%s'\n", what, arg);
	dprintf(STDERR_FILENO, "usage: deny NAME=ACTION... -- PROGRAM ARGS...\n");
	_exit(DENY_ERR);
}

static struct rule parse_rule(char *arg)
{
	char *eq = strchr(arg, '=');
	struct rule r = {.nr = 0, .ret = 0};
	size_t i;

	if (!eq) {
		bad("rule is not NAME=ACTION:", arg);
	}
	*eq = '\0';
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (strcmp(arg, calls[i].name) == 0) {
			break;
		}
	}
	if (i == sizeof(calls) / sizeof(calls[0])) {
		bad("unknown system call", arg);
	}
	r.nr = calls[i].nr;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(eq + 1, actions[i].name) == 0) {
			r.ret = actions[i].ret;
			return r;
		}
	}
	bad("unknown action", eq + 1);
}

/*
 * Build the program: check the architecture, then one compare per plain rule, then the
 * clone+FLAG rules (they load args[0], so they come after every compare on the number).
 * A system call of a foreign architecture (i386 or x32 entry on x86-64) kills the process:
 * the numbers above would be wrong there, and a loud death beats a silently unfiltered call.
 */
static unsigned short build(const struct rule *rules, int n, struct sock_filter *f)
{
	unsigned short len = 0;
	int flag_rules[MAX_RULES], nflag = 0;

	f[len++] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA_ARCH);
	f[len++] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0);
	f[len++] = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[len++] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA_NR);
#ifdef __x86_64__
	/* x32 calls carry bit 30 with the x86-64 audit arch. */
	f[len++] = BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x40000000U, 0, 1);
	f[len++] = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
	for (int i = 0; i < n; i++) {
		if (rules[i].nr < 0) {
			flag_rules[nflag++] = i;
			continue;
		}
		f[len++] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)rules[i].nr, 0, 1);
		f[len++] = BPF_STMT(BPF_RET | BPF_K, rules[i].ret);
	}
	if (nflag > 0) {
		/* Not clone: over the load and the two instructions of each flag rule. */
		f[len++] =
		    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, (uint8_t)(1 + 2 * nflag));
		f[len++] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA_ARG0_LO);
		for (int k = 0; k < nflag; k++) {
			const struct rule *r = &rules[flag_rules[k]];

			f[len++] = BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
			                    r->nr == NR_CLONE_PIDFD ? CLONE_PIDFD : CLONE_VM, 0, 1);
			f[len++] = BPF_STMT(BPF_RET | BPF_K, r->ret);
		}
	}
	f[len++] = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return len;
}

int main(int argc, char **argv)
{
	struct sock_filter filter[8 + 2 * MAX_RULES + 4];
	struct rule rules[MAX_RULES];
	struct sock_fprog prog;
	int n = 0, i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (n == MAX_RULES) {
			bad("too many rules at", argv[i]);
		}
		rules[n++] = parse_rule(argv[i]);
	}
	if (i + 1 >= argc) {
		bad("no PROGRAM after", "--");
	}
	prog.len = build(rules, n, filter);
	prog.filter = filter;
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs before a filter. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		dprintf(STDERR_FILENO, "deny: prctl(PR_SET_NO_NEW_PRIVS): %s\n", strerror(errno));
		return DENY_ERR;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) {
		dprintf(STDERR_FILENO, "deny: prctl(PR_SET_SECCOMP): %s\n", strerror(errno));
		return DENY_ERR;
	}
	execvp(argv[i + 1], argv + i + 1);
	dprintf(STDERR_FILENO, "deny: exec %s: %s\n", argv[i + 1], strerror(errno));
	return DENY_ERR;
}
