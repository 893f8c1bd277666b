/*
 * bench: the measuring half of `make bench` (tests/bench.sh, issue 12), for the figures that
 * need microseconds, thousands of processes, or one clock read in two processes. Static with
 * musl-gcc like the other helpers, so it costs the same under every init and needs nothing from
 * the rootfs. Each mode prints its figures as one `key=value ...` line on stdout; an error is one
 * line on stderr and exit 1. Nothing here judges a figure: it measures and prints.
 */
/* clang-format off */
/*
 *   spawn RUNS N -- BASE... CMD...
 *        the first N words are the base command, the rest the measured one (stdout and
 *        stderr on /dev/null); run them in turns, RUNS times each, after 5 untimed turns;
 *        print `base=B cmd=C us=C-B`, the mean microseconds from posix_spawn to reaped.
 *        Exit 1 if a run does not exit 0: the figure would be of something else.
 *   siglat [-a auto|dma|spin|none] [-s OUT] COUNT -- INIT ARGS...
 *        start INIT ARGS (its command being `.../bench sigrecv`) with stdout on a pipe, wait
 *        for the child's first record, then COUNT times, one signal at a time: read
 *        CLOCK_MONOTONIC, kill(INIT, SIGUSR1), wait for the child's record of when it received
 *        that signal. Print `awake=HOW n=COUNT p50=US p99=US mean=US max=US` (send to
 *        receive); then SIGTERM to INIT, which forwards it and the child exits.
 *        -a  how the CPUs are kept out of their sleep states meanwhile (awake_start below)
 *        -s  count INIT's own system calls meanwhile: `strace -c -o OUT -p INIT`, attached
 *            before the first signal and detached (SIGINT) after the last
 *   sigrecv
 *        the child of siglat: block SIGUSR1 and SIGTERM, write one 8-byte record (ready), then
 *        for each SIGUSR1 the CLOCK_MONOTONIC nanoseconds at which sigwaitinfo returned it, as
 *        one 8-byte write; exit 0 on SIGTERM. It dies with its parent (PR_SET_PDEATHSIG).
 *   burst N
 *        the child of an init that is PID 1 of this PID namespace (launch -n): hand it N
 *        zombies at once (a process makes N children that exit at once, waits until all are
 *        zombies, and exits itself, so the kernel re-parents all of them to PID 1 together),
 *        then watch PID 1's children until it has reaped them all. Print `n=N us=T rate=R
 *        cpu=C`: T microseconds from the re-parenting to the last reap, R zombies per second,
 *        C microseconds of PID 1's CPU time (/proc/1/schedstat) per zombie.
 *   stream N
 *        likewise, N orphans one after another, as fast as this process can make them (a
 *        process that makes one and exits); T runs from the first one made to the last reap.
 */
/* clang-format on */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif

extern char **environ;

/* How long a step may take before the run is declared broken rather than slow. */
#define READY_MS 10000
#define ACK_MS   5000
#define EXIT_MS  10000
#define REAP_MS  60000

static void die(const char *what) __attribute__((noreturn));

static void die(const char *what)
{
	dprintf(STDERR_FILENO, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(const char *msg) __attribute__((noreturn));

static void fail(const char *msg)
{
	dprintf(STDERR_FILENO, "bench: %s\n", msg);
	exit(1);
}

static long number(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0) {
		dprintf(STDERR_FILENO, "bench: bad count '%s'\n", s);
		exit(1);
	}
	return v;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_us(long us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
	}
}

/* Read exactly @len bytes within @ms milliseconds; 0, or -1 on EOF, error or timeout. */
static int read_within(int fd, void *buf, size_t len, int ms)
{
	char *p = buf;
	int64_t deadline = now_ns() + (int64_t)ms * 1000000;

	while (len > 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - now_ns();
		ssize_t n;

		if (left <= 0) {
			return -1;
		}
		if (poll(&pfd, 1, (int)(left / 1000000) + 1) < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -1;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP))) {
			continue;
		}
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Wait for @pid up to @ms milliseconds, then SIGKILL it; its wait status. */
static int reap_within(pid_t pid, int ms)
{
	int64_t deadline = now_ns() + (int64_t)ms * 1000000;
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid) {
			return st;
		}
		if (r < 0 && errno != EINTR) {
			die("waitpid");
		}
		if (now_ns() > deadline) {
			dprintf(STDERR_FILENO, "bench: pid %d still runs after %d ms: SIGKILL\n",
			        (int)pid, ms);
			kill(pid, SIGKILL);
			deadline = INT64_MAX;
		}
		sleep_us(1000);
	}
}

