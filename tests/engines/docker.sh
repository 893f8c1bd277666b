# shellcheck shell=bash disable=SC2016 # sh scripts for the containers are single-quoted
# The Docker scenarios, sourced by run.sh (which sets IMG, TAG, LABEL, WORK, ROOT, INIT_BIN).
# IMG is FROM scratch: /init (ENTRYPOINT ["/init", "--"]), /bin/kid and busybox-static's links,
# /etc/passwd and /etc/group with app (1000, also in audio 29) and nobody (65534).

# dk ARG...: docker, bounded.
dk() {
	to 120 docker "$@"
}

# drun NAME ARG...: a detached container of this run, no network.
drun() {
	local name=$1
	shift
	dk run -d --name "$TAG-$name" --label "$LABEL" --network none "$@" >/dev/null
}

# dcode NAME: the exit code docker inspect shows.
dcode() {
	dk inspect -f '{{.State.ExitCode}}' "$TAG-$1"
}

# dlogs_expect NAME SECONDS REGEX: wait for a line of the container's output (stdout+stderr).
dlogs_expect() {
	expect_line "$2" "$3" docker logs -f "$TAG-$1"
}

# The version and commit of the init under test, from the first line of its --version.
init_version_fields() {
	local v
	v=$("$INIT_BIN" --version | head -n 1)
	INIT_VERSION_LINE=$v
	INIT_VERSION=${v#tini version }
	INIT_VERSION=${INIT_VERSION%% - *}
	INIT_COMMIT=${v##*git.}
}

# prune_build_stage LOG: from the legacy builder's LOG, remove the build stage's images after
# its step 2 (apt-get), newest first, and keep that one: it is what makes the next build take
# a second instead of a minute. The later steps change with every commit. (BuildKit prints no
# `Step` lines: then nothing is removed.)
prune_build_stage() {
	local line step=0 last=0 i re_step='^Step ([0-9]+)/[0-9]+ : (.*)' re_id='^ ---> ([0-9a-f]{12})$'
	local -A id=()
	while IFS= read -r line; do
		if [[ $line =~ $re_step ]]; then
			step=${BASH_REMATCH[1]}
			[[ ${BASH_REMATCH[2]} == "FROM scratch"* ]] && last=$((step - 1))
		elif [[ $line =~ $re_id ]]; then
			id[$step]=${BASH_REMATCH[1]}
		fi
	done <"$1"
	for ((i = last; i >= 3; i--)); do
		[ -z "${id[$i]:-}" ] || dk rmi --no-prune "${id[$i]}" >/dev/null 2>&1
	done
	return 0
}

# The project's Dockerfile is built from what it copies (the tree's build/ holds large caches).
DOCKERFILE_CONTEXT=(Dockerfile Makefile .ci/cross.sh .ci/debsrc.sh .ci/libcap.sh .ci/musl.sh src)

# dockerfile_base: the Dockerfile's build stage is FROM debian:12, which cannot be pulled here;
# the mmdebstrap base stands in for it under that tag (removed at the end if we added it).
# Returns 77 (skip) without mmdebstrap.
dockerfile_base() {
	if ! dk image inspect debian:12 >/dev/null 2>&1 && ! base_image; then
		if [ -n "$(missing mmdebstrap)" ]; then
			skip_unless_must "no mmdebstrap for the debian:12 base"
			return
		fi
		diag "no debian:12 base image (mmdebstrap)"
		return 1
	fi
	if ! dk image inspect debian:12 >/dev/null 2>&1; then
		dk tag "$BASE_IMAGE" debian:12 || return 1
		# shellcheck disable=SC2034 # read by run.sh's cleanup
		UNTAG_DEBIAN=1
	fi
}

# dockerfile_build IMAGE LOG ARG...: docker build ARG... of the project's Dockerfile as IMAGE
# (removed at the end), the commit passed in as GIT_SHA (in DOCKERFILE_SHA), its output in LOG.
dockerfile_build() {
	local img=$1 log=$2
	shift 2
	DOCKERFILE_SHA=$(git -C "$ROOT" rev-parse --short=7 HEAD 2>/dev/null) || DOCKERFILE_SHA=0000000
	dockerfile_base || return
	IMAGES_DOCKER+=("$img")
	if ! (cd "$ROOT" && tar -c "${DOCKERFILE_CONTEXT[@]}") |
		to 900 docker build --network host --build-arg GIT_SHA="$DOCKERFILE_SHA" "$@" -t "$img" - \
			>"$log" 2>&1; then
		diag "docker build failed:"
		tail -n 30 "$log"
		return 1
	fi
	prune_build_stage "$log"
}

# 1. The project's Dockerfile for this machine's architecture.
d_dockerfile() {
	local img=$TAG-dockerfile layers layer list got cid
	dockerfile_build "$img" "$WORK/dockerfile-build.log" || return
	layers=$(dk image inspect -f '{{len .RootFS.Layers}}' "$img")
	expect_eq "layers of the final image (FROM scratch + one COPY)" "$layers" 1 || return 1
	got=$(dk image inspect -f '{{json .Config.Entrypoint}}' "$img")
	expect_eq "entrypoint" "$got" '["/init","--"]' || return 1
	dk save -o "$WORK/dockerfile-image.tar" "$img" || return 1
	layer=$(tar -xOf "$WORK/dockerfile-image.tar" manifest.json | grep -o '"[^"]*/layer.tar"')
	list=$(tar -xOf "$WORK/dockerfile-image.tar" "${layer//\"/}" | tar -t)
	expect_eq "files in the image's layer" "$list" init || return 1
	# what a container of it holds, less what docker puts into every container
	cid=$(dk create --label "$LABEL" --network none "$img") || return 1
	list=$(dk export "$cid" | tar -t |
		grep -Evx '\.dockerenv|(dev|proc|sys)/.*|etc/|etc/(hostname|hosts|mtab|resolv\.conf)')
	dk rm "$cid" >/dev/null
	expect_eq "docker export | tar -t" "$list" init || return 1
	got=$(dk run --rm --label "$LABEL" --network none --entrypoint /init "$img" --version)
	expect_eq "init --version" "$got" "tini version $MAKE_VERSION - git.$DOCKERFILE_SHA" ||
		return 1
	# the build stage built libcap from Debian's source package: the image's init has -u
	got=$(dk run --rm --label "$LABEL" --network none --entrypoint /init "$img" --help)
	grep -q -- '--user USER' <<<"$got" || fail_because "init --help does not mention --user"
}

# 1b. The Dockerfile for arm64 (issue 11): the build stage runs on this machine's architecture
# and cross-compiles; the image's /init, as docker export gives it, is a static aarch64 ELF.
# The classic builder sets no TARGETARCH and cannot build --platform linux/arm64 (the build
# stage's platform is not the target's): --build-arg. (BuildKit's --platform: not tested here.)
ARM64_IMG=""
d_dockerfile_arm64() {
	local img=$TAG-dockerfile-arm64 cid got
	ARM64_IMG=""
	dockerfile_build "$img" "$WORK/dockerfile-arm64-build.log" --build-arg TARGETARCH=arm64 ||
		return
	grep -E '^(cross|libcap): ' "$WORK/dockerfile-arm64-build.log"
	echo "the image's config: $(dk image inspect -f '{{.Os}}/{{.Architecture}}' "$img")" \
		"(the classic builder names its own)"
	cid=$(dk create --label "$LABEL" --network none "$img") || return 1
	dk export "$cid" | tar -xOf - init >"$WORK/init-arm64"
	dk rm "$cid" >/dev/null
	got=$(file -b "$WORK/init-arm64")
	echo "the image's /init: $got"
	[[ $got == ELF*", ARM aarch64,"*"statically linked"* ]] ||
		fail_because "the image's /init is not a static aarch64 ELF: $got" || return 1
	ARM64_IMG=$img
}

# binfmt CPU: the kernel runs CPU's ELF binaries through qemu-user-static, in containers too
# (tests/binfmt.sh). Returns 77 (skip) when that cannot be had.
binfmt() {
	local out rc=0
	out=$(sh "$ROOT/tests/binfmt.sh" "$1") || rc=$?
	[ -z "$out" ] || echo "$out"
	case $rc in
	0) ;;
	77) skip_unless_must "${out#binfmt: }" ;;
	*) fail_because "tests/binfmt.sh $1 failed" ;;
	esac
}

