#!/usr/bin/python3
"""dns_bench.py - queries per second of the agent's cluster DNS server, against a same-run
baseline.

    KUBE_BIN=build/kube /usr/bin/python3 tests/bench/dns_bench.py [SECONDS] [WINDOW]

A `kube server` with its embedded agent (root: the agent puts its --cluster-dns address on a
link) gets a Service "web"; then tests/bench/dns_bench.c (compiled here with cc -O2) sends A
queries for web.default.svc.cluster.local over UDP with WINDOW queries outstanding for SECONDS
(default 5 s, window 64) and counts the good answers.
Baseline: the same generator against `dns_bench serve`, a plain C recvfrom/sendto loop that
answers every query with one A record without any lookup, bound to the same address (another
port): what the machine's UDP path gives at best. Printed: qps of each, the ratio, p50/p99
latency. The forwarding path is not measured (it depends on the upstream).
Everything made is removed at the end.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import pathlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from conftest import Server, api, wait_for  # noqa: E402

SECS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
WINDOW = int(sys.argv[2]) if len(sys.argv) > 2 else 64
NAME = "web.default.svc.cluster.local"


def run_load(gen, addr, port):
    out = subprocess.run([gen, "load", addr, str(port), NAME, str(SECS), str(WINDOW)], capture_output=True,
                         text=True, timeout=SECS + 30)
    if out.returncode != 0:
        raise SystemExit(f"dns_bench load failed: {out.stdout}{out.stderr}")
    f = out.stdout.split()
    return {f[i]: float(f[i + 1]) for i in range(0, len(f), 2)}


def main():
    if os.geteuid() != 0:
        raise SystemExit("dns_bench.py: needs root (the agent makes a link for the DNS address)")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="dnsbench."))
    gen = str(tmp / "dns_bench")
    subprocess.run(["cc", "-O2", "-o", gen, os.path.join(HERE, "dns_bench.c")], check=True)
    s = Server(tmp, agent=True)
    if "--cluster-dns" not in s.args:
        s.args += ["--cluster-dns", "10.43.250.10"]
    dns = s.args[len(s.args) - 1 - s.args[::-1].index("--cluster-dns") + 1]
    base = None
    try:
        s.start()
        link = s.prefix + "dns"
        wait_for(lambda: f"{dns}/32" in subprocess.run(["ip", "-o", "addr", "show", link], capture_output=True,
                                                        text=True).stdout, timeout=30, what=f"link {link}")
        code, _ = api(s, "POST", "/api/v1/namespaces/default/services",
                      {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                       "spec": {"ports": [{"port": 80}]}})
        assert code == 201
        wait_for(lambda: run_load_quick(gen, dns), timeout=30, what="the Service's answer")
        base = subprocess.Popen([gen, "serve", dns, "5353"])
        b = run_load(gen, dns, 5353)
        k = run_load(gen, dns, 53)
        print(f"dns: {SECS} s, window {WINDOW}, UDP A queries for {NAME}")
        print(f"  baseline (plain C reply loop, no lookup): {b['qps']:.0f} qps, p50 {b['p50_us']:.0f} us, "
              f"p99 {b['p99_us']:.0f} us, lost {b['lost']:.0f}")
        print(f"  kube cluster DNS:                         {k['qps']:.0f} qps, p50 {k['p50_us']:.0f} us, "
              f"p99 {k['p99_us']:.0f} us, lost {k['lost']:.0f}")
        print(f"  ratio kube/baseline: {k['qps'] / b['qps']:.2f}")
    finally:
        if base:
            base.kill()
            base.wait()
        rc = s.stop() if s.proc else 0
        shutil.rmtree(tmp, ignore_errors=True)
        if rc:
            raise SystemExit(f"kube server exited with {rc}")


def run_load_quick(gen, dns):
    out = subprocess.run([gen, "load", dns, "53", NAME, "1", "1"], capture_output=True, text=True, timeout=30)
    return out.returncode == 0


if __name__ == "__main__":
    main()
