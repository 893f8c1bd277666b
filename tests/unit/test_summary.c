/*
 * Unit tests for src/summary.c: the end-of-run line of --termination-log and of the last log
 * line after a SIGKILL (issue 9). Each case of the table is checked against its whole line, and
 * every line must also parse as logfmt (key=value pairs, a value with a space quoted), with
 * the command name and the killed processes' names coming back unchanged once unescaped.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "summary.h"

#define LEN(a)   (sizeof(a) / sizeof((a)[0]))
#define BIT(sig) (1ULL << ((sig)-1))

/* Reports as drain_signal_tree() fills them (comm is at most 15 bytes and a NUL). */
static const struct drain_report rep_two = {
    .found = 2,
    .nnamed = 2,
    .named = {{.pid = 12, .state = 'S', .comm = "sleep"},
              {.pid = 13, .state = 'S', .comm = "worker"}},
};
static const struct drain_report rep_three = {
    .found = 3,
    .nnamed = 3,
    .named = {{.pid = 5, .comm = "a"}, {.pid = 6, .comm = "b"}, {.pid = 7, .comm = "c"}},
};
/* DRAIN_NAMED of them named, more found. */
static const struct drain_report rep_four = {
    .found = 6,
    .nnamed = 4,
    .named = {{.pid = 101, .comm = "w1"},
              {.pid = 102, .comm = "w2"},
              {.pid = 103, .comm = "w3"},
              {.pid = 4194304, .comm = "123456789012345"}},
};
/* Found some, named none (the rest of the fields are what an unreadable /proc leaves). */
static const struct drain_report rep_none = {.found = 2, .nnamed = 0};
/* A main child that SIGKILL did not end: in uninterruptible sleep. */
static const struct drain_report rep_stuck = {
    .found = 1,
    .nnamed = 1,
    .named = {{.pid = 7, .state = 'D', .comm = "app"}},
};
/* Names with every kind of byte that must be escaped in a list item. */
static const struct drain_report rep_odd = {
    .found = 8,
    .nnamed = 4,
    .named = {{.pid = 1, .comm = "a b,c/d"},
              {.pid = 2, .comm = "x=y\"z\\"},
              {.pid = 3, .comm = "\x01\t\n\x1f\x7f"},
              {.pid = 4, .comm = "(sd-pam) \xc3\xa9"}},
};

struct row {
	const char *name;
	struct summary s;
	const char *want;
};

/* The drain fields of a run whose tree was empty at the end. */
#define NO_DRAIN      .drain_term = 0, .drain_killed = 0
#define NO_DRAIN_TEXT "drain_term=0 drain_exited=0 drain_killed=0"

