#!/bin/sh
# Side-by-side figures for ./init and the peers users come from (Debian's tini, tini-static,
# dumb-init, catatonit): binary size, idle wake-ups, resident memory and start-to-exit time.
# Figures, not assertions: run it by hand (make bench); CI does not time anything.
set -u
init=${INIT_BIN:-./init}
secs=${BENCH_IDLE_SECONDS:-3}
runs=${BENCH_RUNS:-200}

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

printf '%-12s %10s %14s %10s %12s\n' name "size(B)" "wakeups/${secs}s" "rss(KiB)" "run(ms)"
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
	start=$(date +%s%N)
	i=0
	while [ $i -lt "$runs" ]; do
		"$bin" $sep /bin/true 2>/dev/null
		i=$((i + 1))
	done
	end=$(date +%s%N)
	ms=$(awk -v t=$((end - start)) -v n="$runs" 'BEGIN { printf "%.3f", t / n / 1e6 }')
	printf '%-12s %10s %14s %10s %12s\n' "$name" "$size" "$((b - a))" "$rss" "$ms"
done
