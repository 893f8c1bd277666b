/*
 * libFuzzer target for src/config.c. The input is split on NUL bytes; a piece that starts with
 * byte 0x01 is an environment entry (the rest of it, "INIT_GRACE=10s"), any other piece is the
 * next argument after argv[0] = "init". Every piece is its own exact-size allocation, so ASan
 * sees a read past any string's end.
 *
 * config_parse() runs twice: with main()'s 256-byte message buffer, and with a small one.
 * Properties (besides no crash, leak or undefined behaviour):
 * - it returns 0 or -EINVAL, the same both times;
 * - on success with the run action, cfg->argv is NULL in pause mode, and otherwise points at a
 *   non-NULL argument inside the argv given, which stays NULL-terminated; every field is in
 *   its range (verbosity, durations, pdeathsig, the rewrite table);
 * - on failure, the message is not empty, NUL-terminated within errlen, and the short buffer
 *   holds a prefix of the long one.
 * The config.h contract also promises a message with no newline. config.c copies the bad value
 * into it as it is (the log escapes control bytes when it prints), so that property fails on
 * "-p" "\n": build with -DFUZZ_CONFIG_ONE_LINE to check it.
 */
#include <errno.h>
#include <stdbool.h>

#include "config.h"
#include "fuzz.h"
#include "parse.h"

#define ENV_MARK 0x01

/* The size of main()'s buffer for the message. */
#define ERR_LEN 256

struct input {
	char **argv; /* "init" and the argument pieces, NULL-terminated */
	char **envp; /* the environment pieces, NULL-terminated */
	int argc;
	int envc;
};

static void add(struct input *in, const uint8_t *p, size_t n)
{
	if (n > 0 && p[0] == ENV_MARK) {
		in->envp[in->envc++] = fuzz_strndup(p + 1, n - 1);
	} else {
		in->argv[in->argc++] = fuzz_strndup(p, n);
	}
}

static void split(struct input *in, const uint8_t *data, size_t size)
{
	size_t pieces = 1, start = 0;

	for (size_t i = 0; i < size; i++) {
		pieces += data[i] == 0;
	}
	/* Exact sizes: the pieces plus "init" plus the NULL. */
	in->argv = calloc(pieces + 2, sizeof(char *));
	in->envp = calloc(pieces + 1, sizeof(char *));
	if (in->argv == NULL || in->envp == NULL) {
		abort();
	}
	in->argv[in->argc++] = fuzz_strndup((const uint8_t *)"init", 4);
	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == 0) {
			if (i > start || i < size) {
				add(in, data + start, i - start);
			}
			start = i + 1;
		}
	}
}

static void release(struct input *in)
{
	for (int i = 0; i < in->argc; i++) {
		free(in->argv[i]);
	}
	for (int i = 0; i < in->envc; i++) {
		free(in->envp[i]);
	}
	free(in->argv);
	free(in->envp);
}

static void check_ok(const struct config *cfg, const struct input *in)
{
	if (cfg->action != CONFIG_RUN) {
		return;
	}
	if (cfg->pause) {
		FUZZ_CHECK(cfg->argv == NULL, "pause mode with a command");
	} else {
		char **a = cfg->argv;

		FUZZ_CHECK(a > in->argv && a < in->argv + in->argc, "argv %p outside [%p, %p)",
		           (void *)a, (void *)in->argv, (void *)(in->argv + in->argc));
		FUZZ_CHECK(*a != NULL, "empty command");
		while (*a != NULL) {
			a++;
		}
		FUZZ_CHECK(a == in->argv + in->argc, "argv not NULL-terminated at argc");
	}
	FUZZ_CHECK(cfg->verbosity >= LOG_QUIET && cfg->verbosity <= LOG_DEBUG, "verbosity %d",
	           cfg->verbosity);
	FUZZ_CHECK(cfg->grace_ms <= PARSE_DURATION_MAX_MS, "grace %llu",
	           (unsigned long long)cfg->grace_ms);
	FUZZ_CHECK(cfg->kill_after_ms <= PARSE_DURATION_MAX_MS ||
	               cfg->kill_after_ms == CONFIG_NEVER,
	           "kill-after %llu", (unsigned long long)cfg->kill_after_ms);
	FUZZ_CHECK(cfg->pdeathsig >= 0 && cfg->pdeathsig <= SIGTAB_MAX, "pdeathsig %d",
	           cfg->pdeathsig);
	for (int s = 0; s <= SIGTAB_MAX; s++) {
		int to = cfg->rewrite[s];

		FUZZ_CHECK(to >= 0 && to <= SIGTAB_MAX, "rewrite[%d] = %d", s, to);
		FUZZ_CHECK(sigtab_forwardable(s) || to == s, "rewrite of %d, not forwardable", s);
	}
}

static void check_err(const char *err, size_t errlen)
{
	const char *nul = memchr(err, '\0', errlen);

	FUZZ_CHECK(nul != NULL, "message not NUL-terminated within %zu bytes", errlen);
	FUZZ_CHECK(nul > err || errlen == 1, "empty message");
#ifdef FUZZ_CONFIG_ONE_LINE
	FUZZ_CHECK(strchr(err, '\n') == NULL, "message of more than one line: \"%s\"", err);
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {0};
	struct config cfg;
	size_t small_len = 1 + size % 48;
	char err[ERR_LEN], *small = malloc(small_len);
	int rc, rc_small;

	if (small == NULL) {
		abort();
	}
	split(&in, data, size);
	memset(err, 0xaa, sizeof(err));
	memset(small, 0xaa, small_len);
	rc = config_parse(&cfg, in.argc, in.argv, in.envp, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "config_parse() = %d", rc);
	if (rc == 0) {
		check_ok(&cfg, &in);
	} else {
		check_err(err, sizeof(err));
	}
	rc_small = config_parse(&cfg, in.argc, in.argv, in.envp, small, small_len);
	FUZZ_CHECK(rc_small == rc, "config_parse() = %d, then %d", rc, rc_small);
	if (rc < 0) {
		check_err(small, small_len);
		FUZZ_CHECK(strncmp(err, small, strlen(small)) == 0,
		           "\"%s\" is not a prefix of \"%s\"", small, err);
	}
	release(&in);
	free(small);
	return 0;
}