static const struct row rows[] = {
    /* How the main child ended. */
    {"exit 0",
     {.exit_code = 0, .child = SUMMARY_ENDED, .cmd = "app", .status = W_EXITCODE(0, 0), NO_DRAIN},
     "exit_code=0 child=exited code=0 cmd=app " NO_DRAIN_TEXT},
    {"exit 255 mapped to 0 by -e: both codes",
     {.exit_code = 0, .child = SUMMARY_ENDED, .cmd = "app", .status = W_EXITCODE(255, 0), NO_DRAIN},
     "exit_code=0 child=exited code=255 cmd=app " NO_DRAIN_TEXT},
    {"the header's example",
     {.exit_code = 143,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, SIGTERM),
      .forwarded = BIT(SIGTERM),
      .drain_term = 3,
      .drain_killed = 2,
      .killed = &rep_two},
     "exit_code=143 child=signaled signal=SIGTERM forwarded=yes cmd=app drain_term=3 "
     "drain_exited=1 drain_killed=2 killed=12/sleep,13/worker"},
    {"SIGTERM, only other signals forwarded",
     {.exit_code = 143,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, SIGTERM),
      .forwarded = BIT(SIGINT) | BIT(SIGUSR1) | BIT(SIGKILL - 1) | BIT(SIGTERM + 1),
      NO_DRAIN},
     "exit_code=143 child=signaled signal=SIGTERM forwarded=no cmd=app " NO_DRAIN_TEXT},
    {"SIGKILL from outside (the OOM killer)",
     {.exit_code = 137,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, SIGKILL),
      NO_DRAIN},
     "exit_code=137 child=signaled signal=SIGKILL forwarded=no cmd=app " NO_DRAIN_TEXT},
    {"SIGKILL of -k, sent by the init itself",
     {.exit_code = 137,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, SIGKILL),
      .init_killed = true,
      NO_DRAIN},
     "exit_code=137 child=signaled signal=SIGKILL forwarded=init cmd=app " NO_DRAIN_TEXT},
    {"a SIGTERM after -k's SIGKILL went out: still the signal's own answer",
     {.exit_code = 143,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, SIGTERM),
      .init_killed = true,
      NO_DRAIN},
     "exit_code=143 child=signaled signal=SIGTERM forwarded=no cmd=app " NO_DRAIN_TEXT},
    {"SIGSEGV with a core",
     {.exit_code = 139,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, SIGSEGV) | WCOREFLAG,
      .forwarded = ~0ULL & ~BIT(SIGSEGV),
      NO_DRAIN},
     "exit_code=139 child=signaled signal=SIGSEGV forwarded=no cmd=app " NO_DRAIN_TEXT},
    {"SIGRTMAX forwarded: the top bit",
     {.exit_code = 192,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, 64),
      .forwarded = BIT(64),
      NO_DRAIN},
     "exit_code=192 child=signaled signal=SIGRTMAX forwarded=yes cmd=app " NO_DRAIN_TEXT},
    {"SIGRTMIN+1, SIGRTMIN forwarded only",
     {.exit_code = 163,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, 35),
      .forwarded = BIT(34),
      NO_DRAIN},
     "exit_code=163 child=signaled signal=SIGRTMIN+1 forwarded=no cmd=app " NO_DRAIN_TEXT},
    {"SIGHUP forwarded: the lowest bit",
     {.exit_code = 129,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, SIGHUP),
      .forwarded = BIT(SIGHUP),
      NO_DRAIN},
     "exit_code=129 child=signaled signal=SIGHUP forwarded=yes cmd=app " NO_DRAIN_TEXT},
    {"exec: not found",
     {.exit_code = 127,
      .child = SUMMARY_NOT_RUN,
      .cmd = "nosuch",
      .stage = "exec",
      .err = ENOENT,
      NO_DRAIN},
     "exit_code=127 child=not-started stage=exec error=\"No such file or directory\" "
     "cmd=nosuch " NO_DRAIN_TEXT},
    {"exec: not executable",
     {.exit_code = 126,
      .child = SUMMARY_NOT_RUN,
      .cmd = "/etc",
      .stage = "exec",
      .err = EACCES,
      NO_DRAIN},
     "exit_code=126 child=not-started stage=exec error=\"Permission denied\" "
     "cmd=/etc " NO_DRAIN_TEXT},
    {"set-up: setresuid",
     {.exit_code = 126,
      .child = SUMMARY_NOT_RUN,
      .cmd = "app",
      .stage = "setresuid",
      .err = EPERM,
      NO_DRAIN},
     "exit_code=126 child=not-started stage=setresuid error=\"Operation not permitted\" "
     "cmd=app " NO_DRAIN_TEXT},
    {"set-up: a stage with a space, quoted",
     {.exit_code = 126,
      .child = SUMMARY_NOT_RUN,
      .cmd = "app",
      .stage = "bounding set",
      .err = EPERM,
      NO_DRAIN},
     "exit_code=126 child=not-started stage=\"bounding set\" error=\"Operation not permitted\" "
     "cmd=app " NO_DRAIN_TEXT},
    {"pause mode: no child, no command",
     {.exit_code = 0, .child = SUMMARY_NONE, .cmd = NULL, .drain_term = 2, .drain_killed = 0},
     "exit_code=0 child=none drain_term=2 drain_exited=2 drain_killed=0"},
    {"-k gave up on the main child",
     {.exit_code = 137,
      .child = SUMMARY_SURVIVED,
      .cmd = "app",
      .drain_term = 0,
      .drain_killed = 1,
      .killed = &rep_stuck},
     "exit_code=137 child=survived-sigkill cmd=app drain_term=0 drain_exited=0 drain_killed=1 "
     "killed=7/app"},
    {"a held SIGTERM",
     {.exit_code = 0,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(0, 0),
      .term_delay_ms = 1500,
      NO_DRAIN},
     "exit_code=0 child=exited code=0 cmd=app term_delay=1500ms " NO_DRAIN_TEXT},
    {"a held SIGTERM of a year",
     {.exit_code = 0, .child = SUMMARY_NONE, .term_delay_ms = 31536000000ULL, NO_DRAIN},
     "exit_code=0 child=none term_delay=31536000000ms " NO_DRAIN_TEXT},
    /* The drain. */
    {"drain unknown (no /proc)",
     {.exit_code = 3,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(3, 0),
      .drain_term = -1,
      .drain_killed = -1,
      .killed = &rep_two},
     "exit_code=3 child=exited code=3 cmd=app drain_term=unknown drain_killed=unknown"},
    {"SIGTERM count unknown, SIGKILL count known",
     {.exit_code = 3,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(3, 0),
      .drain_term = -1,
      .drain_killed = 2,
      .killed = &rep_two},
     "exit_code=3 child=exited code=3 cmd=app drain_term=unknown drain_killed=2 "
     "killed=12/sleep,13/worker"},
    {"SIGKILL count unknown",
     {.exit_code = 3,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(3, 0),
      .drain_term = 3,
      .drain_killed = -1},
     "exit_code=3 child=exited code=3 cmd=app drain_term=3 drain_killed=unknown"},
    {"more SIGKILLed than SIGTERMed (forks after the SIGTERM)",
     {.exit_code = 3,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(3, 0),
      .drain_term = 1,
      .drain_killed = 3,
      .killed = &rep_three},
     "exit_code=3 child=exited code=3 cmd=app drain_term=1 drain_exited=0 drain_killed=3 "
     "killed=5/a,6/b,7/c"},
    {"all SIGKILLed",
     {.exit_code = 3,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(3, 0),
      .drain_term = 3,
      .drain_killed = 3,
      .killed = &rep_three},
     "exit_code=3 child=exited code=3 cmd=app drain_term=3 drain_exited=0 drain_killed=3 "
     "killed=5/a,6/b,7/c"},
    {"more than DRAIN_NAMED: +N",
     {.exit_code = 7,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(7, 0),
      .drain_term = 9,
      .drain_killed = 6,
      .killed = &rep_four},
     "exit_code=7 child=exited code=7 cmd=app drain_term=9 drain_exited=3 drain_killed=6 "
     "killed=101/w1,102/w2,103/w3,4194304/123456789012345,+2"},
    {"SIGKILLed, none named",
     {.exit_code = 7,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(7, 0),
      .drain_term = 2,
      .drain_killed = 2,
      .killed = &rep_none},
     "exit_code=7 child=exited code=7 cmd=app drain_term=2 drain_exited=0 drain_killed=2"},
    {"SIGKILLed, no report",
     {.exit_code = 7,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(7, 0),
      .drain_term = 2,
      .drain_killed = 2,
      .killed = NULL},
     "exit_code=7 child=exited code=7 cmd=app drain_term=2 drain_exited=0 drain_killed=2"},
    {"a report, but nobody SIGKILLed",
     {.exit_code = 7,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(7, 0),
      .drain_term = 2,
      .drain_killed = 0,
      .killed = &rep_two},
     "exit_code=7 child=exited code=7 cmd=app drain_term=2 drain_exited=2 drain_killed=0"},
    /* Escaping in the command (',' and '/' are plain there) and in the names (not there). */
    {"cmd: a path with ',' and '/'",
     {.exit_code = 0, .child = SUMMARY_ENDED, .cmd = "/usr/bin/a,b-c_d.e~f", NO_DRAIN},
     "exit_code=0 child=exited code=0 cmd=/usr/bin/a,b-c_d.e~f " NO_DRAIN_TEXT},
    {"cmd: space, '=', quote, backslash",
     {.exit_code = 0, .child = SUMMARY_ENDED, .cmd = "my app=\"x\\y", NO_DRAIN},
     "exit_code=0 child=exited code=0 cmd=my\\x20app\\x3d\\x22x\\x5cy " NO_DRAIN_TEXT},
    {"cmd: control bytes, DEL, UTF-8",
     {.exit_code = 0, .child = SUMMARY_ENDED, .cmd = "\x01\t\n\r\x1b[0m\x7f\xc3\xa9\xff", NO_DRAIN},
     "exit_code=0 child=exited code=0 "
     "cmd=\\x01\\x09\\x0a\\x0d\\x1b[0m\\x7f\\xc3\\xa9\\xff " NO_DRAIN_TEXT},
    {"cmd: looks like another key",
     {.exit_code = 0, .child = SUMMARY_ENDED, .cmd = "x exit_code=1", NO_DRAIN},
     "exit_code=0 child=exited code=0 cmd=x\\x20exit_code\\x3d1 " NO_DRAIN_TEXT},
    {"cmd: empty",
     {.exit_code = 127,
      .child = SUMMARY_NOT_RUN,
      .cmd = "",
      .stage = "exec",
      .err = ENOENT,
      NO_DRAIN},
     "exit_code=127 child=not-started stage=exec error=\"No such file or directory\" "
     "cmd= " NO_DRAIN_TEXT},
    {"names: every separator and odd byte escaped",
     {.exit_code = 7,
      .child = SUMMARY_ENDED,
      .cmd = "app",
      .status = W_EXITCODE(7, 0),
      .drain_term = 8,
      .drain_killed = 8,
      .killed = &rep_odd},
     "exit_code=7 child=exited code=7 cmd=app drain_term=8 drain_exited=0 drain_killed=8 "
     "killed=1/a\\x20b\\x2cc\\x2fd,2/x\\x3dy\\x22z\\x5c,3/\\x01\\x09\\x0a\\x1f\\x7f,"
     "4/(sd-pam)\\x20\\xc3\\xa9,+4"},
};

