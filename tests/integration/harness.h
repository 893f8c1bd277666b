#pragma once
/*
 * The integration harness: start the built init through tests/helpers/launch, either as PID 1
 * of a fresh PID namespace (H_PID1) or as a plain process that becomes a subreaper (H_SUB);
 * feed its stdin, collect stdout and stderr as they come, and report how it ended.
 *
 * Environment: INIT_BIN (the init), INIT_HELPERS (directory of kid, deny, launch),
 * INIT_TEST_DENY (deny rules put in front of every init), INIT_TESTS_MUST_RUN=1 (fail instead
 * of skipping when PID namespaces are not available), INIT_TEST_SLACK (how much slower than a
 * quiet development machine this one may be: the factor of h_slack, 3 by default),
 * INIT_EMULATED=1 (the init runs under QEMU: see h_need_native).
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <criterion/criterion.h>

enum h_mode { H_PID1, H_SUB };
enum h_stream { H_OUT, H_ERR };

struct h_buf {
	char *data; /* always NUL-terminated */
	size_t len, cap;
	size_t mark; /* h_wait_* look from here on */
	bool eof;
};

struct h_proc {
	enum h_mode mode;
	pid_t spawned;  /* our own child: launch, or the init itself after launch's exec */
	pid_t init_pid; /* the init as the host sees it */
	bool parent_dies;
	int in;              /* write end of the init's stdin, -1 once closed */
	int fd[2];           /* read ends of stdout, stderr */
	struct h_buf buf[2]; /* indexed by enum h_stream */
	bool done;           /* everything reaped */
	int slot;            /* in the harness's table of live runs */
};

/* How a run ended: `exited` with `code`, or killed by signal `code`. */
struct h_end {
	bool signaled;
	int code;
};

/* A NULL-terminated argument list as an expression: H_ARGS("-v", "-g"). */
#define H_ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define H_NOARGS    ((const char *const[]){NULL})