# 1c. That image on this machine, its init under QEMU's user mode: --version is one line, and
# its ENTRYPOINT [/init, --] runs a child and passes its exit code on: true 0, false 1. The image
# holds /init alone: the children are busybox-static's, bind-mounted (native binaries, which the
# emulated init starts as any other).
d_dockerfile_arm64_run() {
	local got out code want
	[ -n "$ARM64_IMG" ] || fail_because "the image of the previous test was not built" ||
		return 1
	if [ "$(uname -m)" != aarch64 ]; then
		binfmt aarch64 || return
	fi
	got=$(dk run --rm --label "$LABEL" --network none --entrypoint /init "$ARM64_IMG" --version)
	expect_eq "init --version" "$got" "tini version $MAKE_VERSION - git.$DOCKERFILE_SHA" ||
		return 1
	for want in true:0 false:1; do
		code=0
		out=$(dk run --rm --label "$LABEL" --network none -e INIT_VERBOSITY=2 \
			-v "$BUSYBOX:/bin/${want%:*}:ro" "$ARM64_IMG" "${want%:*}" 2>&1) || code=$?
		printf '%s\n' "$out"
		expect_eq "exit code of a child ${want%:*}" "$code" "${want#*:}" || return 1
		grep -q "^init: child pid=[0-9]* exit=${want#*:}" <<<"$out" ||
			fail_because "the init did not log its child's exit ${want#*:}" || return 1
	done
}

# 2. ENTRYPOINT ["/init", "--"], a child that exits 7 on SIGTERM: docker stop shows 7, fast.
d_stop_code() {
	local t0 t1 code
	drun stop7 "$IMG" sh -c "trap 'exit 7' TERM; echo ready; sleep 2147483647 & wait" || return 1
	dlogs_expect stop7 30 '^ready' || return 1
	t0=$(now_ms)
	dk stop -t 10 "$TAG-stop7" >/dev/null || return 1
	t1=$(now_ms)
	code=$(dcode stop7)
	expect_eq "exit code" "$code" 7 || return 1
	echo "docker stop took $((t1 - t0)) ms"
	[ $((t1 - t0)) -lt 5000 ] || fail_because "docker stop took $((t1 - t0)) ms (timeout 10 s)"
}

