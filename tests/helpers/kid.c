/*
 * kid: the multi-call test child (dumb-init's print_signals idea, crun's tests/init.c shape).
 * Built static with musl-gcc; every line goes out with one write(2) so the harness sees whole
 * lines even when stdout is a pipe. `kid MODE ARGS...`; extra arguments are ignored.
 */
/* clang-format off */
/*
 *   exit N           exit with N
 *   kill SIG         die by SIG (exit 99 if still alive)
 *   sigs             block 1..64, print `ready pid=P pgid=G`, then `sig N` per signal;
 *                    exit 0 on 15
 *   group            like sigs, with a grandchild in the same group printing `gc sig N`
 *   state            print the signal mask, ignored set, fds, ids (pgid, sid, pid, ppid; 0 for
 *                    one outside the PID namespace), cwd, LISTEN_PID (the first entry:
 *                    `listen_pid V`; all of them: `listen_pid_all V1,V2`, `unset` when none),
 *                    the count of environ strings without '=' (`env_malformed N`), then `done`;
 *                    wait for EOF
 *   creds            print the credentials /proc/self/status shows: `uid R E S FS`,
 *                    `gid R E S FS`, `groups G...` (as the kernel lists them; `groups none`
 *                    when empty),
 *                    `capinh X`, `capprm X`, `capeff X`, `capbnd X`, `capamb X` (16 hex
 *                    digits), `nonewprivs N`, then `home V` (every HOME entry of environ,
 *                    comma-separated: a duplicate shows; `home unset` when none) and `done`;
 *                    wait for EOF on stdin
 *   bind PORT        bind a TCP socket to INADDR_ANY:PORT; print `bind ok` or `bind ERRNO`
 *                    (EACCES, EADDRINUSE... or the number) and exit 0
 *   orphans N        orphan N grandchildren, print `orphaned N` and `adopted=A` (how many the
 *                    init adopted), let them exit at once, print `left=L` when the init reaped
 *                    them (L=0) or after 20 s; exit 0 only if A == N and L == 0
 *   deaf             like sigs, but SIGTERM does not end it: `sig N` lines until killed
 *   tree CODE SPEC...
 *                    build a tree of nodes (below), print `node I pid=P` for each and
 *                    `tree ready`, then wait for EOF on stdin, print `main exit CODE` and exit
 *                    CODE; the nodes live on.
 *                    The I-th SPEC (from 1) describes node I: the index of its parent (0: the
 *                    kid itself, else an earlier node), then flags:
 *                      t  print `node I got TERM` on SIGTERM and exit 0
 *                      i  ignore SIGTERM
 *                      s  setsid first
 *                      z  stop itself with SIGSTOP once ready
 *                    `kid tree 0 0t 1is`: node 1, a child of the kid, reports SIGTERM; node 2,
 *                    node 1's child, in a session of its own, ignores it.
 *   chain            print `chain pid=P` (the kid's pid), start a fork-and-exit chain in a
 *                    process of its own, and exit 0 once it has run 50 generations, leaving
 *                    the chain behind: each generation forks the next and _exits at once,
 *                    forever (a new one every few tens of microseconds, the cost of a fork).
 *                    Its members have stdout and stderr on /dev/null and ignore SIGTERM.
 *                    Safety valve: a generation that finds its stdin pipe hung up (every
 *                    writer gone; the harness closes it when the run ends) stops the chain,
 *                    so a chain that escaped the init cannot outlive the test.
 *   root             from a setuid-root copy of kid: setresuid(0, 0, 0), ignore SIGTERM,
 *                    print `root pid=P` and pause until killed (exit 98 if not setuid root)
 *   bg PROGRAM ARG... -- MODE ARGS...
 *                    fork and exec PROGRAM ARGS as a child of its own (not waited for), then
 *                    go on as `kid MODE ARGS...`
 *   sleep MS         sleep MS milliseconds
 *   sleepforever     pause until killed
 *   mark PATH        create PATH
 *   try NAME         call syscall NAME with bad arguments and print the errno it got
 */
/* clang-format on */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_PARENT_SETTID
#define CLONE_PARENT_SETTID 0x00100000
#endif

extern char **environ;