/* Run @argv to its end with output on /dev/null; its time in ns, or -1 if it did not exit 0. */
static int64_t run_once(char **argv, const posix_spawn_file_actions_t *fa)
{
	int64_t t0 = now_ns();
	pid_t pid;
	int st, e = posix_spawnp(&pid, argv[0], fa, NULL, argv, environ);

	if (e != 0) {
		errno = e;
		die(argv[0]);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			die("waitpid");
		}
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		dprintf(STDERR_FILENO, "bench: %s ended with status 0x%x\n", argv[0], st);
		return -1;
	}
	return now_ns() - t0;
}

/*
 * The base and the measured command take turns, run by run, so that a slow spell of the
 * machine (a VM's neighbours, page reclaim) weighs on both means alike: timed one after the
 * other, 200 runs each, the difference moved by a factor of 3 between repetitions here.
 */
static int mode_spawn(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	long runs, nbase;
	int64_t sum[2] = {0, 0};
	char **base, **cmd;
	int nul;

	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fail("usage: bench spawn RUNS N -- BASE... CMD...");
	}
	runs = number(argv[2]);
	nbase = number(argv[3]);
	if (nbase >= argc - 5) {
		fail("spawn: N leaves no command after the base");
	}
	base = calloc((size_t)nbase + 1, sizeof(*base));
	if (!base) {
		die("calloc");
	}
	memcpy(base, argv + 5, (size_t)nbase * sizeof(*base));
	cmd = argv + 5 + nbase;
	nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (nul < 0) {
		die("open(/dev/null)");
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, nul, STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, nul, STDERR_FILENO);
	/* The first runs fill the page cache and the dentry cache; they are not timed. */
	for (long i = -5; i < runs; i++) {
		int64_t tb = run_once(base, &fa), tc = run_once(cmd, &fa);

		if (tb < 0 || tc < 0) {
			return 1;
		}
		if (i >= 0) {
			sum[0] += tb;
			sum[1] += tc;
		}
	}
	printf("base=%.1f cmd=%.1f us=%.1f\n", (double)sum[0] / (double)runs / 1e3,
	       (double)sum[1] / (double)runs / 1e3, (double)(sum[1] - sum[0]) / (double)runs / 1e3);
	return 0;
}

/* What keeps the CPUs awake during siglat: a held PM QoS request, spinners, or nothing. */
struct awake {
	const char *how;
	int dma_fd;
	pid_t spinners[256];
	int nspinners;
};

/*
 * A CPU woken from a deep idle state takes tens of microseconds, which would hide what the
 * init costs (issue 12: p50 about 45 us for every init on a quiet machine, 5 us on a busy one).
 *   dma   hold /dev/cpu_dma_latency open with a 32-bit 0 written to it, as cyclictest does:
 *         the cpuidle governor then picks no state with an exit latency above 0 us. (Without
 *         a cpuidle driver, as in many VMs, the idle loop halts whatever the request says;
 *         tests/bench.sh notes it.)
 *   spin  one SCHED_IDLE busy loop pinned to each CPU: the CPU never enters the idle loop,
 *         and any normal task that wakes there preempts the spinner at once.
 *   auto  dma when /dev/cpu_dma_latency can be opened, else spin.
 */
static void awake_start(struct awake *a, const char *how)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	*a = (struct awake){.how = "none", .dma_fd = -1};
	if (strcmp(how, "auto") == 0 || strcmp(how, "dma") == 0) {
		int32_t zero = 0;

		a->dma_fd = open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC);
		if (a->dma_fd >= 0 && write(a->dma_fd, &zero, sizeof(zero)) == sizeof(zero)) {
			a->how = "dma";
			return;
		}
		if (strcmp(how, "dma") == 0) {
			die("/dev/cpu_dma_latency");
		}
		if (a->dma_fd >= 0) {
			close(a->dma_fd);
			a->dma_fd = -1;
		}
		how = "spin";
	}
	if (strcmp(how, "spin") == 0) {
		a->how = "spin";
		for (long c = 0; c < ncpu && c < 256; c++) {
			pid_t pid = fork();

			if (pid < 0) {
				die("fork");
			}
			if (pid == 0) {
				struct sched_param sp = {0};
				cpu_set_t set;

				prctl(PR_SET_PDEATHSIG, SIGKILL);
				CPU_ZERO(&set);
				CPU_SET((int)c, &set);
				(void)sched_setaffinity(0, sizeof(set), &set); /* a hint only */
				/* musl's sched_setscheduler() is a stub that says ENOSYS. */
				if (syscall(SYS_sched_setscheduler, 0, SCHED_IDLE, &sp) < 0) {
					_exit(1);
				}
				for (;;) {
				}
			}
			a->spinners[a->nspinners++] = pid;
		}
	} else if (strcmp(how, "none") != 0) {
		fail("-a takes auto, dma, spin or none");
	}
}

