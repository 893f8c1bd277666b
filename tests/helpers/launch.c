/*
 * launch: how the integration tests start the init (style rule 24). Unlike util-linux 2.38
 * `unshare --pid --fork`, it reports exactly how PID 1 ended.
 *
 *   launch [OPTIONS] -- PROGRAM ARGS...
 *   -n         run PROGRAM as PID 1 of a new PID (and mount) namespace with a fresh /proc;
 *              print `launch: pid=N` (host pid), then `launch: exit N` or `launch: signal N`
 *   -d         "parent dies": fork, run PROGRAM in the child with stdin from /dev/null,
 *              print `launch: pid=N`, and exit 0 once our own stdin reaches EOF
 *   -p SIG     SIG pending (blocked) when PROGRAM starts
 *   -b SIG     SIG blocked when PROGRAM starts
 *   -i SIG     SIG ignored when PROGRAM starts
 *   -f N       /dev/null open as fd N (inherited, not close-on-exec)
 *   -e N=V     setenv; -E N: unsetenv
 *   -L         LISTEN_PID=<pid that execs PROGRAM>, in place of any LISTEN_PID entry; each
 *              further -L adds one more identical entry (`-L -L`: a duplicate, which setenv
 *              cannot make)
 *   -H         with -n: keep the host's /proc (no fresh mount), and run PROGRAM as PID 2: the
 *              namespace's PID 1 is launch itself, which reaps everything and exits with
 *              PROGRAM's status (128 + N when a signal N killed it)
 *   -T         PROGRAM leads a session of its own with stdin as its controlling terminal
 *              (setsid, then TIOCSCTTY without force: stdin must be a terminal that no session
 *              holds), as an engine starts PID 1 for `run -t`; with -n, PROGRAM is PID 1
 *   -c WORD    (repeatable) before exec'ing PROGRAM, fork a child that reads one line (or EOF)
 *              from stdin and then runs the command made of the -c words: a child that
 *              PROGRAM inherits, and so a way to give a process with no children of its own
 *              (the init's pause mode) some descendants
 *
 * Applied in the process that execs PROGRAM, right before the exec, in this order (launch's
 * own messages still reach the original stderr):
 *   -2 broken  PROGRAM's stderr is a pipe whose read end is closed (a write raises SIGPIPE)
 *   -2 PATH    PROGRAM's stderr is PATH, opened O_WRONLY|O_CREAT|O_APPEND (mode 0644)
 *   -B SRC:DST (repeatable) bind-mount SRC over DST, in a new mount namespace (made by -n,
 *              else unshared here), with every mount made private first: nothing reaches the
 *              host's mounts. For test copies of /etc/passwd and /etc/group.
 *   -N         a new network namespace (only a loopback, down; privileged ports < 1024 as the
 *              kernel's default, whatever the host's ip_unprivileged_port_start)
 *   -D CAP     (repeatable) drop capability number CAP from the bounding set, so that PROGRAM
 *              runs with neither that bounding bit nor (as root) that permitted one
 *   -I CAP     (repeatable) add capability number CAP to the inheritable set
 *   -A CAP     (repeatable) raise CAP in the ambient set (it must be inheritable: -I CAP)
 *   -G LIST    supplementary groups (comma-separated gids) instead of launch's own (-u
 *              clears them again)
 *   -R NAME=N  (repeatable) setrlimit, soft and hard limit N; NAME: nofile, nproc, fsize
 *   -u UID     setgroups(0), setgid(UID), setuid(UID); with -n the namespace and its /proc
 *              are made as root first. -c children keep launch's identity. With -R nproc the
 *              kernel fails the exec (EAGAIN) if UID already has that many processes.
 *
 * Errors of launch itself: one line on stderr, exit 125.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define LAUNCH_ERR 125
#define MAX_ITEMS  64

extern char **environ;

struct setup {
	int pending[MAX_ITEMS], npending;
	int blocked[MAX_ITEMS], nblocked;
	int ignored[MAX_ITEMS], nignored;
	int fds[MAX_ITEMS], nfds;
	int newpid, parent_dies, listen_pid, host_proc, tty_leader;
	char *pre[MAX_ITEMS + 1];
	int npre;
	const char *stderr_to; /* -2: "broken" or a path; NULL: inherited */
	struct {
		int resource;
		rlim_t value;
	} limits[MAX_ITEMS];
	int nlimits;
	char *binds[MAX_ITEMS]; /* -B SRC:DST as given: SRC ends at the first ':' */
	int nbinds;
	int newnet;
	int bdrop[MAX_ITEMS], nbdrop;
	int inh[MAX_ITEMS], ninh;
	int amb[MAX_ITEMS], namb;
	gid_t groups[MAX_ITEMS];
	int ngroups; /* -1: no -G */
	long uid;    /* -u, or -1 */
	char **argv;
};

