#!/usr/bin/python3
"""pods_bench.py - figures of the pod worker, each with a same-run baseline.

    KUBE_BIN=build/kube /usr/bin/python3 tests/bench/pods_bench.py [N]

1. Pod create -> Running: `kube server` with its embedded agent (the test image imported from
   images/build.sh's oci-archive at start), N pods created one after the other through the API
   (POST, scheduled, sandbox, container, status written back); the time from the POST until a
   watch opened beforehand shows phase Running. Each pod is deleted (grace 1 s, not timed) and
   gone before the next is created.
   Baseline: a bare `runc run -d` of an equivalent bundle: the config.json the agent wrote for
   a pod's container (same rootfs, the pod sandbox's namespaces, mounts, seccomp), N times with
   a cgroup of its own, timed around the runc process alone.
2. Idle memory with 10 pods running: VmRSS of the server + embedded agent process (with 0 pods
   and with 10), VmRSS of a separate `kube agent` joined to it (0 and 10 pods pinned to it by
   nodeName), and the PSS of each pod's shim (/proc/PID/smaps_rollup).
Root and runc needed. Everything made is removed at the end (own prefixes, temporary dirs).
"""
import glob
import json
import os
import random
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
KUBE = os.path.abspath(os.environ.get("KUBE_BIN", os.path.join(ROOT, "build", "kube")))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 50
IDLE = 10  # seconds idle before sampling memory
NS = "/api/v1/namespaces/default/pods"
# Not 0: that removes the object at once (a force delete) while the agent still tears the pod
# down; with 1 the object goes when the agent has removed everything (`sleep` as PID 1 ignores
# SIGTERM, so it is killed after 1 s).
DELETE_OPTS = {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 1}


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid, field="VmRSS:"):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field))


def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))