static void awake_stop(struct awake *a)
{
	if (a->dma_fd >= 0) {
		close(a->dma_fd);
	}
	for (int i = 0; i < a->nspinners; i++) {
		kill(a->spinners[i], SIGKILL);
		(void)reap_within(a->spinners[i], EXIT_MS);
	}
}

/* A small file of /proc, whole, NUL-terminated; false when it cannot be read. */
static bool read_proc(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		return false;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0) {
		return false;
	}
	buf[n] = '\0';
	return true;
}

/* The TracerPid line of /proc/PID/status. */
static long tracer_of(pid_t pid)
{
	char path[64], buf[4096];
	const char *t;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!read_proc(path, buf, sizeof(buf))) {
		return -1;
	}
	t = strstr(buf, "TracerPid:");
	return t ? strtol(t + 10, NULL, 10) : -1;
}

/*
 * strace -c on the init alone (no -f: the child's calls are not the init's), attached once the
 * init waits for signals and before the first one. The attach and the detach each interrupt the
 * init's waiting call, which restarts: one or two calls too many, over COUNT signals.
 */
static pid_t strace_start(pid_t init, const char *out)
{
	char pidarg[16];
	pid_t pid;

	snprintf(pidarg, sizeof(pidarg), "%d", (int)init);
	pid = fork();
	if (pid < 0) {
		die("fork");
	}
	if (pid == 0) {
		execlp("strace", "strace", "-qq", "-c", "-o", out, "-p", pidarg, (char *)NULL);
		dprintf(STDERR_FILENO, "bench: exec strace: %s\n", strerror(errno));
		_exit(127);
	}
	for (int64_t deadline = now_ns() + (int64_t)READY_MS * 1000000; tracer_of(init) != pid;) {
		if (now_ns() > deadline || waitpid(pid, NULL, WNOHANG) == pid) {
			fail("strace did not attach to the init");
		}
		sleep_us(1000);
	}
	sleep_us(200000); /* seized is not yet tracing syscalls: let strace get there */
	return pid;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Start the init with its stdout (so the child's) on a pipe; its pid, the read end in @rd. */
static pid_t start_init(char **argv, int *rd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		die("pipe2");
	}
	pid = fork();
	if (pid < 0) {
		die("fork");
	}
	if (pid == 0) {
		/* Should bench die, the init goes too (and its child, by sigrecv's own). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (dup2(p[1], STDOUT_FILENO) < 0) {
			_exit(126);
		}
		execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "bench: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	*rd = p[0];
	return pid;
}

/* @count signals to @init, one at a time, each latency into @lat; -1 if one never arrived. */
static int send_signals(pid_t init, int rd, int64_t *lat, long count)
{
	for (long n = 0; n < count; n++) {
		int64_t rec, sent = now_ns();

		if (kill(init, SIGUSR1) < 0) {
			die("kill(init, SIGUSR1)");
		}
		if (read_within(rd, &rec, sizeof(rec), ACK_MS) < 0) {
			dprintf(STDERR_FILENO, "bench: signal %ld was not received in %d ms\n", n,
			        ACK_MS);
			return -1;
		}
		lat[n] = rec - sent;
	}
	return 0;
}

static int mode_siglat(int argc, char **argv)
{
	const char *how = "auto", *trace = NULL;
	int i = 2, rd, st;
	long count;
	int64_t *lat, rec, sum = 0;
	struct awake awake;
	pid_t init, tracer = -1;

	for (; i + 1 < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0; i += 2) {
		if (strcmp(argv[i], "-a") == 0) {
			how = argv[i + 1];
		} else if (strcmp(argv[i], "-s") == 0) {
			trace = argv[i + 1];
		} else {
			fail("usage: bench siglat [-a HOW] [-s OUT] COUNT -- INIT ARGS...");
		}
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0) {
		fail("usage: bench siglat [-a HOW] [-s OUT] COUNT -- INIT ARGS...");
	}
	count = number(argv[i]);
	lat = calloc((size_t)count, sizeof(*lat));
	if (!lat) {
		die("calloc");
	}
	init = start_init(argv + i + 2, &rd);
	if (read_within(rd, &rec, sizeof(rec), READY_MS) < 0) {
		kill(init, SIGKILL);
		fail("the child under the init did not say ready");
	}
	if (trace) {
		tracer = strace_start(init, trace);
	}
	awake_start(&awake, how);
	if (send_signals(init, rd, lat, count) < 0) {
		awake_stop(&awake);
		kill(init, SIGKILL);
		return 1;
	}
	awake_stop(&awake);
	if (tracer > 0) {
		kill(tracer, SIGINT); /* strace detaches and writes its table */
		(void)reap_within(tracer, EXIT_MS);
	}
	kill(init, SIGTERM);
	st = reap_within(init, EXIT_MS);
	for (long n = 0; n < count; n++) {
		sum += lat[n];
	}
	qsort(lat, (size_t)count, sizeof(*lat), cmp_i64);
	printf("awake=%s n=%ld p50=%.2f p99=%.2f mean=%.2f max=%.2f init_status=0x%x\n", awake.how,
	       count, (double)lat[count / 2] / 1e3, (double)lat[(count * 99) / 100] / 1e3,
	       (double)sum / (double)count / 1e3, (double)lat[count - 1] / 1e3, st);
	return 0;
}

static int mode_sigrecv(void)
{
	sigset_t set;
	int64_t t = now_ns();

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_DFL); /* the sender gone: die on the next write */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (write(STDOUT_FILENO, &t, sizeof(t)) != sizeof(t)) {
		die("write(ready)");
	}
	for (;;) {
		int sig = sigwaitinfo(&set, NULL);

		t = now_ns();
		if (sig == SIGTERM) {
			return 0;
		}
		if (sig == SIGUSR1 && write(STDOUT_FILENO, &t, sizeof(t)) != sizeof(t)) {
			die("write");
		}
	}
}

/* PID 1's CPU time so far, in nanoseconds (the first field of /proc/1/schedstat). */
static int64_t pid1_cpu_ns(void)
{
	char buf[128];

	return read_proc("/proc/1/schedstat", buf, sizeof(buf)) ? strtoll(buf, NULL, 10) : -1;
}

/*
 * PID 1's children other than us: are there any? /proc/1/task/1/children lists them in the
 * order they became its children: us first, then the re-parented ones. The kernel only formats
 * as many as the read asks for, so a 32-byte read costs the same with 10 or 10,000 children.
 */
static int pid1_has_others(int fd)
{
	char buf[33];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int words = 0;

	if (n < 0) {
		die("read(/proc/1/task/1/children)");
	}
	buf[n] = '\0';
	for (char *s = strtok(buf, " \n"); s; s = strtok(NULL, " \n")) {
		words++;
	}
	return words > 1;
}

/* Poll PID 1's children every 50 us until it has reaped all but us; the time it was seen. */
static int64_t wait_reaped(int fd)
{
	int64_t deadline = now_ns() + (int64_t)REAP_MS * 1000000;

	while (pid1_has_others(fd)) {
		if (now_ns() > deadline) {
			fail("PID 1 did not reap its zombies in 60 s");
		}
		sleep_us(50);
	}
	return now_ns();
}

/* burst and stream need to be the child of PID 1 of their namespace, with a plain SIGCHLD. */
static int reap_setup(void)
{
	int fd;

	if (getpid() == 1 || getppid() != 1) {
		fail("burst, stream: not the child of PID 1 of a PID namespace (launch -n)");
	}
	fd = open("/proc/1/task/1/children", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		die("/proc/1/task/1/children"); /* a fresh /proc; CONFIG_PROC_CHILDREN */
	}
	/*
	 * SIG_IGN (dumb-init resets it, others pass on what they got) would have the kernel reap
	 * our children itself: they would never be zombies for PID 1 to reap.
	 */
	signal(SIGCHLD, SIG_DFL);
	prctl(PR_SET_TIMERSLACK, 1UL); /* the 50 us polls are 50 us, not 100 */
	return fd;
}

static void report_reap(long n, int64_t t0, int64_t t1, int64_t cpu0, int64_t cpu1)
{
	double us = (double)(t1 - t0) / 1e3;

	printf("n=%ld us=%.0f rate=%.0f cpu=%.3f\n", n, us, (double)n / (us / 1e6),
	       cpu0 < 0 || cpu1 < 0 ? -1.0 : (double)(cpu1 - cpu0) / 1e3 / (double)n);
}

static void wait_ok(pid_t pid, const char *what)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			die("waitpid");
		}
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fail(what);
	}
}

