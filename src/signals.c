/* Signal masks and the signalfd. There are no signal handlers in the init at all. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>

#include "signals.h"
#include "sigtab.h"
#include "sys.h"

int signals_block_all(struct sigsave *save)
{
	const uint64_t all = ~0ULL;
	struct sigaction sa;

	memset(save, 0, sizeof(*save));
	if (sys_sigprocmask(SIG_SETMASK, &all, &save->mask) < 0 ||
	    sys_sigpending(&save->pending) < 0) {
		return -errno;
	}
	if (sigaction(SIGCHLD, NULL, &sa) < 0) {
		return -errno;
	}
	if (sa.sa_handler == SIG_IGN) {
		save->chld_ignored = true;
		sa.sa_handler = SIG_DFL;
		if (sigaction(SIGCHLD, &sa, NULL) < 0) {
			return -errno;
		}
	}
	return 0;
}

/*
 * Runs in the child between clone and exec: only async-signal-safe calls (sigaction is one).
 * Dispositions first, mask last, so nothing is delivered under the init's settings.
 */
int signals_restore(const struct sigsave *save)
{
	if (save->chld_ignored) {
		struct sigaction sa = {.sa_handler = SIG_IGN};

		if (sigaction(SIGCHLD, &sa, NULL) < 0) {
			return -errno;
		}
	}
	if (sys_sigprocmask(SIG_SETMASK, &save->mask, NULL) < 0) {
		return -errno;
	}
	return 0;
}

int signals_open(void)
{
	const uint64_t all = ~0ULL;
	int fd = sys_signalfd(&all, SFD_NONBLOCK | SFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int signals_target(const struct config *cfg, int sig)
{
	if (!sigtab_forwardable(sig)) {
		return -1;
	}
	return cfg->rewrite[sig];
}
