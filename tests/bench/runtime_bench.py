#!/usr/bin/python3
"""runtime_bench.py - figures of the container runtime (cri/), each with a same-run baseline.

    KUBE_BIN=build/kube /usr/bin/python3 tests/bench/runtime_bench.py [N]

1. Container create -> running through the runtime (`kube runtime bench N`: one process, the
   runtime opened once; per container: the spec, the bundle written on a worker, the shim
   spawned, `runc run -d` in the shim, the shim's answer), N sequential containers in one pod
   sandbox, each removed before the next (not timed).
   Baseline: a bare `runc run -d` of the same config.json (the same rootfs, sandbox namespaces,
   mounts, seccomp, cgroup), N times, timed around the runc process alone.
2. PSS of an idle shim (from /proc/PID/smaps_rollup), against the runc-less floor: the PSS of an
   idle `busybox sleep` (a static binary doing nothing).
Root, runc and /bin/busybox needed. Everything made is removed at the end (own prefix).
"""
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

KUBE = os.environ.get("KUBE_BIN", "build/kube")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 50


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return -1


def main():
    prefix = "kb" + secrets.token_hex(4)
    tmp = tempfile.mkdtemp(prefix="rtbench.")
    rootfs = os.path.join(tmp, "rootfs")
    for d in ["bin", "etc", "proc", "sys", "dev", "tmp"]:
        os.makedirs(os.path.join(rootfs, d))
    shutil.copy("/bin/busybox", os.path.join(rootfs, "bin", "busybox"))
    for a in ["sh", "sleep"]:
        os.symlink("busybox", os.path.join(rootfs, "bin", a))
    rt = [KUBE, "runtime", "--prefix", prefix, "--data-dir", os.path.join(tmp, "data")]
    runc_root = f"/run/{prefix}/bench-runc"
    try:
        uid = str(uuid.uuid4())
        sb = subprocess.run(rt + ["sandbox", json.dumps({"uid": uid, "name": "bench"})],
                            check=True, capture_output=True, text=True).stdout.strip()
        spec = {"sandbox": sb, "name": "c", "rootfs": rootfs, "args": ["sleep", "100000"]}
        out = subprocess.run(rt + ["bench", str(N), json.dumps(spec)], check=True,
                             capture_output=True, text=True).stdout
        ours = [x / 1e6 for x in json.loads(out)]

        # One container kept running: its bundle for the baseline, its shim for the PSS.
        cid = subprocess.run(rt + ["run", json.dumps(spec)], check=True, capture_output=True,
                             text=True).stdout.strip()
        with open(f"/run/{prefix}/shims/{cid}/config.json") as f:
            config = json.load(f)
        with open(f"/run/{prefix}/shims/{cid}/shim.json") as f:
            shim_pid = json.load(f)["pid"]
        time.sleep(0.5)  # idle: past its start-up
        shim_pss = pss_kib(shim_pid)
        sleeper = subprocess.Popen(["/bin/busybox", "sleep", "1000"])
        time.sleep(0.2)
        floor_pss = pss_kib(sleeper.pid)
        sleeper.kill()
        sleeper.wait()

        bundle = os.path.join(tmp, "bundle")
        os.makedirs(bundle)
        bare = []
        for i in range(N):
            bid = f"{prefix}-bare-{i}"
            config["linux"]["cgroupsPath"] = f"/{prefix}/pod{uid}/{bid}"
            with open(os.path.join(bundle, "config.json"), "w") as f:
                json.dump(config, f)
            t0 = time.monotonic_ns()
            subprocess.run(["runc", "--root", runc_root, "run", "-d", "--bundle", bundle, bid],
                           check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            bare.append((time.monotonic_ns() - t0) / 1e6)
            subprocess.run(["runc", "--root", runc_root, "delete", "--force", bid], check=True)

        p50, p99 = pct(ours, 50), pct(ours, 99)
        b50, b99 = pct(bare, 50), pct(bare, 99)
        print(f"machine: {os.cpu_count()} CPUs, load {open('/proc/loadavg').read().split()[:3]}")
        print(f"container create->running, {N} sequential: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
              f"mean {statistics.mean(ours):.1f} ms")
        print(f"bare runc run -d (same bundle):          p50 {b50:.1f} ms, p99 {b99:.1f} ms, "
              f"mean {statistics.mean(bare):.1f} ms")
        print(f"ratio: p50 {p50 / b50:.2f}x, p99 {p99 / b99:.2f}x")
        print(f"idle shim PSS: {shim_pss} KiB (budget 1024 KiB); idle busybox sleep: {floor_pss} KiB")
    finally:
        subprocess.run(rt + ["cleanup"], capture_output=True)
        shutil.rmtree(f"/run/{prefix}", ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
