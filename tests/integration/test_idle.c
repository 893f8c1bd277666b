/*
 * Zero wake-ups when idle: the init's context-switch counters do not move while its child
 * sleeps (no polling loop, no periodic timer).
 */
#include <time.h>

#include "harness.h"

TestSuite(idle, .fini = h_cleanup);

H_TEST_BOTH(idle, no_wakeups, .timeout = 30)
{
	struct h_proc h;

	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "sleep", "6000"));
	h_sleep_ms(500);
	h_expect_idle(&h, 3000);
	h_expect_exit(&h, 0, 15000);
}