# d_spawn WANT TRY ARG...: run the init -vv on `kid try clone3` with docker run ARGS; kid must
# print `clone3: TRY` (the profile's answer) and the init's stderr name spawn=WANT.
d_spawn() {
	local want=$1 try=$2 out err
	shift 2
	err=$WORK/spawn.err
	out=$(dk run --rm --label "$LABEL" --network none "$@" --entrypoint /init "$IMG" -vv -- \
		kid try clone3 2>"$err")
	cat "$err"
	expect_eq "kid try clone3 (what the profile answers)" "$out" "clone3: $try" || return 1
	grep -q "^init: spawn=$want pid=" "$err" || fail_because "no 'spawn=$want' in the init's log"
}

# 3. Docker's default profile answers clone3 with ENOSYS: the clone rung; unconfined: clone3.
d_default_profile() {
	d_spawn clone ENOSYS
}

d_unconfined() {
	d_spawn clone3 EFAULT --security-opt seccomp=unconfined
}

# 4a. clone3 trapped (SIGSYS): the probe child dies of it, the init survives on clone. The
# profile is checked first: kid's clone3 must die of SIGSYS (31), so sh sees 159.
d_trap_clone3() {
	local out err=$WORK/trap.err code=0
	out=$(dk run --rm --label "$LABEL" --network none \
		--security-opt seccomp="$ENGINES_DIR/seccomp/trap-clone3.json" --entrypoint /init \
		"$IMG" -vv -- sh -c 'kid try clone3; echo "kid try clone3: $?"; exit 5' 2>"$err") ||
		code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "what the profile does to clone3" "$out" "kid try clone3: 159" || return 1
	expect_eq "exit code" "$code" 5 || return 1
	grep -q '^init: spawn=clone pid=' "$err" || fail_because "no 'spawn=clone' in the init's log"
}

# 4b. clone3 ENOSYS and clone with CLONE_PIDFD (0x1000 in its flags) EPERM: fork + pidfd_open.
d_no_clone_pidfd() {
	local out err=$WORK/nocp.err code=0
	out=$(dk run --rm --label "$LABEL" --network none \
		--security-opt seccomp="$ENGINES_DIR/seccomp/no-clone-pidfd.json" --entrypoint /init \
		"$IMG" -vv -- sh -c 'kid try clone3; kid try clone+pidfd; exit 5' 2>"$err") || code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "exit code" "$code" 5 || return 1
	expect_eq "what the profile answers" "$out" $'clone3: ENOSYS\nclone+pidfd: EPERM' || return 1
	grep -q '^init: spawn=pidfd_open pid=' "$err" ||
		fail_because "no 'spawn=pidfd_open' in the init's log"
}

# 4c. pidfd_open, pidfd_send_signal (and pidfd_getfd) refused too: plain PIDs, and a signal
# from docker kill is forwarded with kill(2).
d_no_pidfd() {
	local logs
	drun nopidfd --security-opt seccomp="$ENGINES_DIR/seccomp/no-pidfd.json" \
		--entrypoint /init "$IMG" -vv -- \
		sh -c 'kid try pidfd_open; kid try pidfd_send_signal; exec kid sigs' || return 1
	dlogs_expect nopidfd 30 '^ready pid=' || return 1
	dk kill -s USR1 "$TAG-nopidfd" >/dev/null || return 1
	dlogs_expect nopidfd 30 '^sig 10$' || return 1
	dk stop -t 10 "$TAG-nopidfd" >/dev/null || return 1
	logs=$(dk logs "$TAG-nopidfd" 2>&1)
	printf '%s\n' "$logs"
	grep -qx 'pidfd_open: EPERM' <<<"$logs" || fail_because "the profile did not refuse pidfd_open" ||
		return 1
	grep -Eq '^init: (warning: )?spawn=pid pid=' <<<"$logs" ||
		fail_because "no 'spawn=pid' in the init's log" || return 1
	grep -Eq '^init: signal=SIGUSR1 to=child pid=[0-9]+ result=fallback' <<<"$logs" ||
		fail_because "no 'signal=SIGUSR1 ... result=fallback' in the init's log" || return 1
	expect_eq "exit code (kid sigs ends 0 on SIGTERM)" "$(dcode nopidfd)" 0
}

# 5. 50 orphans: each `(sleep 0.1 &)` leaves its sleep to the init. The pipe to cat is open in
# every sleep, so `orphans exited` is printed once all of them have exited; then no process of
# the container may be a zombie.
d_orphans() {
	local script
	script='trap "exit 0" TERM
{ i=0; while [ $i -lt 50 ]; do (sleep 0.1 &); i=$((i + 1)); done; } | cat
echo orphans exited
sleep 2147483647 & wait'
	drun orphans "$IMG" sh -c "$script" || return 1
	dlogs_expect orphans 30 '^orphans exited' || return 1
	zombies_in orphans || return 1
	dk stop -t 10 "$TAG-orphans" >/dev/null || return 1
	expect_eq "exit code" "$(dcode orphans)" 0
}

