#!/bin/bash
# Run dumb-init's and tini's own test suites against the init (issue 10).
#
#   tests/peers/run.sh [-n] [-r] [dumb-init] [tini]      (no suite named: both)
#
#   -n   report only: print each suite's outcome, do not compare with the .expected lists
#   -r   run the suites against the peers themselves (dumb-init built here from the fetched
#        source with gcc, tini from $TINI_REAL or the tini on PATH); implies -n
#
# The suites are fetched from Debian 12's source packages into build/peers (once; kept
# there) by .ci/debsrc.sh: a private apt sources list and lists under build/peers/apt,
# so the system's apt configuration and state are not touched. apt checks the InRelease
# signature against the Debian archive keyring and the .orig.tar.gz against the SHA-256 that
# the signed index gives (a mismatch is "Hash Sum mismatch" and exit 100). Only the upstream
# tarball is fetched (--tar-only): dumb-init's .debian.tar.xz is missing from the mirror,
# and the tests are upstream's. Nothing of either project is kept in this repository.
#
# Each suite runs the init under the peer's name (a copy named dumb-init or tini, since the
# init picks its behaviour from argv[0]; not a symlink, because dumb-init's cwd_test runs
# realpath(which dumb-init)). It runs inside a new PID namespace whose PID 1 (pid1.py) gives
# it default signal dispositions and an empty mask, reaps every orphan, and whose end takes
# every leftover process with it; in a new session without a terminal, stdin from
# /dev/null, and a clean environment (no INIT_* variables).
#
# Outcome: every failing test must be listed in tests/peers/SUITE.expected with its reason,
# every listed test must fail (the list stays exact), and the suite must run to its end.
#
# Needs (Debian packages; installed by .ci/setup, not here): python3 python3-pytest
# python3-pytest-timeout python3-psutil python3-prctl python3-py gcc util-linux coreutils
# apt debian-archive-keyring.
#
# Environment: INIT_BIN (default ./init), PEERS_DIR (build/peers), PEERS_PYTHON
# (/usr/bin/python3: Debian's, which has the packages above), PEERS_MIRROR,
# PEERS_TEST_TIMEOUT (per dumb-init test; default the suite's own 5 s), PEERS_STEP_TIMEOUT
# (per tini step, 60 s), PEERS_SUITE_TIMEOUT (per suite, 1200 s), FORCE_SUBREAPER (tini's
# suite: 1 adds its -s/TINI_SUBREAPER tests; default 1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
peers=${PEERS_DIR:-$root/build/peers}
python=${PEERS_PYTHON:-/usr/bin/python3}
mirror=${PEERS_MIRROR:-http://deb.debian.org/debian}
init_bin=${INIT_BIN:-$root/init}
suite_timeout=${PEERS_SUITE_TIMEOUT:-1200}
dumb_init_version=1.2.5
tini_version=0.19.0

die() {
	echo "peers: $*" >&2
	exit 1
}

report_only=0
real=0
suites=()
for arg in "$@"; do
	case $arg in
	-n) report_only=1 ;;
	-r) real=1 report_only=1 ;;
	dumb-init | tini) suites+=("$arg") ;;
	*) die "usage: run.sh [-n] [-r] [dumb-init] [tini]" ;;
	esac
