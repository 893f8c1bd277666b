#!/bin/sh
# make bench (issue 12): the figures users compare inits on, in one table, a row per figure and
# a column per init: ./init (or INIT_BIN) and the peers users come from, Debian's tini-static,
# tini, dumb-init and catatonit. Each figure is measured BENCH_REPS times in this one run, the
# inits taking turns (a different one goes first in each repetition, so a slow spell of the
# machine does not land on one column); a cell is the median and, in brackets, the spread
# (lowest-highest) of the repetitions. Figures, not assertions: nothing here fails on a time,
# and CI runs it once with BENCH_REPS=1 to see that it works (it exits 1 when a
# measurement failed: a broken init or helper, not a slow one). The README's "Measured"
# says how each figure is taken; the measuring code is tests/helpers/bench.c.
#
# Settings, all from the environment (make passes them on):
#   INIT_BIN             our init, the column "init" (default ./init)
#   INIT_HELPERS         the built helpers, bench, deny and launch (default build/helpers)
#   BENCH_REPS           repetitions of each figure (default 5)
#   BENCH_JSON           also write every repetition's figures to this file, as JSON
#   BENCH_INITS          which columns (default: init tini-static tini dumb-init catatonit)
#   BENCH_ALSO           more builds of ours as extra columns, "NAME=PATH ..."
#   BENCH_RUNS           start-ups timed per repetition (default 200)
#   BENCH_SIGNALS        signals per latency repetition (default 5000)
#   BENCH_STRACE_SIGNALS signals per system call count (default 1000)
#   BENCH_ZOMBIES        zombies per burst (default 10000)
#   BENCH_ORPHANS        orphans per stream (default 5000)
#   BENCH_IDLE_SECONDS   the idle window (default 10)
#   BENCH_AWAKE          auto|dma|spin|none: how the CPUs stay awake for the latency (auto)
#   BENCH_AUTOGROUP      off (default): the kernel's autogroup off during the run; keep: as is
#   BENCH_INSTALL        0: do not apt-get install missing peers or strace
#   BENCH_DOCKER_IMAGE   the image for `docker stop` (default: the engine suite's base image)
set -u
init=${INIT_BIN:-./init}
helpers=${INIT_HELPERS:-build/helpers}
reps=${BENCH_REPS:-5}
runs=${BENCH_RUNS:-200}
nsig=${BENCH_SIGNALS:-5000}
nstrace=${BENCH_STRACE_SIGNALS:-1000}
nzombies=${BENCH_ZOMBIES:-10000}
norphans=${BENCH_ORPHANS:-5000}
secs=${BENCH_IDLE_SECONDS:-10}
awake=${BENCH_AWAKE:-auto}
json=${BENCH_JSON:-}
image=${BENCH_DOCKER_IMAGE:-init-ci/bookworm-minbase:latest}
columns=${BENCH_INITS:-init tini-static tini dumb-init catatonit}
B=$helpers/bench
started=$(date +%s)

say() { echo "bench: $*" >&2; }
die() {
	say "$*"
	exit 1
}

for n in "$reps" "$runs" "$nsig" "$nstrace" "$nzombies" "$norphans" "$secs"; do
	case $n in '' | *[!0-9]* | 0) die "counts must be positive integers, got '$n'" ;; esac
done
[ -x "$init" ] || die "INIT_BIN=$init is not an executable file (make init?)"
for h in bench deny launch; do
	[ -x "$helpers/$h" ] || die "$helpers/$h is missing (make helpers)"
done