/* One key=value of a line, value unescaped (\xNN) and unquoted. */
struct kv {
	char key[32];
	char val[SUMMARY_MAX];
};

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/* Unescape @n bytes of @s into @out: \xNN is a byte, nothing else may follow a backslash. */
static bool unescape(const char *s, size_t n, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (o + 1 >= outsz) {
			return false;
		}
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (i + 3 >= n || s[i + 1] != 'x' || !isxdigit((unsigned char)s[i + 2]) ||
		    !isxdigit((unsigned char)s[i + 3])) {
			return false;
		}
		out[o++] = (char)(hexval(s[i + 2]) * 16 + hexval(s[i + 3]));
		i += 3;
	}
	out[o] = '\0';
	return true;
}

/*
 * Parse @line as logfmt: pairs separated by one space, a key of [a-z_], '=', then a value that
 * is either "quoted" (no '"' inside) or has no space, '"' nor '='. Returns how many pairs, or
 * -1 (with the offending offset in *bad) when the line is not that.
 */
static int parse_logfmt(const char *line, struct kv *kv, int max, size_t *bad)
{
	const char *p = line;
	int n = 0;

	while (*p != '\0') {
		const char *k = p, *v, *end;
		size_t klen;

		*bad = (size_t)(p - line);
		while (*p >= 'a' && *p <= 'z' ? true : *p == '_') {
			p++;
		}
		klen = (size_t)(p - k);
		if (klen == 0 || klen >= sizeof(kv->key) || *p != '=' || n == max) {
			return -1;
		}
		v = ++p;
		if (*v == '"') {
			end = strchr(v + 1, '"');
			if (end == NULL) {
				return -1;
			}
			p = end + 1;
			if (!unescape(v + 1, (size_t)(end - v - 1), kv[n].val, sizeof(kv[n].val))) {
				return -1;
			}
		} else {
			p = v + strcspn(v, " \"=");
			if (*p == '"' || *p == '=' ||
			    !unescape(v, (size_t)(p - v), kv[n].val, sizeof(kv[n].val))) {
				*bad = (size_t)(p - line);
				return -1;
			}
		}
		memcpy(kv[n].key, k, klen);
		kv[n].key[klen] = '\0';
		n++;
		if (*p == ' ') {
			p++;
			if (*p == '\0') {
				return -1; /* a trailing space */
			}
		} else if (*p != '\0') {
			*bad = (size_t)(p - line);
			return -1;
		}
	}
	return n;
}

