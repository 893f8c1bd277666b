/*
 * Exit status: the child's code, 128 + the signal that killed it, -e remapping, and the
 * 126/127 convention for exec failures with the exact message.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(exit, .fini = h_cleanup);

static void expect_run(enum h_mode mode, const char *const *args, int code)
{
	struct h_proc h;

	h_start(&h, mode, NULL, args);
	h_expect_exit(&h, code, 10000);
}

H_TEST_BOTH(exit, codes, .timeout = 60)
{
	static const int codes[] = {0, 1, 42, 126, 127, 255};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char n[8];

		snprintf(n, sizeof(n), "%d", codes[i]);
		expect_run(mode, H_ARGS(h_helper("kid"), "exit", n), codes[i]);
	}
}

H_TEST_BOTH(exit, killed, .timeout = 60)
{
	static const int sigs[] = {15, 9, 11, 10, 6, 1};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		char n[8];

		snprintf(n, sizeof(n), "%d", sigs[i]);
		expect_run(mode, H_ARGS(h_helper("kid"), "kill", n), 128 + sigs[i]);
	}
}

H_TEST_BOTH(exit, expect_exit, .timeout = 30)
{
	expect_run(mode, H_ARGS("-e", "42", h_helper("kid"), "exit", "42"), 0);
	expect_run(mode, H_ARGS("-e", "42", h_helper("kid"), "exit", "43"), 43);
	expect_run(mode, H_ARGS("-e", "3", "-e", "42", h_helper("kid"), "exit", "42"), 0);
	expect_run(mode, H_ARGS("-e", "3", "-e", "42", h_helper("kid"), "exit", "3"), 0);
	expect_run(mode, H_ARGS("--expect-exit", "7", h_helper("kid"), "exit", "7"), 0);
}

/* Run ARGS, expect exit CODE and a stderr line exactly LINE. */
static void expect_exec_failure(enum h_mode mode, const char *const *args, int code,
                                const char *line)
{
	struct h_proc h;

	h_start(&h, mode, NULL, args);
	h_expect_exit(&h, code, 10000);
	cr_expect(h_wait_line(&h, H_ERR, line, 0), "[%s] want stderr line '%s', got:\n%s",
	          h_mode_name(mode), line, h_text(&h, H_ERR));
}

H_TEST_BOTH(exit, exec_failure, .timeout = 30)
{
	char dir[] = "/tmp/init-exec-XXXXXX", file[64], line[128];
	int fd;

	expect_exec_failure(mode, H_ARGS("/nonexistent/cmd"), 127,
	                    "init: exec /nonexistent/cmd: No such file or directory");
	expect_exec_failure(mode, H_ARGS("no-such-command-in-path", "-x"), 127,
	                    "init: exec no-such-command-in-path: No such file or directory");
	expect_exec_failure(mode, H_ARGS("--", "no-such-command-in-path"), 127,
	                    "init: exec no-such-command-in-path: No such file or directory");
	expect_exec_failure(mode, H_ARGS("/etc"), 126, "init: exec /etc: Permission denied");

	cr_assert(mkdtemp(dir), "mkdtemp");
	snprintf(file, sizeof(file), "%s/noexec", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	cr_assert(fd >= 0);
	cr_assert(write(fd, "#!/bin/sh\nexit 0\n", 17) == 17);
	close(fd);
	snprintf(line, sizeof(line), "init: exec %s: Permission denied", file);
	expect_exec_failure(mode, H_ARGS(file), 126, line);
	unlink(file);
	rmdir(dir);
}
