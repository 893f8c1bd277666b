#!/bin/sh
# The README's test command in a fresh Debian 12 container, as many CI runners run it.
#   sh tests/container-check.sh [COMMAND]   as root; COMMAND defaults to the README's
#   REV=HEAD sh tests/container-check.sh    a commit (git archive) instead of the working tree
#   OPTS='--cap-add SYS_ADMIN ...' sh ...   other container options, to try one less
# The image is built from Debian's packages (mmdebstrap), never pulled from a registry. The
# container gets the README's options plus --network host, so that .ci/setup reaches Debian's
# archive (this dockerd runs with --bridge=none: no other network). Exits with COMMAND's status.
set -eu
cd "$(dirname "$0")/.."
# The test command without the engine suite, which cannot run in such a container (README).
cmd=${1:-sh .ci/setup && make unit integration check-asan}
opts=${OPTS:-"--cap-add SYS_ADMIN --cap-add SYS_PTRACE --security-opt seccomp=unconfined
	--security-opt apparmor=unconfined --security-opt systempaths=unconfined"}
out=build/container
tarball=$out/bookworm-minbase.tar
image=init-ci/bookworm-minbase:latest
name=init-check-$$
mkdir -p "$out"

# dockerd (docker.io) and mmdebstrap from Debian's packages, when missing.
missing=""
command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
command -v mmdebstrap >/dev/null 2>&1 || missing="$missing mmdebstrap"
if [ -n "$missing" ]; then
	echo "container-check: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086 # a list of names
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# At exit: remove the container, and stop dockerd if this script started it.
started=""
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	docker rm -f "$name" >/dev/null 2>&1 || true
	[ -z "$started" ] && return
	kill "$started" 2>/dev/null || true
	while kill -0 "$started" 2>/dev/null; do sleep 1; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Use the running daemon, else start one and wait (60 s at most) until it answers.
if ! docker info >/dev/null 2>&1; then
	echo "container-check: starting dockerd (log: $out/dockerd.log)"
	# A daemon that was killed leaves its pid file, and dockerd then refuses to start.
	pidf=/var/run/docker.pid
	if [ -f $pidf ] && ! kill -0 "$(cat $pidf)" 2>/dev/null; then rm -f $pidf; fi
	dockerd --iptables=false --bridge=none >"$out/dockerd.log" 2>&1 &
	started=$!
	i=0
	until docker info >/dev/null 2>&1; do
		i=$((i + 1))
		if ! kill -0 "$started" 2>/dev/null || [ $i -gt 60 ]; then
			echo "container-check: dockerd did not start:"; tail -n 20 "$out/dockerd.log"; exit 1
		fi
		sleep 1
	done
fi

# The base image: minbase bookworm with a debian:12 image's sources; the tarball is cached.
if ! docker image inspect "$image" >/dev/null 2>&1; then
	if [ ! -s "$tarball" ]; then
		echo "container-check: building $tarball"
		mmdebstrap --quiet --variant=minbase bookworm "$out/partial.tar" \
			"deb http://deb.debian.org/debian bookworm main" \
			"deb http://deb.debian.org/debian bookworm-updates main" \
			"deb http://deb.debian.org/debian-security bookworm-security main"
		mv "$out/partial.tar" "$tarball"
	fi
	docker import "$tarball" "$image" >/dev/null
fi

# A fresh container (PID 1 a sleep, the command run by docker exec, as GitHub's container
# jobs do); the tree goes to /src: tracked and untracked, not ignored files as on disk now.
# shellcheck disable=SC2086 # opts is a list of words
docker run -d --name "$name" --network host $opts "$image" sleep infinity >/dev/null
docker exec "$name" mkdir /src
if [ -n "${REV:-}" ]; then
	git archive "$REV"
else
	git ls-files -z -co --exclude-standard | tar --null -T - --ignore-failed-read -cf -
fi | docker cp - "$name:/src"
echo "container-check: running '$cmd' in $name"
status=0
docker exec -w /src "$name" sh -c "$cmd" || status=$?
echo "container-check: exit status $status"
exit $status
