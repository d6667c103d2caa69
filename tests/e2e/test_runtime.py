"""End-to-end tests of the container runtime (cri/runc*.c, shim*.c, sandbox.c, ...) with real
runc, driven through the hidden `kube runtime` debug command.

Every `kube runtime` invocation opens the runtime afresh (recovering the prefix's state from
/run/PREFIX like an agent after a restart), so each step here is also a restart test. The module
uses one random prefix; its teardown removes everything and asserts that no mount, network
namespace, cgroup, runc state or process with the prefix is left.
"""
import json
import os
import re
import secrets
import shutil
import subprocess
import uuid

import pytest

from conftest import KUBE_BIN, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runc"),
                                reason="needs root and runc")

APPLETS = ["sh", "id", "echo", "sleep", "cat", "hostname", "ls", "touch", "true", "false", "df", "tail",
           "printf", "readlink", "kill", "ip", "head", "wc", "grep"]
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z (stdout|stderr) [FP] .*$")


class Runtime:
    def __init__(self, prefix, data_dir):
        self.prefix = prefix
        self.data_dir = data_dir

    def cmd(self, *args, check=True, timeout=60, extra=()):
        if args[0] == "rm":
            # The shim's stderr: empty unless something went wrong (sanitizer reports too).
            shim_log = f"/run/{self.prefix}/shims/{args[1]}/shim.log"
            if os.path.exists(shim_log):
                with open(shim_log) as f:
                    assert f.read() == "", f"shim of {args[1]} complained"
        argv = [KUBE_BIN, "runtime", "--prefix", self.prefix, "--data-dir", self.data_dir, *extra,
                *[a if isinstance(a, str) else json.dumps(a) for a in args]]
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{argv[2:]} failed ({p.returncode}): {p.stderr}")
        return p

    def sandbox(self, **kw):
        spec = {"uid": str(uuid.uuid4()), "name": "pod"}
        spec.update(kw)
        return self.cmd("sandbox", spec).stdout.strip()

    def run(self, sandbox, args, check=True, **kw):
        spec = {"sandbox": sandbox, "name": "c", "rootfs": self.rootfs, "args": args}
        spec.update(kw)
        p = self.cmd("run", spec, check=check)
        return p.stdout.strip(), p

    def inspect(self, cid):
        return json.loads(self.cmd("inspect", cid).stdout)

    def wait(self, cid):
        return json.loads(self.cmd("wait", cid).stdout)

    def log_lines(self, c):
        with open(c["logPath"]) as f:
            return f.read().splitlines()


