"""PID 1 of the PID namespace a peer suite runs in (tests/peers/run.sh).

    pid1.py COMMAND [ARG...]

Runs COMMAND with every signal at its default action and none blocked, whatever the
caller had ignored or blocked: the init is transparent about inherited dispositions
(dumb-init is not), so an ignored SIGINT or SIGHUP from a CI runner, or the SIGINT
and SIGQUIT that a shell ignores for background jobs, would change what the suites
see. Reaps every process reparented to it while COMMAND runs (the suites check
/proc/PID to see whether a process is gone, and a zombie still has one), and exits
with COMMAND's status (128+N if signal N killed it) as soon as COMMAND ends; the
kernel then kills whatever is left in the namespace.
"""
import os
import signal
import sys


def reset_signals():
    for signum in range(1, signal.NSIG):
        if signum in (signal.SIGKILL, signal.SIGSTOP):
            continue
        try:
            signal.signal(signum, signal.SIG_DFL)
        except (OSError, ValueError):  # numbers the C library keeps for itself
            pass
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: pid1.py COMMAND [ARG...]")
    child = os.fork()
    if child == 0:
        try:
            reset_signals()
            os.execvp(argv[1], argv[1:])
        except OSError as e:
            print("pid1.py: exec {}: {}".format(argv[1], e.strerror), file=sys.stderr)
        os._exit(127)
    while True:
        pid, status = os.wait()
        if pid == child:
            code = os.waitstatus_to_exitcode(status)
            return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
