# shellcheck shell=bash
# The engine suite's helpers, sourced by run.sh: results, bounded commands, and waits that
# return on the event (a line in a stream, a process's exit), never after a fixed sleep.

RESULT_N=0
RESULT_PASSED=0
RESULT_FAILED=0
RESULT_SKIPPED=0
# Why the current check failed or was skipped: lines that `check` prints after the result.
DIAG=""

# diag TEXT...: one more line of explanation for the current check.
diag() {
	DIAG+="$*"$'\n'
}

# check NAME FUNCTION [ARG...]: run one assertion and print `ok N - NAME` or `not ok N - NAME`.
# FUNCTION returns 0 (passed), 77 (skipped: DIAG says why) or anything else (failed); its own
# output and DIAG are shown only when it did not pass. While CHECK_SKIP holds a reason, checks
# are skipped with it (failed, under INIT_TESTS_MUST_RUN=1); while CHECK_FAIL does, they fail.
# With ENGINES_ONLY (a bash ERE), a check whose NAME does not match is neither run nor counted.
CHECK_SKIP=""
CHECK_FAIL=""
RESULT_UNSELECTED=0
check() {
	local name=$1 out rc t0
	shift
	if [ -n "${ENGINES_ONLY:-}" ] && ! [[ $name =~ $ENGINES_ONLY ]]; then
		RESULT_UNSELECTED=$((RESULT_UNSELECTED + 1))
		return 0
	fi
	t0=$(now_ms)
	DIAG=""
	RESULT_N=$((RESULT_N + 1))
	out=$(mktemp "$WORK/check.XXXXXX")
	if [ -n "$CHECK_FAIL" ]; then
		fail_because "$CHECK_FAIL"
	elif [ -n "$CHECK_SKIP" ] && [ "${INIT_TESTS_MUST_RUN:-}" = 1 ]; then
		fail_because "$CHECK_SKIP (INIT_TESTS_MUST_RUN=1)"
	elif [ -n "$CHECK_SKIP" ]; then
		skip_because "$CHECK_SKIP"
	else
		"$@" >"$out" 2>&1
	fi
	rc=$?
	echo "$((RESULT_N)) $(($(now_ms) - t0)) ms $name" >>"$WORK/times.log"
	if [ $rc -eq 0 ]; then
		RESULT_PASSED=$((RESULT_PASSED + 1))
		echo "ok $RESULT_N - $name"
		[ "${ENGINES_VERBOSE:-}" != 1 ] || sed 's/\r$//; s/^/#   /' "$out"
	elif [ $rc -eq 77 ]; then
		RESULT_SKIPPED=$((RESULT_SKIPPED + 1))
		echo "ok $RESULT_N - $name # SKIP ${DIAG%%$'\n'*}"
	else
		RESULT_FAILED=$((RESULT_FAILED + 1))
		echo "not ok $RESULT_N - $name"
		{
			printf '%s' "$DIAG"
			tail -n 60 "$out"
		} | sed 's/\r$//; s/^/#   /'
	fi
	rm -f "$out"
}

skip_because() {
	diag "$1"
	return 77
}

# skip_unless_must REASON: inside a check, skip it (fail it under INIT_TESTS_MUST_RUN=1).
skip_unless_must() {
	if [ "${INIT_TESTS_MUST_RUN:-}" = 1 ]; then
		fail_because "$1 (INIT_TESTS_MUST_RUN=1)"
		return 1
	fi
	skip_because "$1"
}

fail_because() {
	diag "$1"
	return 1
}

# summary: the final line; returns 1 when a check failed.
summary() {
	local line
	if [ $RESULT_UNSELECTED -gt 0 ]; then
		echo "# engines: ENGINES_ONLY='$ENGINES_ONLY': $RESULT_UNSELECTED checks not selected"
		if [ $RESULT_N -eq 0 ]; then
			echo "# engines: no check's name matches it: a mistake, not a pass"
			RESULT_FAILED=1
		fi
	fi
	line="$RESULT_PASSED passed, $RESULT_FAILED failed"
	[ $RESULT_SKIPPED -gt 0 ] && line+=", $RESULT_SKIPPED skipped"
	echo "$line"
	[ $RESULT_FAILED -eq 0 ]
}

