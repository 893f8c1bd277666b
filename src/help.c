/* The --help and --version texts. Pure: they are data. */
#include "help.h"
#include "version.h"

#ifndef INIT_VERSION
#define INIT_VERSION "0.0.0"
#endif
#ifndef INIT_GIT
#define INIT_GIT ""
#endif

const char *help_text(void)
{
	return "Usage: init [OPTIONS] [--] COMMAND [ARG...]\n"
	       "       init -P [OPTIONS]\n"
	       "\n"
	       "A tiny PID 1 for containers: runs COMMAND, forwards signals to it through a\n"
	       "pidfd, reaps orphaned processes and exits with COMMAND's status.\n"
	       "\n"
	       "Options (parsing stops at the first non-option):\n"
	       "  -s, --subreaper          accepted for tini; automatic when not PID 1\n"
	       "  -g, --group              forward signals to the child's process group\n"
	       "  -p, --pdeathsig SIG      signal the init gets when its parent dies\n"
	       "  -e, --expect-exit CODE   count exit code CODE of the child as 0 (repeatable)\n"
	       "  -r, --rewrite FROM:TO    forward signal FROM as TO; TO=0 drops it (repeatable)\n"
	       "  -t, --grace DURATION     drain: time between SIGTERM and SIGKILL (default 5s)\n"
	       "  -k, --kill-after DURATION  SIGKILL everything this long after the first\n"
	       "                           termination signal (default: never; 0: at once)\n"
	       "      --term-delay DURATION  hold the first SIGTERM this long before forwarding\n"
	       "                           it (endpoint removal in Kubernetes; default 0)\n"
	       "      --termination-log PATH  write how the run ended to PATH at exit\n"
	       "                           (Kubernetes: /dev/termination-log)\n"
	       "  -P, --pause              no child: only reap, exit 0 on SIGTERM or SIGINT\n"
	       "  -w, --warn-reap          log every reaped orphan\n"
	       "  -u, --user USER[:GROUP]  run COMMAND as USER (name or number, from the\n"
	       "                           container's /etc/passwd) with its groups\n"
	       "      --cap-drop LIST|all  drop capabilities from COMMAND (NET_RAW,CHOWN)\n"
	       "      --cap-add LIST       give them back; ambient for a non-root USER\n"
	       "      --no-new-privs       COMMAND and its children gain no privileges on exec\n"
	       "  -v, --verbose            more on stderr (repeatable)\n"
	       "  -q, --quiet              less on stderr (repeatable)\n"
	       "  -V, --version            print the version (one line, as Docker reads it)\n"
	       "      --features           print the pidfd calls this kernel and seccomp allow\n"
	       "  -h, --help               print this help\n"
	       "\n"
	       "Signals: SIGTERM, TERM, term, 15, RTMIN+3. Durations: 10, 10s, 500ms, 2m, 1h.\n"
	       "\n"
	       "Once COMMAND runs, the init keeps only CAP_KILL of its own capabilities.\n"
	       "\n"
	       "Run as dumb-init it behaves as dumb-init: COMMAND in a session of its own,\n"
	       "signals to its process group; -c, --single-child (or DUMB_INIT_SETSID=0) for\n"
	       "the child alone; -r S:R with numbers; DUMB_INIT_DEBUG=1; exit 1 on bad usage.\n"
	       "\n"
	       "Environment (flags win): INIT_SUBREAPER, INIT_GROUP, INIT_PDEATHSIG,\n"
	       "INIT_EXPECT_EXIT, INIT_REWRITE, INIT_GRACE, INIT_KILL_AFTER, INIT_WARN_REAP,\n"
	       "INIT_USER, INIT_CAP_DROP, INIT_CAP_ADD, INIT_NO_NEW_PRIVS, INIT_TERM_DELAY,\n"
	       "INIT_TERMINATION_LOG,\n"
	       "INIT_VERBOSITY (0-4); tini's TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP,\n"
	       "TINI_VERBOSITY.\n"
	       "\n"
	       "Exit status: COMMAND's, or 128+N if signal N killed it; 126 if COMMAND\n"
	       "could not be executed or set up, 127 if it was not found, 2 for bad usage,\n"
	       "1 when the init lacks the right to make a change asked for.\n";
}

const char *help_version(void)
{
	/*
	 * Docker's parseInitVersion (moby daemon/info_unix.go) wants "tini version X" with an
	 * optional " - git.COMMIT"; anything else shows as N/A in `docker info` (catatonit
	 * answers the same way for the same reason).
	 */
	return INIT_GIT[0] != '\0' ? "tini version " INIT_VERSION " - git." INIT_GIT
	                           : "tini version " INIT_VERSION;
}