# zombies_in NAME: no process of container NAME is a zombie. An exited orphan is a zombie for
# the instant before the init reaps it, so a zombie seen once is looked for again 1 s later.
zombies_in() {
	local ps
	ps=$(dk exec "$TAG-$1" ps -o stat,pid,ppid,args) || return 1
	if grep -q '^Z' <<<"$ps"; then
		sleep 1
		ps=$(dk exec "$TAG-$1" ps -o stat,pid,ppid,args) || return 1
	fi
	printf '%s\n' "$ps"
	! grep -q '^Z' <<<"$ps" || fail_because "zombies left: $(grep -c '^Z' <<<"$ps")"
}

# 5b. The same with kid: 50 grandchildren orphaned to the init as PID 1, all reaped.
d_orphans_kid() {
	local out code=0
	out=$(dk run --rm --label "$LABEL" --network none "$IMG" kid orphans 50 2>&1) || code=$?
	printf '%s\n' "$out"
	grep -qx 'adopted=50' <<<"$out" || fail_because "the init did not adopt all 50" || return 1
	grep -qx 'left=0' <<<"$out" || fail_because "orphans left unreaped" || return 1
	expect_eq "exit code" "$code" 0
}

# 6. docker stop with a tree: the main child (kid tree) dies of SIGTERM; nodes 1-4, two levels
# deep, report their SIGTERM from the drain; a `docker exec -d` process (not a child of the
# init) traps SIGTERM and needs 2 s, then writes to the container's log through PID 1's stdout.
d_drain_run() {
	local exec_script t0 t1 i
	DRAIN_LOGS=""
	DRAIN_MS=0
	exec_script='trap "trap \"\" TERM; sleep 2; echo exec finished >/proc/1/fd/1; exit 0" TERM
echo exec ready >/proc/1/fd/1
sleep 2147483647 & wait'
	drun drain -i "$IMG" kid tree 0 0t 1t 0t 3t || return 1
	dlogs_expect drain 30 '^tree ready' || return 1
	dk exec -d "$TAG-drain" sh -c "$exec_script" || return 1
	dlogs_expect drain 30 '^exec ready' || return 1
	t0=$(now_ms)
	dk stop -t 10 "$TAG-drain" >/dev/null || return 1
	t1=$(now_ms)
	DRAIN_MS=$((t1 - t0))
	DRAIN_LOGS=$(dk logs "$TAG-drain" 2>&1)
	echo "docker stop took $DRAIN_MS ms"
	printf '%s\n' "$DRAIN_LOGS"
	expect_eq "exit code (kid tree dies of SIGTERM)" "$(dcode drain)" 143 || return 1
	for i in 1 2 3 4; do
		grep -qx "node $i got TERM" <<<"$DRAIN_LOGS" ||
			fail_because "node $i did not get SIGTERM" || return 1
	done
}

d_drain_exec() {
	[ -n "$DRAIN_LOGS" ] || fail_because "the container of the previous test did not run" ||
		return 1
	echo "docker stop took $DRAIN_MS ms"
	printf '%s\n' "$DRAIN_LOGS"
	grep -qx 'exec finished' <<<"$DRAIN_LOGS" ||
		fail_because "the docker exec process was killed before it finished" || return 1
	[ "$DRAIN_MS" -lt 9000 ] || fail_because "docker stop took $DRAIN_MS ms: SIGKILL at 10 s?"
}

# A second dockerd of our own, started with --init-path, its own roots and socket.
start_initpath_dockerd() {
	local d=$WORK/dockerd-init
	mkdir -p "$d"
	dockerd --iptables=false --bridge=none --data-root "$d/root" --exec-root "$d/exec" \
		-H "unix://$d/docker.sock" --pidfile "$d/docker.pid" --init-path "$INIT_BIN" \
		>"$d/log" 2>&1 &
	DOCKERD2_PID=$!
	DOCKER2=(docker -H "unix://$d/docker.sock")
	if ! expect_line 60 'API listen on' tail -n +1 -f --pid="$DOCKERD2_PID" "$d/log"; then
		tail -n 20 "$d/log"
		return 1
	fi
	dk save "$IMG" | to 120 "${DOCKER2[@]}" load >/dev/null
}

stop_initpath_dockerd() {
	[ -n "${DOCKERD2_PID:-}" ] || return 0
	kill "$DOCKERD2_PID" 2>/dev/null
	wait_exit "$DOCKERD2_PID" 60
	DOCKERD2_PID=""
	rm -rf --one-file-system "$WORK/dockerd-init"
}