def make_rootfs(d):
    for sub in ["bin", "etc", "proc", "sys", "dev", "tmp", "home"]:
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    shutil.copy("/bin/busybox", os.path.join(d, "bin", "busybox"))
    for a in APPLETS:
        os.symlink("busybox", os.path.join(d, "bin", a))
    with open(os.path.join(d, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\nalice:x:1234:1234::/home:/bin/sh\n")
    with open(os.path.join(d, "etc", "group"), "w") as f:
        f.write("root:x:0:\nalice:x:1234:\nstaff:x:50:alice\n")


def leftovers(prefix):
    """Everything on the host that carries the prefix."""
    found = []
    with open("/proc/self/mountinfo") as f:
        found += [l.strip() for l in f if f"/{prefix}" in l or f"{prefix}-" in l]
    if os.path.isdir("/run/netns"):
        found += [n for n in os.listdir("/run/netns") if n.startswith(prefix + "-")]
    for root, dirs, _ in os.walk("/sys/fs/cgroup"):
        found += [os.path.join(root, d) for d in dirs if d == prefix]
        dirs[:] = [d for d in dirs if root == "/sys/fs/cgroup" or d == "unified"]
    run = f"/run/{prefix}"
    for root, _, files in os.walk(run):
        found += [os.path.join(root, f) for f in files]
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f"/run/{prefix}/".encode() in f.read():
                    found.append(f"process {pid}")
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    prefix = "kt" + secrets.token_hex(4)
    base = tmp_path_factory.mktemp("runtime")
    r = Runtime(prefix, str(base / "data"))
    r.rootfs = str(base / "rootfs")
    make_rootfs(r.rootfs)
    try:
        yield r
    finally:
        r.cmd("cleanup", check=False)
        left = leftovers(prefix)
        shutil.rmtree(f"/run/{prefix}", ignore_errors=True)
        assert left == [], f"left behind: {left}"


def test_logs_and_exit_code(rt):
    sb = rt.sandbox()
    cid, _ = rt.run(sb, ["sh", "-c", "echo hello; echo oops >&2; printf partial; exit 3"])
    c = rt.wait(cid)
    assert c["state"] == "exited" and c["exitCode"] == 3 and c["reason"] == "Error"
    assert int(c["finishedAt"]) >= int(c["startedAt"]) > 0
    lines = rt.log_lines(c)
    assert all(LOG_LINE.match(l) for l in lines), lines
    assert c["logPath"].endswith(f"/agent/pods/{c['podUid']}/c/0.log")
    body = [l.split(" ", 1)[1] for l in lines]
    assert "stdout F hello" in body and "stderr F oops" in body and "stdout P partial" in body
    cid2, _ = rt.run(sb, ["true"], name="ok", attempt=2)
    c2 = rt.wait(cid2)
    assert c2["exitCode"] == 0 and c2["reason"] == "Completed"
    assert c2["logPath"].endswith("/ok/2.log")
    rt.cmd("rm", cid)
    rt.cmd("rm", cid2)
    rt.cmd("rmsandbox", sb)


def test_stop_sigterm_handled_and_ignored(rt):
    sb = rt.sandbox()
    trap = "trap 'echo got-term; exit 0' TERM; echo ready; while true; do sleep 0.1; done"
    handled, _ = rt.run(sb, ["sh", "-c", trap], name="trap")
    ignored, _ = rt.run(sb, ["sh", "-c", "echo ready; while true; do sleep 0.1; done"], name="ign")
    for cid in (handled, ignored):
        wait_for(lambda: any("ready" in l for l in rt.log_lines(rt.inspect(cid))), what="ready")
    rt.cmd("stop", handled, "30")
    c = rt.inspect(handled)
    assert c["exitCode"] == 0, c
    assert any(l.endswith("stdout F got-term") for l in rt.log_lines(c))
    rt.cmd("stop", ignored, "1")
    c = rt.inspect(ignored)
    assert c["state"] == "exited" and c["exitCode"] == 137, c
    rt.cmd("rm", handled)
    rt.cmd("rm", ignored)
    rt.cmd("rmsandbox", sb)


def cgroup_file(prefix, uid, cid, v1_controller, v1_file, v2_file):
    v1 = f"/sys/fs/cgroup/{v1_controller}/{prefix}/pod{uid}/{cid}/{v1_file}"
    if os.path.exists(f"/sys/fs/cgroup/{v1_controller}"):
        return v1
    return f"/sys/fs/cgroup/{prefix}/pod{uid}/{cid}/{v2_file}"


def test_resources_in_cgroup(rt):
    uid = str(uuid.uuid4())
    sb = rt.sandbox(uid=uid, resources={"memory": 256 << 20})
    cid, _ = rt.run(sb, ["sleep", "1000"],
                    resources={"memory": 64 << 20, "cpuShares": 512, "cpuQuota": 50000})
    with open(cgroup_file(rt.prefix, uid, cid, "memory", "memory.limit_in_bytes", "memory.max")) as f:
        assert int(f.read()) == 64 << 20
    pod = os.path.dirname(cgroup_file(rt.prefix, uid, cid, "memory", "x", "x"))
    with open(os.path.join(os.path.dirname(pod), "memory.limit_in_bytes"
                           if "/memory/" in pod else "memory.max")) as f:
        assert int(f.read()) == 256 << 20
    with open(cgroup_file(rt.prefix, uid, cid, "cpu", "cpu.cfs_quota_us", "cpu.max")) as f:
        assert f.read().split()[0] == "50000"
    # Over its limit: killed by the OOM killer, which the exit records.
    oom, _ = rt.run(sb, ["sh", "-c", "x=$(head -c 80000000 /dev/urandom); echo survived"],
                    name="oom", resources={"memory": 20 << 20})
    c = rt.wait(oom)
    assert c["exitCode"] == 137 and c["oomKilled"] and c["reason"] == "OOMKilled", c
    rt.cmd("rm", cid)
    rt.cmd("rm", oom)
    rt.cmd("rmsandbox", sb)


def test_readonly_root_and_user(rt):
    sb = rt.sandbox()
    ro, _ = rt.run(sb, ["sh", "-c", "touch /x && echo wrote; touch /tmp/y"], readonlyRootfs=True,
                   name="ro")
    c = rt.wait(ro)
    assert c["exitCode"] != 0
    text = "\n".join(rt.log_lines(c))
    assert "Read-only file system" in text and "wrote" not in text
    by_uid, _ = rt.run(sb, ["id"], uid=1234, groups=[77], name="uid")
    by_name, _ = rt.run(sb, ["id"], user="alice", name="name")
    out = [rt.log_lines(rt.wait(cid))[0].split(" ", 3)[3] for cid in (by_uid, by_name)]
    # containerd takes the primary group of a runAsUser from the image's passwd, like USER
    assert out[0].startswith("uid=1234(alice) gid=1234(alice)") and "77" in out[0], out
    assert out[1].startswith("uid=1234(alice) gid=1234(alice)") and "50(staff)" in out[1], out
    for cid in (ro, by_uid, by_name):
        rt.cmd("rm", cid)
    rt.cmd("rmsandbox", sb)


def test_missing_executable(rt):
    sb = rt.sandbox()
    cid, p = rt.run(sb, ["/no/such/binary"], check=False)
    assert p.returncode == 1
    assert "/no/such/binary" in p.stderr and "no such file" in p.stderr.lower(), p.stderr
    c = rt.inspect(cid)
    assert c["state"] == "exited" and c["reason"] == "StartError" and c["exitCode"] == 128
    assert "/no/such/binary" in c["message"]
    bad = rt.cmd("run", {"sandbox": sb, "name": "Bad_Name", "rootfs": "relative", "args": []},
                 check=False)
    assert bad.returncode == 1 and "DNS label" in bad.stderr and "no command" in bad.stderr
    rt.cmd("rm", cid)
    rt.cmd("rmsandbox", sb)


def test_exec(rt):
    sb = rt.sandbox()
    cid, _ = rt.run(sb, ["sleep", "1000"], env=["GREETING=hi"])
    p = rt.cmd("exec", cid, "10000", "sh", "-c", "echo $GREETING; echo err >&2; exit 4",
               check=False)
    assert p.returncode == 4 and "hi" in p.stdout and "err" in p.stdout, p
    p = rt.cmd("exec", cid, "300", "sleep", "1000", check=False)
    assert p.returncode == 126 and "timed out" in p.stderr
    p = rt.cmd("exec", cid, "10000", "/nope", check=False)
    assert p.returncode != 0
    rt.cmd("rm", cid)
    rt.cmd("rmsandbox", sb)


def test_agent_restart_finds_container_and_exit(rt):
    sb = rt.sandbox()
    cid, _ = rt.run(sb, ["sh", "-c", "trap 'exit 7' USR1; echo ready; while true; do sleep 0.1; done"])
    wait_for(lambda: any("ready" in l for l in rt.log_lines(rt.inspect(cid))), what="ready")
    argv = [KUBE_BIN, "runtime", "--prefix", rt.prefix, "--data-dir", rt.data_dir, "wait", cid]
    first = subprocess.Popen(argv, stdout=subprocess.PIPE)
    first.kill()  # SIGKILL: the agent dies, the shim and the container do not
    first.wait()
    c = rt.inspect(cid)
    assert c["state"] == "running" and c["pid"] > 0
    os.kill(c["pid"], 0)
    second = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        rt.cmd("signal", cid, "10")
        out, _ = second.communicate(timeout=30)
    finally:
        second.kill()
    c = json.loads(out)
    assert c["exitCode"] == 7 and c["reason"] == "Error"
    rt.cmd("rm", cid)
    rt.cmd("rmsandbox", sb)


def test_sandbox_shares_network_and_hostname(rt):
    uid = str(uuid.uuid4())
    sb = rt.sandbox(uid=uid, hostname="shared-host", sysctls={"net.ipv4.ip_forward": "1"})
    netns = f"/run/netns/{rt.prefix}-{uid.replace('-', '')[:12]}"
    assert os.path.exists(netns)
    show = ("readlink /proc/self/ns/net; readlink /proc/self/ns/uts; hostname; "
            "ip -o link | wc -l; cat /proc/sys/net/ipv4/ip_forward")
    a, _ = rt.run(sb, ["sh", "-c", show], name="a")
    b, _ = rt.run(sb, ["sh", "-c", show], name="b")
    out = [[l.split(" ", 3)[3] for l in rt.log_lines(rt.wait(cid))] for cid in (a, b)]
    assert out[0] == out[1], out
    assert out[0][0] != os.readlink("/proc/self/ns/net") and out[0][2] == "shared-host"
    assert out[0][3] == "1" and out[0][4] == "1"  # loopback only; the pod's sysctl
    bad = rt.cmd("sandbox", {"uid": str(uuid.uuid4()), "name": "x",
                             "sysctls": {"kernel.hostname": "evil"}}, check=False)
    assert bad.returncode != 0 and "not allowed" in bad.stderr
    ip = subprocess.run(["ip", "netns", "exec", f"{rt.prefix}-{uid.replace('-', '')[:12]}",
                         "ip", "-o", "link", "show", "lo"], capture_output=True, text=True)
    assert "UP" in ip.stdout, ip
    rt.cmd("rm", a)
    p = rt.cmd("rmsandbox", sb, check=False)
    assert p.returncode != 0  # b still exists
    rt.cmd("rm", b)
    rt.cmd("rmsandbox", sb)
    assert not os.path.exists(netns)


def status_field(lines, name):
    for l in lines:
        text = l.split(" ", 3)[3]
        if text.startswith(name + ":"):
            return text.split(":", 1)[1].strip()
    return None


def test_security_mounts_and_files(rt, tmp_path):
    sb = rt.sandbox()
    show = "grep -E '^(CapEff|Seccomp|NoNewPrivs):' /proc/self/status"
    default, _ = rt.run(sb, ["sh", "-c", show], name="default")
    confined, _ = rt.run(sb, ["sh", "-c", show], name="confined", seccomp="RuntimeDefault",
                         noNewPrivs=True, capAdd=["NET_ADMIN"], capDrop=["CHOWN"])
    priv, _ = rt.run(sb, ["sh", "-c", show + "; ls /dev/null /dev/zero"], name="priv",
                     privileged=True)
    d, c, p = [rt.log_lines(rt.wait(cid)) for cid in (default, confined, priv)]
    assert rt.inspect(priv)["exitCode"] == 0, p
    assert status_field(d, "Seccomp") == "0" and status_field(c, "Seccomp") == "2"
    assert status_field(c, "NoNewPrivs") == "1"
    caps_d, caps_c = int(status_field(d, "CapEff"), 16), int(status_field(c, "CapEff"), 16)
    assert caps_d == 0xa80425fb  # containerd's default set
    assert caps_c == (caps_d | (1 << 12)) & ~1  # + NET_ADMIN - CHOWN
    with open("/proc/self/status") as f:
        own = [l.split()[1] for l in f if l.startswith("CapEff:")][0]
    assert int(status_field(p, "CapEff"), 16) == int(own, 16)
    # Volumes and the kubelet's files.
    vol_rw, vol_ro = tmp_path / "rw", tmp_path / "ro"
    vol_rw.mkdir()
    vol_ro.mkdir()
    (vol_ro / "data").write_text("from-host\n")
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n10.1.2.3 pod-ip\n")
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 10.0.0.10\n")
    script = ("echo written > /rw/out; cat /ro/data; touch /ro/x || echo ro-refused; "
              "grep pod-ip /etc/hosts; cat /etc/resolv.conf; df -k /dev/shm | tail -1")
    cid, _ = rt.run(sb, ["sh", "-c", script], name="vols", hosts=str(hosts), resolv=str(resolv),
                    mounts=[{"containerPath": "/rw", "hostPath": str(vol_rw)},
                            {"containerPath": "/ro", "hostPath": str(vol_ro), "readonly": True}])
    out = [l.split(" ", 3)[3] for l in rt.log_lines(rt.wait(cid))]
    assert (vol_rw / "out").read_text() == "written\n"
    for want in ["from-host", "ro-refused", "10.1.2.3 pod-ip", "nameserver 10.0.0.10"]:
        assert want in out, out
    assert out[-1].split()[1] == "65536", out  # the pod's 64 MiB /dev/shm
    for cid2 in (default, confined, priv, cid):
        rt.cmd("rm", cid2)
    rt.cmd("rmsandbox", sb)


def test_host_network(rt):
    sb = rt.sandbox(hostNetwork=True)
    cid, _ = rt.run(sb, ["readlink", "/proc/self/ns/net"])
    out = rt.log_lines(rt.wait(cid))[0].split(" ", 3)[3]
    assert out == os.readlink("/proc/self/ns/net")
    rt.cmd("rm", cid)
    rt.cmd("rmsandbox", sb)


def test_log_rotation(rt):
    sb = rt.sandbox()
    spec = {"sandbox": sb, "name": "chatty", "rootfs": rt.rootfs,
            "args": ["sh", "-c", "i=0; while [ $i -lt 400 ]; do echo line-$i-padding-padding-padding; "
                     "i=$((i+1)); done"]}
    cid = rt.cmd("run", spec, extra=("--log-max-size", "4096")).stdout.strip()
    c = rt.wait(cid)
    path = c["logPath"]
    names = sorted(os.listdir(os.path.dirname(path)))
    assert names == ["0.log", "0.log.1", "0.log.2", "0.log.3", "0.log.4"], names
    for n in names:
        assert os.path.getsize(os.path.join(os.path.dirname(path), n)) <= 4096
    with open(path) as f:
        last = f.read().splitlines()
    assert last[-1].endswith("stdout F line-399-padding-padding-padding")
    with open(path + ".1") as f:
        older = f.read().splitlines()
    n_last, n_older = (int(l.split("line-")[1].split("-")[0]) for l in (last[0], older[-1]))
    assert n_last == n_older + 1  # nothing lost between files
    rt.cmd("rm", cid)
    rt.cmd("rmsandbox", sb)
