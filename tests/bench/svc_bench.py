#!/usr/bin/python3
"""svc_bench.py - request latency through a Service's ClusterIP against the pod IP directly.

    KUBE_BIN=build/kube /usr/bin/python3 tests/bench/svc_bench.py [N]

`kube server` with its embedded agent (the test image imported at start) runs one pod serving
HTTP (the image's /bin/serve, busybox httpd on 8080) behind a ClusterIP Service (port 80 ->
8080). From the host, N requests each on a new TCP connection (connect, GET, read to the end,
close) alternate between the pod IP (the baseline: bridge and veth only) and the ClusterIP (the
same path plus the proxy's nftables DNAT of a new connection). Printed: p50/p99 of both and the
ratio. Root, runc and nftables needed; everything made is removed at the end (own prefix and
networks, temporary directory).
"""
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pods_bench import KUBE, ROOT, Api, free_port, host_left, node_ready, pct, wait_for  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
NS = "/api/v1/namespaces/default"


def get(addr, port):
    """One request on a new connection; returns the time in microseconds."""
    t0 = time.monotonic_ns()
    with socket.create_connection((addr, port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        while s.recv(65536):
            pass
    return (time.monotonic_ns() - t0) / 1e3


def main():
    tmp = tempfile.mkdtemp(prefix="svcbench.")
    prefix = "kb%06x" % random.randrange(1 << 24)
    k = random.randrange(64)
    cidr, svc_cidr = f"10.{100 + k}.0.0/16", f"10.{164 + k}.0.0/16"
    server, log = None, None
    try:
        subprocess.run(["sh", os.path.join(ROOT, "images", "build.sh"), os.path.join(tmp, "img")], check=True,
                       stdout=subprocess.DEVNULL, timeout=300)
        os.makedirs(os.path.join(tmp, "data", "agent", "images"))
        shutil.copy(os.path.join(tmp, "img", "kube-test.oci.tar"), os.path.join(tmp, "data", "agent", "images"))
        port = free_port()
        log = open(os.path.join(tmp, "server.log"), "wb")
        server = subprocess.Popen([KUBE, "server", "--data-dir", os.path.join(tmp, "data"), "--bind-address",
                                   "127.0.0.1", "--https-listen-port", str(port), "--node-ip", "127.0.0.1",
                                   "--node-name", "bench-server", "--resource-prefix", prefix,
                                   "--kubelet-port", str(free_port()), "--cluster-cidr", cidr,
                                   "--service-cidr", svc_cidr, "--cluster-dns", svc_cidr.replace(".0/16", ".10"),
                                   "--write-kubeconfig", os.path.join(tmp, "kubeconfig")],
                                  stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: os.path.exists(os.path.join(tmp, "data", "server", "tls", "client-admin.key")))
        api = Api(f"https://127.0.0.1:{port}", os.path.join(tmp, "data", "server", "tls"))
        wait_for(lambda: node_ready(api, "bench-server"), what="the server's node Ready")
        wait_for(lambda: api("GET", f"{NS}/serviceaccounts/default")[0] == 200, what="the default service account")
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
               "spec": {"terminationGracePeriodSeconds": 1, "containers": [
                   {"name": "web", "image": "kube-test:latest", "imagePullPolicy": "Never",
                    "readinessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 1}}]}}
        svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
               "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}}
        assert api("POST", f"{NS}/pods", pod)[0] == 201
        code, s = api("POST", f"{NS}/services", svc)
        assert code == 201, code
        cip = s["spec"]["clusterIP"]
        wait_for(lambda: api("GET", f"{NS}/pods/web")[1]["status"].get("podIP"), what="the pod's IP")
        pip = api("GET", f"{NS}/pods/web")[1]["status"]["podIP"]
        wait_for(lambda: get(pip, 8080) and get(cip, 80), what="the pod served directly and by the ClusterIP")
        direct, through = [], []
        for _ in range(N):
            direct.append(get(pip, 8080))
            through.append(get(cip, 80))
        d50, d99, t50, t99 = pct(direct, 50), pct(direct, 99), pct(through, 50), pct(through, 99)
        print(f"machine: {os.cpu_count()} CPUs, load {' '.join(open('/proc/loadavg').read().split()[:3])}")
        print(f"{N} requests each, a new TCP connection per request, alternating:")
        print(f"pod IP {pip}:8080 (baseline): p50 {d50:.0f} us, p99 {d99:.0f} us, mean {statistics.mean(direct):.0f} us")
        print(f"ClusterIP {cip}:80:           p50 {t50:.0f} us, p99 {t99:.0f} us, mean {statistics.mean(through):.0f} us")
        print(f"ratio: p50 {t50 / d50:.2f}x, p99 {t99 / d99:.2f}x")
    finally:
        if server is not None and server.poll() is None:
            try:
                api("DELETE", f"{NS}/services/web")
                api("DELETE", f"{NS}/pods/web")
                wait_for(lambda: api("GET", f"{NS}/pods/web")[0] == 404, timeout=60, what="the pod gone")
            except Exception as e:  # noqa: BLE001 - still stop the server
                print(f"cleanup: {e}", file=sys.stderr)
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if log:
            log.close()
        left = host_left(prefix, prefix, tmp)
        if left:
            print(f"left on the host: {left} (logs in {tmp})", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
