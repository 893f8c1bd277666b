/*
 * The only place that calls wait*() (style rule 16). Everything is reaped with
 * waitpid(-1, WNOHANG) in a loop, and the main child is recognised inside that loop: its pid
 * cannot be reused before we reap it, so comparing pids is exact (catatonit #4 was a hang from
 * checking for the main child outside the loop).
 */
#include <errno.h>
#include <sys/wait.h>

#include "log.h"
#include "reap.h"
#include "status.h"

int reap_all(pid_t main_pid, int *main_status, bool warn)
{
	int found = 0;

	for (;;) {
		int status;
		/* __WALL: also children whose exit signal is not SIGCHLD. */
		pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);

		if (pid == 0) {
			return found;
		}
		if (pid < 0 && errno == ECHILD) {
			return found | REAP_EMPTY;
		}
		if (pid < 0) {
			if (errno != EINTR) {
				log_warn(errno, "waitpid");
				return found;
			}
			continue;
		}
		if (pid == main_pid) {
			*main_status = status;
			found = REAP_MAIN;
		} else {
			char how[40];

			if (warn) {
				log_warn(0, "reaped orphan pid=%d %s", (int)pid,
				         status_describe(status, how, sizeof(how)));
			} else {
				log_debug("reaped orphan pid=%d %s", (int)pid,
				          status_describe(status, how, sizeof(how)));
			}
		}
	}
}

int reap_pid(pid_t pid, int *status)
{
	while (waitpid(pid, status, __WALL) < 0) {
		if (errno != EINTR) {
			return -errno;
		}
	}
	return 0;
}