static const char *get(const struct kv *kv, int n, const char *key)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(kv[i].key, key) == 0) {
			return kv[i].val;
		}
	}
	return NULL;
}

static struct kv kvs[64];

/* summary_format() into a large buffer: the line, checked as logfmt. */
static size_t format_checked(const struct summary *s, char *buf, size_t len, const char *name)
{
	size_t n = summary_format(s, buf, len), bad = 0;
	int pairs;

	cr_assert_eq(n, strlen(buf), "%s: returned %zu, strlen %zu", name, n, strlen(buf));
	pairs = parse_logfmt(buf, kvs, (int)LEN(kvs), &bad);
	cr_expect_geq(pairs, 0, "%s: not logfmt at byte %zu: \"%s\"", name, bad, buf);
	for (int i = 0; i < pairs; i++) {
		for (int j = 0; j < i; j++) {
			cr_expect_str_neq(kvs[i].key, kvs[j].key, "%s: key %s twice: \"%s\"", name,
			                  kvs[i].key, buf);
		}
	}
	return n;
}

Test(summary, table)
{
	for (size_t i = 0; i < LEN(rows); i++) {
		char buf[SUMMARY_MAX];

		format_checked(&rows[i].s, buf, sizeof(buf), rows[i].name);
		cr_expect_str_eq(buf, rows[i].want, "%s:\n got \"%s\"\nwant \"%s\"", rows[i].name,
		                 buf, rows[i].want);
	}
}

