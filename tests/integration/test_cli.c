/*
 * The command line: --version for Docker's parseInitVersion, --help naming every flag, bad
 * input rejected with one line and exit 2 before any child starts, and options ending at the
 * first non-option.
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(cli, .fini = h_cleanup);

static const char *first_line(struct h_proc *h, char *out, size_t outsz)
{
	const char *t = h_text(h, H_OUT);

	snprintf(out, outsz, "%.*s", (int)strcspn(t, "\n"), t);
	return out;
}

H_TEST_BOTH(cli, version, .timeout = 20)
{
	static const char *const flags[] = {"-V", "--version"};
	regex_t re;
	char line[256];

	cr_assert(regcomp(&re, "^tini version [0-9]+\\.[0-9]+\\.[0-9]+( - git\\.[0-9a-f]+)?$",
	                  REG_EXTENDED | REG_NOSUB) == 0);
	for (size_t i = 0; i < 2; i++) {
		struct h_proc h;

		h_start(&h, mode, NULL, H_ARGS(flags[i]));
		h_expect_exit(&h, 0, 10000);
		first_line(&h, line, sizeof(line));
		cr_expect(regexec(&re, line, 0, NULL, 0) == 0, "[%s] %s first line: '%s'",
		          h_mode_name(mode), flags[i], line);
		/* dockerd keeps all of stdout as the version: one line, nothing more. */
		cr_expect_eq(strlen(h_text(&h, H_OUT)), strlen(line) + 1,
		             "[%s] %s printed more than one line:\n%s", h_mode_name(mode), flags[i],
		             h_text(&h, H_OUT));
		cr_expect_eq(h_init_err_lines(&h, NULL, 0), 0, "[%s] %s wrote to stderr:\n%s",
		             h_mode_name(mode), flags[i], h_text(&h, H_ERR));
	}
	regfree(&re);
}

/* --features: one line per pidfd call, each answered yes or no (with why). */
H_TEST_BOTH(cli, features, .timeout = 20)
{
	static const char *const names[] = {"clone3", "clone_pidfd", "pidfd_open",
	                                    "pidfd_send_signal", "close_range"};
	struct h_proc h;

	h_start(&h, mode, NULL, H_ARGS("--features"));
	h_expect_exit(&h, 0, 10000);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char yes[64], no[64];

		snprintf(yes, sizeof(yes), "%s: yes\n", names[i]);
		snprintf(no, sizeof(no), "%s: no (", names[i]);
		cr_expect(strstr(h_text(&h, H_OUT), yes) || strstr(h_text(&h, H_OUT), no),
		          "[%s] no answer for %s:\n%s", h_mode_name(mode), names[i],
		          h_text(&h, H_OUT));
	}
	cr_expect(strstr(h_text(&h, H_OUT), "tini version") == NULL,
	          "[%s] --features printed the version:\n%s", h_mode_name(mode), h_text(&h, H_OUT));
}

H_TEST_BOTH(cli, help, .timeout = 20)
{
	static const char *const flags[] = {"-h", "--help"};
	static const char *const mentioned[] = {
	    "-h",          "--help",       "-V",        "--version",   "-s",
	    "--subreaper", "-g",           "--group",   "-e",          "--expect-exit",
	    "-p",          "--pdeathsig",  "-w",        "--warn-reap", "-v",
	    "-q",          "-r",           "--rewrite", "-t",          "--grace",
	    "-k",          "--kill-after", "-P",        "--pause",     "--features",
	};

	for (size_t i = 0; i < 2; i++) {
		struct h_proc h;

		h_start(&h, mode, NULL, H_ARGS(flags[i]));
		h_expect_exit(&h, 0, 10000);
		for (size_t j = 0; j < sizeof(mentioned) / sizeof(mentioned[0]); j++) {
			char word[64];
			const char *t = h_text(&h, H_OUT), *p;
			bool found = false;

			/* The flag as a word: not "-e" inside "--expect-exit". */
			snprintf(word, sizeof(word), "%s", mentioned[j]);
			for (p = t; (p = strstr(p, word)) != NULL; p++) {
				char before = p == t ? ' ' : p[-1];
				char after = p[strlen(word)];

				if (before != '-' &&
				    (after == '\0' ||
				     !(after == '-' || (after >= 'a' && after <= 'z') ||
				       (after >= 'A' && after <= 'Z')))) {
					found = true;
					break;
				}
			}
			cr_expect(found, "[%s] %s does not mention %s:\n%s", h_mode_name(mode),
			          flags[i], mentioned[j], t);
		}
	}
}