/* Every signal 1..64 as the kernel's 64-bit mask; SIGKILL and SIGSTOP are ignored by it. */
#define ALL_SIGNALS (~(uint64_t)0)

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One formatted line, one write(2): lines from kid and grandchild never interleave. */
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	if ((size_t)n >= sizeof(buf)) {
		n = sizeof(buf) - 1;
	}
	for (int off = 0; off < n;) {
		ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));

		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			_exit(97);
		}
		off += (int)w;
	}
}

static void die(const char *what) __attribute__((noreturn));

static void die(const char *what)
{
	dprintf(STDERR_FILENO, "kid: %s: %s\n", what, strerror(errno));
	_exit(98);
}

static long number(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end) {
		dprintf(STDERR_FILENO, "kid: bad number '%s'\n", s);
		_exit(98);
	}
	return v;
}

/*
 * Block 1..64 with the raw syscall (musl's sigfillset leaves out 32-34, the implementation's
 * own) and return a signalfd for the same set.
 */
static int block_all_signalfd(void)
{
	uint64_t mask = ALL_SIGNALS;
	int fd;

	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask)) < 0) {
		die("rt_sigprocmask");
	}
	fd = (int)syscall(SYS_signalfd4, -1, &mask, sizeof(mask), 0);
	if (fd < 0) {
		die("signalfd4");
	}
	return fd;
}

/* Print `PREFIXsig N` for every signal read; return once SIGTERM was printed (if term_ends). */
static void print_signals_until(int sfd, const char *prefix, bool term_ends)
{
	struct signalfd_siginfo si[64];

	for (;;) {
		ssize_t n = read(sfd, si, sizeof(si));

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			die("read(signalfd)");
		}
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			say("%ssig %u\n", prefix, si[i].ssi_signo);
			if (si[i].ssi_signo == SIGTERM && term_ends) {
				return;
			}
		}
	}
}

static void print_signals(int sfd, const char *prefix)
{
	print_signals_until(sfd, prefix, true);
}

static int mode_sigs(void)
{
	int sfd = block_all_signalfd();

	say("ready pid=%d pgid=%d\n", (int)getpid(), (int)getpgrp());
	print_signals(sfd, "");
	return 0;
}

static int mode_deaf(void)
{
	int sfd = block_all_signalfd();

	say("ready pid=%d pgid=%d\n", (int)getpid(), (int)getpgrp());
	print_signals_until(sfd, "", false);
	return 0;
}

/* One node of `kid tree`: its parent's index and what it does. */
struct node {
	int parent;
	bool term, ignore, setsid, stop;
};

#define MAX_NODES 64

static struct node nodes[MAX_NODES];
static int nnodes;
/* What the SIGTERM handler of a `t` node writes, prepared before it is installed. */
static char term_msg[64];
static size_t term_len;

static void on_term(int sig)
{
	(void)sig;
	(void)!write(STDOUT_FILENO, term_msg, term_len);
	_exit(0);
}

static void parse_node(const char *spec, int index, struct node *n)
{
	char *end;
	long p;

	errno = 0;
	p = strtol(spec, &end, 10);
	if (errno || end == spec || p < 0 || p >= index) {
		dprintf(STDERR_FILENO, "kid: node %d: bad spec '%s' (parent must be < %d)\n", index,
		        spec, index);
		_exit(98);
	}
	*n = (struct node){.parent = (int)p};
	for (; *end; end++) {
		if (*end == 't') {
			n->term = true;
		} else if (*end == 'i') {
			n->ignore = true;
		} else if (*end == 's') {
			n->setsid = true;
		} else if (*end == 'z') {
			n->stop = true;
		} else if (*end != ':') {
			dprintf(STDERR_FILENO, "kid: node %d: bad flag '%c'\n", index, *end);
			_exit(98);
		}
	}
}

static void spawn_nodes(int parent, int ready);

/* In the new node I: set it up, start its own children, report, then live until killed. */
static void node_main(int i, int ready)
{
	uint64_t none = 0;

	if (nodes[i].setsid && setsid() < 0) {
		die("setsid");
	}
	signal(SIGTERM, SIG_DFL);
	if (nodes[i].ignore) {
		signal(SIGTERM, SIG_IGN);
	} else if (nodes[i].term) {
		struct sigaction sa = {.sa_handler = on_term};

		sigemptyset(&sa.sa_mask);
		term_len = (size_t)snprintf(term_msg, sizeof(term_msg), "node %d got TERM\n", i);
		if (sigaction(SIGTERM, &sa, NULL) < 0) {
			die("sigaction");
		}
	}
	/* Whatever the kid inherited, the node's SIGTERM is not blocked. */
	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none)) < 0) {
		die("rt_sigprocmask");
	}
	spawn_nodes(i, ready);
	say("node %d pid=%d\n", i, (int)getpid());
	if (write(ready, "r", 1) != 1) {
		die("write(ready)");
	}
	close(ready);
	if (nodes[i].stop) {
		kill(getpid(), SIGSTOP); /* a stopped job: only SIGCONT lets it see SIGTERM */
	}
	for (;;) {
		pause();
	}
}