/* The command and the killed processes' names come back from the line unchanged. */
Test(summary, names_round_trip)
{
	for (size_t i = 0; i < LEN(rows); i++) {
		const struct summary *s = &rows[i].s;
		char buf[SUMMARY_MAX];
		const char *cmd, *killed;
		int pairs;
		size_t bad;

		format_checked(s, buf, sizeof(buf), rows[i].name);
		pairs = parse_logfmt(buf, kvs, (int)LEN(kvs), &bad);
		if (pairs < 0) {
			continue; /* reported by format_checked */
		}
		cmd = get(kvs, pairs, "cmd");
		if (s->cmd == NULL) {
			cr_expect_null(cmd, "%s: cmd in pause mode: \"%s\"", rows[i].name, buf);
		} else {
			cr_expect(cmd && strcmp(cmd, s->cmd) == 0, "%s: cmd \"%s\" from \"%s\"",
			          rows[i].name, cmd ? cmd : "(none)", buf);
		}
		killed = get(kvs, pairs, "killed");
		if (killed == NULL) {
			continue;
		}
		/* Items are separated by ',' and pid from name by '/': both escaped in names. */
		for (int k = 0; k < s->killed->nnamed; k++) {
			const char *item = strstr(buf, " killed=") + strlen(" killed=");
			char want[64], got[64];
			size_t len;

			for (int skip = 0; skip < k; skip++) {
				item = strchr(item, ',') + 1;
			}
			len = strcspn(item, ", ");
			snprintf(want, sizeof(want), "%d/", (int)s->killed->named[k].pid);
			cr_assert_eq(strncmp(item, want, strlen(want)), 0, "%s: item %d of \"%s\"",
			             rows[i].name, k, buf);
			cr_assert(
			    unescape(item + strlen(want), len - strlen(want), got, sizeof(got)),
			    "%s: item %d of \"%s\"", rows[i].name, k, buf);
			cr_expect_str_eq(got, s->killed->named[k].comm, "%s: item %d of \"%s\"",
			                 rows[i].name, k, buf);
		}
	}
}

/*
 * Every stage a failed set-up can name (spawn.c: "exec", "signal mask", privs_stage_name()) is
 * one value of the line, and the error one more: a reader gets back exactly the stage and
 * strerror(), whatever the quoting.
 */