# 7a. dockerd --init-path: docker info shows the commit of our one-line --version.
d_info() {
	local info line next comp
	init_version_fields
	start_initpath_dockerd || return 1
	info=$(to 60 "${DOCKER2[@]}" info 2>&1)
	line=$(grep -A1 'init version:' <<<"$info")
	printf '%s\n' "$line"
	next=$(sed -n 2p <<<"$line")
	expect_eq "docker info" "$(sed -n 1p <<<"$line" | sed 's/^ *//')" "init version: $INIT_COMMIT" ||
		return 1
	[[ $next =~ ^\ [A-Z][a-zA-Z\ ]*: ]] ||
		fail_because "the line after 'init version' is not the next field: '$next'" || return 1
	expect_eq "InitCommit.ID" "$(to 60 "${DOCKER2[@]}" info -f '{{.InitCommit.ID}}')" \
		"$INIT_COMMIT" || return 1
	comp=$(to 60 "${DOCKER2[@]}" version -f \
		'{{range .Server.Components}}{{if eq .Name "'"${INIT_BIN##*/}"'"}}{{.Version}}{{end}}{{end}}')
	expect_eq "docker version's ${INIT_BIN##*/} component" "$comp" "$INIT_VERSION"
}

# 7b. docker run --init: our init is /sbin/docker-init, PID 1, and passes the exit code on.
d_run_init() {
	local out err=$WORK/runinit.err code=0
	[ -n "${DOCKERD2_PID:-}" ] || fail_because "the dockerd with --init-path did not start" ||
		return 1
	init_version_fields
	out=$(to 60 "${DOCKER2[@]}" run --rm --init --network none -e INIT_VERBOSITY=2 \
		--entrypoint /bin/sh "$IMG" -c 'ps -o pid,args; /sbin/docker-init --version; exit 4' \
		2>"$err") || code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "exit code" "$code" 4 || return 1
	grep -Eq '^ +1 /sbin/docker-init -- /bin/sh -c ps' <<<"$out" ||
		fail_because "PID 1 is not /sbin/docker-init" || return 1
	grep -qxF "$INIT_VERSION_LINE" <<<"$out" ||
		fail_because "/sbin/docker-init is not the init under test" || return 1
	grep -q '^init: spawn=' "$err" || fail_because "no 'init: spawn=' line from PID 1"
}

# The tmux session of a -it test: a private server; the pane's output goes to a file that
# expect_line follows from the offset where the last action left it. tmux_start COMMAND...
tmux_start() {
	TMUX_PANE_LOG=$WORK/pane.log
	: >"$TMUX_PANE_LOG"
	# The pane waits for Enter, so that nothing is printed before the pipe to the file exists.
	{
		printf 'read -r go\nexec'
		printf ' %q' "$@"
		printf '\n'
	} >"$WORK/pane.sh"
	"${TMUXC[@]}" new-session -d -s tty -x 160 -y 48 "bash '$WORK/pane.sh'" || return 1
	"${TMUXC[@]}" pipe-pane -t tty -o "cat >>'$TMUX_PANE_LOG'" || return 1
	"${TMUXC[@]}" send-keys -t tty Enter
}

# pane_mark: remember where the pane's output is now; pane_expect waits past that point.
pane_mark() {
	PANE_OFFSET=$(stat -c %s "$TMUX_PANE_LOG")
}

pane_expect() {
	expect_line "$1" "$2" tail -c +$((PANE_OFFSET + 1)) -f "$TMUX_PANE_LOG"
}

# keys KEY...: type into the pane, after marking where its output is.
keys() {
	pane_mark
	"${TMUXC[@]}" send-keys -t tty "$@"
}

tmux_stop() {
	"${TMUXC[@]}" kill-server 2>/dev/null
	rm -f "$WORK/tmux.sock"
}

# 8a. docker run -it: Ctrl-C goes to the child's process group only, so kid sees one SIGINT;
# the USR1 sent after it through the init proves nothing else was on its way (forwarding keeps
# the order), and the init's log names no forwarded SIGINT.
d_tty_ctrl_c() {
	local seen rc=0
	tmux_start docker run -it --name "$TAG-ttyc" --label "$LABEL" --network none \
		--entrypoint /init "$IMG" -vv -- kid sigs || return 1
	PANE_OFFSET=0
	pane_expect 30 'ready pid=' || rc=1
	[ $rc -eq 0 ] && { keys C-c && pane_expect 10 'sig 2$' || rc=1; }
	[ $rc -eq 0 ] && { pane_mark && dk kill -s USR1 "$TAG-ttyc" >/dev/null &&
		pane_expect 10 'sig 10$' || rc=1; }
	# the pane's last line is in the file before its process ends the session
	[ $rc -eq 0 ] && { pane_mark && dk kill -s TERM "$TAG-ttyc" >/dev/null &&
		pane_expect 10 'sig 15$' && to 30 docker wait "$TAG-ttyc" >/dev/null || rc=1; }
	seen=$(sed 's/\r$//' "$TMUX_PANE_LOG")
	tmux_stop
	printf '%s\n' "$seen"
	[ $rc -eq 0 ] || return 1
	# SIGWINCH (28) comes and goes with the terminal's size: not counted
	expect_eq "signals seen" "$(grep -o 'sig [0-9]*$' <<<"$seen" | grep -vx 'sig 28' | tr '\n' ' ')" \
		"sig 2 sig 10 sig 15 " || return 1
	! grep -q 'signal=SIGINT' <<<"$seen" || fail_because "the init got SIGINT and forwarded it" ||
		return 1
	expect_eq "exit code" "$(dcode ttyc)" 0
}