/* Fork every node whose parent is PARENT (0: the kid itself). */
static void spawn_nodes(int parent, int ready)
{
	for (int i = 1; i <= nnodes; i++) {
		pid_t p;

		if (nodes[i].parent != parent) {
			continue;
		}
		p = fork();
		if (p < 0) {
			die("fork");
		}
		if (p == 0) {
			node_main(i, ready);
		}
	}
}

static int mode_tree(int code, int argc, char **argv)
{
	int ready[2];
	char c;

	if (argc < 1 || argc >= MAX_NODES) {
		dprintf(STDERR_FILENO, "kid: tree wants 1..%d nodes\n", MAX_NODES - 1);
		return 98;
	}
	nnodes = argc;
	for (int i = 1; i <= nnodes; i++) {
		parse_node(argv[i - 1], i, &nodes[i]);
	}
	if (pipe(ready) < 0) {
		die("pipe");
	}
	spawn_nodes(0, ready[1]);
	close(ready[1]);
	for (int got = 0; got < nnodes;) {
		ssize_t n = read(ready[0], &c, 1);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			dprintf(STDERR_FILENO, "kid: %d of %d nodes got ready\n", got, nnodes);
			return 98;
		}
		got++;
	}
	close(ready[0]);
	say("tree ready\n");
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
	}
	say("main exit %d\n", code);
	return code;
}

static int mode_group(void)
{
	int sfd = block_all_signalfd();
	int sync[2];
	pid_t gc;
	char c;

	if (pipe(sync) < 0) {
		die("pipe");
	}
	gc = fork();
	if (gc < 0) {
		die("fork");
	}
	if (gc == 0) {
		/* The mask is inherited; the signalfd is shared, so make our own. */
		uint64_t mask = ALL_SIGNALS;
		int gfd = (int)syscall(SYS_signalfd4, -1, &mask, sizeof(mask), 0);

		if (gfd < 0) {
			die("signalfd4");
		}
		close(sfd);
		close(sync[0]);
		say("gc ready\n");
		if (write(sync[1], "r", 1) != 1) {
			die("write(sync)");
		}
		close(sync[1]);
		print_signals(gfd, "gc ");
		_exit(0);
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) != 1) {
		die("grandchild did not get ready");
	}
	close(sync[0]);
	say("ready pid=%d pgid=%d gc=%d\n", (int)getpid(), (int)getpgrp(), (int)gc);
	print_signals(sfd, "");
	while (waitpid(gc, NULL, 0) < 0) {
		if (errno != EINTR) {
			die("waitpid(grandchild)");
		}
	}
	return 0;
}

/* Copy the 16 hex digits after "KEY:\t" in /proc/self/status into out. */
static void status_field(const char *key, char *out, size_t outsz)
{
	char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/status", "re");

	snprintf(out, outsz, "missing");
	if (!f) {
		die("open /proc/self/status");
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char *v = line + klen + 1;

			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(out, outsz, "%s", v);
			break;
		}
	}
	fclose(f);
}