Test(summary, stages_are_one_value)
{
	static const char *const stages[] = {
	    "exec",         "signal mask", "setgroups",   "setresgid",    "setresuid",
	    "bounding set", "capset",      "ambient set", "no_new_privs", "privileges"};

	for (size_t i = 0; i < LEN(stages); i++) {
		struct summary s = {.exit_code = 126,
		                    .child = SUMMARY_NOT_RUN,
		                    .cmd = "app",
		                    .stage = stages[i],
		                    .err = EPERM};
		char buf[SUMMARY_MAX];
		const char *v;
		size_t bad = 0;
		int pairs;

		summary_format(&s, buf, sizeof(buf));
		pairs = parse_logfmt(buf, kvs, (int)LEN(kvs), &bad);
		cr_expect_geq(pairs, 0, "stage \"%s\": not logfmt at byte %zu: \"%s\"", stages[i],
		              bad, buf);
		if (pairs < 0) {
			continue;
		}
		v = get(kvs, pairs, "stage");
		cr_expect(v && strcmp(v, stages[i]) == 0, "stage \"%s\": got \"%s\" from \"%s\"",
		          stages[i], v ? v : "(none)", buf);
		v = get(kvs, pairs, "error");
		cr_expect(v && strcmp(v, strerror(EPERM)) == 0, "stage \"%s\": error \"%s\"",
		          stages[i], v ? v : "(none)");
	}
}

/*
 * A long command is cut with "..." after the same number of its own bytes however it is
 * escaped, and the rest of the line (the drain) is still there.
 */
Test(summary, long_command_cut)
{
	static const char fill[] = {'a', ' ', '\n', ','};
	static char cmd[5000], buf[SUMMARY_MAX];
	size_t cut = 0;

	for (size_t f = 0; f < LEN(fill); f++) {
		size_t prev = 0;

		for (size_t n = 1; n < sizeof(cmd); n += n < 300 ? 1 : 997) {
			struct summary s = {.exit_code = 3,
			                    .child = SUMMARY_ENDED,
			                    .cmd = cmd,
			                    .status = W_EXITCODE(3, 0),
			                    .drain_term = 6,
			                    .drain_killed = 6,
			                    .killed = &rep_four};
			const char *v,
			    *tail = " drain_term=6 drain_exited=0 drain_killed=6 killed=";
			size_t len, kept;

			memset(cmd, fill[f], n);
			cmd[n] = '\0';
			len = format_checked(&s, buf, sizeof(buf), "long command");
			cr_assert_lt(len, (size_t)SUMMARY_MAX);
			v = strstr(buf, " cmd=");
			cr_assert_not_null(v);
			v += strlen(" cmd=");
			cr_assert_not_null(strstr(v, tail),
			                   "fill 0x%02x, %zu bytes: no drain: \"%s\"", fill[f], n,
			                   buf);
			cr_assert_not_null(strstr(v, ",+2"), "fill 0x%02x, %zu bytes: \"%s\"",
			                   fill[f], n, buf);
			/* Bytes of the command kept: each is 1 byte, or 4 escaped. */
			kept = (size_t)(strstr(v, tail) - v);
			if (n > prev && strncmp(v + kept - 3, "...", 3) == 0) {
				kept = (kept - 3) / (fill[f] == 'a' || fill[f] == ',' ? 1 : 4);
				if (cut == 0) {
					cut = kept;
					cr_expect_geq(cut, 64, "cut after %zu bytes only", cut);
				}
				cr_expect_eq(kept, cut,
				             "fill 0x%02x, %zu bytes: cut after %zu, not %zu",
				             fill[f], n, kept, cut);
				cr_expect_gt(n, cut, "cut a command of %zu <= %zu bytes", n, cut);
			} else {
				kept /= fill[f] == 'a' || fill[f] == ',' ? 1 : 4;
				cr_expect_eq(kept, n,
				             "fill 0x%02x, %zu bytes: %zu kept, no \"...\"",
				             fill[f], n, kept);
				cr_expect(cut == 0 || n <= cut, "%zu bytes not cut (cut at %zu)", n,
				          cut);
			}
			prev = n;
		}
	}
	cr_expect_gt(cut, 0, "no command was ever cut");
}