# 8b. docker run -it with busybox sh -i under the init: a job stops on Ctrl-Z, fg brings it
# back with the terminal, Ctrl-C ends it and the shell goes on. Only whole lines can be waited
# for, so the prompt ends in a newline. Typed commands echo their text: what is waited for is
# output the text cannot contain (T42 for `T$((6*7))`).
d_tty_jobs() {
	local seen rc=0 prompt='^sh-ready>$'
	tmux_start docker run -it --name "$TAG-ttyj" --label "$LABEL" --network none \
		-e 'PS1=sh-ready>\n' "$IMG" sh -i || return 1
	PANE_OFFSET=0
	pane_expect 30 "$prompt" || rc=1
	if [ $rc -eq 0 ]; then
		keys 'sh -c '"'"'echo T$((6*7)); exec tr a-z A-Z'"'" Enter && pane_expect 10 '^T42$' &&
			keys 'hello' Enter && pane_expect 10 'HELLO' &&
			keys C-z && pane_expect 10 'Stopped' && pane_expect 10 "$prompt" &&
			keys 'fg' Enter && pane_expect 10 'exec tr a-z' &&
			keys 'again' Enter && pane_expect 10 'AGAIN' &&
			keys C-c && pane_expect 10 "$prompt" &&
			keys 'echo B$((2+1))' Enter && pane_expect 10 '^B3$' &&
			keys 'exit 3' Enter &&
			to 30 docker wait "$TAG-ttyj" >/dev/null || rc=1
	fi
	seen=$(sed 's/\r$//' "$TMUX_PANE_LOG")
	tmux_stop
	printf '%s\n' "$seen"
	[ $rc -eq 0 ] || return 1
	expect_eq "exit code" "$(dcode ttyj)" 3
}

# The lines of /proc/PID/status that say who a process is and what it may do; CREDS_SH prints
# them for the process that runs it (a shell's grep: the same credentials as the shell). These
# and engine_bnd serve podman.sh too.
STATUS_RE='^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs):'
CREDS=(grep -E "$STATUS_RE" /proc/self/status)
CREDS_SH="grep -E '$STATUS_RE' /proc/self/status"
CAP_NONE=0000000000000000
CAP_KILL=0000000000000020
CAP_NET_BIND=0000000000000400

