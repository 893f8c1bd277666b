#!/bin/bash
# Docker and Podman as users run them (style rule 31): images FROM scratch holding the init under
# test, /bin/kid and busybox-static; assertions on what the engines show.
#   bash tests/engines/run.sh           as root (make engines); needs sh .ci/setup engines
#   INIT_BIN=/path/to/init ...          the init under test (default: ./init)
#   INIT_HELPERS=/path/to/helpers ...   where the static kid is (default: build/helpers)
#   INIT_TESTS_MUST_RUN=1 ...           a missing engine or tool fails instead of skipping
#   ENGINES_VERBOSE=1 ...               show what passing checks saw too
#   ENGINES_ONLY=REGEX ...              run only the checks whose name matches (bash ERE)
# Uses the running dockerd, else starts one (--iptables=false --bridge=none) and stops it at the
# end; a second dockerd of its own checks --init-path. Nothing is pulled: the Dockerfile's
# debian:12 is a local mmdebstrap base, cached in build/container/ (as tests/container-check.sh
# does). The Dockerfile's arm64 image runs under qemu-user-static: its binfmt_misc handler is
# registered when missing, and left registered (as tests/arch.sh does). Prints `ok N - NAME` /
# `not ok N - NAME`, then `P passed, F failed[, S skipped]`; the time of each check goes to
# build/engines/times.log.
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
ENGINES_DIR=$ROOT/tests/engines
WORK=$ROOT/build/engines
# shellcheck source=tests/engines/lib.sh
. "$ENGINES_DIR/lib.sh" || exit 1
# shellcheck source=tests/engines/docker.sh
. "$ENGINES_DIR/docker.sh" || exit 1
# shellcheck source=tests/engines/podman.sh
. "$ENGINES_DIR/podman.sh" || exit 1

INIT_BIN=$(realpath "${INIT_BIN:-$ROOT/init}")
KID=$(realpath "${INIT_HELPERS:-$ROOT/build/helpers}")/kid
BUSYBOX=${BUSYBOX:-/bin/busybox}
BASE_TARBALL=$ROOT/build/container/bookworm-minbase.tar
BASE_IMAGE=init-ci/bookworm-minbase:latest
# Everything this run creates is named after TAG or labelled LABEL, and removed at the end.
TAG=init-engines-$$
LABEL=init-engines=$$
IMG=$TAG/test:latest
PIMG=localhost/$TAG/test:latest
PPAUSE=localhost/$TAG/pause:latest
IMAGES_DOCKER=("$IMG")
IMAGES_PODMAN=()
STARTED_DOCKERD=""
UNTAG_DEBIAN=""
DOCKERD2_PID=""
KUBE_YAML=""
TMUXC=(true)
START_MS=$(now_ms)

