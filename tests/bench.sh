#!/bin/sh
# Side-by-side figures for ./init and the peers users come from (Debian's tini, tini-static,
# dumb-init, catatonit): binary size, idle wake-ups, resident memory and start-to-exit time,
# also under a seccomp filter (every container has one; the init probes its calls only then).
# Figures, not assertions: run it by hand (make bench); CI does not time anything.
set -u
init=${INIT_BIN:-./init}
secs=${BENCH_IDLE_SECONDS:-3}
runs=${BENCH_RUNS:-200}
deny=${INIT_HELPERS:-build/helpers}/deny

if ! command -v tini >/dev/null || ! command -v dumb-init >/dev/null ||
	! command -v catatonit >/dev/null; then
	echo "bench: installing the peers from Debian's packages"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tini dumb-init catatonit >/dev/null
fi

# name|binary|how to put a command behind it
peers="init|$init|--
tini|/usr/bin/tini|-s --
tini-static|/usr/bin/tini-static|-s --
dumb-init|/usr/bin/dumb-init|--
catatonit|/usr/bin/catatonit|--"

switches() {
	awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { print n }' "/proc/$1/status"
}

# Mean milliseconds of `$@` over $runs runs.
mean_ms() {
	start=$(date +%s%N)
	i=0
	while [ $i -lt "$runs" ]; do
		"$@" 2>/dev/null
		i=$((i + 1))
	done
	end=$(date +%s%N)
	awk -v t=$((end - start)) -v n="$runs" 'BEGIN { printf "%.3f", t / n / 1e6 }'
}

printf '%-12s %10s %14s %10s %10s %14s\n' name "size(B)" "wakeups/${secs}s" "rss(KiB)" \
	"run(ms)" "seccomp(ms)"
echo "$peers" | while IFS='|' read -r name bin sep; do
	[ -x "$bin" ] || continue
	size=$(stat -c %s "$bin")
	"$bin" $sep sleep $((secs + 2)) 2>/dev/null &
	pid=$!
	sleep 0.5
	a=$(switches "$pid")
	sleep "$secs"
	b=$(switches "$pid")
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	wait "$pid"
	ms=$(mean_ms "$bin" $sep /bin/true)
	# A filter that denies a call no init makes: only its presence counts.
	sms=$(mean_ms "$deny" pidfd_getfd=ENOSYS -- "$bin" $sep /bin/true)
	printf '%-12s %10s %14s %10s %10s %14s\n' "$name" "$size" "$((b - a))" "$rss" "$ms" "$sms"
done
