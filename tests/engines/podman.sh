# shellcheck shell=bash disable=SC2016 # sh scripts for the containers are single-quoted
# The Podman scenarios, sourced by run.sh (which sets PIMG, PPAUSE, TAG, LABEL, WORK, ROOT,
# INIT_BIN and the containers.conf in PODMAN_CONF).

# pm ARG...: podman with the suite's containers.conf, bounded.
pm() {
	CONTAINERS_CONF=$PODMAN_CONF to 120 podman "$@"
}

pcode() {
	pm inspect -f '{{.State.ExitCode}}' "$1"
}

plogs_expect() {
	CONTAINERS_CONF=$PODMAN_CONF expect_line "$2" "$3" podman logs -f "$1"
}

# 9. podman run --init --init-path: our init is /run/podman-init, PID 1.
p_run_init() {
	local out err=$WORK/pinit.err code=0 want
	want=$("$INIT_BIN" --version | head -n 1)
	out=$(pm run --rm --label "$LABEL" --network none --init --init-path "$INIT_BIN" \
		-e INIT_VERBOSITY=2 --entrypoint /bin/sh "$PIMG" \
		-c 'ps -o pid,args; /run/podman-init --version; exit 4' 2>"$err") || code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "exit code" "$code" 4 || return 1
	grep -Eq '^ +1 /run/podman-init -- /bin/sh -c ps' <<<"$out" ||
		fail_because "PID 1 is not /run/podman-init" || return 1
	grep -qxF "$want" <<<"$out" || fail_because "/run/podman-init is not the init under test" ||
		return 1
	grep -q '^init: spawn=' "$err" || fail_because "no 'init: spawn=' line from PID 1"
}

# 10. A pod sharing one PID namespace, its infra container `/init -P`: the app (a shell with no
# init of its own) orphans 20 processes, which the infra's init reaps; `podman pod stop` sends
# SIGTERM to both, and the infra's init waits for the app, which needs 2 s and exits 7.
p_pod_run() {
	local app=$TAG-podapp infra script t0 t1 ps
	POD_STOPPED=""
	script='trap "trap \"\" TERM; echo app stopping; sleep 2; echo app stopped; exit 7" TERM
{ i=0; while [ $i -lt 20 ]; do (sleep 0.1 &); i=$((i + 1)); done; } | cat
echo orphans exited
sleep 2147483647 & wait'
	pm pod create --name "$TAG-pod" --label "$LABEL" --network none --share pid \
		--infra-image "$PIMG" --infra-command '/init -P -vv' >/dev/null || return 1
	pm run -d --pod "$TAG-pod" --name "$app" --label "$LABEL" --entrypoint /bin/sh "$PIMG" \
		-c "$script" >/dev/null || return 1
	infra=$(pm pod inspect -f '{{.InfraContainerID}}' "$TAG-pod") || return 1
	POD_INFRA=$infra
	plogs_expect "$app" 30 '^orphans exited' || return 1
	# 20 orphans reaped by the infra's init, each logged at -vv
	CONTAINERS_CONF=$PODMAN_CONF expect_lines 30 20 '^init: reaped orphan pid=' \
		podman logs -f "$infra" || return 1
	ps=$(pm exec "$app" ps -o stat,pid,ppid,args) || return 1
	printf '%s\n' "$ps"
	awk '$2 == 1' <<<"$ps" | grep -q ' /init -P -vv$' ||
		fail_because "PID 1 is not the infra's init" || return 1
	! grep -q '^Z' <<<"$ps" || fail_because "zombies in the pod" || return 1
	t0=$(now_ms)
	pm pod stop -t 10 "$TAG-pod" >/dev/null || return 1
	t1=$(now_ms)
	POD_STOPPED=$((t1 - t0))
}

