#!/bin/sh
# Run the integration suite once without a seccomp filter and once under each deny-set that
# forces a rung of the fallback ladder (style rule 26). Each line: the deny rules, the spawn
# label and the signal result label the init must log under them.
set -u
bin=${1:?usage: matrix.sh INTEGRATION-BINARY}
fail=0
while IFS='|' read -r rules spawn result; do
	[ -n "$rules" ] || continue
	[ "$rules" = none ] && rules=""
	echo "== integration: deny [${rules:-none}] expect spawn=$spawn result=$result"
	INIT_TEST_DENY="$rules" INIT_TEST_SPAWN="$spawn" INIT_TEST_RESULT="$result" "$bin"
	rc=$?
	# Criterion's own exit status, said aloud: it can be non-zero with every test passing.
	[ "$rc" -eq 0 ] || { echo "== integration: deny [${rules:-none}] exited $rc"; fail=1; }
done <<'SETS'
none|clone3|ok
clone3=ENOSYS|clone|ok
clone3=EPERM|clone|ok
clone3=EPERM clone+pidfd=EPERM|pidfd_open|ok
clone3=ENOSYS clone+pidfd=ENOSYS pidfd_open=ENOSYS pidfd_send_signal=ENOSYS pidfd_getfd=ENOSYS|pid|fallback
pidfd_send_signal=EPERM|clone3|fallback
clone3=TRAP|clone|ok
SETS
exit $fail
