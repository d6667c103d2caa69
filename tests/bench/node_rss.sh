#!/bin/sh
# node_rss.sh - idle memory of `kube server` with its embedded agent (budget: <= 16 MiB, see
# DESIGN.md) against the same server with --disable-agent (the baseline, same run), and of a
# `kube agent` joined to it. Each process runs on a free loopback port in a temporary data
# directory, is sampled SECS seconds after its node is Ready (VmRSS from /proc), then stopped
# with SIGTERM; everything is removed.
#
# Environment: KUBE_BIN (default build/kube), SECS (default 20).
# Exit status: 0, or 1 when a process did not start, get Ready or stop cleanly.
set -u
KUBE_BIN=${KUBE_BIN:-build/kube}
SECS=${SECS:-20}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/noderss.XXXXXX") || exit 1
pids=
cleanup() {
	for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# start NAME ARGS...: a server; prints its pid
start() {
	name=$1; shift
	p=$(port)
	"$KUBE_BIN" server --data-dir "$tmp/$name" --bind-address 127.0.0.1 --https-listen-port "$p" \
		--write-kubeconfig "$tmp/$name.yaml" --node-ip 127.0.0.1 --resource-prefix "kb$name" \
		--kubelet-port "$(port)" "$@" >"$tmp/$name.log" 2>&1 &
	echo $! >"$tmp/$name.pid"
	echo "$p" >"$tmp/$name.port"
}

wait_ready() { # wait_ready KUBECONFIG-NAME NODE|-: 60 s at most
	i=0
	while [ $i -lt 120 ]; do
		if [ "$2" = - ]; then
			/usr/lib/google-cloud-sdk/bin/kubectl.1.33 --kubeconfig "$tmp/$1.yaml" get --raw /readyz >/dev/null 2>&1 && return 0
		else
			/usr/lib/google-cloud-sdk/bin/kubectl.1.33 --kubeconfig "$tmp/$1.yaml" wait --for=condition=Ready "node/$2" --timeout=1s >/dev/null 2>&1 && return 0
		fi
		i=$((i + 1))
		sleep 0.5
	done
	echo "not ready: $1 $2" >&2
	return 1
}

stop() { kill -TERM "$1" && wait "$1"; }

echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ); machine: $(nproc) CPUs, $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
start base --disable-agent
base=$(cat "$tmp/base.pid"); pids="$base"
start full --node-name bench-server
full=$(cat "$tmp/full.pid"); pids="$pids $full"
wait_ready base - || exit 1
wait_ready full bench-server || exit 1
"$KUBE_BIN" agent --server "https://127.0.0.1:$(cat "$tmp/full.port")" --token "$(cat "$tmp/full/server/token")" \
	--data-dir "$tmp/agent" --node-name bench-agent --node-ip 127.0.0.1 --resource-prefix kbagent \
	--kubelet-port "$(port)" >"$tmp/agent.log" 2>&1 &
agent=$!; pids="$pids $agent"
wait_ready full bench-agent || exit 1
sleep "$SECS" # idle: let periodic work (status, lease, watches) run
b=$(rss "$base"); f=$(rss "$full"); a=$(rss "$agent")
echo "server, --disable-agent (baseline):   $b KiB"
echo "server + embedded agent, idle:        $f KiB  (ratio $(awk "BEGIN {printf \"%.2f\", $f/$b}"); budget 16384 KiB)"
echo "kube agent, idle, 0 pods:             $a KiB"
rc=0
stop "$agent" || rc=1
stop "$full" || rc=1
stop "$base" || rc=1
pids=
exit $rc