/* Where launch's own messages go: stderr, or a close-on-exec copy of it once -2 replaced it. */
static int msg_fd = STDERR_FILENO;

static void fail(const char *what) __attribute__((noreturn));

static void fail(const char *what)
{
	dprintf(msg_fd, "launch: %s: %s\n", what, strerror(errno));
	_exit(LAUNCH_ERR);
}

static void usage(const char *why) __attribute__((noreturn));

static void usage(const char *why)
{
	dprintf(STDERR_FILENO,
	        "launch: %s\nusage: launch [-n|-d] [-p SIG] [-b SIG] [-i SIG] [-f FD] [-e N=V] "
	        "[-E N] [-L]... [-H] [-T] [-c WORD]... [-2 broken|PATH] [-R NAME=N]... "
	        "[-B SRC:DST]... [-N] [-D CAP]... [-I CAP]... [-A CAP]... [-G LIST] [-u UID] -- "
	        "PROGRAM ARGS...\n",
	        why);
	_exit(LAUNCH_ERR);
}

static int number(const char *s, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		dprintf(STDERR_FILENO, "launch: bad number '%s' (want %d..%d)\n", s, lo, hi);
		_exit(LAUNCH_ERR);
	}
	return (int)v;
}

/* -R NAME=N. */
static void add_limit(struct setup *s, char *arg)
{
	static const struct {
		const char *name;
		int resource;
	} names[] = {
	    {"nofile", RLIMIT_NOFILE},
	    {"nproc", RLIMIT_NPROC},
	    {"fsize", RLIMIT_FSIZE},
	};
	char *eq = strchr(arg, '=');

	if (!eq || s->nlimits == MAX_ITEMS) {
		usage("-R wants NAME=N (nofile, nproc, fsize)");
	}
	*eq = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i].name) == 0) {
			s->limits[s->nlimits].resource = names[i].resource;
			s->limits[s->nlimits++].value = (rlim_t)number(eq + 1, 0, INT32_MAX);
			return;
		}
	}
	usage("-R: unknown limit (nofile, nproc, fsize)");
}

static void add(int *list, int *n, int v)
{
	if (*n == MAX_ITEMS) {
		usage("too many options");
	}
	list[(*n)++] = v;
}

