/*
 * libFuzzer target for src/summary.c, the end-of-run line (--termination-log, issue 9). The
 * input up to its first NUL is the command; the bytes after it choose everything else, in this
 * order (missing bytes are 0): the child's kind (1; bit 7: pause mode, no command), the init's
 * exit code (1), the wait status (4), the forwarded set (8), the set-up stage (1, one of the
 * names the init uses) and its errno (1), the SIGTERM delay (8), drain_term and drain_killed
 * (2 each, signed), whether there is a report (1), how many it names (1) and, for each of
 * them, a pid (4) and 15 bytes of command name; last, a buffer size (2).
 *
 * Properties:
 * - the return value is strlen() of the output, below the buffer size and below SUMMARY_MAX
 *   (4096 with the newline the file adds), and nothing is written past either;
 * - no byte of the line is below 0x20 or 0x7f: it is one line, whatever the names hold;
 * - the cap cuts the command, never the line: the drain's keys are always there;
 * - into a smaller buffer, the output is a prefix of the whole line;
 * - the cmd= value, unescaped, is the command (or its start, when it ends with "..."), and
 *   each killed= item is PID/NAME with NAME, unescaped, the process's name.
 */
#include <ctype.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "fuzz.h"
#include "summary.h"

/* What spawn.c and privs_stage_name() can report. */
static const char *const stages[] = {
    "exec",         "signal mask", "setgroups",   "setresgid",    "setresuid",
    "bounding set", "capset",      "ambient set", "no_new_privs", "privileges",
};

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

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/*
 * Unescape @s up to the first byte of @stop (or its end) into @out (at least as large as
 * strlen(@s) + 1); returns the end of the value. A backslash must start \xNN.
 */
static const char *unescape(const char *s, const char *stop, char *out)
{
	size_t o = 0;

	for (; *s != '\0' && strchr(stop, *s) == NULL; s++) {
		if (*s != '\\') {
			out[o++] = *s;
			continue;
		}
		FUZZ_CHECK(s[1] == 'x' && isxdigit((unsigned char)s[2]) &&
		               isxdigit((unsigned char)s[3]),
		           "a backslash that is not \\xNN: \"%.8s\"", s);
		out[o++] = (char)(hexval(s[2]) * 16 + hexval(s[3]));
		s += 3;
	}
	out[o] = '\0';
	return s;
}

static void check_cmd(const char *line, const char *cmd)
{
	const char *v = strstr(line, " cmd=");
	char *got;
	size_t n;
	bool cut;

	if (cmd == NULL) {
		FUZZ_CHECK(v == NULL, "cmd= in pause mode: \"%s\"", line);
		return;
	}
	FUZZ_CHECK(v != NULL, "no cmd= in \"%s\"", line);
	v += strlen(" cmd=");
	n = strcspn(v, " ");
	got = malloc(n + 1);
	if (got == NULL) {
		abort();
	}
	cut = n >= 3 && strncmp(v + n - 3, "...", 3) == 0 && strlen(cmd) > 0;
	(void)unescape(v, " ", got);
	if (cut && strcmp(got, cmd) != 0) {
		/* Cut: what is left before the "..." is the command's start, and it is longer. */
		size_t k = strlen(got) - 3;

		FUZZ_CHECK(k < strlen(cmd) && memcmp(got, cmd, k) == 0,
		           "cut cmd= is not the command's start: \"%s\"", line);
	} else {
		FUZZ_CHECK(strcmp(got, cmd) == 0, "cmd= \"%s\" is not the command", got);
	}
	free(got);
}

