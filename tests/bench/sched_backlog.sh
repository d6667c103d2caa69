#!/bin/sh
# sched_backlog.sh - the scheduler's own throughput, on a backlog. For each round (100 nodes /
# 1,000 pods, then 1,000 nodes / 10,000 pods), in a new temporary data directory:
#   1. `kube server --disable-scheduler`; `kbench backlog-fill` makes the nodes (Ready, with
#      allocatable, a Lease each) and the pods, which stay unbound; SIGTERM;
#   2. the same server on the same data directory, with the scheduler; `kbench backlog-drain`,
#      started right after it, times the server's start → every pod seen bound in a watch, then
#      reads the server's RSS and measures the API's bind-write rate (see tests/bench/kbench.c);
#      SIGTERM.
# Both starts use --disable-agent and --node-monitor-grace-period 3600 (kbench never renews
# the nodes' Leases).
#
# Environment: KUBE_BIN, KBENCH_BIN (default build/kube, build/kbench); ROUNDS (default
# "100:1000 1000:10000", nodes:pods).
# Exit status: 0, or 1 when a request failed or the server misbehaved or did not stop cleanly.
set -u
KUBE_BIN=${KUBE_BIN:-build/kube}
KBENCH_BIN=${KBENCH_BIN:-build/kbench}
ROUNDS=${ROUNDS:-100:1000 1000:10000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbench-backlog.XXXXXX") || exit 1
pid=
rc=0

cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# start_server OPTION... - starts the server on $port and $tmp/data in the background ($pid).
start_server() {
	"$KUBE_BIN" server --data-dir "$tmp/data" --bind-address 127.0.0.1 --https-listen-port "$port" \
		--write-kubeconfig "$tmp/kubeconfig.yaml" --disable-agent --node-monitor-grace-period 3600 \
		"$@" >>"$tmp/server.log" 2>&1 &
	pid=$!
}

# stop_server - SIGTERM; its exit status must be 0.
stop_server() {
	kill -TERM "$pid"
	wait "$pid"
	src=$?
	pid=
	if [ "$src" -ne 0 ]; then
		echo "sched_backlog.sh: FAILURE: the server exited with status $src; its log:" >&2
		tail -20 "$tmp/server.log" >&2
		rc=1
	fi
}

echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, $(uname -sr)"
echo "binary:  $KUBE_BIN ($("$KUBE_BIN" version 2>/dev/null | head -1))"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages before the run)"
tls="$tmp/data/server/tls"
for round in $ROUNDS; do
	nodes=${round%:*}
	pods=${round#*:}
	rm -rf "$tmp/data"
	port=$("$KBENCH_BIN" port) || exit 1
	echo
	start_server --disable-scheduler
	i=0
	while [ ! -s "$tls/client-admin.key" ] && [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if ! "$KBENCH_BIN" wait --port "$port" --tls "$tls"; then
		echo "sched_backlog.sh: the server did not start; its log:" >&2
		tail -20 "$tmp/server.log" >&2
		exit 1
	fi
	"$KBENCH_BIN" backlog-fill --port "$port" --tls "$tls" --nodes "$nodes" --pods "$pods" || rc=1
	stop_server
	[ "$rc" -eq 0 ] || break
	start_server
	"$KBENCH_BIN" backlog-drain --port "$port" --tls "$tls" --pid "$pid" --nodes "$nodes" --pods "$pods" || rc=1
	stop_server
	[ "$rc" -eq 0 ] || break
done
echo
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) after the run"
if [ "$rc" -ne 0 ]; then
	echo "sched_backlog.sh: FAILED" >&2
	exit 1
fi
echo "sched_backlog.sh: done"