/* One bad invocation: exit 2, one `init: ` line naming BAD, and no child. */
struct bad_case {
	const char *env; /* NAME=VALUE for launch -e, or NULL */
	const char *args[8];
	const char *names; /* a substring the message must contain, or NULL */
};

static void run_bad(enum h_mode mode, const struct bad_case *c, const char *marker)
{
	const char *args[16];
	char first[512];
	struct h_proc h;
	int n = 0, lines;

	for (int i = 0; c->args[i]; i++) {
		/* "MARK" stands for `kid mark FILE`. */
		if (strcmp(c->args[i], "MARK") == 0) {
			args[n++] = h_helper("kid");
			args[n++] = "mark";
			args[n++] = marker;
		} else {
			args[n++] = c->args[i];
		}
	}
	args[n] = NULL;
	h_start(&h, mode, c->env ? H_ARGS("-e", c->env) : NULL, args);
	h_expect_exit(&h, 2, 10000);
	lines = h_init_err_lines(&h, first, sizeof(first));
	cr_expect_eq(lines, 1, "[%s] %s %s: want one stderr line, got %d:\n%s", h_mode_name(mode),
	             c->env ? c->env : "", c->args[0] ? c->args[0] : "(none)", lines,
	             h_text(&h, H_ERR));
	cr_expect(strncmp(first, "init: ", 6) == 0, "[%s] %s: line does not start 'init: ': %s",
	          h_mode_name(mode), c->args[0] ? c->args[0] : c->env, first);
	if (c->names) {
		cr_expect(strstr(first, c->names) != NULL, "[%s] message does not name '%s': %s",
		          h_mode_name(mode), c->names, first);
	}
	cr_expect(access(marker, F_OK) != 0, "[%s] %s: the child ran on bad input",
	          h_mode_name(mode), c->args[0] ? c->args[0] : c->env);
	unlink(marker);
}

H_TEST_BOTH(cli, bad_input, .timeout = 120)
{
	static const struct bad_case cases[] = {
	    {NULL, {"-p", "FOO", "MARK"}, "FOO"},
	    {NULL, {"-p", "0", "MARK"}, "0"},
	    {NULL, {"-p", "65", "MARK"}, "65"},
	    {NULL, {"-e", "256", "MARK"}, "256"},
	    {NULL, {"-e", "x", "MARK"}, "x"},
	    {NULL, {"-r", "TERM", "MARK"}, "TERM"},
	    {NULL, {"-r", "KILL:TERM", "MARK"}, "KILL"},
	    {NULL, {"-r", "TERM:99", "MARK"}, "99"},
	    {NULL, {"-t", "5x", "MARK"}, "5x"},
	    {NULL, {"-k", "-1", "MARK"}, "-1"},
	    {NULL, {"--bogus", "MARK"}, "bogus"},
	    {NULL, {"-Z", "MARK"}, "Z"},
	    {NULL, {NULL}, NULL},
	    {NULL, {"-P", "MARK"}, NULL},
	    {"INIT_VERBOSITY=loud", {"MARK"}, "loud"},
	    {"INIT_GRACE=abc", {"MARK"}, "abc"},
	};
	char dir[] = "/tmp/init-cli-XXXXXX", marker[64];

	cr_assert(mkdtemp(dir), "mkdtemp");
	snprintf(marker, sizeof(marker), "%s/marker", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bad(mode, &cases[i], marker);
	}
	rmdir(dir);
}

/* Options stop at the first non-option: -x belongs to the child. */
H_TEST_BOTH(cli, child_flags, .timeout = 20)
{
	struct h_proc h;

	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "exit", "3", "-x"));
	h_expect_exit(&h, 3, 10000);
	h_start(&h, mode, NULL, H_ARGS("-v", "--", h_helper("kid"), "exit", "4", "--bogus"));
	h_expect_exit(&h, 4, 10000);
}

/* The tini-compatible flags and variables are accepted. */
H_TEST_BOTH(cli, tini_compat, .timeout = 20)
{
	struct h_proc h;

	h_start(&h, mode, NULL, H_ARGS("-s", h_helper("kid"), "exit", "5"));
	h_expect_exit(&h, 5, 10000);
	h_start(&h, mode, H_ARGS("-e", "TINI_SUBREAPER=1", "-e", "TINI_VERBOSITY=1"),
	        H_ARGS(h_helper("kid"), "exit", "6"));
	h_expect_exit(&h, 6, 10000);
}