static void parse(int argc, char **argv, struct setup *s)
{
	int c;

	/* '+': stop at the first non-option, like the init itself. */
	s->uid = -1;
	s->ngroups = -1;
	while ((c = getopt(argc, argv, "+ndp:b:i:f:e:E:LHTc:2:R:B:ND:I:A:G:u:")) != -1) {
		switch (c) {
		case 'n':
			s->newpid = 1;
			break;
		case 'd':
			s->parent_dies = 1;
			break;
		case 'p':
			add(s->pending, &s->npending, number(optarg, 1, 64));
			break;
		case 'b':
			add(s->blocked, &s->nblocked, number(optarg, 1, 64));
			break;
		case 'i':
			add(s->ignored, &s->nignored, number(optarg, 1, 64));
			break;
		case 'f':
			add(s->fds, &s->nfds, number(optarg, 0, 1023));
			break;
		case 'e': {
			char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg) {
				usage("-e wants NAME=VALUE");
			}
			*eq = '\0';
			if (setenv(optarg, eq + 1, 1) < 0) {
				fail("setenv");
			}
			break;
		}
		case 'E':
			if (unsetenv(optarg) < 0) {
				fail("unsetenv");
			}
			break;
		case 'L':
			s->listen_pid++;
			break;
		case 'H':
			s->host_proc = 1;
			break;
		case 'T':
			s->tty_leader = 1;
			break;
		case 'c':
			if (s->npre == MAX_ITEMS) {
				usage("too many -c words");
			}
			s->pre[s->npre++] = optarg;
			break;
		case '2':
			s->stderr_to = optarg;
			break;
		case 'R':
			add_limit(s, optarg);
			break;
		case 'B':
			if (!strchr(optarg, ':') || optarg[0] == ':' || s->nbinds == MAX_ITEMS) {
				usage("-B wants SRC:DST");
			}
			s->binds[s->nbinds++] = optarg;
			break;
		case 'N':
			s->newnet = 1;
			break;
		case 'D':
			add(s->bdrop, &s->nbdrop, number(optarg, 0, 63));
			break;
		case 'I':
			add(s->inh, &s->ninh, number(optarg, 0, 63));
			break;
		case 'A':
			add(s->amb, &s->namb, number(optarg, 0, 63));
			break;
		case 'G':
			s->ngroups = 0;
			for (char *save = NULL, *g = strtok_r(optarg, ",", &save); g;
			     g = strtok_r(NULL, ",", &save)) {
				if (s->ngroups == MAX_ITEMS) {
					usage("-G: too many groups");
				}
				s->groups[s->ngroups++] = (gid_t)number(g, 0, INT32_MAX);
			}
			break;
		case 'u':
			s->uid = number(optarg, 0, INT32_MAX);
			break;
		default:
			usage("bad option");
		}
	}
	if (s->newpid && s->parent_dies) {
		usage("-n and -d are mutually exclusive");
	}
	if (s->host_proc && !s->newpid) {
		usage("-H needs -n");
	}
	if (optind >= argc) {
		usage("no PROGRAM");
	}
	s->argv = argv + optind;
}

/* -c: the child PROGRAM will inherit; it waits for a line on stdin, then runs the words. */
static void start_pre(const struct setup *s)
{
	char c;
	pid_t pid;

	if (s->npre == 0) {
		return;
	}
	pid = fork();
	if (pid < 0) {
		fail("fork (-c)");
	}
	if (pid > 0) {
		return;
	}
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0 || c == '\n') {
			break;
		}
	}
	execvp(s->pre[0], (char *const *)s->pre);
	dprintf(STDERR_FILENO, "launch: exec %s: %s\n", s->pre[0], strerror(errno));
	_exit(LAUNCH_ERR);
}

/*
 * -L: environ without its LISTEN_PID entries, plus s->listen_pid entries naming us. Built by
 * hand: setenv() keeps one entry per name, and a duplicate is the point of `-L -L`.
 */
static void set_listen_pid(const struct setup *s)
{
	static const char prefix[] = "LISTEN_PID=";
	size_t n = 0, k = 0;
	char **env, *entry;

	if (s->listen_pid == 0) {
		return;
	}
	while (environ && environ[n]) {
		n++;
	}
	env = calloc(n + (size_t)s->listen_pid + 1, sizeof(*env));
	entry = malloc(sizeof(prefix) + 12);
	if (!env || !entry) {
		fail("calloc (-L)");
	}
	snprintf(entry, sizeof(prefix) + 12, "%s%d", prefix, (int)getpid());
	for (size_t i = 0; i < n; i++) {
		if (strncmp(environ[i], prefix, sizeof(prefix) - 1) != 0) {
			env[k++] = environ[i];
		}
	}
	for (int i = 0; i < s->listen_pid; i++) {
		env[k++] = entry;
	}
	environ = env;
}

/* -2: stderr becomes a broken pipe or a file; launch keeps a close-on-exec copy for itself. */
static void redirect_stderr(const struct setup *s)
{
	int fd, p[2];

	if (!s->stderr_to) {
		return;
	}
	msg_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (msg_fd < 0) {
		msg_fd = STDERR_FILENO;
		fail("fcntl(F_DUPFD_CLOEXEC) (-2)");
	}
	if (strcmp(s->stderr_to, "broken") == 0) {
		if (pipe(p) < 0) {
			fail("pipe (-2 broken)");
		}
		close(p[0]); /* no reader, ever: every write is EPIPE + SIGPIPE */
		fd = p[1];
	} else {
		fd = open(s->stderr_to, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0) {
			fail(s->stderr_to);
		}
	}
	if (fd != STDERR_FILENO) {
		if (dup2(fd, STDERR_FILENO) < 0) {
			fail("dup2 (-2)");
		}
		close(fd);
	}
}

