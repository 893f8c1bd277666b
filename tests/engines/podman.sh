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
	check "podman: -u app --cap-add NET_BIND_SERVICE: ambient, binds port 80; the init: CAP_KILL" \
		p_cap_add_bind
}