def wait_for(cond, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if cond():
                return
        except Exception:  # noqa: BLE001 - not ready yet
            pass
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


class Api:
    """JSON requests to the server with the admin client certificate."""

    def __init__(self, url, tls):
        self.url = url
        self.ctx = ssl.create_default_context(cafile=os.path.join(tls, "server-ca.crt"))
        self.ctx.load_cert_chain(os.path.join(tls, "client-admin.crt"), os.path.join(tls, "client-admin.key"))

    def __call__(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, None

    def watch_running(self, seen, stop):
        """Records in seen[name] the monotonic time a pod is first seen Running."""
        req = urllib.request.Request(self.url + NS + "?watch=1")
        with urllib.request.urlopen(req, context=self.ctx, timeout=3600) as r:
            for line in r:
                if stop.is_set():
                    return
                ev = json.loads(line)
                obj = ev.get("object", {})
                name = obj.get("metadata", {}).get("name")
                if obj.get("status", {}).get("phase") == "Running" and name not in seen:
                    seen[name] = (time.monotonic_ns(), threading.Event())
                    seen[name][1].set()


def pod(name, node=None):
    spec = {"terminationGracePeriodSeconds": 1,
            "containers": [{"name": "c", "image": "kube-test:latest", "imagePullPolicy": "Never",
                            "command": ["sleep", "100000"]}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def node_ready(api, name):
    code, n = api("GET", f"/api/v1/nodes/{name}")
    return code == 200 and any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"]["conditions"])


def gone(api, name):
    return api("GET", f"{NS}/{name}")[0] == 404


def running(api, names):
    items = api("GET", NS)[1]["items"]
    return sum(1 for p in items if p["metadata"]["name"] in names and p["status"].get("phase") == "Running") == len(names)


def shim_pss(prefix):
    out = []
    for f in glob.glob(f"/run/{prefix}/shims/*/shim.json"):
        with open(f) as fh:
            out.append(pss_kib(json.load(fh)["pid"]))
    return out


def host_left(prefix, aprefix, tmp, stopped=True):
    """What the bench's agents left on the host: pod network namespaces and mounts, and once the
    agents have stopped, their runc state and cgroups too."""
    left = []
    for p in (prefix, aprefix):
        left += glob.glob(f"/run/netns/{p}-*")
        if stopped:
            left += glob.glob(f"/run/{p}") + glob.glob(f"/sys/fs/cgroup/*/{p}") + glob.glob(f"/sys/fs/cgroup/{p}")
    with open("/proc/self/mountinfo") as f:
        left += [m for m in (line.split()[4] for line in f) if m.startswith(tmp)]
    return left


def measure_latency(api, seen):
    ours = []
    for i in range(N):
        name = f"lat{i}"
        t0 = time.monotonic_ns()
        code, _ = api("POST", NS, pod(name))
        assert code == 201, code
        deadline = time.monotonic() + 60
        while name not in seen and time.monotonic() < deadline:
            time.sleep(0.001)
        if name not in seen:
            raise RuntimeError(f"pod {name} did not get Running")
        ours.append((seen[name][0] - t0) / 1e6)
        if i < N - 1:  # the last stays: its bundle is the baseline's
            api("DELETE", f"{NS}/{name}", DELETE_OPTS)
            wait_for(lambda: gone(api, name), what=f"pod {name} gone")
    return ours


def measure_bare(prefix, tmp):
    shims = glob.glob(f"/run/{prefix}/shims/*/config.json")
    assert len(shims) == 1, shims
    with open(shims[0]) as f:
        config = json.load(f)
    bundle = os.path.join(tmp, "bundle")
    os.makedirs(bundle)
    runc_root = os.path.join(tmp, "runc")
    bare = []
    for i in range(N):
        bid = f"{prefix}-bare-{i}"
        config["linux"]["cgroupsPath"] = f"/{prefix}-bare/{bid}"
        with open(os.path.join(bundle, "config.json"), "w") as f:
            json.dump(config, f)
        t0 = time.monotonic_ns()
        subprocess.run(["runc", "--root", runc_root, "run", "-d", "--bundle", bundle, bid], check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bare.append((time.monotonic_ns() - t0) / 1e6)
        subprocess.run(["runc", "--root", runc_root, "delete", "--force", bid], check=True)
    for d in glob.glob(f"/sys/fs/cgroup/*/{prefix}-bare") + glob.glob(f"/sys/fs/cgroup/{prefix}-bare"):
        os.rmdir(d)
    return bare


def start_pods(api, names, node):
    for n in names:
        code, _ = api("POST", NS, pod(n, node))
        assert code == 201, code
    wait_for(lambda: running(api, names), timeout=120, what=f"{len(names)} pods Running on {node}")


def main():
    tmp = tempfile.mkdtemp(prefix="podbench.")
    prefix, aprefix = "kb%06x" % random.randrange(1 << 24), "kb%06x" % random.randrange(1 << 24)
    server = agent = None
    stop = threading.Event()
    logs = []
    try:
        subprocess.run(["sh", os.path.join(ROOT, "images", "build.sh"), os.path.join(tmp, "img")], check=True,
                       stdout=subprocess.DEVNULL, timeout=300)
        tar = os.path.join(tmp, "img", "kube-test.oci.tar")
        for d in ("data", "agent"):
            os.makedirs(os.path.join(tmp, d, "agent", "images"))
            shutil.copy(tar, os.path.join(tmp, d, "agent", "images"))
        port = free_port()
        logs.append(open(os.path.join(tmp, "server.log"), "wb"))
        server = subprocess.Popen([KUBE, "server", "--data-dir", os.path.join(tmp, "data"), "--bind-address",
                                   "127.0.0.1", "--https-listen-port", str(port), "--node-ip", "127.0.0.1",
                                   "--node-name", "bench-server", "--resource-prefix", prefix,
                                   "--kubelet-port", str(free_port()), "--write-kubeconfig",
                                   os.path.join(tmp, "kubeconfig")], stdout=logs[-1], stderr=subprocess.STDOUT)
        url = f"https://127.0.0.1:{port}"
        wait_for(lambda: os.path.exists(os.path.join(tmp, "data", "server", "tls", "client-admin.key")))
        api = Api(url, os.path.join(tmp, "data", "server", "tls"))
        wait_for(lambda: node_ready(api, "bench-server"), what="the server's node Ready")
        wait_for(lambda: api("GET", "/api/v1/namespaces/default/serviceaccounts/default")[0] == 200,
                 what="the default service account")
        seen = {}
        threading.Thread(target=api.watch_running, args=(seen, stop), daemon=True).start()
        time.sleep(IDLE)
        srv0 = status_kib(server.pid)

        ours = measure_latency(api, seen)
        bare = measure_bare(prefix, tmp)

        names = [f"idle{i}" for i in range(10)]
        api("DELETE", f"{NS}/lat{N - 1}", DELETE_OPTS)
        wait_for(lambda: gone(api, f"lat{N - 1}"), what="the last latency pod gone")
        start_pods(api, names, "bench-server")
        time.sleep(IDLE)
        srv10 = status_kib(server.pid)
        shims = shim_pss(prefix)

        with open(os.path.join(tmp, "data", "server", "token")) as f:
            token = f.read().strip()
        logs.append(open(os.path.join(tmp, "agent.log"), "wb"))
        agent = subprocess.Popen([KUBE, "agent", "--server", url, "--token", token, "--data-dir",
                                  os.path.join(tmp, "agent"), "--node-name", "bench-agent", "--node-ip", "127.0.0.1",
                                  "--resource-prefix", aprefix, "--kubelet-port", str(free_port())],
                                 stdout=logs[-1], stderr=subprocess.STDOUT)
        wait_for(lambda: node_ready(api, "bench-agent"), what="the agent's node Ready")
        time.sleep(IDLE)
        ag0 = status_kib(agent.pid)
        anames = [f"agent{i}" for i in range(10)]
        start_pods(api, anames, "bench-agent")
        time.sleep(IDLE)
        ag10 = status_kib(agent.pid)
        ashims = shim_pss(aprefix)

        p50, p99, b50, b99 = pct(ours, 50), pct(ours, 99), pct(bare, 50), pct(bare, 99)
        print(f"machine: {os.cpu_count()} CPUs, load {' '.join(open('/proc/loadavg').read().split()[:3])}")
        print(f"pod create->Running, {N} sequential: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
              f"mean {statistics.mean(ours):.1f} ms")
        print(f"bare runc run -d (the pod's bundle):  p50 {b50:.1f} ms, p99 {b99:.1f} ms, "
              f"mean {statistics.mean(bare):.1f} ms")
        print(f"ratio: p50 {p50 / b50:.2f}x, p99 {p99 / b99:.2f}x")
        print(f"server + embedded agent VmRSS: {srv0} KiB with 0 pods, {srv10} KiB with 10 pods")
        print(f"kube agent VmRSS:              {ag0} KiB with 0 pods, {ag10} KiB with 10 pods")
        for what, v in (("embedded agent", shims), ("kube agent", ashims)):
            print(f"shim PSS ({what}, {len(v)} shims): min {min(v)} KiB, median {statistics.median(v)} KiB, "
                  f"max {max(v)} KiB, total {sum(v)} KiB")
    finally:
        stop.set()
        if server is not None and server.poll() is None:
            try:
                api = Api(url, os.path.join(tmp, "data", "server", "tls"))
                for n in [p["metadata"]["name"] for p in api("GET", NS)[1]["items"]]:
                    api("DELETE", f"{NS}/{n}", DELETE_OPTS)
                wait_for(lambda: not api("GET", NS)[1]["items"], timeout=120, what="every pod gone")
                wait_for(lambda: not host_left(prefix, aprefix, tmp, stopped=False), timeout=60,
                         what="the pods' namespaces and mounts gone")
            except Exception as e:  # noqa: BLE001 - still stop the processes
                print(f"cleanup: {e}", file=sys.stderr)
        for p in (agent, server):
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for f in logs:
            f.close()
        left = host_left(prefix, aprefix, tmp)
        if left:
            print(f"left on the host: {left} (logs in {tmp})", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
