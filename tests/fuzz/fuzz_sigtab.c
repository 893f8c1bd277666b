/*
 * libFuzzer target for src/sigtab.c and src/status.c: every signal name the init prints parses
 * back to the same number. The input up to its first NUL is a string; the bytes after it
 * choose a signal number (1 byte), a wait status (4), an exit code for -e (1) and a buffer
 * size (1). Missing bytes are 0.
 *
 * Properties:
 * - for the chosen n in 1..SIGTAB_MAX, sigtab_number() of sigtab_name(n) is n, and so is that
 *   of every other form the README documents: without "SIG", in lower case, the decimal
 *   number, and "RTMAX-k" for real-time signals;
 * - sigtab_number(s) is -EINVAL or 1..SIGTAB_MAX, and when it is n > 0, the name of n parses
 *   back to n;
 * - sigtab_rewrite(s) accepts "FROM:TO" iff FROM (everything before the first ':') parses to a
 *   forwardable signal and TO parses to a signal or is a zero ("0", "00"...); it returns what
 *   sigtab_number() gives for each side and leaves its outputs untouched on failure;
 * - sigtab_name() into a buffer of any size is NUL-terminated within it;
 * - status_exit_code() is the exit code or 128 + the signal, 0 for a code given to -e;
 *   status_describe() fits its buffer, and the signal name in "killed=NAME" parses back.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "fuzz.h"
#include "sigtab.h"
#include "status.h"

/* Longer than any name sigtab_name() writes ("SIG?-2147483648"). */
#define NAME_MAX_LEN 32

static uint64_t take(const uint8_t **p, size_t *len, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		if (*len > 0) {
			v |= (uint64_t) * *p << (8 * i);
			(*p)++;
			(*len)--;
		}
	}
	return v;
}

/* sigtab_number(@form) is @n: one written form of signal @n. */
static void check_form(int n, const char *form)
{
	int got = sigtab_number(form);

	FUZZ_CHECK(got == n, "sigtab_number(\"%s\") = %d; want %d", form, got, n);
}

static void check_round_trip(int n)
{
	char name[NAME_MAX_LEN], form[NAME_MAX_LEN];

	sigtab_name(n, name, sizeof(name));
	FUZZ_CHECK(strncmp(name, "SIG", 3) == 0, "sigtab_name(%d) = \"%s\"", n, name);
	check_form(n, name);
	check_form(n, name + 3);
	for (size_t i = 0; i == 0 || name[i - 1] != '\0'; i++) {
		form[i] = (char)tolower((unsigned char)name[i]);
	}
	check_form(n, form);
	snprintf(form, sizeof(form), "%d", n);
	check_form(n, form);
	if (n >= SIGTAB_RTMIN) {
		snprintf(form, sizeof(form), "SIGRTMAX-%d", SIGTAB_MAX - n);
		check_form(n, form);
	}
}

/* A forwardable signal: catchable, and not the init's own SIGCHLD. */
static bool ref_forwardable(int sig)
{
	return sig >= 1 && sig <= SIGTAB_MAX && sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD;
}

static void check_rewrite(const char *s)
{
	const char *colon = strchr(s, ':');
	int from = -7, to = -7, want_from = -7, want_to = -7;
	int rc = sigtab_rewrite(s, &from, &to);
	bool ok = false;

	if (colon != NULL) {
		char *left = fuzz_strndup((const uint8_t *)s, (size_t)(colon - s));
		const char *right = colon + 1;
		bool zero = *right != '\0' && strspn(right, "0") == strlen(right);
		int f = sigtab_number(left), t = zero ? 0 : sigtab_number(right);

		if (ref_forwardable(f) && t >= 0) {
			ok = true;
			want_from = f;
			want_to = t;
		}
		free(left);
	}
	FUZZ_CHECK(rc == (ok ? 0 : -EINVAL) && from == want_from && to == want_to,
	           "sigtab_rewrite(\"%s\") = %d, %d:%d; want %d, %d:%d", s, rc, from, to,
	           ok ? 0 : -EINVAL, want_from, want_to);
}

static void check_name_fits(int sig, size_t len)
{
	char *buf = malloc(len);

	if (buf == NULL) {
		abort();
	}
	sigtab_name(sig, buf, len);
	FUZZ_CHECK(memchr(buf, '\0', len) != NULL, "sigtab_name(%d) not terminated in %zu", sig,
	           len);
	free(buf);
}

static void check_status(int wstatus, int code, size_t len)
{
	struct exit_map map = {{0}};
	int got = status_exit_code(wstatus, NULL), want = 255;
	char full[64], *buf;

	if (WIFEXITED(wstatus)) {
		want = WEXITSTATUS(wstatus);
	} else if (WIFSIGNALED(wstatus)) {
		want = 128 + WTERMSIG(wstatus);
	}
	FUZZ_CHECK(got == want, "status_exit_code(0x%x) = %d; want %d", (unsigned)wstatus, got,
	           want);
	status_map_add(&map, code);
	got = status_exit_code(wstatus, &map);
	FUZZ_CHECK(got == (want == code ? 0 : want), "status_exit_code(0x%x, -e %d) = %d",
	           (unsigned)wstatus, code, got);

	status_describe(wstatus, full, sizeof(full));
	if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) <= SIGTAB_MAX) {
		char *name = full + strlen("killed=");

		FUZZ_CHECK(strncmp(full, "killed=", 7) == 0, "status_describe(0x%x) = \"%s\"",
		           (unsigned)wstatus, full);
		name[strcspn(name, " ")] = '\0';
		check_form(WTERMSIG(wstatus), name);
	}
	buf = malloc(len);
	if (buf == NULL) {
		abort();
	}
	status_describe(wstatus, buf, len);
	FUZZ_CHECK(memchr(buf, '\0', len) != NULL, "status_describe(0x%x) not terminated in %zu",
	           (unsigned)wstatus, len);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t restlen;
	char *s = fuzz_split(data, size, &rest, &restlen);
	char name[NAME_MAX_LEN];
	int n = (int)(take(&rest, &restlen, 1) % SIGTAB_MAX) + 1;
	int wstatus = (int)(uint32_t)take(&rest, &restlen, 4);
	int code = (int)take(&rest, &restlen, 1);
	size_t len = (size_t)take(&rest, &restlen, 1) % NAME_MAX_LEN + 1;
	int sig = sigtab_number(s);

	check_round_trip(n);
	FUZZ_CHECK(sig == -EINVAL || (sig >= 1 && sig <= SIGTAB_MAX), "sigtab_number(\"%s\") = %d",
	           s, sig);
	if (sig > 0) {
		check_form(sig, sigtab_name(sig, name, sizeof(name)));
	}
	check_rewrite(s);
	check_name_fits(wstatus, len);
	check_status(wstatus, code, len);
	free(s);
	return 0;
}
