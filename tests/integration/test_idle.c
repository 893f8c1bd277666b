/*
 * Zero wake-ups when idle: the init's context-switch counters do not move while its child
 * sleeps (no polling loop, no periodic timer).
 */
#include <time.h>

#include "harness.h"

TestSuite(idle, .fini = h_cleanup);

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0) {
	}
}

H_TEST_BOTH(idle, no_wakeups, .timeout = 30)
{
	long v0, n0, v1, n1;
	struct h_proc h;

	h_start(&h, mode, NULL, H_ARGS(h_helper("kid"), "sleep", "6000"));
	sleep_ms(500);
	v0 = h_proc_status(h.init_pid, "voluntary_ctxt_switches");
	n0 = h_proc_status(h.init_pid, "nonvoluntary_ctxt_switches");
	cr_assert(v0 >= 0 && n0 >= 0, "[%s] cannot read /proc/%d/status", h_mode_name(mode),
	          (int)h.init_pid);
	sleep_ms(3000);
	v1 = h_proc_status(h.init_pid, "voluntary_ctxt_switches");
	n1 = h_proc_status(h.init_pid, "nonvoluntary_ctxt_switches");
	cr_expect_eq(v1, v0, "[%s] voluntary_ctxt_switches %ld -> %ld while idle",
	             h_mode_name(mode), v0, v1);
	cr_expect_eq(n1, n0, "[%s] nonvoluntary_ctxt_switches %ld -> %ld while idle",
	             h_mode_name(mode), n0, n1);
	h_expect_exit(&h, 0, 15000);
}
