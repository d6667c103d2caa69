#!/bin/sh
# images.sh - image store figures: pull + unpack from a loopback docker-registry with
# `kube images pull` against `skopeo copy` of the same image to an OCI layout directory (no
# unpacking: skopeo does less work), and `kube images import` of an oci-archive against
# `skopeo copy oci-archive: oci:`, in the same run. Two images: the test image (images/build.sh,
# ~1 MB, 3 layers) and a "big" one (the test image plus a layer of 64 MiB of random bytes in
# 16 files, incompressible). Each figure is the median of RUNS runs (default 5).
#
# Usage: sh tests/bench/images.sh     (KUBE_BIN, RUNS; needs docker-registry, skopeo, umoci)
# Everything lives in a temp directory that is removed at the end; the registry is stopped.
set -eu
KUBE_BIN=${KUBE_BIN:-build/kube}
RUNS=${RUNS:-5}
KUBE_BIN=$(cd "$(dirname "$KUBE_BIN")" && pwd)/$(basename "$KUBE_BIN")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kimgbench.XXXXXX")
regpid=
cleanup() {
	set +e
	if [ -n "$regpid" ]; then
		kill "$regpid" 2>/dev/null
		wait "$regpid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"

sh "$(dirname "$0")/../../images/build.sh" "$tmp/img" >/dev/null
# The big image: one more layer of random data.
mkdir -p "$tmp/big/data"
for i in $(seq 1 16); do head -c 4194304 /dev/urandom >"$tmp/big/data/r$i"; done
cp -a "$tmp/img/oci" "$tmp/bigoci"
umoci insert --image "$tmp/bigoci:latest" --history.created_by=bench "$tmp/big" / >/dev/null
skopeo --insecure-policy copy -q "oci:$tmp/bigoci:latest" "oci-archive:$tmp/big.oci.tar:docker.io/library/big:latest"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/registry.yml" <<CFG
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $tmp/registry
http:
  addr: 127.0.0.1:$port
CFG
docker-registry serve "$tmp/registry.yml" >"$tmp/registry.log" 2>&1 &
regpid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$tmp/img/oci:latest" "docker://127.0.0.1:$port/small:latest"
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$tmp/bigoci:latest" "docker://127.0.0.1:$port/big:latest"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_runs CMD...: runs the command RUNS times (a fresh target each time), prints the median.
time_runs() {
	for i in $(seq 1 "$RUNS"); do
		rm -rf "$tmp/t"
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
		t1=$(now)
		echo "$t1 - $t0" | bc -l
	done | median
}
row() { # name ours theirs
	printf '%-34s %8.3f s   %8.3f s   %5.2f\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"
}
pull() { "$KUBE_BIN" images pull --data-dir "$tmp/t" "127.0.0.1:$port/$1:latest"; }
scopy() { skopeo --insecure-policy copy -q --src-tls-verify=false "docker://127.0.0.1:$port/$1:latest" "oci:$tmp/t:latest"; }
imp() { "$KUBE_BIN" images import --data-dir "$tmp/t" "$1"; }
simp() { skopeo --insecure-policy copy -q "oci-archive:$1" "oci:$tmp/t:latest"; }

printf '%-34s %10s   %10s   %5s\n' "" "kube" "skopeo" "ratio"
row "pull small (1 MB, 3 layers)" "$(time_runs pull small)" "$(time_runs scopy small)"
row "pull big (65 MB, 4 layers)" "$(time_runs pull big)" "$(time_runs scopy big)"
row "import oci-archive small" "$(time_runs imp "$tmp/img/kube-test.oci.tar")" "$(time_runs simp "$tmp/img/kube-test.oci.tar")"
row "import oci-archive big" "$(time_runs imp "$tmp/big.oci.tar")" "$(time_runs simp "$tmp/big.oci.tar")"