/*
 * The processes that become zombies share our memory (CLONE_VM) and we wait until each has
 * left it (CLONE_VFORK): no page tables to copy, which made fork() take 0.5 ms in a VM here,
 * against 40 us for this. Each runs on a stack of its own, never two on one at a time.
 */
static char stack_a[16384] __attribute__((aligned(16)));
static char stack_b[16384] __attribute__((aligned(16)));

static int just_exit(void *arg)
{
	(void)arg;
	return 0;
}

static pid_t quick_child(int (*fn)(void *), char *stack, size_t size)
{
	return clone(fn, stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
}

/* The process whose N children become PID 1's zombies all at once; writes when to @fd. */
static void make_zombies(long n, int fd)
{
	pid_t *kids = calloc((size_t)n, sizeof(*kids));
	int64_t t0;

	if (!kids) {
		_exit(1);
	}
	for (long i = 0; i < n; i++) {
		kids[i] = quick_child(just_exit, stack_a, sizeof(stack_a));
		if (kids[i] < 0) {
			dprintf(STDERR_FILENO, "bench: clone %ld of %ld: %s\n", i, n,
			        strerror(errno));
			_exit(1);
		}
	}
	/* All of them zombies now, not one reaped (WNOWAIT): then PID 1 gets them together. */
	for (long i = 0; i < n; i++) {
		siginfo_t si;

		while (waitid(P_PID, (id_t)kids[i], &si, WEXITED | WNOWAIT) < 0) {
			if (errno != EINTR) {
				_exit(1);
			}
		}
	}
	t0 = now_ns();
	(void)!write(fd, &t0, sizeof(t0));
	_exit(0);
}

static int mode_burst(long n)
{
	int fd = reap_setup(), p[2];
	int64_t t0, t1, cpu0, cpu1;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		die("pipe2");
	}
	cpu0 = pid1_cpu_ns();
	pid = fork();
	if (pid < 0) {
		die("fork");
	}
	if (pid == 0) {
		close(p[0]);
		make_zombies(n, p[1]);
	}
	close(p[1]);
	if (read_within(p[0], &t0, sizeof(t0), REAP_MS) < 0) {
		fail("the zombie maker did not finish");
	}
	wait_ok(pid, "the zombie maker failed");
	t1 = wait_reaped(fd);
	cpu1 = pid1_cpu_ns();
	report_reap(n, t0, t1, cpu0, cpu1);
	return 0;
}