static int mode_state(void)
{
	char blk[64], ign[64], fds[1024] = "", cwd[4096], all[1024] = "";
	const char *lp = getenv("LISTEN_PID");
	int malformed = 0;
	struct dirent *de;
	DIR *d;
	char c;

	/* Every LISTEN_PID entry, not only the first one getenv() finds. */
	for (char **e = environ; e && *e; e++) {
		size_t len = strlen(all);

		if (!strchr(*e, '=')) {
			malformed++;
		} else if (strncmp(*e, "LISTEN_PID=", 11) == 0) {
			snprintf(all + len, sizeof(all) - len, "%s%s", len ? "," : "", *e + 11);
		}
	}

	/* Read everything before printing anything: stdio may open nothing extra meanwhile. */
	status_field("SigBlk", blk, sizeof(blk));
	status_field("SigIgn", ign, sizeof(ign));
	d = opendir("/proc/self/fd");
	if (!d) {
		die("opendir /proc/self/fd");
	}
	while ((de = readdir(d))) {
		size_t len = strlen(fds);

		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d)) {
			continue;
		}
		snprintf(fds + len, sizeof(fds) - len, "%s%s", len ? " " : "", de->d_name);
	}
	closedir(d);
	if (!getcwd(cwd, sizeof(cwd))) {
		die("getcwd");
	}
	say("sigblk %s\n", blk);
	say("sigign %s\n", ign);
	say("fds %s\n", fds);
	say("pgid %d\n", (int)getpgrp());
	say("sid %d\n", (int)getsid(0));
	say("pid %d\n", (int)getpid());
	say("ppid %d\n", (int)getppid());
	say("cwd %s\n", cwd);
	say("listen_pid %s\n", lp ? lp : "unset");
	say("listen_pid_all %s\n", all[0] ? all : "unset");
	say("env_malformed %d\n", malformed);
	say("done\n");
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return 0;
		}
	}
}

/* Wait for EOF on stdin (the harness closes it to end the kid). */
static int wait_eof(void)
{
	char c;

	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return 0;
		}
	}
}

/* `KEY v1 v2 ...` from the whitespace-separated value of KEY in /proc/self/status. */
static void say_words(const char *name, const char *key, const char *if_empty)
{
	char v[512], out[512] = "";
	size_t o = 0;

	status_field(key, v, sizeof(v));
	for (char *save = NULL, *w = strtok_r(v, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", o ? " " : "", w);
		if (o >= sizeof(out)) {
			break;
		}
	}
	say("%s %s\n", name, out[0] ? out : if_empty);
}

static int mode_creds(void)
{
	static const struct {
		const char *name, *key;
	} caps[] = {
	    {"capinh", "CapInh"}, {"capprm", "CapPrm"}, {"capeff", "CapEff"},
	    {"capbnd", "CapBnd"}, {"capamb", "CapAmb"}, {"nonewprivs", "NoNewPrivs"},
	};
	char home[1024] = "";

	for (char **e = environ; e && *e; e++) {
		size_t len = strlen(home);

		if (strncmp(*e, "HOME=", 5) == 0) {
			snprintf(home + len, sizeof(home) - len, "%s%s", len ? "," : "", *e + 5);
		}
	}
	say_words("uid", "Uid", "missing");
	say_words("gid", "Gid", "missing");
	say_words("groups", "Groups", "none");
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		say_words(caps[i].name, caps[i].key, "missing");
	}
	say("home %s\n", home[0] ? home : "unset");
	say("done\n");
	return wait_eof();
}

/*
 * The middle process: fork n grandchildren that wait for EOF on rfd, then exit. Their pids go
 * to the shared array gc, so the kid can follow exactly them (the init may have children of
 * its own, such as feature probes).
 */
static void orphan_middle(long n, int rfd, int wfd, pid_t *gc)
{
	int busy = 0;

	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		/* EAGAIN: the machine's PIDs are short for a moment (a parallel test); wait a bit.
		 */
		if (p < 0 && errno == EAGAIN && busy++ < 200) {
			usleep(50000);
			i--;
			continue;
		}
		if (p < 0) {
			dprintf(STDERR_FILENO, "kid: fork %ld of %ld: %s\n", i + 1, n,
			        strerror(errno));
			_exit(2);
		}
		if (p == 0) {
			char c;
			ssize_t r;

			close(wfd);
			do {
				r = read(rfd, &c, 1);
			} while (r > 0 || (r < 0 && errno == EINTR));
			_exit(0);
		}
		gc[i] = p;
	}
	_exit(0);
}

/*
 * Of the grandchildren still listed in gc, count those whose parent is ppid (and the zombies
 * among them). One that is gone, or whose pid now belongs to someone else's child, is struck
 * from the list; with `show`, each one counted is listed on stderr.
 */
