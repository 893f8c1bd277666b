/*
 * As PID 1 the drain's tree is the whole PID namespace (design §2 Shutdown), also the
 * processes that entered it some other way than as our descendants: `docker exec`, the other
 * containers of a pod that shares the namespace. They are not our children, so waitpid()
 * never reports them: the init must wait for them through pidfds, within the grace period,
 * or the kernel SIGKILLs them the moment the init exits. Here they enter with nsenter(1),
 * whose forked child runs in the namespace while its parent, nsenter, stays outside.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

TestSuite(namespace, .fini = h_cleanup);

/* An init as PID 1 running @child, and a stranger in its namespace. */
static void start_with_stranger(struct h_proc *init, struct h_proc *stranger,
                                const char *const *args, const char *stranger_mode)
{
	char pid[16];

	/* Waiting for a process that is not our child takes a pidfd: none on the pid rung. */
	if (h_deny_rules() && strstr(h_deny_rules(), "pidfd_open")) {
		cr_skip_test("pidfd_open is denied: the init can signal strangers but not wait");
	}
	h_start(init, H_PID1, NULL, args);
	snprintf(pid, sizeof(pid), "%d", (int)init->init_pid);
	h_spawn(stranger,
	        H_ARGS("/usr/bin/nsenter", "-t", pid, "-p", "--", h_helper("kid"), stranger_mode));
	h_expect_str(stranger, H_OUT, "ready pid=", 5000);
}

/* The stranger acts on SIGTERM: the init's drain reaches it and waits for it to exit. */
Test(namespace, stranger_gets_term_and_is_waited_for, .timeout = 60)
{
	struct h_proc init, stranger;

	/* The main child, alone in the tree, exits 3 after 3 s: the stranger is there by then. */
	start_with_stranger(&init, &stranger,
	                    H_ARGS("-v", "-t", "20s", h_helper("kid"), "sleep", "3000", "3"),
	                    "sigs");
	h_expect_line(&stranger, H_OUT, "sig 15", 10000);
	h_expect_exit(&stranger, 0, 10000);
	h_expect_exit(&init, 0, 10000);
	cr_expect(strstr(h_text(&init, H_ERR), "drain: tree empty after") != NULL,
	          "the init did not wait for the stranger:\n%s", h_text(&init, H_ERR));
}

/*
 * The stranger ignores SIGTERM: the init waits out the grace period, then SIGKILLs it, and
 * says so. Before, the init exited with its main child and the stranger died unwarned.
 */
Test(namespace, stranger_outlasting_the_grace_is_killed, .timeout = 60)
{
	struct h_proc init, stranger;
	long t0;

	start_with_stranger(&init, &stranger,
	                    H_ARGS("-v", "-t", "1s", h_helper("kid"), "tree", "3", "0"), "deaf");
	h_expect_line(&init, H_OUT, "tree ready", 5000);
	t0 = h_now_ms();
	h_close_stdin(&init);
	h_expect_line(&stranger, H_OUT, "sig 15", 10000);
	h_expect_exit(&init, 3, h_slack(10000));
	cr_expect(h_now_ms() - t0 >= 900,
	          "the init exited %ld ms after its child, before the grace", h_now_ms() - t0);
	cr_expect(strstr(h_text(&init, H_ERR), "grace period over: SIGKILL to 1 process") != NULL,
	          "no SIGKILL warning for the stranger:\n%s", h_text(&init, H_ERR));
}