p_pod_stop() {
	local logs
	[ -n "$POD_STOPPED" ] || fail_because "the pod of the previous test did not run" || return 1
	echo "podman pod stop took $POD_STOPPED ms"
	logs=$(pm logs "$TAG-podapp" 2>&1)
	printf '%s\n--- infra:\n' "$logs"
	pm logs "$POD_INFRA" 2>&1
	expect_eq "the app's exit code" "$(pcode "$TAG-podapp")" 7 || return 1
	grep -qx 'app stopped' <<<"$logs" || fail_because "the app did not finish its shutdown" ||
		return 1
	expect_eq "the infra's exit code" "$(pcode "$POD_INFRA")" 0 || return 1
	[ "$POD_STOPPED" -lt 9000 ] || fail_because "pod stop took $POD_STOPPED ms: SIGKILL at 10 s?"
}

# 11. podman kube play of examples/kubernetes/pod.yaml with the test image: the init is the
# container's PID 1, and podman pod stop ends the app's 2 s shutdown with exit code 0.
p_kube() {
	local yaml=$WORK/pod.yaml ctr=init-example-app t0 t1 logs cmdline
	sed "s|^\( *image:\).*|\1 $PIMG|" "$ROOT/examples/kubernetes/pod.yaml" >"$yaml"
	KUBE_YAML=$yaml
	pm kube play --network none "$yaml" || return 1
	plogs_expect "$ctr" 30 '^app ready' || return 1
	cmdline=$(pm exec "$ctr" cat /proc/1/cmdline | tr '\0' ' ')
	expect_eq "PID 1 of the container" "${cmdline%% -- *}" "/init -v" || return 1
	t0=$(now_ms)
	pm pod stop -t 30 init-example >/dev/null || return 1
	t1=$(now_ms)
	echo "podman pod stop took $((t1 - t0)) ms"
	logs=$(pm logs "$ctr" 2>&1)
	printf '%s\n' "$logs"
	expect_eq "exit code" "$(pcode "$ctr")" 0 || return 1
	grep -qx 'app stopped' <<<"$logs" || fail_because "the app did not finish its shutdown" ||
		return 1
	grep -qx 'init: exit code=0' <<<"$logs" || fail_because "no 'init: exit code=0'" || return 1
	[ $((t1 - t0)) -lt 10000 ] || fail_because "pod stop took $((t1 - t0)) ms" || return 1
	pm kube down "$yaml" >/dev/null || return 1
	# shellcheck disable=SC2034 # read by run.sh's cleanup
	KUBE_YAML=""
	! pm pod exists init-example || fail_because "kube down left the pod"
}

# What `podman kube play` (Podman 4.3 here) does not do that a kubelet does, and how the kube
# scenarios below stand in for it:
# - terminationGracePeriodSeconds is ignored: the stop timeout stays podman's 10 s. The
#   scenarios pass the manifest's value to `podman pod stop -t`, as the kubelet's deadline.
# - `podman kube down` stops with a 0 s timeout: SIGKILL at once, no graceful stop, no message
#   (containers/podman#22397; later Podman honours the stop timeout). It only removes here.
# - terminationMessagePath is ignored: nothing is mounted there, nothing is read. The kubelet
#   bind-mounts a file of its own (mode 0666) at that path, reads it once the container has
#   ended, and shows it as the container's terminated state's message (`kubectl describe pod`).
#   A hostPath volume of type File at that path does the same here: the test reads the file.
# - The infra container is stopped together with the others, where the kubelet stops the
#   containers first and the sandbox after. In a pod sharing PIDs the infra is PID 1, and
#   `/init -P` drains the whole namespace on SIGTERM: the app's processes get SIGTERM from it
#   at once, past the app's own init (and its --term-delay). To see what the app's init does
#   on stop, the shared-PID scenario stops the app's container alone first, as a kubelet
#   would, and only then the pod.
# - Services and endpoints do not exist: --term-delay is seen as the app's later SIGTERM.

# kube_copy NAME DEST: examples/kubernetes/NAME with the test image in its image: lines.
kube_copy() {
	sed "s|^\( *image:\).*|\1 $PIMG|" "$ROOT/examples/kubernetes/$1" >"$2"
}