# to SECONDS COMMAND...: COMMAND, killed (TERM, then KILL 5 s later) if it runs too long.
to() {
	timeout -k 5 "$@"
}

# now_ms: the wall clock in milliseconds.
now_ms() {
	local us=${EPOCHREALTIME/[.,]/}
	echo $((us / 1000))
}

# expect_lines SECONDS COUNT REGEX COMMAND...: start COMMAND, a stream (docker logs -f, tail -f),
# and return 0 at its COUNT-th line that matches REGEX (bash ERE); 1 when SECONDS pass or the
# stream ends first. The stream is stopped either way. The lines read are left in EXPECT_SEEN.
EXPECT_SEEN=""
expect_lines() {
	local secs=$1 count=$2 re=$3 fd pid line left end got=0
	shift 3
	EXPECT_SEEN=""
	end=$(($(now_ms) + secs * 1000))
	exec {fd}< <(exec "$@" 2>&1)
	pid=$!
	while [ $got -lt "$count" ] && left=$((end - $(now_ms))) && [ $left -gt 0 ]; do
		line=""
		if ! IFS= read -r -t "$((left / 1000)).$(printf '%03d' $((left % 1000)))" -u "$fd" line; then
			# a last line without a newline still counts; then the stream is over or late
			[ -n "$line" ] && EXPECT_SEEN+=$line$'\n' && [[ $line =~ $re ]] && got=$((got + 1))
			break
		fi
		line=${line%$'\r'} # a terminal's lines end in CR LF
		EXPECT_SEEN+=$line$'\n'
		[[ $line =~ $re ]] && got=$((got + 1))
	done
	kill "$pid" 2>/dev/null
	exec {fd}<&-
	wait "$pid" 2>/dev/null
	[ $got -ge "$count" ] && return 0
	diag "$got of $count lines matching /$re/ within ${secs}s from: $*"
	diag "it showed:"
	diag "$(printf '%s' "$EXPECT_SEEN" | tail -n 30)"
	return 1
}

# expect_line SECONDS REGEX COMMAND...: expect_lines for one line.
expect_line() {
	local secs=$1
	shift
	expect_lines "$secs" 1 "$@"
}

# wait_exit PID SECONDS: wait for our own background process PID; SIGKILL it after SECONDS.
# Returns its status (137 when it had to be killed). The guard is a plain sleep that the first
# of the two to end decides: wait -n returns at PID's exit.
wait_exit() {
	local pid=$1 secs=$2 guard who="" rc
	sleep "$secs" &
	guard=$!
	wait -n -p who "$pid" "$guard"
	rc=$?
	if [ "$who" != "$pid" ]; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 137
	fi
	kill "$guard" 2>/dev/null
	wait "$guard" 2>/dev/null
	return $rc
}

# expect_eq WHAT GOT WANT: compare, and say what differed.
expect_eq() {
	[ "$2" = "$3" ] && return 0
	diag "$1: got '$2', want '$3'"
	return 1
}

# field TEXT KEY: the value of KEY in the status lines TEXT, its words joined by one space
# ("Groups:\t29 1000 " -> "29 1000"); empty when KEY has no value or no line.
field() {
	awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' <<<"$1"
}

# expect_fields WHAT TEXT KEY=WANT...: every KEY of the status lines TEXT is WANT; each one that
# is not is named.
expect_fields() {
	local what=$1 text=$2 kv rc=0
	shift 2
	for kv in "$@"; do
		expect_eq "$what ${kv%%=*}" "$(field "$text" "${kv%%=*}")" "${kv#*=}" || rc=1
	done
	return $rc
}