/*
 * The truncation contract: into a buffer of LEN bytes, the first LEN - 1 bytes of the line
 * and a NUL, nothing written past LEN, and the returned length is strlen(). Exact-size heap
 * buffers, so ASan sees any write past them.
 */
Test(summary, small_buffers)
{
	for (size_t i = 0; i < LEN(rows); i++) {
		char full[SUMMARY_MAX];
		size_t flen = summary_format(&rows[i].s, full, sizeof(full));

		for (size_t len = 1; len <= flen + 2; len++) {
			char *buf = malloc(len);
			size_t n;

			cr_assert_not_null(buf);
			memset(buf, '#', len);
			n = summary_format(&rows[i].s, buf, len);
			cr_expect_lt(n, len, "%s, %zu bytes: returned %zu", rows[i].name, len, n);
			cr_expect_eq(n, strnlen(buf, len),
			             "%s, %zu bytes: returned %zu, strlen %zu", rows[i].name, len,
			             n, strnlen(buf, len));
			cr_expect_eq(n, len - 1 < flen ? len - 1 : flen, "%s, %zu bytes: %zu",
			             rows[i].name, len, n);
			cr_expect_eq(memcmp(buf, full, n), 0,
			             "%s, %zu bytes: \"%.*s\" not a prefix", rows[i].name, len,
			             (int)n, buf);
			free(buf);
		}
	}
	/* A zero-length buffer is never written. */
	char guard = 'x';

	cr_expect_eq(summary_format(&rows[0].s, &guard, 0), 0);
	cr_expect_eq(guard, 'x');
}

/*
 * Kubernetes keeps 4096 bytes: whatever the buffer, the line is at most SUMMARY_MAX - 1 bytes
 * (the newline the file adds makes 4096). Only a stage string is long without bound; it is a
 * fixed name in the init, so this is the contract, not a real case.
 */
Test(summary, cap_4096)
{
	static char stage[9000], buf[3 * SUMMARY_MAX];
	static const size_t sizes[] = {SUMMARY_MAX - 1, SUMMARY_MAX, SUMMARY_MAX + 1, sizeof(buf)};
	struct summary s = {.exit_code = 126,
	                    .child = SUMMARY_NOT_RUN,
	                    .cmd = "app",
	                    .stage = stage,
	                    .err = EPERM,
	                    NO_DRAIN};

	memset(stage, 's', sizeof(stage) - 1);
	for (size_t i = 0; i < LEN(sizes); i++) {
		size_t n;

		memset(buf, '#', sizeof(buf));
		n = summary_format(&s, buf, sizes[i]);
		cr_expect_eq(n, strlen(buf), "%zu bytes: returned %zu, strlen %zu", sizes[i], n,
		             strlen(buf));
		cr_expect_eq(n, (sizes[i] < SUMMARY_MAX ? sizes[i] : SUMMARY_MAX) - 1,
		             "%zu bytes: %zu", sizes[i], n);
		cr_expect_eq(strncmp(buf, "exit_code=126 child=not-started stage=", 38), 0,
		             "\"%.60s\"", buf);
		cr_expect_not_null(strstr(buf, "ssssssssssssssss"), "\"%.60s\"", buf);
		/* Nothing written past the cap, even into a larger buffer. */
		for (size_t b = SUMMARY_MAX; b < sizes[i]; b++) {
			if (buf[b] != '#') {
				cr_expect_fail("%zu bytes: byte %zu written", sizes[i], b);
				break;
			}
		}
	}
}

/* No byte of any line is a control character or DEL, and there is no newline: one line. */
Test(summary, printable)
{
	for (size_t i = 0; i < LEN(rows); i++) {
		char buf[SUMMARY_MAX];
		size_t n = summary_format(&rows[i].s, buf, sizeof(buf));

		for (size_t b = 0; b < n; b++) {
			unsigned char c = (unsigned char)buf[b];

			cr_expect(c >= 0x20 && c < 0x7f, "%s: byte %zu is 0x%02x", rows[i].name, b,
			          c);
		}
	}
}
