/* Unit tests for src/sigtab.c: names to numbers and back, forwardable, termination. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sigtab.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

Test(sigtab, number_table)
{
	static const struct {
		const char *in;
		int sig;
	} cases[] = {
	    /* Every form of one signal. */
	    {"SIGTERM", 15},
	    {"TERM", 15},
	    {"term", 15},
	    {"sigterm", 15},
	    {"SigTerm", 15},
	    {"15", 15},
	    /* Aliases. */
	    {"IOT", SIGABRT},
	    {"SIGIOT", 6},
	    {"CLD", SIGCHLD},
	    {"SIGCLD", 17},
	    {"POLL", SIGIO},
	    {"SIGPOLL", 29},
	    /* The form the log uses for the two signals without a name, and any number. */
	    {"SIG32", 32},
	    {"sig33", 33},
	    {"SIG15", 15},
	    /* Real-time, glibc numbering. */
	    {"RTMIN", 34},
	    {"SIGRTMIN", 34},
	    {"rtmin", 34},
	    {"RTMIN+0", 34},
	    {"SIGRTMIN+3", 37},
	    {"sigrtmin+3", 37},
	    {"RTMIN+30", 64},
	    {"RTMAX", 64},
	    {"SIGRTMAX", 64},
	    {"RTMAX-0", 64},
	    {"RTMAX-2", 62},
	    {"RTMAX-30", 34},
	    /* Numbers. */
	    {"1", 1},
	    {"32", 32},
	    {"64", 64},
	    {"064", 64},
	    /* Invalid. */
	    {"RTMIN+31", -EINVAL},
	    {"RTMAX-31", -EINVAL},
	    {"RTMIN-1", -EINVAL},
	    {"RTMAX+1", -EINVAL},
	    {"RTMIN+", -EINVAL},
	    {"RTMIN+x", -EINVAL},
	    {"RTMIN+ 1", -EINVAL},
	    {"RTMINX", -EINVAL},
	    {"0", -EINVAL},
	    {"65", -EINVAL},
	    {"-1", -EINVAL},
	    {"+15", -EINVAL},
	    {"", -EINVAL},
	    {"SIG", -EINVAL},
	    {"SIG0", -EINVAL},
	    {"SIG65", -EINVAL},
	    {"SIG+15", -EINVAL},
	    {"SIGSIGTERM", -EINVAL},
	    {"TERMX", -EINVAL},
	    {"TER", -EINVAL},
	    {" TERM", -EINVAL},
	    {"TERM ", -EINVAL},
	    {"FOO", -EINVAL},
	    {"99999999999999999999999", -EINVAL},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		int sig = sigtab_number(cases[i].in);

		cr_expect_eq(sig, cases[i].sig, "sigtab_number(\"%s\") = %d, want %d", cases[i].in,
		             sig, cases[i].sig);
	}
	cr_expect_eq(sigtab_number(NULL), -EINVAL);
}