/* capget(2)/capset(2), version 3 (no libcap in a static musl helper). */
struct cap_header {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* -I and -A: inheritable entries (capset), then ambient ones (each must be inheritable). */
static void set_inheritable_ambient(const struct setup *s)
{
	struct cap_header h = {.version = 0x20080522, .pid = 0};
	struct cap_data d[2];

	if (s->ninh > 0) {
		if (syscall(SYS_capget, &h, d) < 0) {
			fail("capget (-I)");
		}
		for (int i = 0; i < s->ninh; i++) {
			d[s->inh[i] / 32].inheritable |= 1U << (s->inh[i] % 32);
		}
		if (syscall(SYS_capset, &h, d) < 0) {
			fail("capset (-I)");
		}
	}
	for (int i = 0; i < s->namb; i++) {
		/* PR_CAP_AMBIENT (47), PR_CAP_AMBIENT_RAISE (2) */
		if (prctl(47, 2UL, (unsigned long)s->amb[i], 0UL, 0UL) < 0) {
			fail("prctl(PR_CAP_AMBIENT_RAISE) (-A)");
		}
	}
}

/*
 * -B, -N, -D, -G, -I and -A, while still root: a mount namespace of our own unless -n made
 * one (private mounts first, so the binds stay in it), the binds, a network namespace, the
 * bounding drops, the groups, the inheritable and ambient sets.
 */
static void set_namespaces(const struct setup *s)
{
	if (s->nbinds > 0 && !s->newpid) {
		if (unshare(CLONE_NEWNS) < 0) {
			fail("unshare(CLONE_NEWNS) (-B)");
		}
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
			fail("mount --make-rprivate / (-B)");
		}
	}
	for (int i = 0; i < s->nbinds; i++) {
		const char *src = s->binds[i], *dst = strchr(src, ':') + 1;
		char what[8192];

		snprintf(what, sizeof(what), "%.*s", (int)(dst - 1 - src), src);
		if (mount(what, dst, NULL, MS_BIND, NULL) < 0) {
			snprintf(what, sizeof(what), "mount --bind %.*s %s (-B)",
			         (int)(dst - 1 - src), src, dst);
			fail(what);
		}
	}
	if (s->newnet && unshare(CLONE_NEWNET) < 0) {
		fail("unshare(CLONE_NEWNET) (-N)");
	}
	for (int i = 0; i < s->nbdrop; i++) {
		if (prctl(PR_CAPBSET_DROP, (unsigned long)s->bdrop[i], 0, 0, 0) < 0) {
			fail("prctl(PR_CAPBSET_DROP) (-D)");
		}
	}
	if (s->ngroups >= 0 && setgroups((size_t)s->ngroups, s->groups) < 0) {
		fail("setgroups (-G)");
	}
	set_inheritable_ambient(s);
}

/* -R, then -u (as root, any limit can be set; the limits do not stop setuid itself). */
static void set_limits_and_uid(const struct setup *s)
{
	for (int i = 0; i < s->nlimits; i++) {
		struct rlimit rl = {.rlim_cur = s->limits[i].value, .rlim_max = s->limits[i].value};

		if (setrlimit(s->limits[i].resource, &rl) < 0) {
			fail("setrlimit (-R)");
		}
	}
	if (s->uid < 0) {
		return;
	}
	if (setgroups(0, NULL) < 0) {
		fail("setgroups (-u)");
	}
	if (setgid((gid_t)s->uid) < 0) {
		fail("setgid (-u)");
	}
	if (setuid((uid_t)s->uid) < 0) {
		fail("setuid (-u)");
	}
}

/*
 * In the process that becomes PROGRAM: dispositions, mask, fds, environment, stderr, limits,
 * identity, pending signals, then exec. Uses getpid() rather than raise(): after a raw clone
 * musl's cached thread id (which raise() uses) is stale.
 */