static void check_killed(const char *line, const struct summary *s)
{
	const char *v = strstr(line, " killed=");
	const struct drain_report *k = s->killed;

	if (k == NULL || k->nnamed == 0 || s->drain_killed <= 0) {
		FUZZ_CHECK(v == NULL, "killed= without names: \"%s\"", line);
		return;
	}
	FUZZ_CHECK(v != NULL, "no killed= in \"%s\"", line);
	v += strlen(" killed=");
	for (int i = 0; i < k->nnamed; i++) {
		char pid[16], got[16 * 4 + 1];
		int n = snprintf(pid, sizeof(pid), "%d/", (int)k->named[i].pid);

		FUZZ_CHECK(strncmp(v, pid, (size_t)n) == 0, "item %d of \"%s\" is not %s...", i,
		           line, pid);
		v = unescape(v + n, ", ", got);
		FUZZ_CHECK(strcmp(got, k->named[i].comm) == 0, "item %d: name \"%s\", want \"%s\"",
		           i, got, k->named[i].comm);
		FUZZ_CHECK(*v == (i + 1 < k->nnamed || s->drain_killed > k->nnamed ? ',' : '\0'),
		           "after item %d of \"%s\": '%c'", i, line, *v);
		v++;
	}
	if (s->drain_killed > k->nnamed) {
		char more[16];

		snprintf(more, sizeof(more), "+%d", s->drain_killed - k->nnamed);
		FUZZ_CHECK(strcmp(v, more) == 0, "\"%s\" does not end with ,%s", line, more);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p;
	size_t left;
	char *cmd = fuzz_split(data, size, &p, &left);
	struct drain_report rep = {0};
	struct summary s = {0};
	unsigned kind = (unsigned)take(&p, &left, 1);
	char full[SUMMARY_MAX + 64], *small;
	size_t n, len;
	bool has_report;

	s.child = (enum summary_child)(kind % 4);
	s.cmd = kind & 0x80 ? NULL : cmd;
	s.exit_code = (int)take(&p, &left, 1);
	s.status = (int)(uint32_t)take(&p, &left, 4);
	s.forwarded = take(&p, &left, 8);
	s.stage = stages[take(&p, &left, 1) % (sizeof(stages) / sizeof(stages[0]))];
	s.err = (int)take(&p, &left, 1);
	s.term_delay_ms = take(&p, &left, 8);
	s.drain_term = (int16_t)take(&p, &left, 2);
	s.drain_killed = (int16_t)take(&p, &left, 2);
	if (s.drain_term < -1) {
		s.drain_term = -1; /* the loop's only negative value: unknown */
	}
	if (s.drain_killed < -1) {
		s.drain_killed = -1;
	}
	has_report = take(&p, &left, 1) & 1;
	rep.nnamed = (int)(take(&p, &left, 1) % (DRAIN_NAMED + 1));
	for (int i = 0; i < rep.nnamed; i++) {
		rep.named[i].pid = (pid_t)(take(&p, &left, 4) & 0x7fffffff);
		for (size_t b = 0; b + 1 < sizeof(rep.named[i].comm); b++) {
			rep.named[i].comm[b] = (char)take(&p, &left, 1);
		}
		rep.named[i].comm[sizeof(rep.named[i].comm) - 1] = '\0';
	}
	rep.found = rep.nnamed;
	s.killed = has_report ? &rep : NULL;
	len = (size_t)take(&p, &left, 2) % (SUMMARY_MAX + 64) + 1;

	/* The whole line, into a buffer larger than the cap. */
	memset(full, '#', sizeof(full));
	n = summary_format(&s, full, sizeof(full));
	FUZZ_CHECK(n == strlen(full), "returned %zu, strlen %zu", n, strlen(full));
	FUZZ_CHECK(n < SUMMARY_MAX, "%zu bytes", n);
	for (size_t b = n + 1; b < sizeof(full); b++) {
		FUZZ_CHECK(full[b] == '#', "byte %zu written past the line (%zu)", b, n);
	}
	FUZZ_CHECK(strncmp(full, "exit_code=", 10) == 0, "\"%s\"", full);
	for (size_t b = 0; b < n; b++) {
		unsigned char c = (unsigned char)full[b];

		FUZZ_CHECK(c >= 0x20 && c != 0x7f, "byte %zu is 0x%02x in \"%s\"", b, c, full);
	}
	/* The cap never cuts the line itself: the command is what is cut, the drain stays. */
	FUZZ_CHECK(strstr(full, " drain_term=") != NULL, "no drain in %zu bytes: \"%.200s...\"", n,
	           full);
	check_cmd(full, s.cmd);
	check_killed(full, &s);

	/* Into an exact-size heap buffer of @len bytes: a prefix, nothing past it. */
	small = malloc(len);
	if (small == NULL) {
		abort();
	}
	memset(small, '#', len);
	FUZZ_CHECK(summary_format(&s, small, len) == (len - 1 < n ? len - 1 : n), "into %zu bytes",
	           len);
	FUZZ_CHECK(strlen(small) == (len - 1 < n ? len - 1 : n), "into %zu bytes: strlen %zu", len,
	           strlen(small));
	FUZZ_CHECK(memcmp(small, full, strlen(small)) == 0, "into %zu bytes: not a prefix", len);
	free(small);
	free(cmd);
	return 0;
}