# engine_bnd ENGINE IMAGE: ENGINE's (dk or pm) default bounding set, as a process of IMAGE
# started without the init sees it, into ENGINE_BND. It must hold what the scenarios below
# rely on (KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE) and lack SYS_ADMIN.
engine_bnd() {
	local need=$((0x20 | 0x40 | 0x80 | 0x100 | 0x400)) sys_admin=$((1 << 21)) v
	ENGINE_BND=$(field "$("$1" run --rm --label "$LABEL" --network none \
		--entrypoint /bin/grep "$2" CapBnd /proc/self/status)" CapBnd)
	[[ $ENGINE_BND =~ ^[0-9a-f]{16}$ ]] ||
		fail_because "no CapBnd from a container of $2: '$ENGINE_BND'" || return 1
	v=$((16#$ENGINE_BND))
	if [ $((v & need)) -ne $need ] || [ $((v & sys_admin)) -ne 0 ]; then
		fail_because "the engine's default bounding set $ENGINE_BND is not what these tests assume"
	fi
}

# 12. ENTRYPOINT [/init, --] and -e INIT_USER=nobody: the child runs as 65534 with its group,
# without a capability, inside the engine's bounding set; the init says nothing.
d_user_nobody() {
	local out err=$WORK/nobody.err code=0
	engine_bnd dk "$IMG" || return 1
	out=$(dk run --rm --label "$LABEL" --network none -e INIT_USER=nobody "$IMG" "${CREDS[@]}" \
		2>"$err") || code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "exit code" "$code" 0 || return 1
	expect_fields "the child's" "$out" "Uid=65534 65534 65534 65534" \
		"Gid=65534 65534 65534 65534" Groups=65534 CapInh=$CAP_NONE CapPrm=$CAP_NONE \
		CapEff=$CAP_NONE CapAmb=$CAP_NONE "CapBnd=$ENGINE_BND" NoNewPrivs=0 || return 1
	[ ! -s "$err" ] || fail_because "the init wrote to stderr"
}

# 13. An image whose ENTRYPOINT is [/init, -u, app, --cap-add, NET_BIND_SERVICE, --]: the child,
# uid 1000 in groups 1000 and audio, holds NET_BIND_SERVICE as an ambient capability and binds
# port 80. Docker lets every uid bind low ports in a network namespace of the container's own
# (net.ipv4.ip_unprivileged_port_start=0), so the sysctl is set back to 1024 and the same child
# without --cap-add must be refused.
d_cap_add_bind() {
	local img=$TAG-app:latest out err=$WORK/bind.err code=0
	local run=(dk run --rm --label "$LABEL" --network none
		--sysctl net.ipv4.ip_unprivileged_port_start=1024)
	engine_bnd dk "$IMG" || return 1
	IMAGES_DOCKER+=("$img")
	printf 'FROM %s\nENTRYPOINT ["/init", "-u", "app", "--cap-add", "NET_BIND_SERVICE", "--"]\n' \
		"$IMG" | dk build -q -t "$img" - >/dev/null || return 1
	out=$("${run[@]}" "$img" sh -c "$CREDS_SH; kid bind 80" 2>"$err") || code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "exit code" "$code" 0 || return 1
	expect_fields "the child's" "$out" "Uid=1000 1000 1000 1000" "Gid=1000 1000 1000 1000" \
		"Groups=29 1000" CapInh=$CAP_NET_BIND CapPrm=$CAP_NET_BIND CapEff=$CAP_NET_BIND \
		CapAmb=$CAP_NET_BIND "CapBnd=$ENGINE_BND" || return 1
	grep -qx 'bind ok' <<<"$out" || fail_because "the child could not bind port 80" || return 1
	[ ! -s "$err" ] || fail_because "the init wrote to stderr" || return 1
	out=$("${run[@]}" --entrypoint /init "$IMG" -u app -- kid bind 80 2>&1)
	echo "without --cap-add: $out"
	expect_eq "kid bind 80 as app without --cap-add (the control)" "$out" "bind EACCES"
}

# 14. --cap-drop all: a root child keeps nothing, not even in its bounding set (a setuid-root
# program it runs gains nothing); --no-new-privs shows in its status. In the environment,
# with libcap's spelling: --cap-drop all and --cap-add cap_net_bind_service bound an app child
# to that one capability.
d_cap_drop_all() {
	local out code=0
	out=$(dk run --rm --label "$LABEL" --network none --entrypoint /init "$IMG" \
		--cap-drop all --no-new-privs -- "${CREDS[@]}" 2>&1) || code=$?
	printf '%s\n' "$out"
	expect_eq "exit code" "$code" 0 || return 1
	expect_fields "the child's" "$out" "Uid=0 0 0 0" CapInh=$CAP_NONE CapPrm=$CAP_NONE \
		CapEff=$CAP_NONE CapAmb=$CAP_NONE CapBnd=$CAP_NONE NoNewPrivs=1 || return 1
	code=0
	out=$(dk run --rm --label "$LABEL" --network none -e INIT_USER=app -e INIT_CAP_DROP=all \
		-e INIT_CAP_ADD=cap_net_bind_service "$IMG" "${CREDS[@]}" 2>&1) || code=$?
	printf '%s\n' "$out"
	expect_eq "exit code" "$code" 0 || return 1
	expect_fields "the child's" "$out" "Uid=1000 1000 1000 1000" CapInh=$CAP_NET_BIND \
		CapPrm=$CAP_NET_BIND CapEff=$CAP_NET_BIND CapAmb=$CAP_NET_BIND CapBnd=$CAP_NET_BIND
}

# 15. -e INIT_USER=nobody, a child that exits 7 on SIGTERM and a grandchild that reports it: once
# the child runs, the init keeps CAP_KILL alone (what /proc/1/status shows to the child's uid),
# and that is enough: docker stop reaches the child through the init, and the drain reaches the
# grandchild, both of another uid than the init's.
d_stop_other_uid() {
	local script st logs t0 t1 rc=0
	script='trap "echo child got TERM; exit 7" TERM
(trap "echo grandchild got TERM; exit 0" TERM; sleep 2147483647 & wait) &
echo "ready uid=$(id -u)"
sleep 2147483647 & wait'
	drun privstop -e INIT_USER=nobody "$IMG" sh -c "$script" || return 1
	dlogs_expect privstop 30 '^ready uid=' || return 1
	expect_eq "the child's uid" "$(grep -o 'uid=.*' <<<"$EXPECT_SEEN")" "uid=65534" || return 1
	st=$(dk exec -u 65534 "$TAG-privstop" grep -E "$STATUS_RE" /proc/1/status) || return 1
	printf '%s\n' "$st"
	# the stop is checked even when the sets are wrong: what the init can do with them
	expect_fields "the init's" "$st" "Uid=0 0 0 0" CapInh=$CAP_NONE CapPrm=$CAP_KILL \
		CapEff=$CAP_KILL CapBnd=$CAP_KILL CapAmb=$CAP_NONE || rc=1
	t0=$(now_ms)
	dk stop -t 10 "$TAG-privstop" >/dev/null || return 1
	t1=$(now_ms)
	logs=$(dk logs "$TAG-privstop" 2>&1)
	echo "docker stop took $((t1 - t0)) ms"
	printf '%s\n' "$logs"
	expect_eq "exit code" "$(dcode privstop)" 7 || rc=1
	grep -qx 'grandchild got TERM' <<<"$logs" ||
		fail_because "the drain did not reach the grandchild (uid 65534)" || rc=1
	[ $((t1 - t0)) -lt 5000 ] || fail_because "docker stop took $((t1 - t0)) ms (timeout 10 s)" ||
		rc=1
	return $rc
}

# d_refused WANT_CODE WANT_TEXT ARG...: docker run ARG... of a child that would print `child
# ran` must end WANT_CODE with one line on stderr that holds WANT_TEXT (grep -i -F), and no child.
d_refused() {
	local want=$1 text=$2 out err=$WORK/refused.err code=0
	shift 2
	out=$(dk run --rm --label "$LABEL" --network none "$@" 2>"$err") || code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "exit code" "$code" "$want" || return 1
	expect_eq "the child's output" "$out" "" || return 1
	expect_eq "lines on stderr" "$(wc -l <"$err")" 1 || return 1
	grep -qiF -- "$text" "$err" || fail_because "stderr does not say '$text'"
}

# 16. --cap-add SYS_ADMIN, which Docker's default set lacks: exit 1, one line naming it.
d_cap_add_missing() {
	d_refused 1 sys_admin --entrypoint /init "$IMG" --cap-add SYS_ADMIN -- echo child ran
}

# 17. -u nosuchuser: exit 2, one line naming the user.
d_unknown_user() {
	d_refused 2 "unknown user 'nosuchuser'" --entrypoint /init "$IMG" -u nosuchuser -- \
		echo child ran
}

# 18. docker run --user 1000: the init runs without capabilities, has none to drop and says
# nothing; the child runs as 1000. Asked for -u then, it refuses: one line naming CAP_SETUID.
d_docker_user() {
	local out err=$WORK/dockeruser.err code=0
	out=$(dk run --rm --label "$LABEL" --network none --user 1000 "$IMG" \
		sh -c "$CREDS_SH; grep -E '^Cap(Prm|Eff):' /proc/1/status | sed 's/^/init./'" \
		2>"$err") || code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "exit code" "$code" 0 || return 1
	expect_fields "status" "$out" "Uid=1000 1000 1000 1000" CapEff=$CAP_NONE \
		init.CapPrm=$CAP_NONE init.CapEff=$CAP_NONE || return 1
	[ ! -s "$err" ] || fail_because "the init wrote to stderr" || return 1
	d_refused 1 CAP_SETUID --user 1000 -e INIT_USER=nobody "$IMG" echo child ran
}

docker_scenarios() {
	MAKE_VERSION=$(sed -n 's/^VERSION := *//p' "$ROOT/Makefile")
	check "docker: the Dockerfile builds a FROM scratch image of /init alone; --version is one line" \
		d_dockerfile
	check "docker: the Dockerfile with --build-arg TARGETARCH=arm64 cross-compiles an aarch64 /init" \
		d_dockerfile_arm64
	check "docker: the Dockerfile's arm64 image under binfmt: --version; children true 0, false 1" \
		d_dockerfile_arm64_run
	check "docker: ENTRYPOINT [/init, --], docker stop: the child's exit code 7, well within -t 10" \
		d_stop_code
	check "docker: default seccomp profile (clone3 ENOSYS): spawn=clone" d_default_profile
	check "docker: seccomp=unconfined: spawn=clone3" d_unconfined
	check "docker: profile trapping clone3 (SIGSYS): spawn=clone, the init survives" \
		d_trap_clone3
	check "docker: profile refusing clone3 and CLONE_PIDFD: spawn=pidfd_open" d_no_clone_pidfd
	check "docker: profile refusing every pidfd call: spawn=pid, docker kill USR1 result=fallback" \
		d_no_pidfd
	check "docker: 50 orphans of a shell entrypoint, no zombie left" d_orphans
	check "docker: kid orphans 50: all adopted by the init and reaped" d_orphans_kid
	check "docker: docker stop: grandchildren that trap SIGTERM all get it" d_drain_run
	check "docker: docker stop: a docker exec -d process finishes its 2 s shutdown first" \
		d_drain_exec
	check "docker: dockerd --init-path: docker info shows the version on one line" d_info
	check "docker: docker run --init runs the init as /sbin/docker-init, PID 1" d_run_init
	stop_initpath_dockerd
	check "docker: -e INIT_USER=nobody: uid 65534, no capability, Docker's bounding set" \
		d_user_nobody
	check "docker: ENTRYPOINT [/init, -u, app, --cap-add, NET_BIND_SERVICE]: ambient, binds port 80" \
		d_cap_add_bind
	check "docker: --cap-drop all: bounding set empty; --no-new-privs; env with libcap names" \
		d_cap_drop_all
	check "docker: the init keeps CAP_KILL alone; docker stop reaches a child of another uid" \
		d_stop_other_uid
	check "docker: --cap-add SYS_ADMIN the init lacks: exit 1, one line, no child" \
		d_cap_add_missing
	check "docker: -u nosuchuser: exit 2, one line, no child" d_unknown_user
	check "docker: docker run --user 1000: no capabilities, no warning; -u then refused" \
		d_docker_user
	local outer_skip=$CHECK_SKIP
	if [ -z "$CHECK_SKIP$CHECK_FAIL" ] && ! command -v tmux >/dev/null 2>&1; then
		CHECK_SKIP="no tmux (sh .ci/setup engines)"
	fi
	TMUXC=(env -u TMUX tmux -S "$WORK/tmux.sock") # a private server, its socket under build/
	check "docker: docker run -it: Ctrl-C reaches the child once" d_tty_ctrl_c
	check "docker: docker run -it: sh -i job control, Ctrl-Z, fg, Ctrl-C" d_tty_jobs
	CHECK_SKIP=$outer_skip
}