static void setup_and_exec(const struct setup *s)
{
	uint64_t mask = 0;

	if (s->tty_leader && (setsid() < 0 || ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)) {
		fail("setsid + TIOCSCTTY (-T)");
	}
	start_pre(s);

	for (int i = 0; i < s->nignored; i++) {
		if (signal(s->ignored[i], SIG_IGN) == SIG_ERR) {
			fail("signal(SIG_IGN)");
		}
	}
	for (int i = 0; i < s->nblocked; i++) {
		mask |= (uint64_t)1 << (s->blocked[i] - 1);
	}
	for (int i = 0; i < s->npending; i++) {
		mask |= (uint64_t)1 << (s->pending[i] - 1);
	}
	/* The raw call: musl's sigprocmask refuses 32..34, the implementation's own. */
	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask)) < 0) {
		fail("rt_sigprocmask");
	}
	for (int i = 0; i < s->nfds; i++) {
		int fd = open("/dev/null", O_RDWR);

		if (fd < 0) {
			fail("open /dev/null");
		}
		if (fd != s->fds[i]) {
			if (dup2(fd, s->fds[i]) < 0) {
				fail("dup2");
			}
			close(fd);
		}
	}
	set_listen_pid(s);
	redirect_stderr(s);
	set_namespaces(s);
	set_limits_and_uid(s);
	for (int i = 0; i < s->npending; i++) {
		if (kill(getpid(), s->pending[i]) < 0) {
			fail("kill(self)");
		}
	}
	execvp(s->argv[0], s->argv);
	dprintf(msg_fd, "launch: exec %s: %s\n", s->argv[0], strerror(errno));
	_exit(LAUNCH_ERR);
}

/*
 * Child of -n -H: stay PID 1 of the namespace (with the host's /proc), run PROGRAM as PID 2,
 * reap every orphan that comes to us, and exit with PROGRAM's status.
 */
static void host_proc_child(const struct setup *s)
{
	pid_t pid = fork(), r;
	int st;

	if (pid < 0) {
		fail("fork (-H)");
	}
	if (pid == 0) {
		setup_and_exec(s);
	}
	while ((r = waitpid(-1, &st, 0)) != pid) {
		if (r < 0 && errno != EINTR) {
			fail("waitpid (-H)");
		}
	}
	_exit(WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
}

/* Child of -n: PID 1 of the new namespace, with a /proc that shows that namespace. */
static void namespace_child(const struct setup *s)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fail("mount --make-rprivate /");
	}
	if (s->host_proc) {
		host_proc_child(s);
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		fail("mount proc /proc");
	}
	setup_and_exec(s);
}

static pid_t wait_for(pid_t pid, int *st)
{
	pid_t r;

	while ((r = waitpid(pid, st, 0)) < 0 && errno == EINTR) {
	}
	return r;
}

static int run_newpid(const struct setup *s)
{
	int st;
	/*
	 * A raw clone with no new stack behaves like fork (flags first: x86-64 and arm64; s390
	 * swaps the first two arguments, which this test helper does not support).
	 */
	long pid = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, 0, NULL, NULL, 0);

	if (pid < 0) {
		fail("clone(CLONE_NEWPID|CLONE_NEWNS)");
	}
	if (pid == 0) {
		namespace_child(s);
	}
	dprintf(STDERR_FILENO, "launch: pid=%ld\n", pid);
	if (wait_for((pid_t)pid, &st) < 0) {
		fail("waitpid");
	}
	if (WIFSIGNALED(st)) {
		dprintf(STDERR_FILENO, "launch: signal %d\n", WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	dprintf(STDERR_FILENO, "launch: exit %d\n", WEXITSTATUS(st));
	return WEXITSTATUS(st);
}

static int run_parent_dies(const struct setup *s)
{
	char buf[256];
	pid_t pid = fork();

	if (pid < 0) {
		fail("fork");
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0) {
			fail("stdin from /dev/null");
		}
		if (fd != STDIN_FILENO) {
			close(fd);
		}
		setup_and_exec(s);
	}
	dprintf(STDERR_FILENO, "launch: pid=%d\n", (int)pid);
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

		if (n == 0 || (n < 0 && errno != EINTR)) {
			return 0;
		}
	}
}

int main(int argc, char **argv)
{
	struct setup s = {0};

	parse(argc, argv, &s);
	if (s.newpid) {
		return run_newpid(&s);
	}
	if (s.parent_dies) {
		return run_parent_dies(&s);
	}
	setup_and_exec(&s);
}
