/* Unit tests for src/status.c, with real wait statuses from real children. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "status.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* How a child ends: exit(code) when sig is 0, else killed by sig. */
struct ending {
	int code;
	int sig;
};

/* Fork a child that ends as @e says, reap it, return its wait status. */
static int real_status(struct ending e)
{
	int wstatus = 0;
	pid_t pid = fork();

	cr_assert_geq(pid, 0, "fork failed");
	if (pid == 0) {
		if (e.sig != 0) {
			sigset_t all;

			signal(e.sig, SIG_DFL);
			sigfillset(&all);
			sigprocmask(SIG_UNBLOCK, &all, NULL);
			kill(getpid(), e.sig);
			_exit(200); /* not reached: the signal kills us */
		}
		_exit(e.code);
	}
	cr_assert_eq(waitpid(pid, &wstatus, 0), pid, "waitpid failed");
	if (e.sig != 0) {
		cr_assert(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == e.sig,
		          "child did not die of signal %d (status 0x%x)", e.sig, wstatus);
	} else {
		cr_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == e.code,
		          "child did not exit %d (status 0x%x)", e.code, wstatus);
	}
	return wstatus;
}

Test(status, exit_code_from_real_children)
{
	static const struct {
		struct ending e;
		int want;
	} cases[] = {
	    {{0, 0}, 0},         {{1, 0}, 1},         {{42, 0}, 42},      {{255, 0}, 255},
	    {{0, SIGTERM}, 143}, {{0, SIGKILL}, 137}, {{0, SIGINT}, 130}, {{0, SIGHUP}, 129},
	    {{0, SIGUSR1}, 138}, {{0, 34}, 162},      {{0, 64}, 192}, /* SIGRTMIN, SIGRTMAX (glibc
	                                                                 numbering) */
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		int wstatus = real_status(cases[i].e);

		cr_expect_eq(status_exit_code(wstatus, NULL), cases[i].want,
		             "exit %d / signal %d: got %d, want %d", cases[i].e.code,
		             cases[i].e.sig, status_exit_code(wstatus, NULL), cases[i].want);
	}
}

Test(status, exit_code_from_macros)
{
	static const struct {
		int wstatus;
		int want;
	} cases[] = {
	    {W_EXITCODE(0, 0), 0},
	    {W_EXITCODE(3, 0), 3},
	    {W_EXITCODE(255, 0), 255},
	    {W_EXITCODE(0, SIGTERM), 143},
	    {W_EXITCODE(0, SIGSEGV) | WCOREFLAG, 139},
	    {W_EXITCODE(0, 64), 192},
	    /* Never seen without WUNTRACED/WCONTINUED; still defined. */
	    {W_STOPCODE(SIGSTOP), 255},
	    {0xffff, 255}, /* WIFCONTINUED */
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		int got = status_exit_code(cases[i].wstatus, NULL);

		cr_expect_eq(got, cases[i].want, "status 0x%x: got %d, want %d", cases[i].wstatus,
		             got, cases[i].want);
	}
}

Test(status, exit_map)
{
	struct exit_map map = {0};
	static const struct {
		struct ending e;
		int want;
	} cases[] = {
	    {{42, 0}, 0},        {{43, 0}, 43}, {{0, 0}, 0}, {{0, SIGTERM}, 0},
	    {{0, SIGKILL}, 137}, {{255, 0}, 0}, {{1, 0}, 1},
	};

	status_map_add(&map, 42);
	status_map_add(&map, 143);
	status_map_add(&map, 255);
	for (size_t i = 0; i < LEN(cases); i++) {
		int wstatus = real_status(cases[i].e);
		int got = status_exit_code(wstatus, &map);

		cr_expect_eq(got, cases[i].want, "exit %d / signal %d with map: got %d, want %d",
		             cases[i].e.code, cases[i].e.sig, got, cases[i].want);
	}
}

Test(status, map_add_and_has)
{
	struct exit_map map = {0};
	struct exit_map empty = {0};

	/* Out of range is ignored: the map stays all zero. */
	status_map_add(&map, -1);
	status_map_add(&map, 256);
	status_map_add(&map, 100000);
	status_map_add(&map, -2147483647 - 1);
	cr_expect_eq(memcmp(&map, &empty, sizeof(map)), 0, "out-of-range codes changed the map");

	/* Each word boundary: 0, 31, 32, 63, 224, 255. */
	static const int codes[] = {0, 31, 32, 63, 224, 255};

	for (size_t i = 0; i < LEN(codes); i++) {
		status_map_add(&map, codes[i]);
	}
	for (int c = -2; c <= 257; c++) {
		bool want = false;

		for (size_t i = 0; i < LEN(codes); i++) {
			want = want || c == codes[i];
		}
		cr_expect_eq(status_map_has(&map, c), want, "status_map_has(%d), want %d", c, want);
	}
	cr_expect_not(status_map_has(NULL, 0));
	cr_expect_eq(map.bits[0], 0x80000001U);
	cr_expect_eq(map.bits[1], 0x80000001U);
	cr_expect_eq(map.bits[7], 0x80000001U);
}

Test(status, describe)
{
	static const struct {
		int wstatus;
		const char *want;
	} cases[] = {
	    {W_EXITCODE(0, 0), "exit=0"},
	    {W_EXITCODE(3, 0), "exit=3"},
	    {W_EXITCODE(255, 0), "exit=255"},
	    {W_EXITCODE(0, SIGTERM), "killed=SIGTERM"},
	    {W_EXITCODE(0, SIGKILL), "killed=SIGKILL"},
	    {W_EXITCODE(0, 37), "killed=SIGRTMIN+3"},
	    {W_EXITCODE(0, 64), "killed=SIGRTMAX"},
	    {W_EXITCODE(0, SIGSEGV) | WCOREFLAG, "killed=SIGSEGV core=yes"},
	    {W_STOPCODE(SIGSTOP), "status=0x137f"},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		char buf[64];

		cr_expect_str_eq(status_describe(cases[i].wstatus, buf, sizeof(buf)), cases[i].want,
		                 "status 0x%x: \"%s\", want \"%s\"", cases[i].wstatus, buf,
		                 cases[i].want);
	}
}

Test(status, describe_real_and_small_buffer)
{
	char buf[32];
	int wstatus = real_status((struct ending){0, SIGTERM});

	cr_expect_str_eq(status_describe(wstatus, buf, sizeof(buf)), "killed=SIGTERM");
	wstatus = real_status((struct ending){7, 0});
	cr_expect_str_eq(status_describe(wstatus, buf, sizeof(buf)), "exit=7");

	/* An exact-size heap buffer: ASan catches any write past it. */
	char *small = malloc(8);

	cr_assert_not_null(small);
	cr_expect_str_eq(status_describe(W_EXITCODE(0, SIGTERM), small, 8), "killed=");
	cr_expect_str_eq(status_describe(W_EXITCODE(123, 0), small, 8), "exit=12");
	free(small);
}