tmp=$(mktemp -d)
idle_pids=
# Whatever happens, no init of ours is left running, and no temporary file.
autogroup=/proc/sys/kernel/sched_autogroup_enabled
autogroup_was=
cleanup() {
	for p in $idle_pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $idle_pids; do wait "$p" 2>/dev/null; done
	[ -z "$autogroup_was" ] || echo "$autogroup_was" >"$autogroup"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
notes=$tmp/notes
: >"$notes"
note() { echo "$*" >>"$notes"; }

# The peers and strace, from Debian's packages, as the old bench did; a peer that cannot be
# installed is a column of dashes and a note, not a failed run.
need=
for p in tini tini-static dumb-init catatonit strace; do
	command -v "$p" >/dev/null || need="$need $p"
done
need=$(echo "$need" | sed 's/tini-static/tini/; s/^ //')
if [ -n "$need" ] && [ "${BENCH_INSTALL:-1}" != 0 ] && command -v apt-get >/dev/null; then
	say "installing from Debian's packages: $need"
	# shellcheck disable=SC2086 # one word per package
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null 2>&1 ||
		say "apt-get install $need failed; going on without"
fi

# name|binary|what goes between the binary and the child's command
# tini needs -s to reap as a subreaper; the others reap when they are PID 1 or (ours, catatonit)
# make themselves subreapers. dumb-init cannot be one: outside a PID namespace it reaps only its
# own children, which is all the figures outside a namespace need.
all="init|$init|--
tini-static|$(command -v tini-static || echo /usr/bin/tini-static)|-s --
tini|$(command -v tini || echo /usr/bin/tini)|-s --
dumb-init|$(command -v dumb-init || echo /usr/bin/dumb-init)|--
catatonit|$(command -v catatonit || echo /usr/bin/catatonit)|--"
for also in ${BENCH_ALSO:-}; do
	case $also in
	*=/*) ;;
	*=*) also=${also%%=*}=$PWD/${also#*=} ;;
	*) die "BENCH_ALSO takes NAME=PATH words, not '$also'" ;;
	esac
	[ -x "${also#*=}" ] || die "BENCH_ALSO: ${also#*=} is not executable"
	all="$all
${also%%=*}|${also#*=}|--"
	columns="$columns ${also%%=*}"
done
: >"$tmp/inits"
for c in $columns; do
	line=$(echo "$all" | grep "^$c|") || die "BENCH_INITS: no init called '$c'"
	bin=$(echo "$line" | cut -d'|' -f2)
	if [ -x "$bin" ]; then
		echo "$line" >>"$tmp/inits"
	else
		note "$c: $bin not installed, no figures"
	fi
done
ninits=$(wc -l <"$tmp/inits")

# The kernel's autogroup (a scheduling group per session, only for processes in the root
# cgroup) does not apply in a container, whose processes are in a cgroup of their own. Left on,
# it favours an init that gives its child a session of its own: dumb-init's child then sits in
# a group of its own, which alone moved dumb-init's latency p50 3-5 us ahead of inits whose
# child shares their session here (and ours, run as dumb-init, moved with it).
case ${BENCH_AUTOGROUP:-off} in
off)
	if [ -w "$autogroup" ] && [ "$(cat "$autogroup")" != 0 ]; then
		autogroup_was=$(cat "$autogroup")
		echo 0 >"$autogroup"
		note "scheduler autogroup off during the run, as in a container (BENCH_AUTOGROUP=keep leaves it on)"
	fi
	;;
keep) [ "$(cat "$autogroup" 2>/dev/null)" != 1 ] || note "scheduler autogroup on (BENCH_AUTOGROUP=keep): a child in a session of its own is scheduled in a group of its own" ;;
*) die "BENCH_AUTOGROUP takes off or keep, not '$BENCH_AUTOGROUP'" ;;
esac
[ "$ninits" -gt 0 ] || die "no init to measure"

if command -v strace >/dev/null; then
	have_strace=1
else
	have_strace=0
	note "strace not found: no system call counts"
fi

raw=$tmp/raw
: >"$raw"
# record FIGURE INIT REP VALUE: one measurement; a failed one leaves its cell short
record() {
	if echo "$4" | grep -Eqx -- '-?[0-9]+(\.[0-9]+)?'; then
		printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$raw"
	else
		say "$1 of $2 (repetition $3) failed: '$4'"
		echo "$1 $2 $3" >>"$tmp/failed"
	fi
}
# field KEY LINE: the value of KEY=... in a helper's `key=value ...` line
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# Every helper run has a time limit: a broken init costs minutes, not a hung bench. In the
# foreground process group, so that ^C reaches the helper (whose init and child die with it).
bounded() { timeout --foreground -k 5 "$@" </dev/null; }

# The inits in the order of repetition $1: rotated by one each time.
rotation() { awk -v k="$1" '{ a[NR - 1] = $0 } END { for (i = 0; i < NR; i++) print a[(i + k) % NR] }' "$tmp/inits"; }

# Start-up overhead: `INIT -- /bin/true` minus `/bin/true` alone, the mean of $runs
# start-to-reaped times each (posix_spawn + waitpid in the helper), the two taking turns run by
# run so that the machine's slow spells weigh on both. Under seccomp both run behind `deny`
# with a rule for a call no init makes: only a filter's presence counts, and it is what makes
# ours probe its calls in a throw-away child (every container runs under a filter).
bench_startup() {
	rep=$1
	deny="$helpers/deny pidfd_getfd=ENOSYS --"
	rotation "$rep" | while IFS='|' read -r name bin args; do
		# shellcheck disable=SC2086 # $args and $deny are words
		out=$(bounded 300 "$B" spawn "$runs" 1 -- /bin/true "$bin" $args /bin/true)
		record startup_us "$name" "$rep" "$(field us "$out")"
		# shellcheck disable=SC2086
		out=$(bounded 300 "$B" spawn "$runs" 4 -- $deny /bin/true $deny "$bin" $args /bin/true)
		record startup_seccomp_us "$name" "$rep" "$(field us "$out")"
	done
}

# Signal latency: bench siglat sends SIGUSR1 to the init $nsig times, one at a time, and the
# child (bench sigrecv) stamps when it got each; p50 and p99 of send-to-receive.
bench_latency() {
	rep=$1
	rotation "$rep" | while IFS='|' read -r name bin args; do
		# shellcheck disable=SC2086
		out=$(bounded 300 "$B" siglat -a "$awake" "$nsig" -- "$bin" $args "$B" sigrecv)
		record latency_p50_us "$name" "$rep" "$(field p50 "$out")"
		record latency_p99_us "$name" "$rep" "$(field p99 "$out")"
		how=$(field awake "$out")
		[ -z "$how" ] || echo "$how" >"$tmp/awake"
	done
}

# System calls per forwarded signal: `strace -c -p INIT` (the init's own calls: no -f, so not
# the child's) from before the first of $nstrace signals, sent one at a time as above, to after
# the last; all its calls divided by $nstrace. strace counts a call when it returns: the wait in
# progress at the attach returns with the first signal and counts for it, the one in progress
# at the detach is not counted, so an init that makes K calls per signal shows exactly K (tini
# a little more: a 1 s timeout of its wait may fall in the window).
bench_syscalls() {
	rep=$1
	rotation "$rep" | while IFS='|' read -r name bin args; do
		st=$tmp/strace.$name
		rm -f "$st"
		# shellcheck disable=SC2086
		bounded 120 "$B" siglat -a none -s "$st" "$nstrace" -- "$bin" $args "$B" sigrecv >/dev/null
		calls=$(awk '$NF == "total" { print $4 }' "$st" 2>/dev/null)
		record syscalls_per_signal "$name" "$rep" "$(awk -v c="$calls" -v n="$nstrace" 'BEGIN { if (c != "") printf "%.3f", c / n }')"
		# which calls, per signal (the last repetition's, for the notes)
		awk -v n="$nstrace" -v who="$name" '/^-/ { body = !body; next }
			body && NF >= 5 { s = s sprintf(" %s %.2f", $NF, $4 / n) }
			END { if (s != "") print who ":" s }' "$st" >"$tmp/calls.$name" 2>/dev/null
	done
}

# Reaping, with each init as PID 1 of a fresh PID namespace (launch -n), where every init reaps
# whatever the kernel gives it. Burst: $nzombies zombies re-parented to it at once. Stream:
# $norphans orphans one after another. bench watches /proc/1/task/1/children until only itself
# is left and reports the rate, and PID 1's CPU time per reaped process.
bench_reap() {
	rep=$1
	rotation "$rep" | while IFS='|' read -r name bin args; do
		# shellcheck disable=SC2086
		out=$(bounded 120 "$helpers/launch" -n -- "$bin" $args "$B" burst "$nzombies" 2>/dev/null)
		record reap_burst_per_s "$name" "$rep" "$(field rate "$out")"
		# shellcheck disable=SC2086
		out=$(bounded 120 "$helpers/launch" -n -- "$bin" $args "$B" stream "$norphans" 2>/dev/null)
		record reap_stream_per_s "$name" "$rep" "$(field rate "$out")"
		record reap_stream_cpu_us "$name" "$rep" "$(field cpu "$out")"
	done
}

switches() {
	awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { print n }' "/proc/$1/status" 2>/dev/null
}

# Idle wake-ups and memory: every repetition of every init at once (they sleep; the window is
# the same for all), each with a sleeping child; context switches of the init over $secs s
# (voluntary + nonvoluntary in /proc/PID/status) and its VmRSS at the end.
bench_idle() {
	: >"$tmp/idle"
	rep=1
	while [ "$rep" -le "$reps" ]; do
		while IFS='|' read -r name bin args; do
			# shellcheck disable=SC2086
			"$bin" $args sleep $((secs + 60)) </dev/null >/dev/null 2>&1 &
			idle_pids="$idle_pids $!"
			echo "$! $name $rep" >>"$tmp/idle"
		done <"$tmp/inits"
		rep=$((rep + 1))
	done
	sleep 1
	while read -r pid name rep; do
		echo "$pid $name $rep $(switches "$pid")"
	done <"$tmp/idle" >"$tmp/idle.a"
	sleep "$secs"
	while read -r pid name rep a; do
		b=$(switches "$pid")
		record idle_wakeups "$name" "$rep" "$(awk -v a="$a" -v b="$b" 'BEGIN { if (a != "" && b != "") print b - a }')"
		record rss_kib "$name" "$rep" "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)"
	done <"$tmp/idle.a"
	# SIGTERM goes on to the sleeping children, which end, and so do the inits.
	for p in $idle_pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $idle_pids; do wait "$p" 2>/dev/null; done
	idle_pids=
}

# `docker stop` of a container whose init runs `bench sigrecv` (it exits on the forwarded
# SIGTERM): only when a Docker daemon already runs and has the image; the bench starts none.
bench_docker() {
	if ! command -v docker >/dev/null || ! timeout 10 docker info >/dev/null 2>&1; then
		note "docker stop: no Docker daemon running, row skipped"
		return
	fi
	if ! docker image inspect "$image" >/dev/null 2>&1; then
		note "docker stop: no image $image (make engines builds it), row skipped"
		return
	fi
	rep=1
	while [ "$rep" -le "$reps" ]; do
		rotation "$rep" | while IFS='|' read -r name bin args; do
			# shellcheck disable=SC2086
			cid=$(bounded 60 docker run -d -v "$(realpath "$bin")":/bench-init:ro \
				-v "$(realpath "$B")":/bench:ro --entrypoint /bench-init "$image" \
				$args /bench sigrecv 2>/dev/null)
			[ -n "$cid" ] || continue
			sleep 1
			t0=$(date +%s%N)
			bounded 60 docker stop -t 10 "$cid" >/dev/null 2>&1
			t1=$(date +%s%N)
			docker rm -f "$cid" >/dev/null 2>&1
			record docker_stop_ms "$name" "$rep" $(((t1 - t0) / 1000000))
		done
		rep=$((rep + 1))
	done
}

say "$ninits inits, repetitions: $reps; progress on stderr, the table on stdout"
while IFS='|' read -r name bin args; do
	record size_bytes "$name" 1 "$(stat -L -c %s "$bin")"
done <"$tmp/inits"
rep=1
while [ "$rep" -le "$reps" ]; do
	say "repetition $rep of $reps: start-up"
	bench_startup "$rep"
	say "repetition $rep of $reps: signal latency"
	bench_latency "$rep"
	if [ "$have_strace" = 1 ]; then
		say "repetition $rep of $reps: system calls per signal"
		bench_syscalls "$rep"
	fi
	say "repetition $rep of $reps: reaping"
	bench_reap "$rep"
	rep=$((rep + 1))
done
say "idle wake-ups and memory over ${secs} s"
bench_idle
bench_docker

how=$(cat "$tmp/awake" 2>/dev/null)
driver=$(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo none)
case $how in
dma) note "latency: CPUs held awake by /dev/cpu_dma_latency = 0, as cyclictest does (cpuidle driver: $driver$([ "$driver" = none ] && echo ': the request changes nothing, idle CPUs halt'))" ;;
spin) note "latency: CPUs kept busy by a SCHED_IDLE spinner on each CPU (BENCH_AWAKE=$awake)" ;;
none) note "latency: CPUs left to their idle states (BENCH_AWAKE=none)" ;;
esac
while IFS='|' read -r name bin args; do
	sed 's/^/system calls per signal, /' "$tmp/calls.$name" 2>/dev/null
done <"$tmp/inits" >>"$notes"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
machine="$(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r)"
# The table (and the JSON): figures in rows, inits in columns, from the raw measurements.
# key|label in the table|decimals there|scale there|unit of the raw figure (the JSON)
spec='size_bytes|size (bytes)|0|1|bytes
startup_us|start-up overhead (us)|0|1|microseconds
startup_seccomp_us|start-up overhead, seccomp (us)|0|1|microseconds
latency_p50_us|signal latency p50 (us)|1|1|microseconds
latency_p99_us|signal latency p99 (us)|1|1|microseconds
syscalls_per_signal|system calls per signal|2|1|system calls per signal
reap_burst_per_s|reap burst (k zombies/s)|0|0.001|zombies per second
reap_stream_per_s|reap stream (k orphans/s)|1|0.001|orphans per second
reap_stream_cpu_us|reap stream, init CPU (us/orphan)|1|1|microseconds of CPU per orphan
idle_wakeups|idle wake-ups in '"$secs"' s|0|1|context switches in '"$secs"' s
rss_kib|RSS (KiB)|0|1|KiB
docker_stop_ms|docker stop (ms)|0|1|milliseconds'
echo "$spec" >"$tmp/spec"
cut -d'|' -f1 "$tmp/inits" >"$tmp/names"
echo "machine: $machine; repetitions: $reps; cell: median (lowest-highest)"
awk -F'\t' -v specf="$tmp/spec" -v namesf="$tmp/names" '
	function fmt(v, d, s) { return sprintf("%." d "f", v * s) }
	BEGIN {
		while ((getline l < namesf) > 0) names[++nn] = l
		while ((getline l < specf) > 0) {
			split(l, f, "|"); key[++nk] = f[1]; label[nk] = f[2]; dec[nk] = f[3]; sc[nk] = f[4]
		}
	}
	{ n = ++cnt[$1 SUBSEP $2]; val[$1 SUBSEP $2 SUBSEP n] = $4 }
	END {
		w = 34
		line = sprintf("%-" w "s", "")
		for (j = 1; j <= nn; j++) line = line sprintf(" %20s", names[j])
		print line
		for (i = 1; i <= nk; i++) {
			line = sprintf("%-" w "s", label[i]); any = 0
			for (j = 1; j <= nn; j++) {
				id = key[i] SUBSEP names[j]; c = cnt[id]
				if (c == 0) { line = line sprintf(" %20s", "-"); continue }
				any = 1
				for (a = 1; a <= c; a++) v[a] = val[id SUBSEP a] + 0
				for (a = 2; a <= c; a++) for (b = a; b > 1 && v[b - 1] > v[b]; b--) {
					t = v[b]; v[b] = v[b - 1]; v[b - 1] = t
				}
				med = c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
				cell = fmt(med, dec[i], sc[i]); lo = fmt(v[1], dec[i], sc[i]); hi = fmt(v[c], dec[i], sc[i])
				if (lo != hi) cell = cell " (" lo "-" hi ")"
				line = line sprintf(" %20s", cell)
			}
			if (any) print line
		}
	}' "$raw"
if [ -s "$notes" ]; then
	echo "notes:"
	sed 's/^/  /' "$notes"
fi

if [ -n "$json" ]; then
	awk -F'\t' -v specf="$tmp/spec" -v initsf="$tmp/inits" -v notesf="$notes" \
		-v machine="$machine" -v reps="$reps" -v runs="$runs" -v nsig="$nsig" \
		-v nstrace="$nstrace" -v nz="$nzombies" -v no="$norphans" -v secs="$secs" \
		-v awake="$how" -v ncpu="$(nproc)" -v kernel="$(uname -r)" -v cpu="$cpu" '
	function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s); return "\"" s "\"" }
	BEGIN {
		while ((getline l < specf) > 0) { split(l, f, "|"); key[++nk] = f[1]; label[nk] = f[2]; unit[nk] = f[5] }
		while ((getline l < initsf) > 0) { split(l, f, "|"); iname[++ni] = f[1]; ibin[ni] = f[2]; iargs[ni] = f[3] }
		while ((getline l < notesf) > 0) note[++nn] = l
	}
	{ n = ++cnt[$1 SUBSEP $2]; val[$1 SUBSEP $2 SUBSEP n] = $4 }
	END {
		printf "{\n  \"machine\": {\"cpus\": %d, \"cpu\": %s, \"kernel\": %s, \"summary\": %s},\n", ncpu, q(cpu), q(kernel), q(machine)
		printf "  \"settings\": {\"reps\": %d, \"startup_runs\": %d, \"signals\": %d, \"strace_signals\": %d, \"zombies\": %d, \"orphans\": %d, \"idle_seconds\": %d, \"awake\": %s},\n", reps, runs, nsig, nstrace, nz, no, secs, q(awake)
		printf "  \"inits\": ["
		for (j = 1; j <= ni; j++) printf "%s{\"name\": %s, \"path\": %s, \"args\": %s}", (j > 1 ? ", " : ""), q(iname[j]), q(ibin[j]), q(iargs[j])
		printf "],\n  \"figures\": {\n"
		for (i = 1; i <= nk; i++) {
			printf "    %s: {\"label\": %s, \"unit\": %s, \"values\": {", q(key[i]), q(label[i]), q(unit[i])
			for (j = 1; j <= ni; j++) {
				id = key[i] SUBSEP iname[j]
				printf "%s%s: [", (j > 1 ? ", " : ""), q(iname[j])
				for (a = 1; a <= cnt[id]; a++) printf "%s%s", (a > 1 ? ", " : ""), val[id SUBSEP a]
				printf "]"
			}
			printf "}}%s\n", (i < nk ? "," : "")
		}
		printf "  },\n  \"notes\": ["
		for (a = 1; a <= nn; a++) printf "%s%s", (a > 1 ? ", " : ""), q(note[a])
		printf "]\n}\n"
	}' "$raw" >"$json" || die "could not write $json"
	say "raw figures in $json"
fi
say "took $(($(date +%s) - started)) s"
# A measurement that failed says the bench or the init is broken (a missing peer or Docker is
# not a failure): the exit status tells, so that a CI run with BENCH_REPS=1 proves it works.
if [ -s "$tmp/failed" ]; then
	die "$(wc -l <"$tmp/failed") measurement(s) failed, see above"
fi
