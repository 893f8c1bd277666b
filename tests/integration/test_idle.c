/*
 * Zero wake-ups when idle: the init's context-switch counters do not move while its child
 * sleeps (no polling loop, no periodic timer).
 */
#include <signal.h>
#include <time.h>

#include "harness.h"

TestSuite(idle, .fini = h_cleanup);

H_TEST_BOTH(idle, no_wakeups, .timeout = 30)
{
	struct h_proc h;

	/*
	 * Settled, by events: `ready` comes after the child's exec (which the init learns through
	 * its exec-report pipe), and then the init goes back to sleep in its event loop.
	 */
	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "sigs"));
	h_expect_str(&h, H_OUT, "ready pid=", 5000);
	cr_assert(h_wait_asleep(&h, 5000), "[%s] the init never went to sleep", h_mode_name(mode));
	h_expect_idle(&h, 3000);
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 15000);
}