static void count_adopted(pid_t *gc, long n, pid_t ppid, long *count, long *zombies, bool show)
{
	*count = 0;
	*zombies = 0;
	for (long i = 0; i < n; i++) {
		char path[64], line[256], state = '?';
		long pp = -1;
		FILE *f;

		if (gc[i] == 0) {
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/status", (int)gc[i]);
		f = fopen(path, "re");
		if (!f) {
			gc[i] = 0; /* reaped */
			continue;
		}
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, "State:", 6) == 0) {
				state = line[6 + strspn(line + 6, " \t")];
			} else if (strncmp(line, "PPid:", 5) == 0) {
				pp = atol(line + 5);
				break;
			}
		}
		fclose(f);
		if (pp != ppid) {
			if (show) {
				dprintf(STDERR_FILENO, "kid: pid %d has parent %ld, not %d\n",
				        (int)gc[i], pp, (int)ppid);
			}
			gc[i] = 0;
			continue;
		}
		if (show) {
			dprintf(STDERR_FILENO, "kid: pid %d state %c\n", (int)gc[i], state);
		}
		(*count)++;
		*zombies += state == 'Z';
	}
}

static int mode_orphans(long n)
{
	struct timespec tick = {.tv_nsec = 50 * 1000 * 1000};
	long left = -1, zombies = 0, adopted = 0;
	pid_t *gc, init = getppid();
	int p[2], st;
	pid_t m;

	if (n < 1) {
		dprintf(STDERR_FILENO, "kid: orphans wants N >= 1\n");
		return 98;
	}
	gc = mmap(NULL, (size_t)n * sizeof(*gc), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	          -1, 0);
	if (gc == MAP_FAILED) {
		die("mmap");
	}
	if (pipe(p) < 0) {
		die("pipe");
	}
	m = fork();
	if (m < 0) {
		die("fork");
	}
	if (m == 0) {
		orphan_middle(n, p[0], p[1], gc);
	}
	close(p[0]);
	while (waitpid(m, &st, 0) < 0) {
		if (errno != EINTR) {
			die("waitpid(middle)");
		}
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		say("fork failed\n");
		close(p[1]);
		return 2;
	}
	say("orphaned %ld\n", n);
	/* M's exit re-parented them before waitpid returned: all must be the init's now. */
	count_adopted(gc, n, init, &adopted, &zombies, false);
	say("adopted=%ld\n", adopted);
	close(p[1]);
	for (int i = 0; i < 400; i++) {
		count_adopted(gc, n, init, &left, &zombies, i == 399);
		if (left == 0) {
			break;
		}
		nanosleep(&tick, NULL);
	}
	if (left) {
		dprintf(STDERR_FILENO, "kid: %ld left, %ld of them zombies\n", left, zombies);
	}
	say("left=%ld\n", left);
	return left == 0 && adopted == n ? 0 : 1;
}

static int mode_sleep(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR) {
			die("nanosleep");
		}
	}
	return 0;
}

static int mode_kill(int sig)
{
	uint64_t none = 0;

	/* No core file: a pipe core_pattern (systemd-coredump) would make this slow. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(sig, SIG_DFL);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
	kill(getpid(), sig);
	return 99;
}

static const struct {
	int err;
	const char *name;
} errnames[] = {
    {EFAULT, "EFAULT"}, {EINVAL, "EINVAL"}, {EBADF, "EBADF"},
    {ENOSYS, "ENOSYS"}, {EPERM, "EPERM"},   {E2BIG, "E2BIG"},
    {ESRCH, "ESRCH"},   {EACCES, "EACCES"}, {EADDRINUSE, "EADDRINUSE"},
};

/* `PREFIX NAME` for ERR, or `PREFIX N` for one not in the table. */
static void say_errno(const char *prefix, int err)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++) {
		if (errnames[i].err == err) {
			say("%s %s\n", prefix, errnames[i].name);
			return;
		}
	}
	say("%s %d\n", prefix, err);
}

static int mode_bind(long port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		die("socket");
	}
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		say_errno("bind", errno);
	} else {
		say("bind ok\n");
	}
	close(fd);
	return 0;
}

/* A raw clone that unexpectedly succeeded returns 0 in a new child: end that child quietly. */
static long clone_guard(long r)
{
	if (r == 0) {
		_exit(0);
	}
	return r;
}

/*
 * Call NAME with arguments an unfiltered kernel rejects with a known errno, so that a
 * different answer proves a seccomp filter is in force (bubblewrap's try-syscall.c).
 */