/*
 * An orphan maker: its child exits and then so does it (CLONE_VFORK orders them), and the
 * kernel re-parents that zombie to PID 1.
 */
static int make_orphan(void *arg)
{
	(void)arg;
	return quick_child(just_exit, stack_b, sizeof(stack_b)) < 0 ? 1 : 0;
}

static int mode_stream(long n)
{
	int fd = reap_setup();
	int64_t t0 = now_ns(), t1, cpu0 = pid1_cpu_ns(), cpu1;

	for (long i = 0; i < n; i++) {
		pid_t pid = quick_child(make_orphan, stack_a, sizeof(stack_a));

		if (pid < 0) {
			die("clone");
		}
		wait_ok(pid, "an orphan maker failed");
	}
	t1 = wait_reaped(fd);
	cpu1 = pid1_cpu_ns();
	report_reap(n, t0, t1, cpu0, cpu1);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "spawn") == 0) {
		return mode_spawn(argc, argv);
	}
	if (strcmp(mode, "siglat") == 0) {
		return mode_siglat(argc, argv);
	}
	if (strcmp(mode, "sigrecv") == 0) {
		return mode_sigrecv();
	}
	if (strcmp(mode, "burst") == 0 && argc == 3) {
		return mode_burst(number(argv[2]));
	}
	if (strcmp(mode, "stream") == 0 && argc == 3) {
		return mode_stream(number(argv[2]));
	}
	fail("usage: bench spawn|siglat|sigrecv|burst N|stream N ... (see tests/helpers/bench.c)");
}
