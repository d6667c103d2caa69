"""Shared fixtures for the end-to-end tests: a real `kube server` per test, real kubectl
binaries (oldest and newest supported) and the real Python client.

Each test gets its own server on a free loopback port with a fresh data directory, and the
server is stopped with SIGTERM at the end (its exit status must be 0: under AddressSanitizer a
leak makes it non-zero, so every test also checks the server for leaks).
"""
import glob
import json
import os
import random
import signal
import socket
import ssl
import subprocess
import time
import urllib.request

import pytest

KUBE_BIN = os.environ.get("KUBE_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "kube")
KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin"
KUBECTL_VERSIONS = ["1.27", "1.33"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(cond, timeout=20.0, interval=0.05, what="condition"):
    """Polls cond() until it returns a true value or the deadline passes."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = cond()
            if last:
                return last
        except Exception as e:  # noqa: BLE001 - the condition may raise while not ready
            last = e
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}: {last!r}")


def unique_networks():
    """A cluster CIDR (a /20: 16 nodes of /24), a service CIDR (/20) and the cluster DNS address
    picked at random among 1024, inside 10.100.0.0 - 10.227.255.255 (clear of the defaults and of
    the 10.252.x.x addresses the netns tests use)."""
    k = random.randrange(1024)
    hi, lo = k // 16, (k % 16) * 16
    return f"10.{100 + hi}.{lo}.0/20", f"10.{164 + hi}.{lo}.0/20", f"10.{164 + hi}.{lo}.10"


class Server:
    """A running `kube server` with its own data directory and port."""

    def __init__(self, tmp_path, extra_args=(), env=None, agent=False):
        self.dir = tmp_path
        self.data_dir = str(tmp_path / "data")
        self.kubeconfig = str(tmp_path / "kubeconfig.yaml")
        self.port = free_port()
        self.log_path = str(tmp_path / "server.log")
        self.args = [KUBE_BIN, "server", "--data-dir", self.data_dir, "--bind-address", "127.0.0.1",
                     "--https-listen-port", str(self.port), "--write-kubeconfig", self.kubeconfig,
                     *self.agent_args(agent), *extra_args]
        self.env = dict(os.environ, **(env or {}))
        self.proc = None

    def agent_args(self, agent):
        """--disable-agent by default; with agent=True the embedded agent runs with a node IP on
        loopback, a unique host-resource prefix, a free kubelet port and cluster networks of its
        own (so that two test clusters alive at once never share routes or addresses)."""
        self.prefix = None
        self.kubelet_port = None
        self.cluster_cidr, self.service_cidr, self.cluster_dns = "10.42.0.0/16", "10.43.0.0/16", "10.43.0.10"
        if not agent:
            return ["--disable-agent"]
        self.prefix = "kt%06x" % random.randrange(1 << 24)
        self.kubelet_port = free_port()
        self.cluster_cidr, self.service_cidr, self.cluster_dns = unique_networks()
        return ["--node-ip", "127.0.0.1", "--resource-prefix", self.prefix, "--kubelet-port", str(self.kubelet_port),
                "--cluster-cidr", self.cluster_cidr, "--service-cidr", self.service_cidr,
                "--cluster-dns", self.cluster_dns]

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca_path(self):
        return os.path.join(self.data_dir, "server", "tls", "server-ca.crt")

    def start(self, wait=True):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        if wait:
            wait_for(self.ready, what=f"kube server on port {self.port} (log {self.log_path})")
        return self

    def ready(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"kube server exited with {self.proc.returncode}: {self.read_log()}")
        ctx = ssl.create_default_context(cafile=self.ca_path)
        with urllib.request.urlopen(self.url + "/readyz", context=ctx, timeout=2) as r:
            return r.status == 200

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Stops the server and returns its exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("kube server did not stop within %ds: %s" % (timeout, self.read_log()))
        finally:
            self.log.close()

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()

    def ssl_context(self, client_cert=True):
        """An SSL context trusting the cluster CA, with the admin client certificate."""
        ctx = ssl.create_default_context(cafile=self.ca_path)
        if client_cert:
            tls = os.path.join(self.data_dir, "server", "tls")
            ctx.load_cert_chain(os.path.join(tls, "client-admin.crt"), os.path.join(tls, "client-admin.key"))
        return ctx

    def request(self, method, path, body=None, headers=None, client_cert=True, timeout=10):
        """A raw HTTPS request; returns (status, headers, body bytes)."""
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, context=self.ssl_context(client_cert), timeout=timeout) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()


def api(server, method, path, body=None, ctype="application/json"):
    """A JSON request with the admin certificate: (status code, parsed body or None)."""
    data = json.dumps(body).encode() if body is not None else None
    code, _, out = server.request(method, path, data, {"Content-Type": ctype} if data else {})
    return code, (json.loads(out) if out else None)


def api_get(server, path):
    """GET of an object or list that must exist."""
    code, obj = api(server, "GET", path)
    assert code == 200, obj
    return obj


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path).start()
    yield s
    rc = s.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"


@pytest.fixture
def make_server(tmp_path):
    """Builds servers with custom arguments; stops them all at the end (exit status 0 required
    for those still running)."""
    made = []

    def make(extra_args=(), env=None, sub="s", start=True):
        d = tmp_path / f"{sub}{len(made)}"
        d.mkdir()
        s = Server(d, extra_args, env)
        made.append(s)
        return s.start() if start else s

    yield make
    for s in made:
        if s.proc is not None and s.proc.poll() is None:
            rc = s.stop()
            assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"


class Kubectl:
    def __init__(self, version, server, tmp_path):
        self.version = version
        self.bin = os.path.join(KUBECTL_DIR, f"kubectl.{version}")
        self.server = server
        self.cache = str(tmp_path / f"kubectl-cache-{version}")

    def run(self, *args, input=None, check=True, timeout=60):
        cmd = [self.bin, "--kubeconfig", self.server.kubeconfig, "--cache-dir", self.cache, *args]
        p = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed ({p.returncode}):\nstdout: {p.stdout}\nstderr: {p.stderr}")
        return p

    def __call__(self, *args, **kw):
        return self.run(*args, **kw).stdout

    def popen(self, *args):
        cmd = [self.bin, "--kubeconfig", self.server.kubeconfig, "--cache-dir", self.cache, *args]
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(params=KUBECTL_VERSIONS)
def kubectl(request, server, tmp_path):
    if not os.path.exists(os.path.join(KUBECTL_DIR, f"kubectl.{request.param}")):
        pytest.fail(f"kubectl {request.param} is not installed in {KUBECTL_DIR}")
    return Kubectl(request.param, server, tmp_path)


@pytest.fixture
def client(server):
    """The real Python client (python3-kubernetes), configured from the server's kubeconfig."""
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    cfg = k8s_client.Configuration()
    k8s_config.load_kube_config(config_file=server.kubeconfig, client_configuration=cfg)
    api = k8s_client.ApiClient(cfg)
    yield api
    api.close()


def host_resources(prefix):
    """What exists on the host under an agent's resource prefix (runc state, shims, network
    namespaces, cgroups, mounts, links and the routes through them, nftables tables): must be
    empty after a test."""
    found = glob.glob(f"/run/{prefix}") + glob.glob(f"/run/netns/{prefix}-*")
    found += glob.glob(f"/sys/fs/cgroup/*/{prefix}") + glob.glob(f"/sys/fs/cgroup/{prefix}")
    with open("/proc/self/mountinfo") as f:
        found += [line.split()[4] for line in f if f"/{prefix}" in line.split()[4]]
    return found + net_resources(prefix)


def net_resources(prefix):
    """Links named from the prefix, routes through them and nftables tables named from it, in
    this network namespace (empty when `ip`/`nft` are missing)."""
    def run(*args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.TimeoutExpired):
            return ""
    found = []
    for line in run("ip", "-o", "link", "show").splitlines():
        parts = line.split(":")
        name = parts[1].strip().split("@")[0] if len(parts) > 1 else ""
        if name.startswith(prefix):
            found.append(f"link {name}")
    for line in run("ip", "-4", "route", "show", "table", "all").splitlines():
        if f" dev {prefix}" in f" {line}":
            found.append(f"route {line.strip()}")
    for line in run("nft", "list", "tables").splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "table" and words[2].startswith(prefix):
            found.append(f"nft table {words[1]} {words[2]}")
    return found


@pytest.fixture
def agent_server(tmp_path):
    """A server running its embedded agent (node IP 127.0.0.1, a unique --resource-prefix, a free
    --kubelet-port). At the end: exit status 0 and nothing left on the host under the prefix."""
    s = Server(tmp_path, agent=True).start()
    yield s
    rc = s.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
    assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"
