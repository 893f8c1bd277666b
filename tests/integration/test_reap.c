/*
 * Reaping: orphans re-parented to the init (as PID 1, or as a subreaper when not PID 1) are
 * all reaped, even 10,000 exiting at the same moment (SIGCHLD coalesces).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

TestSuite(reap, .fini = h_cleanup);

H_TEST_BOTH(reap, many_orphans, .timeout = 150)
{
	struct h_proc h;

	h_need_subreaper(mode);

	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "orphans", "10000"));
	h_expect_line(&h, H_OUT, "orphaned 10000", 60000);
	/* Otherwise left=0 would prove nothing: they went to someone else. */
	h_expect_line(&h, H_OUT, "adopted=10000", 10000);
	h_expect_line(&h, H_OUT, "left=0", 30000);
	h_expect_exit(&h, 0, 30000);
}

/* Stderr lines of the init that contain "reaped". */
static int reaped_lines(struct h_proc *h)
{
	const char *p = h_text(h, H_ERR);
	int n = 0;

	while (*p) {
		const char *nl = strchrnul(p, '\n');

		if (strncmp(p, "launch: ", 8) != 0 && memmem(p, (size_t)(nl - p), "reaped", 6)) {
			n++;
		}
		p = *nl ? nl + 1 : nl;
	}
	return n;
}

/* Three orphans with the given launch options and init flags: the number of reap lines. */
static int count_reap_logs(enum h_mode mode, const char *const *launch_opts, const char *flag)
{
	struct h_proc h;

	h_start(&h, mode, launch_opts,
	        flag ? H_ARGS(flag, h_helper("kid"), "orphans", "3")
	             : H_ARGS(h_helper("kid"), "orphans", "3"));
	h_expect_line(&h, H_OUT, "adopted=3", 25000);
	h_expect_line(&h, H_OUT, "left=0", 25000);
	h_expect_exit(&h, 0, 10000);
	return reaped_lines(&h);
}

/* -w (or INIT_WARN_REAP=1) adds one line per reaped orphan to what is logged anyway. */
H_TEST_BOTH(reap, warn_reap, .timeout = 60)
{
	h_need_subreaper(mode);
	int quiet = count_reap_logs(mode, NULL, NULL);
	int warn = count_reap_logs(mode, NULL, "-w");
	int env = count_reap_logs(mode, H_ARGS("-e", "INIT_WARN_REAP=1"), NULL);

	cr_expect_geq(warn, quiet + 3, "[%s] -w: %d 'reaped' lines, %d without -w",
	              h_mode_name(mode), warn, quiet);
	cr_expect_geq(env, quiet + 3, "[%s] INIT_WARN_REAP=1: %d 'reaped' lines, %d without",
	              h_mode_name(mode), env, quiet);
}