# kube_with YAML FUNCTION [ARG...]: podman kube play YAML (its output in KUBE_OUT), FUNCTION,
# then podman kube down YAML whatever FUNCTION returned (after a failed play too: a pod may be
# half there), unless the play failed on a pod of that name that was there before (not ours).
# Returns FUNCTION's status, or 1 when play or down failed.
KUBE_OUT=""
kube_with() {
	local yaml=$1 rc=0
	shift
	KUBE_YAML=$yaml
	if ! KUBE_OUT=$(pm kube play --network none "$yaml" 2>&1); then
		fail_because "podman kube play failed: $KUBE_OUT"
		rc=1
		[[ $KUBE_OUT != *"pod already exists"* ]] || KUBE_YAML=""
	fi
	[ $rc -ne 0 ] || "$@" || rc=1
	[ -z "$KUBE_YAML" ] || pm kube down "$yaml" >/dev/null 2>&1 || [ $rc -ne 0 ] ||
		fail_because "podman kube down $yaml failed" || rc=1
	# shellcheck disable=SC2034 # read by run.sh's cleanup
	KUBE_YAML=""
	return $rc
}

# yaml_value FILE KEY: the first `KEY: value` of FILE (any indentation).
yaml_value() {
	awk -v k="$2:" '$1 == k { print $2; exit }' "$1"
}

# yaml_env FILE NAME: the value of the env entry NAME (`- name: NAME` then `value: V`).
yaml_env() {
	awk -v n="$2" '$1 == "-" && $2 == "name:" { hit = ($3 == n); next }
		hit && $1 == "value:" { print $2; exit }' "$1"
}

# duration_ms D: 5s, 500ms or 5 (seconds), in milliseconds.
duration_ms() {
	case $1 in
	*ms) echo "${1%ms}" ;;
	*s) echo $((${1%s} * 1000)) ;;
	*) echo $(($1 * 1000)) ;;
	esac
}