/* Define two tests, NAME_pid1 and NAME_sub, running one body with `enum h_mode mode`. */
#define H_TEST_BOTH(suite, name, ...)                                                              \
	static void suite##_##name##_body(enum h_mode mode);                                       \
	Test(suite, name##_pid1, __VA_ARGS__)                                                      \
	{                                                                                          \
		suite##_##name##_body(H_PID1);                                                     \
	}                                                                                          \
	Test(suite, name##_sub, __VA_ARGS__)                                                       \
	{                                                                                          \
		suite##_##name##_body(H_SUB);                                                      \
	}                                                                                          \
	static void suite##_##name##_body(enum h_mode mode)

/* $INIT_HELPERS/NAME (static storage, one slot per helper). */
const char *h_helper(const char *name);
/* $INIT_BIN, or the copy h_init_as() made for this test. */
const char *h_init(void);
/*
 * Run the init under the file name NAME for the rest of the test (the name decides its
 * persona: argv[0]'s last component): copy $INIT_BIN into a fresh directory under /tmp as
 * NAME, and make h_init() return the copy (a later call replaces it). h_cleanup removes it.
 * Returns the copy's path.
 */
const char *h_init_as(const char *name);
const char *h_mode_name(enum h_mode mode);

/* Skip (or fail with INIT_TESTS_MUST_RUN=1) when MODE cannot run here. */
void h_need_mode(enum h_mode mode);

/*
 * INIT_EMULATED=1: the init is another architecture's binary run by QEMU's user mode
 * (tests/arch.sh); the harness and its helpers stay native. These skip a test, saying why,
 * where QEMU cannot do what it needs: h_need_native for anything, h_need_subreaper for a
 * subreaper-mode run that needs the init to adopt orphans (QEMU answers
 * PR_SET_CHILD_SUBREAPER with EINVAL).
 */
bool h_emulated(void);
/* Why real-time signal numbers do not carry over under QEMU (tests that use them skip). */
#define QEMU_RT                                                                                    \
	"QEMU's user mode numbers real-time signals two below the host's (host 34 is the "         \
	"guest's 32), so numbers in rules and in kill(2) differ, and host signals 32 and 33 "      \
	"cannot reach the emulated init at all"
/* The signals QEMU takes for faults of its own even when kill(2) sends them. */
#define QEMU_FAULT_SIGNAL(s) ((s) == SIGILL || (s) == SIGBUS || (s) == SIGFPE || (s) == SIGSEGV)
void h_need_native(const char *why);
void h_need_subreaper(enum h_mode mode);

/*
 * Start `launch [-n] LAUNCH_OPTS -- [deny $INIT_TEST_DENY --] INIT INIT_ARGS` in CWD (NULL:
 * inherit). Fails the test if it cannot start; in H_PID1 (and with launch -d) waits for the
 * `launch: pid=N` line and sets init_pid from it.
 */
void h_start_in(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
                const char *const *init_args, const char *cwd);
void h_start(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
             const char *const *init_args);
/*
 * h_start with deny rules of the test's own: `launch ... -- deny DENY_RULES $INIT_TEST_DENY --
 * INIT INIT_ARGS`. deny applies the first rule that names a call, so DENY_RULES win over the
 * deny-set's rules for the same call.
 */
void h_start_deny(struct h_proc *h, enum h_mode mode, const char *const *launch_opts,
                  const char *const *deny_rules, const char *const *init_args);
/* Run ARGV as is (no launch, no init), with the same pipes; init_pid = the spawned pid. */
void h_spawn(struct h_proc *h, const char *const *argv);

/* Read whatever output is there, waiting at most TIMEOUT_MS for the first byte. */
void h_pump(struct h_proc *h, int timeout_ms);
/* Keep reading output for MS milliseconds (a deliberate observation window, not a sync). */
void h_pump_for(struct h_proc *h, long ms);
/* Wait until a complete line equal to LINE (no '\n') appears after the mark. */
bool h_wait_line(struct h_proc *h, enum h_stream s, const char *line, int timeout_ms);
/* Wait until NEEDLE appears anywhere after the mark. */
bool h_wait_str(struct h_proc *h, enum h_stream s, const char *needle, int timeout_ms);
/* Look only at output that arrives from now on. */
void h_mark(struct h_proc *h, enum h_stream s);
/* The whole text of a stream so far, and its last (at most) N bytes for messages. */
const char *h_text(struct h_proc *h, enum h_stream s);
const char *h_tail(struct h_proc *h, enum h_stream s, size_t n);
/* Find the first complete line starting with PREFIX; copy the rest of it into OUT. */
bool h_line_value(struct h_proc *h, enum h_stream s, const char *prefix, char *out, size_t outsz);
/* How many complete lines of stream S are exactly LINE (no '\n'). */
int h_count_lines(struct h_proc *h, enum h_stream s, const char *line);
/* Stderr lines that are not launch's own (`launch: ...`): count, and the first one. */
int h_init_err_lines(struct h_proc *h, char *first, size_t firstsz);

void h_close_stdin(struct h_proc *h);
/* kill(init_pid, SIG), failing the test on error. */
void h_kill(struct h_proc *h, int sig);

/*
 * Wait up to TIMEOUT_MS for the init to end and its output to close. On timeout, SIGKILL the
 * init (as PID 1 that takes its namespace along) and fail. H_PID1: the result comes from
 * launch's `launch: exit N|signal N` line (missing line = failure); H_SUB: from waitpid().
 */
struct h_end h_finish(struct h_proc *h, int timeout_ms);
/* h_finish, then assert a normal exit with CODE, printing stderr on mismatch. */
void h_expect_exit(struct h_proc *h, int code, int timeout_ms);
/* End the run now, with no assertion: SIGKILL the init and everything in its session, reap. */
void h_kill_all(struct h_proc *h);

/* Is what we spawned (the init, or launch above it) still running? It is not reaped. */
bool h_running(struct h_proc *h);
/*
 * Wait until what we spawned has ended, without reaping it (h_finish still reports how), and
 * return h_now_ms() at that moment; -1 after TIMEOUT_MS.
 */
long h_ended_at(struct h_proc *h, int timeout_ms);
/* h_ended_at, failing the test on timeout. */
long h_wait_ended(struct h_proc *h, int timeout_ms);
/*
 * Processes of the run's session (everything the harness started for it, and whatever they
 * left behind) that are alive, not counting what we spawned itself nor zombies.
 */
int h_session_procs(struct h_proc *h);

/* CLOCK_MONOTONIC in milliseconds, and a sleep that survives EINTR. */
long h_now_ms(void);
void h_sleep_ms(long ms);
/*
 * An upper time bound's allowance for a slow or busy machine (ASan, parallel tests, CI): MS
 * times INIT_TEST_SLACK (3 by default). Lower bounds are never scaled.
 */
long h_slack(long ms);
/* h_slack(MS), but at most CAP: for a bound that must stay below a timer it tells apart. */
long h_slack_cap(long ms, long cap);

/*
 * Events rather than sleeps: wait until the init sleeps in its event loop (epoll_wait, or a
 * blocking read of its signalfd while it waits for signals alone; from
 * /proc/PID/syscall) with no signal pending, i.e. it has dealt with everything that happened
 * before the call. False after TIMEOUT_MS (the init is busy, or gone).
 */
bool h_wait_asleep(struct h_proc *h, int timeout_ms);
/* The same for any process PID: blocked in some system call, no signal pending. */
bool h_wait_pid_asleep(struct h_proc *h, pid_t pid, int timeout_ms);
/* The first child of PID as the host sees it (/proc/PID/task/PID/children), or 0. */
pid_t h_child_pid(pid_t pid);

/*
 * Assert that the init's context-switch counters do not move over MS milliseconds, nor its CPU
 * time by more than one clock tick (a busy loop on an idle core is hardly ever switched out).
 */
void h_expect_idle(struct h_proc *h, long ms);

/* A number from /proc/PID/status ("voluntary_ctxt_switches"), -1 if missing. */
long h_proc_status(pid_t pid, const char *key);
/* CPU time (utime + stime of /proc/PID/stat) in milliseconds, -1 if unreadable. */
long h_proc_cpu_ms(pid_t pid);

/* The deny rules of INIT_TEST_DENY (NULL when unset or empty). */
const char *h_deny_rules(void);

/* .fini for every suite: SIGKILL whatever a failed test left running. */
void h_cleanup(void);

/* Assert that LINE shows up on stream S within MS, showing the stream's tail otherwise. */
#define h_expect_line(h, s, line, ms)                                                              \
	cr_assert(h_wait_line((h), (s), (line), (ms)), "[%s] no line '%s' on %s after %d ms:\n%s", \
	          h_mode_name((h)->mode), (line), (s) == H_OUT ? "stdout" : "stderr", (ms),        \
	          h_tail((h), (s), 3000))
#define h_expect_str(h, s, str, ms)                                                                \
	cr_assert(h_wait_str((h), (s), (str), (ms)), "[%s] no '%s' on %s after %d ms:\n%s",        \
	          h_mode_name((h)->mode), (str), (s) == H_OUT ? "stdout" : "stderr", (ms),         \
	          h_tail((h), (s), 3000))
