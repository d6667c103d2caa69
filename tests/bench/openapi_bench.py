#!/usr/bin/python3
"""openapi_bench.py - the cost of the OpenAPI v2 document (GET /openapi/v2).

    KUBE_BIN=build/kube /usr/bin/python3 tests/bench/openapi_bench.py [N]

`kube server` (no agent, no scheduler) is started fresh; the first GET of the JSON builds the
document (both forms, JSON and gnostic protobuf, are built together and kept), later GETs only
send it. Printed: the sizes of both forms, the first request's time, the p50 of N later JSON
and protobuf requests, and their difference (about the build time), and the server's RSS
before and after. Everything made is removed at the end (temporary directory).
"""
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pods_bench import KUBE, free_port, pct, status_kib, wait_for  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20
PB = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"


def fetch(url, ctx, accept=None):
    """One GET; returns (milliseconds, body size)."""
    req = urllib.request.Request(url + "/openapi/v2", headers={"Accept": accept} if accept else {})
    t0 = time.monotonic_ns()
    with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
        n = len(r.read())
    return (time.monotonic_ns() - t0) / 1e6, n


def client_context(tls):
    ctx = ssl.create_default_context(cafile=os.path.join(tls, "server-ca.crt"))
    ctx.load_cert_chain(os.path.join(tls, "client-admin.crt"), os.path.join(tls, "client-admin.key"))
    return ctx


def ready(url, ctx):
    try:
        with urllib.request.urlopen(url + "/readyz", context=ctx, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def main():
    tmp = tempfile.mkdtemp(prefix="openapibench.")
    server, log = None, None
    try:
        port = free_port()
        log = open(os.path.join(tmp, "server.log"), "wb")
        server = subprocess.Popen([KUBE, "server", "--data-dir", os.path.join(tmp, "data"), "--bind-address",
                                   "127.0.0.1", "--https-listen-port", str(port), "--disable-agent",
                                   "--disable-scheduler"], stdout=log, stderr=subprocess.STDOUT)
        tls = os.path.join(tmp, "data", "server", "tls")
        url = f"https://127.0.0.1:{port}"
        wait_for(lambda: os.path.exists(os.path.join(tmp, "data", "server", "db")), what="server started")
        wait_for(lambda: ready(url, client_context(tls)), what="server ready")
        ctx = client_context(tls)
        rss0 = status_kib(server.pid)
        first, json_size = fetch(url, ctx)
        rss1 = status_kib(server.pid)
        json_t = [fetch(url, ctx)[0] for _ in range(N)]
        pb = [fetch(url, ctx, PB) for _ in range(N)]
        pb_t, pb_size = [t for t, _ in pb], pb[0][1]
        print(f"openapi/v2: JSON {json_size / 1024:.0f} KiB, protobuf {pb_size / 1024:.0f} KiB")
        print(f"first GET (build + send) {first:.1f} ms; later GETs p50: JSON {pct(json_t, 50):.1f} ms, "
              f"protobuf {pct(pb_t, 50):.1f} ms; build about {first - pct(json_t, 50):.1f} ms")
        print(f"server RSS {rss0} KiB before, {rss1} KiB after the build (+{rss1 - rss0} KiB)")
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if log:
            log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