/* The canonical name of each standard signal, as `kill -l` prints it on x86_64 and arm64. */
static const char *const std_names[32] = {
    [1] = "SIGHUP",     [2] = "SIGINT",   [3] = "SIGQUIT",   [4] = "SIGILL",   [5] = "SIGTRAP",
    [6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",    [9] = "SIGKILL",  [10] = "SIGUSR1",
    [11] = "SIGSEGV",   [12] = "SIGUSR2", [13] = "SIGPIPE",  [14] = "SIGALRM", [15] = "SIGTERM",
    [16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",  [19] = "SIGSTOP", [20] = "SIGTSTP",
    [21] = "SIGTTIN",   [22] = "SIGTTOU", [23] = "SIGURG",   [24] = "SIGXCPU", [25] = "SIGXFSZ",
    [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
    [31] = "SIGSYS",
};

Test(sigtab, standard_names_round_trip)
{
	for (int sig = 1; sig <= 31; sig++) {
		char buf[32];
		const char *name = sigtab_name(sig, buf, sizeof(buf));

		cr_expect_eq(name, buf, "sigtab_name(%d) did not return buf", sig);
		cr_expect_str_eq(name, std_names[sig], "sigtab_name(%d) = \"%s\", want \"%s\"", sig,
		                 name, std_names[sig]);
		cr_expect_eq(sigtab_number(name), sig, "sigtab_number(\"%s\") = %d, want %d", name,
		             sigtab_number(name), sig);
		/* Without the prefix, and lower-case, too. */
		char lower[32];
		size_t k;

		for (k = 0; name[k + 3] != '\0'; k++) {
			lower[k] = (char)tolower((unsigned char)name[k + 3]);
		}
		lower[k] = '\0';
		cr_expect_eq(sigtab_number(lower), sig, "sigtab_number(\"%s\") = %d, want %d",
		             lower, sigtab_number(lower), sig);
	}
}

Test(sigtab, all_numbers_round_trip)
{
	/* Every name sigtab_name() gives for 1..64 parses back, SIG32 and SIG33 included. */
	for (int sig = 1; sig <= SIGTAB_MAX; sig++) {
		char buf[32];
		const char *name = sigtab_name(sig, buf, sizeof(buf));

		cr_expect_eq(sigtab_number(name), sig,
		             "sigtab_number(sigtab_name(%d) = \"%s\") = %d", sig, name,
		             sigtab_number(name));
	}
}

Test(sigtab, name_table)
{
	static const struct {
		int sig;
		const char *name;
	} cases[] = {
	    {34, "SIGRTMIN"}, {35, "SIGRTMIN+1"}, {40, "SIGRTMIN+6"}, {63, "SIGRTMIN+29"},
	    {64, "SIGRTMAX"}, {32, "SIG32"},      {33, "SIG33"},      {0, "SIG?0"},
	    {65, "SIG?65"},   {-1, "SIG?-1"},     {6, "SIGABRT"},     {17, "SIGCHLD"},
	    {29, "SIGIO"},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		char buf[32];
		const char *name = sigtab_name(cases[i].sig, buf, sizeof(buf));

		cr_expect_str_eq(name, cases[i].name, "sigtab_name(%d) = \"%s\", want \"%s\"",
		                 cases[i].sig, name, cases[i].name);
	}
}

Test(sigtab, name_out_of_range_does_not_crash)
{
	static const int sigs[] = {0, 65, -1, 128, -2147483647 - 1, 2147483647};

	for (size_t i = 0; i < LEN(sigs); i++) {
		char buf[32];
		const char *name = sigtab_name(sigs[i], buf, sizeof(buf));

		cr_expect_eq(strncmp(name, "SIG?", 4), 0, "sigtab_name(%d) = \"%s\"", sigs[i],
		             name);
	}
}

Test(sigtab, name_small_buffer_truncates)
{
	static const struct {
		int sig;
		size_t len;
		const char *name;
	} cases[] = {
	    {15, 4, "SIG"}, {15, 5, "SIGT"}, {15, 8, "SIGTERM"}, {37, 6, "SIGRT"},
	    {64, 4, "SIG"}, {32, 4, "SIG"},  {0, 4, "SIG"},      {15, 1, ""},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		/* An exact-size heap buffer, so ASan sees any byte written past len. */
		char *buf = malloc(cases[i].len);

		cr_assert_not_null(buf);
		sigtab_name(cases[i].sig, buf, cases[i].len);
		cr_expect_str_eq(buf, cases[i].name,
		                 "sigtab_name(%d, len %zu) = \"%s\", want \"%s\"", cases[i].sig,
		                 cases[i].len, buf, cases[i].name);
		free(buf);
	}
	/* len 0 writes nothing at all. */
	char guard = 'x';

	sigtab_name(15, &guard, 0);
	cr_expect_eq(guard, 'x');
}

Test(sigtab, forwardable_table)
{
	static const struct {
		int sig;
		bool want;
	} cases[] = {
	    {0, false}, {9, false}, {17, false}, {19, false}, {65, false}, {-1, false},
	    {1, true},  {2, true},  {10, true},  {15, true},  {18, true},  {20, true},
	    {28, true}, {32, true}, {33, true},  {34, true},  {64, true},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		cr_expect_eq(sigtab_forwardable(cases[i].sig), cases[i].want,
		             "sigtab_forwardable(%d), want %d", cases[i].sig, cases[i].want);
	}
}

Test(sigtab, is_termination)
{
	for (int sig = -1; sig <= SIGTAB_MAX + 1; sig++) {
		bool want = sig == SIGTERM || sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;

		cr_expect_eq(sigtab_is_termination(sig), want, "sigtab_is_termination(%d), want %d",
		             sig, want);
	}
	/* The four, spelled out, so the loop above cannot agree with a wrong table. */
	cr_expect(sigtab_is_termination(1));
	cr_expect(sigtab_is_termination(2));
	cr_expect(sigtab_is_termination(3));
	cr_expect(sigtab_is_termination(15));
	cr_expect_not(sigtab_is_termination(9));
	cr_expect_not(sigtab_is_termination(10));
}

Test(sigtab, rewrite_table)
{
	static const struct {
		const char *in;
		int rc;
		int from, to;
	} cases[] = {
	    {"TERM:INT", 0, 15, 2},
	    {"15:2", 0, 15, 2},
	    {"SIGTERM:sigint", 0, 15, 2},
	    {"SIGUSR1:0", 0, 10, 0},
	    {"RTMIN+1:USR1", 0, 35, 10},
	    {"HUP:RTMAX", 0, 1, 64},
	    {"CONT:KILL", 0, 18, 9}, /* TO may be any signal */
	    /* FROM must be forwardable. */
	    {"KILL:TERM", -EINVAL, -1, -1},
	    {"STOP:TERM", -EINVAL, -1, -1},
	    {"CHLD:TERM", -EINVAL, -1, -1},
	    {"0:TERM", -EINVAL, -1, -1},
	    /* Malformed. */
	    {"TERM", -EINVAL, -1, -1},
	    {"TERM:", -EINVAL, -1, -1},
	    {":TERM", -EINVAL, -1, -1},
	    {":", -EINVAL, -1, -1},
	    {"", -EINVAL, -1, -1},
	    {"TERM:99", -EINVAL, -1, -1},
	    {"TERM:65", -EINVAL, -1, -1},
	    {"TERM:FOO", -EINVAL, -1, -1},
	    {"FOO:TERM", -EINVAL, -1, -1},
	    {"TERM:INT:HUP", -EINVAL, -1, -1},
	    {"TERM :INT", -EINVAL, -1, -1},
	    {"TERM:-1", -EINVAL, -1, -1},
	    {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:INT", -EINVAL, -1, -1},
	    /* Found by tests/fuzz: FROM takes leading zeros of any length, as sigtab_number(). */
	    {"000000000000000000000000000000000015:2", 0, 15, 2},
	    {"sig000000000000000000000000000000000010:0", 0, 10, 0},
	    {"SIGRTMIN+000000000000000000000000000000001:HUP", 0, 35, 1},
	    {"RTMAX-0000000000000000000000000000000000:HUP", 0, 64, 1},
	    {"USR000000000000000000000000000000000001:INT", -EINVAL, -1, -1},
	    {"0000000000000000000000000000000000000TERM:INT", -EINVAL, -1, -1},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		int from = -1, to = -1;
		int rc = sigtab_rewrite(cases[i].in, &from, &to);

		cr_expect_eq(rc, cases[i].rc, "sigtab_rewrite(\"%s\"): rc %d, want %d", cases[i].in,
		             rc, cases[i].rc);
		cr_expect_eq(from, cases[i].from, "sigtab_rewrite(\"%s\"): from %d, want %d",
		             cases[i].in, from, cases[i].from);
		cr_expect_eq(to, cases[i].to, "sigtab_rewrite(\"%s\"): to %d, want %d", cases[i].in,
		             to, cases[i].to);
	}
	cr_expect_eq(sigtab_rewrite(NULL, &(int){0}, &(int){0}), -EINVAL);
}