cleanup() {
	local ids
	"${TMUXC[@]}" kill-server >/dev/null 2>&1
	if [ -n "$KUBE_YAML" ]; then
		pm kube down "$KUBE_YAML" >/dev/null 2>&1
	fi
	if [ ${#IMAGES_PODMAN[@]} -gt 0 ]; then
		mapfile -t ids < <(pm pod ps -q --filter "label=$LABEL" 2>/dev/null)
		[ ${#ids[@]} -eq 0 ] || pm pod rm -f "${ids[@]}" >/dev/null 2>&1
		mapfile -t ids < <(pm ps -aq --filter "label=$LABEL" 2>/dev/null)
		[ ${#ids[@]} -eq 0 ] || pm rm -f "${ids[@]}" >/dev/null 2>&1
		pm rmi -f "${IMAGES_PODMAN[@]}" >/dev/null 2>&1
	fi
	stop_initpath_dockerd
	if to 20 docker info >/dev/null 2>&1; then
		mapfile -t ids < <(dk ps -aq --filter "label=$LABEL")
		[ ${#ids[@]} -eq 0 ] || dk rm -f "${ids[@]}" >/dev/null 2>&1
		dk rmi -f "${IMAGES_DOCKER[@]}" >/dev/null 2>&1
		[ -z "$UNTAG_DEBIAN" ] || dk rmi debian:12 >/dev/null 2>&1
	fi
	if [ -n "$STARTED_DOCKERD" ]; then
		kill "$STARTED_DOCKERD" 2>/dev/null
		wait_exit "$STARTED_DOCKERD" 60
	fi
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# missing TOOL...: the tools of this list that are not installed.
missing() {
	local t out=""
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || out+=" $t"
	done
	echo "${out# }"
}

# The docker daemon: the running one, else ours (its log says when its API listens).
docker_up() {
	to 20 docker info >/dev/null 2>&1 && return 0
	echo "# engines: starting dockerd (log: $WORK/dockerd.log)"
	dockerd --iptables=false --bridge=none >"$WORK/dockerd.log" 2>&1 &
	STARTED_DOCKERD=$!
	expect_line 60 'API listen on' tail -n +1 -f --pid="$STARTED_DOCKERD" "$WORK/dockerd.log" &&
		to 20 docker info >/dev/null 2>&1
}

# The mmdebstrap base (the Dockerfile's debian:12), cached, shared with container-check.sh.
base_image() {
	dk image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
	if [ ! -s "$BASE_TARBALL" ]; then
		echo "# engines: building $BASE_TARBALL"
		mkdir -p "${BASE_TARBALL%/*}"
		to 900 mmdebstrap --quiet --variant=minbase bookworm "$BASE_TARBALL.partial" \
			"deb http://deb.debian.org/debian bookworm main" \
			"deb http://deb.debian.org/debian bookworm-updates main" \
			"deb http://deb.debian.org/debian-security bookworm-security main" || return 1
		mv "$BASE_TARBALL.partial" "$BASE_TARBALL"
	fi
	to 300 docker import -c 'CMD ["bash"]' "$BASE_TARBALL" "$BASE_IMAGE" >/dev/null
}

# The test image's context: /init, /bin/kid, /bin/busybox and a link for every applet, and the
# users of -u: app (1000, also in group audio) and nobody (65534).
image_context() {
	local ctx=$WORK/image a
	rm -rf "$ctx"
	mkdir -p "$ctx/bin" "$ctx/etc"
	cp "$INIT_BIN" "$ctx/init" && cp "$KID" "$ctx/bin/kid" && cp "$BUSYBOX" "$ctx/bin/busybox" ||
		return 1
	for a in $("$BUSYBOX" --list); do
		[ "$a" = busybox ] || ln -s busybox "$ctx/bin/$a"
	done
	cat >"$ctx/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		app:x:1000:1000:app:/home/app:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	cat >"$ctx/etc/group" <<-'EOF'
		root:x:0:
		audio:x:29:app
		app:x:1000:
		nogroup:x:65534:
	EOF
	cat >"$WORK/Dockerfile.test" <<-'EOF'
		FROM scratch
		COPY init /init
		COPY bin /bin
		COPY etc /etc
		ENV PATH=/bin
		ENTRYPOINT ["/init", "--"]
	EOF
	# Pod infra for kube play: podman takes it from containers.conf, and runs its entrypoint.
	printf 'FROM %s\nENTRYPOINT ["/init", "-P"]\n' "$PIMG" >"$WORK/Dockerfile.pause"
	# Podman: runc, because crun refuses a hybrid cgroup layout; ulimits this root can set
	# (podman asks for nofile=1048576, which needs CAP_SYS_RESOURCE); our infra image.
	PODMAN_CONF=$WORK/containers.conf
	cat >"$PODMAN_CONF" <<-EOF
		[containers]
		default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

		[engine]
		runtime = "runc"
		infra_image = "$PPAUSE"
	EOF
}

static_or_why() {
	file -L "$1" 2>/dev/null | grep -q 'statically linked' || echo "$1 is not a static binary"
}

main() {
	local why="" m f ctx_fail=""
	rm -rf --one-file-system "$WORK"
	mkdir -p "$WORK"
	[ "$(id -u)" = 0 ] || why="not root"
	for f in "$INIT_BIN" "$KID" "$BUSYBOX"; do
		[ -n "$why" ] || why=$(static_or_why "$f")
	done
	[ -z "$why" ] || why="$why (make init helpers; busybox-static)"
	echo "# engines: the init under test: $INIT_BIN: $("$INIT_BIN" --version 2>&1 | head -n 1)"
	if [ -z "$why" ] && ! image_context; then
		ctx_fail="could not prepare the image context in $WORK/image"
	fi

	# Docker: skipped without the tools, failed when they are there but do not work.
	m=$(missing docker dockerd)
	CHECK_SKIP=$why
	CHECK_FAIL=$ctx_fail
	[ -n "$CHECK_SKIP" ] || [ -z "$m" ] || CHECK_SKIP="missing $m (sh .ci/setup engines)"
	if [ -z "$CHECK_SKIP$CHECK_FAIL" ]; then
		if ! docker_up; then
			CHECK_FAIL="dockerd did not start (log: $WORK/dockerd.log)"
		elif ! to 300 docker build -q -t "$IMG" -f "$WORK/Dockerfile.test" "$WORK/image" \
			>"$WORK/image-build.log" 2>&1; then
			CHECK_FAIL="the test image did not build: $(tail -n 3 "$WORK/image-build.log")"
		fi
	fi
	docker_scenarios

	m=$(missing podman)
	CHECK_SKIP=$why
	CHECK_FAIL=$ctx_fail
	[ -n "$CHECK_SKIP" ] || [ -z "$m" ] || CHECK_SKIP="missing $m (sh .ci/setup engines)"
	if [ -z "$CHECK_SKIP$CHECK_FAIL" ]; then
		IMAGES_PODMAN=("$PIMG" "$PPAUSE")
		if ! pm build -q --layers=false -t "$PIMG" -f "$WORK/Dockerfile.test" "$WORK/image" \
			>"$WORK/podman-build.log" 2>&1 ||
			! pm build -q --layers=false -t "$PPAUSE" -f "$WORK/Dockerfile.pause" "$WORK/image" \
				>>"$WORK/podman-build.log" 2>&1; then
			CHECK_FAIL="the podman images did not build: $(tail -n 3 "$WORK/podman-build.log")"
		fi
	fi
	podman_scenarios
	echo "# engines: $(($(now_ms) - START_MS)) ms"
	summary
}

main