static long try_syscall(const char *name)
{
	int x = -1;

	if (strcmp(name, "clone3") == 0) {
		return syscall(SYS_clone3, NULL, (size_t)64); /* EFAULT */
	}
	if (strcmp(name, "clone") == 0) {
		/* CLONE_THREAD without CLONE_SIGHAND: EINVAL before anything is created. */
		return clone_guard(syscall(SYS_clone, CLONE_THREAD, 0, NULL, NULL, 0));
	}
	if (strcmp(name, "clone+vm") == 0) {
		/* CLONE_VM | CLONE_THREAD without CLONE_SIGHAND: EINVAL, nothing created. */
		return clone_guard(syscall(SYS_clone, CLONE_VM | CLONE_THREAD, 0, NULL, NULL, 0));
	}
	if (strcmp(name, "clone+pidfd") == 0) {
		/*
		 * CLONE_PIDFD stores the pidfd through the parent_tid slot (the 3rd argument on
		 * x86-64 and arm64); the same pointer for CLONE_PARENT_SETTID is EINVAL.
		 */
		return clone_guard(
		    syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &x, &x, 0));
	}
	if (strcmp(name, "pidfd_open") == 0) {
		return syscall(SYS_pidfd_open, 0, 0); /* EINVAL */
	}
	if (strcmp(name, "pidfd_send_signal") == 0) {
		return syscall(SYS_pidfd_send_signal, -1, 0, NULL, 0); /* EBADF */
	}
	if (strcmp(name, "pidfd_getfd") == 0) {
		return syscall(SYS_pidfd_getfd, -1, 0, 0); /* EBADF */
	}
	if (strcmp(name, "waitid") == 0) {
		return syscall(SYS_waitid, P_ALL, 0, NULL, 0, NULL); /* no WEXITED..: EINVAL */
	}
	if (strcmp(name, "close_range") == 0) {
		return syscall(SYS_close_range, 5, 2, 0); /* first > last: EINVAL */
	}
	dprintf(STDERR_FILENO, "kid: try: unknown syscall '%s'\n", name);
	_exit(98);
}

static int mode_try(const char *name)
{
	long r = try_syscall(name);
	int err = errno;
	char prefix[64];

	if (r >= 0) {
		say("%s: OK\n", name);
		return 0;
	}
	snprintf(prefix, sizeof(prefix), "%s:", name);
	say_errno(prefix, err);
	return 0;
}

/* Generations before the chain counts as running (`kid chain` waits for them). */
#define CHAIN_RUNNING 50
#define CHAIN_STACK   (64 * 1024)

/*
 * The chain's generations share one address space (CLONE_VM: a plain fork copies page tables
 * and costs ten times as much in a VM), each on one of two stacks in turn. chain_busy[S] is
 * non-zero while a generation may still use stack S: the kernel clears it when that generation
 * has left its memory (CLONE_CHILD_CLEARTID, at exit_mm), and only then may the next one start
 * there.
 */
static char chain_stack[2][CHAIN_STACK] __attribute__((aligned(64)));
static volatile int chain_busy[2];
static int chain_gen, chain_running = -1;

static int chain_generation(void *slot);

/* Start the next generation on stack S; its pid, or -1 (then the caller tries again). */
static pid_t chain_next(int s)
{
	pid_t p;

	while (chain_busy[s] != 0) {
		sched_yield();
	}
	chain_busy[s] = 1;
	p = clone(chain_generation, chain_stack[s] + CHAIN_STACK,
	          CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD, (void *)(intptr_t)s, NULL, NULL,
	          &chain_busy[s]);
	if (p < 0) {
		chain_busy[s] = 0;
	}
	return p;
}

/* One generation, on stack SLOT (-1: the first, on the stack fork gave it). Never returns. */
static int chain_generation(void *slot)
{
	int next = (int)(intptr_t)slot == 0 ? 1 : 0;
	struct pollfd in = {.fd = STDIN_FILENO, .events = POLLIN};

	if (poll(&in, 1, 0) > 0 && (in.revents & (POLLHUP | POLLERR | POLLNVAL))) {
		_exit(0);
	}
	if (++chain_gen == CHAIN_RUNNING) {
		(void)!write(chain_running, "r", 1);
		close(chain_running);
	}
	while (chain_next(next) < 0) {
		/* EAGAIN: try again, in this same generation */
	}
	_exit(0);
}

/* The first member of the chain: detach from the kid's output, ignore SIGTERM, go. */
static void chain_run(int running) __attribute__((noreturn));