# kube_termination_volume FILE MOUNT HOSTFILE: add to the pod template of manifest FILE a
# hostPath volume (type File) HOSTFILE, mounted at MOUNT in the container that has a
# terminationMessagePath line: what the kubelet does for that path.
kube_termination_volume() {
	awk -v m="$2" -v h="$3" '
		/^ *containers:$/ && !v {
			i = $0; sub(/[^ ].*/, "", i)
			print i "volumes:"
			print i "  - name: init-termination-log"
			print i "    hostPath:"
			print i "      path: " h
			print i "      type: File"
			v = 1
		}
		{ print }
		$1 == "terminationMessagePath:" {
			i = $0; sub(/[^ ].*/, "", i)
			print i "volumeMounts:"
			print i "  - name: init-termination-log"
			print i "    mountPath: " m
		}' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# logfmt_value LINE KEY: the value of KEY in the logfmt LINE (unquoted values); 1 if absent.
logfmt_value() {
	local w words
	read -ra words <<<"$1"
	for w in "${words[@]}"; do
		[ "${w%%=*}" != "$2" ] || {
			echo "${w#*=}"
			return 0
		}
	done
	return 1
}

# log_ms LOGS REGEX: when conmon read the first line of LOGS (podman logs -t) whose text
# matches REGEX, in ms since the epoch; empty when none does.
log_ms() {
	local ts
	ts=$(awk -v re="$2" '{ t = $1; $1 = ""; sub(/^ /, "") } $0 ~ re { print t; exit }' <<<"$1")
	[ -z "$ts" ] || date -d "$ts" +%s%3N
}

# 20. kube play of examples/kubernetes/deployment.yaml, the test image in it and the kubelet's
# termination-message file (a hostPath) at its terminationMessagePath; the durations are the
# manifest's. podman pod stop -t terminationGracePeriodSeconds: the init holds the SIGTERM for
# INIT_TERM_DELAY and says so; the app (busybox sh) sees SIGTERM no earlier than that after the
# stop began, stops in a second, and the container exits 0, not 137, within the deadline. The
# message at the path is the one line the README describes. A cluster would show it as the
# pod's last state's message, with exit code 0, reason Completed.
p_kube_deploy() {
	local yaml=$WORK/deployment.yaml msg=$WORK/deployment.termination-log mpath grace delay
	kube_copy deployment.yaml "$yaml" || return 1
	mpath=$(yaml_value "$yaml" terminationMessagePath)
	grace=$(yaml_value "$yaml" terminationGracePeriodSeconds)
	delay=$(yaml_env "$yaml" INIT_TERM_DELAY)
	[ -n "$mpath" ] && [ -n "$grace" ] && [ -n "$delay" ] ||
		fail_because "deployment.yaml: no terminationMessagePath, grace period or term delay" ||
		return 1
	[ "$(yaml_env "$yaml" INIT_TERMINATION_LOG)" = "$mpath" ] ||
		fail_because "deployment.yaml: INIT_TERMINATION_LOG is not its terminationMessagePath" ||
		return 1
	rm -f "$msg" && : >"$msg" && chmod 0666 "$msg" || return 1
	kube_termination_volume "$yaml" "$mpath" "$msg" || return 1
	kube_with "$yaml" kube_deploy_run "$grace" "$(duration_ms "$delay")" "$msg"
}

kube_deploy_run() {
	local grace=$1 delay=$2 msg=$3 pod ctr t0 t1 logs seen m k kv
	pod=$(awk '/^Pod:$/ { getline; print; exit }' <<<"$KUBE_OUT")
	ctr=$(pm ps -a --filter "pod=$pod" --format '{{.ID}} {{.Names}}' |
		awk '$2 ~ /-web$/ { print $1 }')
	[ -n "$pod" ] && [ -n "$ctr" ] ||
		fail_because "no pod or no *-web container in: $KUBE_OUT" || return 1
	plogs_expect "$ctr" 30 '^web ready' || return 1
	echo "podman's stop timeout: $(pm inspect -f '{{.Config.StopTimeout}}' "$ctr") s"
	t0=$(now_ms)
	pm pod stop -t "$grace" "$pod" >/dev/null || return 1
	t1=$(now_ms)
	echo "podman pod stop -t $grace took $((t1 - t0)) ms"
	logs=$(pm logs -t "$ctr" 2>&1)
	printf '%s\n' "$logs"
	expect_eq "exit code" "$(pcode "$ctr")" 0 || return 1
	seen=$(log_ms "$logs" '^web draining$')
	[ -n "$seen" ] || fail_because "the app never said 'web draining'" || return 1
	seen=$((seen - t0))
	echo "the app saw SIGTERM $seen ms after the stop began"
	[ $seen -ge "$delay" ] ||
		fail_because "the app saw SIGTERM $seen ms after the stop: before the $delay ms delay" ||
		return 1
	[ $seen -lt $((delay + 5000)) ] ||
		fail_because "the app saw SIGTERM $seen ms after the stop: the delay is $delay ms" ||
		return 1
	grep -q " init: term-delay: SIGTERM held for ${delay}ms " <<<"$logs" ||
		fail_because "no 'init: term-delay: SIGTERM held for ${delay}ms' line" || return 1
	grep -q ' web stopped$' <<<"$logs" || fail_because "the app did not finish its shutdown" ||
		return 1
	[ $((t1 - t0)) -lt $((delay + 8000)) ] ||
		fail_because "pod stop took $((t1 - t0)) ms: the app needs 1 s after the delay" || return 1
	m=$(cat "$msg")
	echo "termination message: $m"
	[ -n "$m" ] || fail_because "the termination message at $msg is empty" || return 1
	expect_eq "lines in the termination message" "$(wc -l <"$msg")" 1 || return 1
	[ "$(wc -c <"$msg")" -le 4096 ] || fail_because "the message is over 4096 bytes" || return 1
	for kv in exit_code=0 child=exited code=0 cmd=sh term_delay="${delay}ms" drain_term=0 \
		drain_exited=0 drain_killed=0; do
		k=${kv%%=*}
		expect_eq "the message's $k" "$(logfmt_value "$m" "$k")" "${kv#*=}" || return 1
	done
	! logfmt_value "$m" killed >/dev/null || fail_because "the message names killed processes"
}

# 21. kube play of examples/kubernetes/shared-pid.yaml, the app's init at -vv (its debug lines
# name each process it signals and reaps): the infra (`/init -P`) is PID 1; the app's init is
# a subreaper, and the sleep its shell orphans is its child. `podman stop` of the app alone (as
# a kubelet stops containers before the sandbox): the init forwards SIGTERM to the shell,
# drains the sleep (the one process it signals, its only descendant left), reaps it and exits
# 0; the sidecar's and the infra's processes run on, untouched. Then pod stop ends both, exit 0.
p_kube_shared() {
	local yaml=$WORK/shared-pid.yaml
	kube_copy shared-pid.yaml "$yaml" || return 1
	sed -i 's|^\( *command: \)\["/init", "-v", "--"\]$|\1["/init", "-vv", "--"]|' "$yaml"
	grep -q '^ *command: \["/init", "-vv", "--"\]$' "$yaml" ||
		fail_because "shared-pid.yaml: no command [\"/init\", \"-v\", \"--\"]" || return 1
	kube_with "$yaml" kube_shared_run
}

kube_shared_run() {
	local pod=init-shared-pid app=init-shared-pid-app side=init-shared-pid-sidecar infra ps
	local ainit orphan sinit ssh ps2 logs signalled t0 t1
	plogs_expect "$app" 30 '^app ready' || return 1
	plogs_expect "$side" 30 '^sidecar ready' || return 1
	infra=$(pm pod inspect -f '{{.InfraContainerID}}' "$pod") || return 1
	ps=$(pm exec "$app" ps -o pid,ppid,stat,args) || return 1
	printf '%s\n' "$ps"
	awk '$1 == 1' <<<"$ps" | grep -q ' /init -P$' || fail_because "PID 1 is not '/init -P'" ||
		return 1
	ainit=$(awk '$4 == "/init" && $5 == "-vv" { print $1 }' <<<"$ps")
	orphan=$(awk '$4 == "sleep" && $5 == "2147483647" { print $1, $2 }' <<<"$ps")
	sinit=$(awk '$4 == "/init" && $5 == "--" { print $1 }' <<<"$ps")
	ssh=$(awk -v p="$sinit" '$2 == p && $4 == "sh" { print $1 }' <<<"$ps")
	[ -n "$ainit" ] && [ -n "$sinit" ] && [ -n "$ssh" ] ||
		fail_because "no app init, sidecar init or sidecar shell in ps" || return 1
	[ "$ainit" != 1 ] || fail_because "the app's init is PID 1" || return 1
	expect_eq "the orphaned sleep's pid and parent" "$orphan" "${orphan%% *} $ainit" ||
		return 1
	grep -qx "init: subreaper=on pid=$ainit" <<<"$(pm logs "$app" 2>&1)" ||
		fail_because "no 'init: subreaper=on pid=$ainit' from the app's init" || return 1
	t0=$(now_ms)
	pm stop -t 30 "$app" >/dev/null || return 1
	t1=$(now_ms)
	echo "podman stop of the app took $((t1 - t0)) ms"
	logs=$(pm logs "$app" 2>&1)
	printf '%s\n' "$logs"
	expect_eq "the app's exit code" "$(pcode "$app")" 0 || return 1
	grep -qx 'app stopping' <<<"$logs" || fail_because "the app's shell did not trap SIGTERM" ||
		return 1
	signalled=$(sed -n 's/^init: drain signal=SIGTERM pid=\([0-9]*\) .*/\1/p' <<<"$logs" | sort -u |
		tr '\n' ' ')
	expect_eq "the pids the app's init drained with SIGTERM" "$signalled" "${orphan%% *} " ||
		return 1
	grep -q "^init: reaped orphan pid=${orphan%% *} killed=SIGTERM$" <<<"$logs" ||
		fail_because "the app's init did not reap the sleep" || return 1
	grep -qx 'init: exit code=0' <<<"$logs" || fail_because "no 'init: exit code=0'" || return 1
	expect_eq "the sidecar running" "$(pm inspect -f '{{.State.Running}}' "$side")" true ||
		return 1
	expect_eq "the infra running" "$(pm inspect -f '{{.State.Running}}' "$infra")" true ||
		return 1
	ps2=$(pm exec "$side" ps -o pid,ppid,stat,args) || return 1
	printf -- '--- after the app stopped:\n%s\n' "$ps2"
	awk -v a="$sinit" -v b="$ssh" '$1 == a || $1 == b || $1 == 1 { n++ } END { exit n != 3 }' \
		<<<"$ps2" || fail_because "the sidecar's init and shell or PID 1 changed" || return 1
	! grep -q ' sleep 2147483647$' <<<"$ps2" || fail_because "the orphaned sleep lives on" ||
		return 1
	t0=$(now_ms)
	pm pod stop -t 30 "$pod" >/dev/null || return 1
	t1=$(now_ms)
	echo "podman pod stop took $((t1 - t0)) ms"
	expect_eq "the sidecar's exit code" "$(pcode "$side")" 0 || return 1
	expect_eq "the infra's exit code" "$(pcode "$infra")" 0 || return 1
	[ $((t1 - t0)) -lt 10000 ] || fail_because "pod stop took $((t1 - t0)) ms"
}

# Run in a container of a pod sharing PIDs: 5 sleeps orphaned at once (each subshell exits),
# their state and parent, then their fate: gone within 15 s (reaped), else named; then every
# zombie left in the PID namespace.
ORPHANS_SH='pids=$(for i in 1 2 3 4 5; do (sleep 1 </dev/null >/dev/null 2>&1 & echo $!); done)
for p in $pids; do set -- $(cat /proc/$p/stat); echo "orphan pid=$1 state=$3 ppid=$4"; done
i=0
while :; do
	left=""
	for p in $pids; do [ ! -e /proc/$p ] || left="$left $p"; done
	[ -n "$left" ] && [ $i -lt 150 ] || break
	sleep 0.1
	i=$((i + 1))
done
echo "left=${left# }"
for p in $left; do echo "still there: $(cat /proc/$p/stat)"; done
for f in /proc/[0-9]*/stat; do
	set -- $(cat $f 2>/dev/null)
	[ "${3:-}" != Z ] || echo "zombie pid=$1 ppid=$4"
done
echo done'

# 22. The init as the pod's pause process (examples/kubernetes/pause.md), with Podman's infra
# image from containers.conf ($PPAUSE, ENTRYPOINT ["/init", "-P"]), in a kube play of
# shared-pid.yaml: the infra container runs `/init -P` as PID 1; 5 processes orphaned by a
# `podman exec` in the sidecar (its parent is outside the namespace) all go to PID 1, not to
# the sidecar's init, and are reaped: none is left, no zombie anywhere; pod stop: the infra,
# the app and the sidecar all exit 0, well within the timeout.
p_kube_pause() {
	local yaml=$WORK/shared-pid.pause.yaml
	kube_copy shared-pid.yaml "$yaml" || return 1
	kube_with "$yaml" kube_pause_run
}

kube_pause_run() {
	local pod=init-shared-pid side=init-shared-pid-sidecar infra out t0 t1 c
	infra=$(pm pod inspect -f '{{.InfraContainerID}}' "$pod") || return 1
	expect_eq "the infra's image" "$(pm inspect -f '{{.ImageName}}' "$infra")" "$PPAUSE" ||
		return 1
	expect_eq "the infra's command" "$(pm inspect -f '{{.Path}} {{join .Args " "}}' "$infra")" \
		"/init -P" || return 1
	plogs_expect "$side" 30 '^sidecar ready' || return 1
	expect_eq "PID 1 of the pod" "$(pm exec "$side" cat /proc/1/cmdline | tr '\0' ' ')" \
		"/init -P " || return 1
	out=$(pm exec "$side" sh -c "$ORPHANS_SH" 2>&1) || return 1
	printf '%s\n' "$out"
	expect_eq "orphans adopted by PID 1" \
		"$(grep -c '^orphan pid=[0-9]* state=[RSD] ppid=1$' <<<"$out")" 5 || return 1
	grep -qx 'left=' <<<"$out" || fail_because "orphans not reaped within 15 s" || return 1
	! grep -q '^zombie' <<<"$out" || fail_because "zombies in the pod" || return 1
	grep -qx 'done' <<<"$out" || fail_because "the script did not finish" || return 1
	t0=$(now_ms)
	pm pod stop -t 30 "$pod" >/dev/null || return 1
	t1=$(now_ms)
	echo "podman pod stop took $((t1 - t0)) ms"
	for c in "$infra" init-shared-pid-app "$side"; do
		expect_eq "the exit code of $c" "$(pcode "$c")" 0 || return 1
	done
	[ $((t1 - t0)) -lt 10000 ] || fail_because "pod stop took $((t1 - t0)) ms"
}

# 19. podman run, -u app --cap-add NET_BIND_SERVICE: the child holds it as an ambient capability
# and binds port 80 (with the sysctl at 1024, as d_cap_add_bind; refused without --cap-add),
# and the init keeps CAP_KILL alone (what /proc/1/status shows the child).
p_cap_add_bind() {
	local out err=$WORK/pbind.err code=0
	local run=(pm run --rm --label "$LABEL" --network none
		--sysctl net.ipv4.ip_unprivileged_port_start=1024 --entrypoint /init "$PIMG")
	engine_bnd pm "$PIMG" || return 1
	out=$("${run[@]}" -u app --cap-add NET_BIND_SERVICE -- \
		sh -c "$CREDS_SH; kid bind 80; grep -E '$STATUS_RE' /proc/1/status | sed 's/^/init./'" \
		2>"$err") || code=$?
	printf '%s\n' "$out"
	cat "$err"
	expect_eq "exit code" "$code" 0 || return 1
	expect_fields "the child's" "$out" "Uid=1000 1000 1000 1000" "Groups=29 1000" \
		CapInh=$CAP_NET_BIND CapPrm=$CAP_NET_BIND CapEff=$CAP_NET_BIND CapAmb=$CAP_NET_BIND \
		"CapBnd=$ENGINE_BND" || return 1
	expect_fields "the init's" "$out" init.CapPrm=$CAP_KILL init.CapEff=$CAP_KILL \
		init.CapBnd=$CAP_KILL init.CapInh=$CAP_NONE init.CapAmb=$CAP_NONE || return 1
	grep -qx 'bind ok' <<<"$out" || fail_because "the child could not bind port 80" || return 1
	[ ! -s "$err" ] || fail_because "the init wrote to stderr" || return 1
	out=$("${run[@]}" -u app -- kid bind 80 2>&1)
	echo "without --cap-add: $out"
	expect_eq "kid bind 80 as app without --cap-add (the control)" "$out" "bind EACCES"
}

podman_scenarios() {
	check "podman: run --init --init-path runs the init as PID 1" p_run_init
	check "podman: pod sharing PIDs, infra '/init -P': the app's orphans are reaped" p_pod_run
	check "podman: pod stop: the app finishes its 2 s shutdown (exit 7, not 137)" p_pod_stop
	check "podman: kube play examples/kubernetes/pod.yaml: runs and stops cleanly" p_kube
	check "podman: kube play deployment.yaml: term delay held, exit 0, the termination message" \
		p_kube_deploy
	check "podman: kube play shared-pid.yaml: the app's init drains its orphan, not the sidecar" \
		p_kube_shared
	check "podman: kube play shared-pid.yaml, infra '/init -P' (pause.md): PID 1 reaps orphans" \
		p_kube_pause
	check "podman: -u app --cap-add NET_BIND_SERVICE: ambient, binds port 80; the init: CAP_KILL" \
		p_cap_add_bind
}