done
[ ${#suites[@]} -gt 0 ] || suites=(dumb-init tini)

# What the suites need on this machine; .ci/setup installs it.
check_needs() {
	local missing="" m
	[ -x "$python" ] || missing="$missing python3"
	for m in pytest:python3-pytest pytest_timeout:python3-pytest-timeout \
		psutil:python3-psutil prctl:python3-prctl py._path.local:python3-py; do
		[ -x "$python" ] && "$python" -c "import ${m%%:*}" 2>/dev/null || missing="$missing ${m#*:}"
	done
	for m in gcc:gcc unshare:util-linux setsid:util-linux timeout:coreutils tac:coreutils \
		apt-get:apt tar:tar gzip:gzip bash:bash; do
		command -v "${m%%:*}" >/dev/null || missing="$missing ${m#*:}"
	done
	[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] || missing="$missing debian-archive-keyring"
	[ -z "$missing" ] || die "missing Debian packages:$missing (sh .ci/setup installs them)"
}

# fetch PACKAGE UPSTREAM-VERSION: unpack PACKAGE's .orig.tar.gz to $peers/src/PACKAGE-VERSION
# (.ci/debsrc.sh downloads it, once, with a private apt state under $peers/apt).
fetch() {
	local pkg=$1 upstream=$2 tarball
	[ -f "$peers/src/$pkg-$upstream/.peers-complete" ] && return 0
	tarball=$(DEBSRC_MIRROR=$mirror DEBSRC_UPSTREAM=$upstream \
		sh "$root/.ci/debsrc.sh" "$pkg" "$peers/apt" --tar-only) || die "fetching $pkg failed"
	rm -rf "$peers/src/$pkg-$upstream" "$peers/src/.unpack"
	mkdir -p "$peers/src/.unpack"
	tar -xf "$tarball" -C "$peers/src/.unpack"
	[ -d "$peers/src/.unpack/$pkg-$upstream" ] || die "$tarball has no $pkg-$upstream/"
	mv "$peers/src/.unpack/$pkg-$upstream" "$peers/src/"
	rmdir "$peers/src/.unpack"
	touch "$peers/src/$pkg-$upstream/.peers-complete"
	echo "peers: fetched $(basename "$tarball") (verified by apt)"
}

# bin_dir DIR NAME BINARY: DIR holds BINARY as NAME, and python/python3 for the suites'
# "#!/usr/bin/env python" scripts.
bin_dir() {
	rm -rf "$1" && mkdir -p "$1"
	cp "$3" "$1/$2"
	chmod 0755 "$1/$2"
	ln -s "$python" "$1/python3"
	ln -s "$python" "$1/python"
}

# isolated LOG DIR CMD...: run CMD in DIR as described above; its output goes to LOG.
isolated() {
	local log=$1 dir=$2
	shift 2
	(
		cd "$dir"
		exec </dev/null >"$log" 2>&1
		exec setsid --wait timeout --kill-after=10 "$suite_timeout" \
			"${ns[@]}" "$python" "$here/pid1.py" "$@"
	)
}

# clean_env BIN: the environment the suites get, in $env (an array).
clean_env() {
	env=(env -i HOME="$work" LANG=C.UTF-8 PATH="$1:/usr/sbin:/usr/bin:/sbin:/bin"
		PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here")
}

run_dumb_init() {
	local bin=$1 src=$peers/src/dumb-init-$dumb_init_version report=$work/dumb-init.report rc=0
	local timeout_opt=()
	bin_dir "$work/dumb-init-bin" dumb-init "$bin"
	[ -z "${PEERS_TEST_TIMEOUT:-}" ] || timeout_opt=(-o "timeout=$PEERS_TEST_TIMEOUT")
	: >"$report"
	echo "peers: dumb-init $dumb_init_version suite against $bin (log: $work/dumb-init.log)"
	clean_env "$work/dumb-init-bin"
	isolated "$work/dumb-init.log" "$src" "${env[@]}" \
		PEERS_REPORT="$report" "$python" -m pytest -p no:cacheprovider -p peers_report \
		"${timeout_opt[@]}" -q -rf tests || rc=$?
	[ "$rc" -le 1 ] || echo "peers: pytest exited $rc (see the log)"
	# The suite's tests/test-zombies is meant to run under dumb-init as PID 1 (upstream's
	# ci/docker-*-test): a fresh PID namespace of its own, the init as its PID 1.
	rc=0
	(
		cd "$src"
		exec </dev/null >>"$work/dumb-init.log" 2>&1
		exec setsid --wait timeout --kill-after=10 60 "${ns[@]}" \
			"${env[@]}" dumb-init "$src/tests/test-zombies"
	) || rc=$?
	if [ "$rc" -eq 0 ]; then
		printf 'passed\ttests/test-zombies (as PID 1)\t\n' >>"$report"
	else
		printf 'failed\ttests/test-zombies (as PID 1)\texit %s\n' "$rc" >>"$report"
	fi
	compare dumb-init "$report"
}

run_tini() {
	local bin=$1 src=$peers/src/tini-$tini_version report=$work/tini.report rc=0
	bin_dir "$work/tini-bin" tini "$bin"
	if [ ! -x "$peers/sigconf-test" ]; then
		gcc -O2 -o "$peers/sigconf-test.new" "$src/test/sigconf/sigconf-test.c"
		mv "$peers/sigconf-test.new" "$peers/sigconf-test"
	fi
	cp "$peers/sigconf-test" "$work/tini-bin/"
	: >"$report"
	echo "peers: tini $tini_version inner suite against $bin (log: $work/tini.log)"
	clean_env "$work/tini-bin"
	isolated "$work/tini.log" "$src" "${env[@]}" \
		SOURCE_DIR="$src" BUILD_DIR="$work/tini-bin" FORCE_SUBREAPER="${FORCE_SUBREAPER:-1}" \
		PEERS_STEP_TIMEOUT="${PEERS_STEP_TIMEOUT:-60}" \
		"$python" "$here/tini_inner.py" "$src/test/run_inner_tests.py" "$report" || rc=$?
	[ "$rc" -eq 0 ] || echo "peers: the tini suite's driver exited $rc (see the log)"
	compare tini "$report"
}

compare() {
	if [ "$report_only" = 1 ]; then
		"$python" "$here/compare.py" --report-only "$1" "$2"
	else
		"$python" "$here/compare.py" "$1" "$2" "$here/$1.expected"
	fi
}

check_needs
fetch dumb-init "$dumb_init_version"
fetch tini "$tini_version"
# A PID namespace (root; else a user namespace that maps us to root, as the rootless
# integration tests do).
ns=(unshare --pid --fork --mount-proc --kill-child)
if ! "${ns[@]}" true 2>/dev/null; then
	ns=(unshare --map-root-user --pid --fork --mount-proc --kill-child)
	"${ns[@]}" true 2>/dev/null || die "cannot create a PID namespace (unshare --pid --fork --mount-proc)"
fi

dumb_init_bin=$init_bin
tini_bin=$init_bin
if [ "$real" = 1 ]; then
	dumb_init_bin=$peers/dumb-init-real
	if [ ! -x "$dumb_init_bin" ]; then
		gcc -O2 -o "$dumb_init_bin.new" "$peers/src/dumb-init-$dumb_init_version/dumb-init.c"
		mv "$dumb_init_bin.new" "$dumb_init_bin"
	fi
	tini_bin=${TINI_REAL:-$(command -v tini || true)}
	[ -n "$tini_bin" ] || die "-r: no tini on PATH; set TINI_REAL"
fi
for b in "$dumb_init_bin" "$tini_bin"; do
	[ -x "$b" ] || die "no executable $b (make init)"
done
dumb_init_bin=$(realpath "$dumb_init_bin")
tini_bin=$(realpath "$tini_bin")

# The kernel's autogroup scheduling (a task group per session, used only for processes in
# the root cgroup) left a woken init runnable but unscheduled for up to a minute here
# (Linux 6.18, 2 CPUs): dumb-init's child_processes_test starts four CPU-bound processes in
# the child's new session, and the init, in the suite's session, sat with SIGTERM pending
# (real dumb-init alike: 4 stalls of 7-64 s in 40 runs under load; none in 40 with
# autogroup off). Engines put containers in cgroups of their own, where it does not apply;
# the suites run with it off, as there, and the setting is put back on exit.
autogroup=/proc/sys/kernel/sched_autogroup_enabled
if [ -w "$autogroup" ] && [ "$(cat "$autogroup")" = 1 ]; then
	trap 'echo 1 >"$autogroup"' EXIT
	echo 0 >"$autogroup"
fi

work=$peers/run
[ "$real" = 0 ] || work=$peers/run-real
rm -rf "$work" && mkdir -p "$work"
status=0
for s in "${suites[@]}"; do
	case $s in
	dumb-init) run_dumb_init "$dumb_init_bin" || status=1 ;;
	tini) run_tini "$tini_bin" || status=1 ;;
	esac
done
exit $status