static void chain_run(int running)
{
	uint64_t none = 0;
	int null = open("/dev/null", O_WRONLY);

	if (null < 0 || dup2(null, STDOUT_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0) {
		_exit(98);
	}
	if (null > STDERR_FILENO) {
		close(null);
	}
	signal(SIGTERM, SIG_IGN); /* only SIGKILL ends it: no lucky catch by the drain's SIGTERM */
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
	chain_running = running;
	chain_generation((void *)(intptr_t)-1);
	_exit(0);
}

static int mode_chain(void)
{
	int running[2];
	ssize_t n;
	pid_t p;
	char c;

	say("chain pid=%d\n", (int)getpid());
	if (pipe(running) < 0) {
		die("pipe");
	}
	p = fork();
	if (p < 0) {
		die("fork");
	}
	if (p == 0) {
		close(running[0]);
		chain_run(running[1]);
	}
	close(running[1]);
	/* Leave only once the chain runs at full speed: a drain must meet it running. */
	while ((n = read(running[0], &c, 1)) < 0 && errno == EINTR) {
	}
	if (n != 1) {
		dprintf(STDERR_FILENO, "kid: the chain died before %d generations\n",
		        CHAIN_RUNNING);
		return 98;
	}
	return 0;
}

static int mode_root(void)
{
	if (setresuid(0, 0, 0) < 0) {
		die("setresuid(0, 0, 0) (is this copy of kid setuid root?)");
	}
	signal(SIGTERM, SIG_IGN);
	say("root pid=%d\n", (int)getpid());
	for (;;) {
		pause();
	}
}

static int run_mode(int argc, char **argv);

/* `bg PROGRAM ARG... -- MODE ARGS...`: argv[0] is "bg". */
static int mode_bg(int argc, char **argv)
{
	int sep = 1;
	pid_t p;

	while (sep < argc && strcmp(argv[sep], "--") != 0) {
		sep++;
	}
	if (sep == 1 || sep >= argc - 1) {
		dprintf(STDERR_FILENO, "kid: bg wants PROGRAM ARG... -- MODE ARGS...\n");
		return 98;
	}
	argv[sep] = NULL;
	p = fork();
	if (p < 0) {
		die("fork");
	}
	if (p == 0) {
		execv(argv[1], argv + 1);
		die(argv[1]);
	}
	/* argv[sep] stands in for the program name: MODE is argv[sep + 1]. */
	return run_mode(argc - sep, argv + sep);
}

static int run_mode(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : NULL;

	if (strcmp(mode, "exit") == 0 && arg) {
		return (int)number(arg);
	} else if (strcmp(mode, "kill") == 0 && arg) {
		return mode_kill((int)number(arg));
	} else if (strcmp(mode, "sigs") == 0) {
		return mode_sigs();
	} else if (strcmp(mode, "deaf") == 0) {
		return mode_deaf();
	} else if (strcmp(mode, "tree") == 0 && arg) {
		return mode_tree((int)number(arg), argc - 3, argv + 3);
	} else if (strcmp(mode, "group") == 0) {
		return mode_group();
	} else if (strcmp(mode, "state") == 0) {
		return mode_state();
	} else if (strcmp(mode, "creds") == 0) {
		return mode_creds();
	} else if (strcmp(mode, "bind") == 0 && arg) {
		return mode_bind(number(arg));
	} else if (strcmp(mode, "orphans") == 0 && arg) {
		return mode_orphans(number(arg));
	} else if (strcmp(mode, "sleep") == 0 && arg) {
		return mode_sleep(number(arg));
	} else if (strcmp(mode, "sleepforever") == 0) {
		for (;;) {
			pause();
		}
	} else if (strcmp(mode, "mark") == 0 && arg) {
		int fd = open(arg, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd < 0) {
			die(arg);
		}
		close(fd);
		return 0;
	} else if (strcmp(mode, "try") == 0 && arg) {
		return mode_try(arg);
	} else if (strcmp(mode, "chain") == 0) {
		return mode_chain();
	} else if (strcmp(mode, "root") == 0) {
		return mode_root();
	} else if (strcmp(mode, "bg") == 0) {
		return mode_bg(argc - 1, argv + 1);
	}
	dprintf(
	    STDERR_FILENO,
	    "usage: kid exit N | kill SIG | sigs | deaf | group | state | creds | bind PORT | "
	    "orphans N | tree CODE SPEC... | chain | root | bg PROGRAM ARG... -- MODE ARGS... | "
	    "sleep MS | sleepforever | mark PATH | try SYSCALL\n");
	return 98;
}

int main(int argc, char **argv)
{
	return run_mode(argc, argv);
}
