#!/bin/sh
# The README's first command ends here: run the built ./init on a small entrypoint that
# leaves an orphan behind, sends the init a signal and exits 3. With -vv -w the init logs
# the spawn rung, the forwarded signal, the reaped orphan and the exit status on stderr.
set -u
init=${1:-./init}
echo "demo: $init -vv -w -- sh -c '...'"
"$init" -vv -w -- sh -c '
	trap "echo \"demo: entrypoint got SIGUSR1 (forwarded by the init)\"" USR1
	(sleep 0.2 &)                 # its parent exits at once: an orphan for the init
	echo "demo: entrypoint pid $$, sending SIGUSR1 to the init (pid $PPID)"
	kill -USR1 "$PPID"
	sleep 0.5                     # the orphan exits meanwhile and is reaped
	echo "demo: entrypoint exits 3"
	exit 3' 2>&1
rc=$?
echo "demo: init exited with $rc"
[ "$rc" -eq 3 ]
