#!/bin/sh
# run.sh - the benchmarks (`make bench`): starts a `kube server` on a free loopback port in a
# temporary data directory, runs build/kbench against it (figures and same-run baselines, see
# tests/bench/kbench.c), stops the server with SIGTERM and removes everything.
#
# Environment: KUBE_BIN, KBENCH_BIN (default build/kube, build/kbench); KBENCH_ARGS (extra
# kbench options, e.g. "--secs 1 --watchers 100 --events 20" for a quick run); KUBE_ARGS (extra
# server options, e.g. "--node-monitor-grace-period 3600" for the sched phase).
# Exit status: 0, or 1 when a request failed, the server misbehaved or did not stop cleanly.
# Slow figures never fail the run.
set -u
KUBE_BIN=${KUBE_BIN:-build/kube}
KBENCH_BIN=${KBENCH_BIN:-build/kbench}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbench.XXXXXX") || exit 1
pid=

cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# 1000 watch connections on each side (dash and bash both have ulimit -n).
# shellcheck disable=SC3045
ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null || true

echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, $(uname -sr), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)"
echo "disk:    $(df -PhT "$tmp" | awk 'NR==2 {print $1, $2, $3}') (data dir $tmp)"
echo "binary:  $KUBE_BIN ($("$KUBE_BIN" version 2>/dev/null | head -1))"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages before the run: other work on the machine skews every figure)"

port=$("$KBENCH_BIN" port) || exit 1
# shellcheck disable=SC2086 # KUBE_ARGS is a list of options
"$KUBE_BIN" server --data-dir "$tmp/data" --bind-address 127.0.0.1 --https-listen-port "$port" \
	--write-kubeconfig "$tmp/kubeconfig.yaml" --disable-agent --max-connections 4096 ${KUBE_ARGS:-} \
	>"$tmp/server.log" 2>&1 &
pid=$!

# The certificates appear first, then the port answers.
tls="$tmp/data/server/tls"
i=0
while [ ! -s "$tls/client-admin.key" ] && [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if ! "$KBENCH_BIN" wait --port "$port" --tls "$tls"; then
	echo "run.sh: the server did not start; its log:" >&2
	tail -20 "$tmp/server.log" >&2
	exit 1
fi
echo

# shellcheck disable=SC2086 # KBENCH_ARGS is a list of options
"$KBENCH_BIN" run --port "$port" --tls "$tls" --pid "$pid" --dir "$tmp" ${KBENCH_ARGS:-}
rc=$?

kill -TERM "$pid"
wait "$pid"
src=$?
pid=
if [ "$src" -ne 0 ]; then
	echo "run.sh: FAILURE: the server exited with status $src; its log:" >&2
	tail -20 "$tmp/server.log" >&2
	rc=1
fi
if [ "$rc" -ne 0 ]; then
	echo "run.sh: FAILED" >&2
	exit 1
fi
echo
# the service proxy's sync time against nft -f (tests/bench/proxy_bench.c; root only)
BUILD=$(dirname "$KUBE_BIN") sh "$(dirname "$0")/proxy_bench.sh" || echo "run.sh: the proxy benchmark failed" >&2
# request latency through a ClusterIP against the pod IP (root only)
[ "$(id -u)" -eq 0 ] && { KUBE_BIN="$KUBE_BIN" /usr/bin/python3 "$(dirname "$0")/svc_bench.py" || echo "run.sh: the ClusterIP latency benchmark failed" >&2; }
# the cluster DNS server's queries per second against a plain C reply loop (root only)
[ "$(id -u)" -eq 0 ] && { KUBE_BIN="$KUBE_BIN" /usr/bin/python3 "$(dirname "$0")/dns_bench.py" || echo "run.sh: the DNS benchmark failed" >&2; }
echo
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) after the run"
echo "run.sh: done"
